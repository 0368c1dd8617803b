"""How worth checking each new claim is, from the vectors just computed (a dot product: no
re-embedding); stored claims keep their scores."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from verify.stages.record import RunClaims, SameBothWays, StageContext


class CheckWorthiness(SameBothWays):
    name = "check-worthiness"

    def run(self, ctx: StageContext, claims: RunClaims) -> None:
        claims.checkworthy = [r["checkworthy"] for r in claims.rows]
        new = claims.new
        scores = score(ctx, [claims.ids[i] for i in new], claims.vecs[new])
        for i, s in zip(new, scores, strict=True):
            claims.checkworthy[i] = s


def score(ctx: StageContext, ids: list[int], vecs: np.ndarray) -> Sequence[float | None]:
    """Score and store ``ids``; ``None`` each when no check-worthiness model is installed."""
    from verify.checkworthy.model import WEIGHTS_FILE, CheckWorthiness, default_model_dir

    folder = default_model_dir(ctx.settings)
    if not (folder / WEIGHTS_FILE).exists():
        ctx.log("no check-worthiness model: claims left unscored")
        return [None] * len(ids)
    scores = [float(x) for x in CheckWorthiness.load(folder).score_vectors(vecs)]
    ctx.store.set_checkworthy(zip(ids, scores, strict=True))
    return scores
