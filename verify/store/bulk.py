"""The store's reads and writes for large stores: by sets of ids (through temporary tables, not
long IN lists), index-first join orders, and whole columns in one pass. Mixed into ``Store``."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Sequence

import numpy as np

#: A claim set aside (a copy, or marked as not a claim: ``verify.store.copies``) leaves every pair.
_NOT_SET_ASIDE = (
    " AND p.a_id NOT IN (SELECT claim_id FROM set_aside_claims)"
    " AND p.b_id NOT IN (SELECT claim_id FROM set_aside_claims)"
)

#: Per group: the scored pairs whose most likely label is contradiction.
#: Pairs whose one value (``verify.stages.pair_value``, as stored in ``dispute_rank r``) is labelled
#: contradiction: its P(contradiction) is the largest (so at least 0.25, above the rank floor).
_CONTRADICTION = (
    "SUM(COALESCE(r.p_contradiction >= r.p_agreement AND r.p_contradiction >= r.p_neutral"
    " AND r.p_contradiction >= r.p_unrelated, 0))"
)


def inserted_id(cur: sqlite3.Cursor) -> int:
    """The rowid of the row an INSERT just made (``lastrowid`` is None only before any)."""
    if cur.lastrowid is None:
        raise sqlite3.DatabaseError("INSERT made no row")
    return cur.lastrowid


class BulkQueries:
    db: sqlite3.Connection

    def _choose_claims(self, ids: Collection[int]) -> None:
        """The temporary table a query joins to read only some claims (no long IN lists)."""
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS chosen_claims (id INTEGER PRIMARY KEY)")
        self.db.execute("DELETE FROM chosen_claims")
        self.db.executemany(
            "INSERT OR IGNORE INTO chosen_claims VALUES (?)", [(int(i),) for i in ids]
        )

    def claim_vectors(self, model: str) -> dict[int, np.ndarray]:
        """claim id -> cached vector under ``model``, in one pass (no lookup per text)."""
        return {
            cid: np.frombuffer(blob, dtype=np.float32)
            for cid, blob in self.db.execute(
                "SELECT c.id, e.vec FROM claims c JOIN embeddings e ON e.model=? AND e.text_hash=c.text_hash",
                (model,),
            )
        }

    def claim_vectors_by_hash(self, model: str) -> dict[str, np.ndarray]:
        """text hash -> cached vector under ``model`` of every claim's text, in one pass."""
        return {
            key: np.frombuffer(blob, dtype=np.float32)
            for key, blob in self.db.execute(
                "SELECT c.text_hash, e.vec FROM claims c"
                " JOIN embeddings e ON e.model=? AND e.text_hash=c.text_hash",
                (model,),
            )
        }

    def add_to_topics(
        self, assignment: dict[int, int], new_titles: Sequence[str] = ()
    ) -> list[int]:
        """New claims into topics without touching the others: ``assignment`` maps claim id ->
        a stored topic id, or ``-1 - i`` for the i-th of ``new_titles`` (inserted here). Returns
        the new topics' ids."""
        with self.transaction() as db:  # type: ignore[attr-defined]
            fresh = [
                inserted_id(db.execute("INSERT INTO topics(title) VALUES (?)", (t,)))
                for t in new_titles
            ]
            db.executemany(
                "UPDATE claims SET topic_id=? WHERE id=?",
                [(fresh[-1 - t] if t < 0 else t, cid) for cid, t in assignment.items()],
            )
        return fresh

    def disputes_of(self, model: str, claims: Collection[int]) -> list[sqlite3.Row]:
        """``disputes`` of the pairs with one of ``claims``, unsorted."""
        self._choose_claims(claims)
        # CROSS JOIN: from the chosen claims through the pair indexes, never from every suggestion.
        cols = (
            "SELECT p.id, p.a_id, p.b_id, p.similarity, s.p_contradiction, s.p_agreement,"
            " s.p_neutral, s.p_unrelated FROM chosen_claims x CROSS JOIN pairs p ON p.{} = x.id"
            " CROSS JOIN suggestions s ON s.pair_id=p.id AND s.model=? WHERE 1" + _NOT_SET_ASIDE
        )
        return self.db.execute(
            cols.format("a_id") + " UNION " + cols.format("b_id"), (model, model)
        ).fetchall()

    def topics_of_claims(self, claims: Collection[int]) -> list[int]:
        """The topics ``claims`` are in (distinct; claims without one left out)."""
        self._choose_claims(claims)
        return [
            r[0]
            for r in self.db.execute(
                "SELECT DISTINCT topic_id FROM claims JOIN chosen_claims x ON x.id=claims.id"
                " WHERE topic_id IS NOT NULL"
            )
        ]

    def pair_similarities(self, pair_ids: Collection[int]) -> dict[int, float]:
        """pair id -> the cosine of its two claims, for the given pairs."""
        return {
            r[0]: float(r[1])
            for r in self.db.execute(
                "SELECT id, similarity FROM pairs WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps(sorted(int(i) for i in pair_ids)),),
            )
        }

    def pair_readers(self, model: str, pair_ids: Collection[int]) -> dict[int, str]:
        """pair id -> which reader scored it under ``model`` (english, multilingual, or
        "english via #ID": through an English rendering)."""
        return {
            r[0]: r[1]
            for r in self.db.execute(
                "SELECT pair_id, reader FROM suggestions WHERE model=?"
                " AND pair_id IN (SELECT value FROM json_each(?))",
                (model, json.dumps(sorted(int(i) for i in pair_ids))),
            )
        }

    def tagged_pair_ids(self) -> set[int]:
        return {r[0] for r in self.db.execute("SELECT DISTINCT pair_id FROM tags")}
