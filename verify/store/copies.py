"""Copies: a claim whose text its source already stated (``verify.stages.steps.dedup``).

A copy keeps its article and claim row (nothing extracted is lost) and is set aside: it is not
embedded, clustered, paired or ranked, and the claim it copies counts it. ``claim_copies`` is
derived (a full refresh makes it afresh); ``set_aside_claims`` is every claim the stages leave
out: the copies and the claims an analyst marked as not a claim (``corrections``).

Plain SQL; ``verify.store.database.Store`` calls these with its own connection."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

SCHEMA = """
CREATE TABLE IF NOT EXISTS claim_copies (
    claim_id INTEGER PRIMARY KEY REFERENCES claims(id) ON DELETE CASCADE,
    of_claim INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS claim_copies_of ON claim_copies(of_claim);
CREATE VIEW IF NOT EXISTS set_aside_claims AS
    SELECT claim_id FROM rejected_claims UNION SELECT claim_id FROM claim_copies;
"""

#: The number of copies of the claim ``c`` (a column of ``Store.claim_rows``).
COUNT = "(SELECT COUNT(*) FROM claim_copies k WHERE k.of_claim = c.id) AS copies"


def save(db: sqlite3.Connection, copies: Iterable[tuple[int, int]], replace: bool) -> None:
    """(copy, of claim) rows; ``replace``: they are all there are (a full refresh)."""
    if replace:
        db.execute("DELETE FROM claim_copies")
    db.executemany("INSERT OR REPLACE INTO claim_copies(claim_id, of_claim) VALUES (?, ?)", copies)
