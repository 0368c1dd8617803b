"""Every claim's sentence vectors: stored ones read in one pass, new texts through the embedders
(which cache them by text hash). Two per claim: MiniLM's (``vecs``: stance and check-worthiness)
and the space every language shares (``space``: topics, neighbours, propositions;
``verify.multilingual.space``)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import numpy as np

from verify.stages.record import RunClaims, SameBothWays, StageContext

if TYPE_CHECKING:
    from verify.stages.embed import CachedEmbedder


class Embedding(SameBothWays):
    name = "embed"

    def run(self, ctx: StageContext, claims: RunClaims) -> None:
        t = time.perf_counter()
        claims.vecs = vectors(ctx, ctx.encoder, claims)
        # An English-only corpus's space is MiniLM's own (``Pipeline.context``).
        claims.space = claims.vecs if ctx.space is ctx.encoder else vectors(ctx, ctx.space, claims)
        ctx.log(
            f"embedded {ctx.encoder.computed} new of {len(claims.texts)} claims "
            f"({time.perf_counter() - t:.1f}s)"
        )


def vectors(ctx: StageContext, encoder: CachedEmbedder, claims: RunClaims) -> np.ndarray:
    """``encoder``'s vector of each claim: the stored ones, the missing ones made (and stored)."""
    if encoder.memo is not None:
        return _remembered(ctx, encoder, claims, encoder.memo)
    stored = ctx.store.claim_vectors(encoder.name)
    have = [i for i, cid in enumerate(claims.ids) if cid in stored]
    missing = [i for i, cid in enumerate(claims.ids) if cid not in stored]
    made = encoder.encode([claims.texts[i] for i in missing]) if missing else None
    # The width is the encoder's (384 for MiniLM, 896 for the joint space).
    dim = made.shape[1] if made is not None else len(stored[claims.ids[have[0]]]) if have else 0
    vecs = np.zeros((len(claims.ids), dim), dtype=np.float32)
    if have:
        vecs[have] = np.stack([stored[claims.ids[i]] for i in have])
    if made is not None:
        vecs[missing] = made
    return vecs


def _remembered(
    ctx: StageContext, encoder: CachedEmbedder, claims: RunClaims, memo: dict[str, np.ndarray]
) -> np.ndarray:
    """``vectors`` through ``memo`` (text hash -> vector): every stored vector read in one pass
    the first time, then only the texts it does not hold (through ``encoder``'s store cache)."""
    keys = [r["text_hash"] for r in claims.rows]  # sha256 of the text, stored with the claim
    if not memo:
        memo.update(ctx.store.claim_vectors_by_hash(encoder.name))
    missing = {k: t for k, t in zip(keys, claims.texts, strict=True) if k not in memo}
    if missing:
        memo.update(zip(missing, encoder.encode(list(missing.values())), strict=True))
    if not keys:
        return np.zeros((0, 0), dtype=np.float32)
    return np.stack([memo[k] for k in keys]).astype(np.float32, copy=False)
