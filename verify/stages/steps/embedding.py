"""Every claim's sentence vector: stored ones read in one pass, new texts through the embedder
(which caches them by text hash)."""

from __future__ import annotations

import time

import numpy as np

from verify.stages.record import RunClaims, SameBothWays, StageContext


class Embedding(SameBothWays):
    name = "embed"

    def run(self, ctx: StageContext, claims: RunClaims) -> None:
        t = time.perf_counter()
        claims.vecs = vectors(ctx, claims)
        ctx.log(
            f"embedded {ctx.encoder.computed} new of {len(claims.texts)} claims "
            f"({time.perf_counter() - t:.1f}s)"
        )


def vectors(ctx: StageContext, claims: RunClaims) -> np.ndarray:
    from verify.stages.embed import DIM

    stored = ctx.store.claim_vectors(ctx.encoder.name)
    vecs = np.zeros((len(claims.ids), DIM), dtype=np.float32)
    have = [i for i, cid in enumerate(claims.ids) if cid in stored]
    missing = [i for i, cid in enumerate(claims.ids) if cid not in stored]
    if have:
        vecs[have] = np.stack([stored[claims.ids[i]] for i in have])
    if missing:
        vecs[missing] = ctx.encoder.encode([claims.texts[i] for i in missing])
    return vecs
