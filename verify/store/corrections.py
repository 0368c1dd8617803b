"""Analysts' corrections of the extractor: a claim's speaker, actor, side or language, and "not a
claim".

Stored in their own append-only table (``claim_corrections``), apart from extraction output, as
tags are apart from suggestions: a re-run rewrites ``claims.actor`` / ``claims.side`` from the
registry, and the corrections are laid over them again on every read (``Store.claim_rows``). The
latest correction of a field wins; ``not_claim = '0'`` restores a claim. A claim marked as not a
claim leaves every pair (``rejected_claims`` view) and is not embedded, clustered or paired on a
re-run; its tags stay stored. So does a claim whose language (the analyst's, else the
extractor's) no model reads (``verify.language.MODELLED``): stored and listed, never scored as if
it were English.

A part of the store: ``verify.store.database.Store`` calls ``overlay`` and ``correct`` with its own
connection; nothing else holds one."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from verify.language import MODELLED

FIELDS = ("speaker", "actor", "side", "language")
NOT_CLAIM = "not_claim"

SCHEMA = """
CREATE TABLE IF NOT EXISTS claim_corrections (
    id INTEGER PRIMARY KEY, claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    field TEXT NOT NULL, value TEXT NOT NULL, analyst TEXT NOT NULL, at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS claim_corrections_claim ON claim_corrections(claim_id);
CREATE VIEW IF NOT EXISTS rejected_claims AS
    SELECT k.claim_id FROM claim_corrections k WHERE k.field = 'not_claim' AND k.value = '1'
    AND k.id = (SELECT MAX(id) FROM claim_corrections WHERE claim_id = k.claim_id
                AND field = 'not_claim')
    UNION
    SELECT c.id FROM claims c WHERE LANGUAGE_OF_C NOT IN (MODELLED_LIST);
"""


def language_sql(alias: str) -> str:
    """SQL for the language of claim ``alias``: the analyst's latest correction, else the
    extractor's, else English (claims stored before languages were)."""
    return (
        f"COALESCE((SELECT value FROM claim_corrections WHERE claim_id = {alias}.id"
        f" AND field = 'language' ORDER BY id DESC LIMIT 1), {alias}.language, 'en')"
    )


SCHEMA = SCHEMA.replace("LANGUAGE_OF_C", language_sql("c")).replace(
    "MODELLED_LIST", ", ".join(f"'{code}'" for code in sorted(MODELLED))
)


class CorrectionError(ValueError):
    """Why a correction is refused, in one line; nothing was stored."""


def _language_code(claim_id: int, value: str) -> str:
    """A language code as the detector writes them ("ru", "en", "ru-Latn", "und")."""
    from verify.language import NAMES

    code = value.strip()
    if code not in NAMES:
        known = ", ".join(sorted(NAMES))
        raise CorrectionError(f"claim {claim_id}: unknown language {code!r}; one of {known}")
    return code


def latest(db: sqlite3.Connection) -> dict[int, dict[str, tuple[str, str]]]:
    """claim id -> field -> (value, analyst), the latest correction of each field."""
    out: dict[int, dict[str, tuple[str, str]]] = {}
    for row in db.execute(
        "SELECT claim_id, field, value, analyst FROM claim_corrections ORDER BY id"
    ):
        out.setdefault(row[0], {})[row[1]] = (row[2], row[3])
    return out


def overlay(
    db: sqlite3.Connection, rows: Sequence[sqlite3.Row], include_rejected: bool = False
) -> list[Any]:
    """``rows`` with corrections applied: corrected rows become dicts with a ``corrected`` key
    (field -> analyst); claims marked as not a claim are left out unless ``include_rejected``."""
    fixes = latest(db)
    if not fixes:
        return list(rows)
    out: list[Any] = []
    for row in rows:
        fix = fixes.get(row["id"])
        if not fix:
            out.append(row)
            continue
        rejected = fix.get(NOT_CLAIM, ("0", ""))[0] == "1"
        if rejected and not include_rejected:
            continue
        item = {k: row[k] for k in row.keys()}  # keys(): iterating a sqlite3.Row gives values
        for field in FIELDS:
            if field in fix:
                item[field] = fix[field][0]
        item["corrected"] = {f: who for f, (_v, who) in fix.items()}
        item["not_claim"] = rejected
        out.append(item)
    return out


def correct(
    db: sqlite3.Connection, claim_id: int, analyst: str, stamp: str, **changes: object
) -> int:
    """Store the changed fields (speaker, actor, side: text; not_claim: bool) in one
    transaction; returns how many corrections were written."""
    if db.execute("SELECT 1 FROM claims WHERE id=?", (claim_id,)).fetchone() is None:
        raise CorrectionError(f"no claim with id {claim_id}")
    rows = []
    for field, value in changes.items():
        if value is None:
            continue
        if field == NOT_CLAIM:
            rows.append((claim_id, field, "1" if value else "0", analyst, stamp))
        elif field == "language":
            rows.append((claim_id, field, _language_code(claim_id, str(value)), analyst, stamp))
        elif field in FIELDS:
            text = " ".join(str(value).split())
            if not text:
                raise CorrectionError(f"claim {claim_id}: {field} may not be empty")
            rows.append((claim_id, field, text, analyst, stamp))
        else:
            raise CorrectionError(f"claim {claim_id}: {field} cannot be corrected")
    if not rows:
        raise CorrectionError(f"claim {claim_id}: nothing to correct")
    db.execute("BEGIN IMMEDIATE")
    try:
        db.executemany(
            "INSERT INTO claim_corrections(claim_id, field, value, analyst, at) VALUES (?,?,?,?,?)",
            rows,
        )
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
    return len(rows)
