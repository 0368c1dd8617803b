"""The stored candidate-pair graph (table ``knn``) and the pair rows it yields, a part of
``verify.store.database.Store``: the rows ``verify.stages.neighbours`` reads and writes (what goes in them, and
why, is explained there), and the edits of ``pairs`` an incremental run makes in the transaction
that writes the graph.

One row per claim: its neighbours' claim ids (int64) and cosines (float32) as blobs, most similar
first; ``floor`` the k-th cosine, ``-inf`` while fewer than k other-source claims are listed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator

import numpy as np

SCHEMA = """
CREATE TABLE IF NOT EXISTS knn (
    claim_id INTEGER PRIMARY KEY REFERENCES claims(id) ON DELETE CASCADE,
    floor REAL NOT NULL, ids BLOB NOT NULL, sims BLOB NOT NULL
);
"""

KnnRow = tuple[int, float, bytes, bytes]  # (claim id, floor, neighbour ids, cosines)
Lists = dict[int, tuple[np.ndarray, np.ndarray]]  # claim id -> (neighbour ids, cosines)


class KnnRows:
    """Mixed into ``Store``, whose connection (``db``) these methods use."""

    db: sqlite3.Connection

    def has_knn(self) -> bool:
        return self.db.execute("SELECT 1 FROM knn LIMIT 1").fetchone() is not None

    def knn_claims(self) -> set[int]:
        """The claims the graph holds a list for."""
        return {r[0] for r in self.db.execute("SELECT claim_id FROM knn")}

    def knn_floors(self) -> Iterator[tuple[int, float]]:
        """(claim id, floor) of every list."""
        yield from self.db.execute("SELECT claim_id, floor FROM knn")

    def knn_lists(self, claim_ids: Iterable[int]) -> Lists:
        """The stored lists of ``claim_ids`` (those the graph holds)."""
        out: Lists = {}
        wanted = list(claim_ids)
        for lo in range(0, len(wanted), 500):
            chunk = wanted[lo : lo + 500]
            marks = ",".join("?" * len(chunk))
            for cid, ids, sims in self.db.execute(
                f"SELECT claim_id, ids, sims FROM knn WHERE claim_id IN ({marks})", chunk
            ):
                out[cid] = (np.frombuffer(ids, np.int64), np.frombuffer(sims, np.float32))
        return out

    def replace_knn(self, rows: Iterable[KnnRow]) -> None:
        """Replace the whole graph (inside the caller's transaction)."""
        self.db.execute("DELETE FROM knn")
        self.db.executemany(
            "INSERT INTO knn(claim_id, floor, ids, sims) VALUES (?,?,?,?)", list(rows)
        )

    def put_knn(self, rows: Iterable[KnnRow]) -> None:
        """Store these lists, replacing theirs (inside the transaction that stores the pairs)."""
        self.db.executemany(
            "INSERT OR REPLACE INTO knn(claim_id, floor, ids, sims) VALUES (?,?,?,?)", list(rows)
        )

    # -- candidate pairs, inside the caller's transaction -----------------------------------
    def put_pairs(self, pairs: Iterable[tuple[int, int, float]]) -> None:
        """Insert pairs ``(a, b, similarity)``, or update their similarity when stored."""
        self.db.executemany(
            "INSERT INTO pairs(a_id, b_id, similarity) VALUES (?,?,?)"
            " ON CONFLICT(a_id, b_id) DO UPDATE SET similarity=excluded.similarity",
            [(min(a, b), max(a, b), float(s)) for a, b, s in pairs],
        )

    def stored_pairs(self, pairs: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
        """Which of ``pairs`` (a < b) are stored."""
        return {
            (a, b)
            for a, b in pairs
            if self.db.execute("SELECT 1 FROM pairs WHERE a_id=? AND b_id=?", (a, b)).fetchone()
        }

    def drop_untagged_pair(self, a: int, b: int) -> bool:
        """Delete the pair (a < b) with its suggestions unless an analyst tagged it; whether it went."""
        cur = self.db.execute(
            "DELETE FROM pairs WHERE a_id=? AND b_id=? AND id NOT IN (SELECT pair_id FROM tags)",
            (a, b),
        )
        return bool(cur.rowcount)
