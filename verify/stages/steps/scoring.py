"""Stance scores for the candidate pairs the current model has not read, under its key, in
bounded batches each committed (memory stays flat; a killed run resumes where it stopped)."""

from __future__ import annotations

import time
from collections.abc import Collection, Sequence
from typing import Any

from verify.language import ENGLISH
from verify.multilingual.rendering import renderings
from verify.multilingual.router import ENGLISH_READER
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
    a, b, langs, via = read_as(ctx, todo)
    pairs = StancePairs.unordered(
        a, b, [camp_relation(r["a_side"], r["b_side"]) for r in todo], langs
    )  # the languages make the router's choice of reader
    readers = getattr(model, "readers", None)  # which reader reads each pair (the router's)
    with progress("score", total=len(todo), unit="pair", enabled=ctx.settings.progress) as bar:
        for lo in range(0, len(todo), ctx.batch_pairs):
            part = slice(lo, lo + ctx.batch_pairs)
            probs = model.predict_pairs(pairs[part])
            ids = [r["id"] for r in todo[part]]
            who = readers(pairs[part]) if readers else None
            if who is not None:
                who = [v or w for v, w in zip(via[part], who, strict=True)]
            ctx.store.save_suggestions(key, zip(ids, probs, strict=True), who)
            bar.update(len(ids))
    ctx.log(f"scored {len(todo)} pairs with {key} ({time.perf_counter() - t:.1f}s)")
    return len(todo)


def read_as(
    ctx: StageContext, todo: Sequence[Any]
) -> tuple[list[str], list[str], list[tuple[str, str]], list[str]]:
    """What each pair of ``todo`` is read as: (a texts, b texts, languages, how). A claim in
    another language with an English rendering in the corpus (``multilingual.rendering``) is
    read through it when that makes the pair English on both sides; ``how`` then names the
    rendering ("english via #28"), else it is ""."""
    a = [r["a_text"] for r in todo]
    b = [r["b_text"] for r in todo]
    langs = [(r["a_lang"], r["b_lang"]) for r in todo]
    via = [""] * len(todo)
    foreign = {int(r[f"{s}_id"]) for r in todo for s in "ab" if r[f"{s}_lang"] != ENGLISH}
    if not foreign or ctx.space is ctx.encoder:  # an English-only corpus: nothing to render
        return a, b, langs, via
    near = {c: nbr.tolist() for c, (nbr, _sims) in ctx.store.knn_lists(foreign).items()}
    claims = ctx.store.claim_texts_languages(foreign | {n for ns in near.values() for n in ns})
    found = renderings(foreign, near, claims, ctx.space.encode)
    for i, r in enumerate(todo):
        sides = [(r["a_id"], r["a_lang"]), (r["b_id"], r["b_lang"])]
        if not all(lang == ENGLISH or cid in found for cid, lang in sides):
            continue
        names = [f"#{found[cid]}" for cid, lang in sides if lang != ENGLISH]
        stand_ins = {found.get(cid, cid) for cid, _lang in sides}
        if not names or len(stand_ins) < 2:  # rendered by its own pair: (E, E) hides a dispute
            continue
        if r["a_lang"] != ENGLISH:
            a[i] = claims[found[r["a_id"]]][0]
        if r["b_lang"] != ENGLISH:
            b[i] = claims[found[r["b_id"]]][0]
        langs[i] = (ENGLISH, ENGLISH)
        via[i] = f"{ENGLISH_READER} via " + ", ".join(names)
    return a, b, langs, via
