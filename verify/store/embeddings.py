"""The embeddings cache (table ``embeddings``: one vector per model and text hash), a part of
``verify.store.database.Store``: a text is embedded once per model, whatever run meets it."""

from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager

import numpy as np


class EmbeddingRows:
    """Mixed into ``Store``, whose connection (``db``) and ``transaction`` these methods use."""

    db: sqlite3.Connection

    def transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError  # the Store's

    def load_embeddings(self, model: str, hashes: list[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for i in range(0, len(hashes), 500):
            chunk = hashes[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for h, blob in self.db.execute(
                f"SELECT text_hash, vec FROM embeddings WHERE model=? AND text_hash IN ({marks})",
                (model, *chunk),
            ):
                out[h] = np.frombuffer(blob, dtype=np.float32)
        return out

    def embedding_models(self) -> list[str]:
        """The models with cached vectors, the one with the most first."""
        return [
            r[0]
            for r in self.db.execute(
                "SELECT model FROM embeddings GROUP BY model ORDER BY COUNT(*) DESC"
            )
        ]

    def save_embeddings(self, model: str, vecs: dict[str, np.ndarray]) -> None:
        with self.transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO embeddings(model, text_hash, vec) VALUES (?,?,?)",
                [(model, h, np.asarray(v, dtype=np.float32).tobytes()) for h, v in vecs.items()],
            )
