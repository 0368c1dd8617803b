"""Stance scores for the candidate pairs the current model has not read, under its key, in
bounded batches each committed (memory stays flat; a killed run resumes where it stopped)."""

from __future__ import annotations

import time
from collections.abc import Collection

from verify.progress import progress
from verify.stages.record import RunClaims, StageContext
from verify.stance.base import StancePairs
from verify.stance.camps import camp_relation


class Scoring:
    name = "score"

    def full(self, ctx: StageContext, claims: RunClaims) -> None:
        rescore(ctx)

    def incremental(self, ctx: StageContext, claims: RunClaims) -> None:
        if claims.redone:  # what an interrupted first attempt stored may be unscored anywhere
            rescore(ctx)
        else:  # every other pair was scored by the run that made it
            made = (ctx.store.pair_id(a, b) for a, b in claims.made)
            rescore(ctx, [pid for pid in made if pid is not None])


def rescore(ctx: StageContext, pair_ids: Collection[int] | None = None) -> int:
    """Score every pair (of ``pair_ids``) the current model has not scored yet, under its key,
    without making it the store's model (``verify.analysts.model_switch`` does that with the
    rankings); returns how many."""
    model, key = ctx.stance(), ctx.score_key()
    todo = ctx.store.unscored_pairs(key, pair_ids)
    ctx.scored = len(todo)
    if not todo:
        return 0
    t = time.perf_counter()
    pairs = StancePairs.unordered(
        [r["a_text"] for r in todo],
        [r["b_text"] for r in todo],
        [camp_relation(r["a_side"], r["b_side"]) for r in todo],
        [(r["a_lang"], r["b_lang"]) for r in todo],  # the router's choice of reader
    )
    readers = getattr(model, "readers", None)  # which reader reads each pair (the router's)
    with progress("score", total=len(todo), unit="pair", enabled=ctx.settings.progress) as bar:
        for lo in range(0, len(todo), ctx.batch_pairs):
            part = slice(lo, lo + ctx.batch_pairs)
            probs = model.predict_pairs(pairs[part])
            ids = [r["id"] for r in todo[part]]
            ctx.store.save_suggestions(
                key, zip(ids, probs, strict=True), readers(pairs[part]) if readers else None
            )
            bar.update(len(ids))
    ctx.log(f"scored {len(todo)} pairs with {key} ({time.perf_counter() - t:.1f}s)")
    return len(todo)
