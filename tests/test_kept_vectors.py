"""A long-lived pipeline (``watch``) keeps the claims' vectors in memory
(``Pipeline.keep_vectors``): the stages get the vectors the store holds, and a new article's
claims are embedded once, stored, and kept (real MiniLM, a real SQLite copy of the seed store)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

from verify.stages.pipeline import Pipeline
from verify.stages.record import RunClaims
from verify.stages.steps.embedding import vectors
from verify.store.database import Store
from verify.types import sha256


def test_kept_vectors_are_the_stored_ones_and_new_claims_join_them(
    seed_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "s.db"
    shutil.copy(seed_db, db)
    store = Store(db)
    pipe = Pipeline(store, log=lambda _m: None)
    ctx = pipe.context()
    claims = RunClaims(store.claim_rows(), full=False, new=[])
    read = vectors(ctx, ctx.space, claims)  # no memory kept: read from the store
    pipe.keep_vectors()
    assert ctx.space.memo is not None and len(ctx.space.memo) == len(set(claims.texts))
    np.testing.assert_array_equal(vectors(ctx, ctx.space, claims), read)

    new = tmp_path / "new.txt"
    new.write_text(
        "A NATO spokesman said on Thursday that Russian units were still massing at the border.\n"
    )
    pipe.run([new])
    row = store.db.execute(
        "SELECT id, text FROM claims WHERE article_id=(SELECT MAX(id) FROM articles)"
    ).fetchone()
    kept = ctx.space.memo[sha256(row["text"])]
    np.testing.assert_allclose(kept, store.claim_vectors(ctx.space.name)[row["id"]], atol=1e-6)
    np.testing.assert_allclose(kept, ctx.space.inner.encode([row["text"]])[0], atol=1e-5)
    store.close()
