"""THE value of a claim pair: the one reading every screen, listing and export shows.

``pair_readings`` is the only place that turns what the engine knows about a pair (the pair
model's own reading, and what the two claims' stances toward a shared proposition imply) into the
pair's calibrated probabilities in ``STANCE_LABELS`` order; ``contradiction_value`` is the number
shown for a pair (its P(contradiction)) and ``model_label`` its label. The stored ranking
(``verify.stages.ranking``), ``disputes --pairs`` and its JSON, the board, the pair pane, the proposition
screens and every export read these, so a pair carries one number everywhere
(``tests/test_one_value.py`` compares them on one real store).

To change HOW a pair's value is computed (a relatedness stage, a new mix), change the inside of
``pair_readings`` only: callers pass the readings the engine has and use what it returns. The
stored ranking is stamped with ``VALUE_VERSION``: bump it so that stored rankings are recomputed.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from verify.labels import CONTRADICTION, STANCE_LABELS

#: Weight of the proposition-implied reading in a pair's value (the pair model gets the rest).
#: Chosen on Emergent dev claims by ``bench/bench_propositions_e2e.py --split dev --tune`` (stance
#: model 3: AP 0.363 at 0.3, 0.371 at 0.5, 0.382 at 1; 0.5, not the edge of the grid).
IMPLIED_WEIGHT = 0.5
#: Weight of what analysts' verdicts on neighbouring pairs imply (``verify.stages.tag_reach``),
#: where one reaches the pair. Chosen on the Emergent dev analyst loop (0.2, 0.3, 0.5 tried:
#: 0.2 lifted the untagged pairs' AP most for stance model 3; ``bench/bench_disputes.py --only loop``).
REACH_WEIGHT = 0.2
#: Part of the ranking's stamp (``verify.stages.ranking``): a new formula invalidates stored values.
VALUE_VERSION = 2

_C = STANCE_LABELS.index(CONTRADICTION)


def pair_readings(
    direct: np.ndarray,
    implied: np.ndarray,
    weight: float | None = None,
    reach: np.ndarray | None = None,
) -> np.ndarray:
    """The calibrated probabilities of ``n`` pairs, (n, 4) in ``STANCE_LABELS`` order.

    ``direct``: (n, 4), the pair model's reading; a row of NaN where the model did not read the
    pair (known only through a proposition). ``implied``: (n, 4), what the claims' stances toward
    the shared proposition they are most related to imply; a row of NaN where they share none.
    Every row has at least one of the two. ``weight``: the implied reading's share (tuning only).
    ``reach``: (n, 4), what analysts' verdicts on neighbouring pairs imply; a row of NaN where
    none reaches the pair (``REACH_WEIGHT`` of the value where one does).
    """
    w = IMPLIED_WEIGHT if weight is None else weight
    direct = np.asarray(direct, dtype=float).reshape(-1, 4)
    implied = np.asarray(implied, dtype=float).reshape(-1, 4)
    has_direct = ~np.isnan(direct).any(axis=1)
    has_implied = ~np.isnan(implied).any(axis=1)
    if not (has_direct | has_implied).all():
        raise ValueError("a pair needs the pair model's reading or an implied one")
    mixed = w * np.nan_to_num(implied) + (1 - w) * np.nan_to_num(direct)
    out = np.where(has_implied[:, None], mixed, direct)
    out = np.where(has_direct[:, None], out, implied)
    if reach is None:
        return out
    reach = np.asarray(reach, dtype=float).reshape(-1, 4)
    reached = ~np.isnan(reach).any(axis=1)
    taught = REACH_WEIGHT * np.nan_to_num(reach) + (1 - REACH_WEIGHT) * out
    return np.where(reached[:, None], taught, out)


def pair_reading(
    direct: np.ndarray | None, implied: np.ndarray | None, weight: float | None = None
) -> np.ndarray:
    """``pair_readings`` of one pair (either reading may be missing), shape (4,)."""
    nan = np.full(4, np.nan)
    d = nan if direct is None else np.asarray(direct, dtype=float)
    i = nan if implied is None else np.asarray(implied, dtype=float)
    return pair_readings(d[None, :], i[None, :], weight)[0]


def contradiction_value(probs: np.ndarray | dict[str, float]) -> float:
    """The number shown for a pair: its calibrated P(contradiction), from ``pair_readings``."""
    if isinstance(probs, dict):
        return float(probs[CONTRADICTION])
    return float(np.asarray(probs)[_C])


def model_label(probs: dict[str, float]) -> str:
    """The engine's label for a pair: its most probable class (first in label order on a tie)."""
    return max(STANCE_LABELS, key=lambda lab: probs[lab])


def order_key(
    value: float, pair_id: int | None, a: int, b: int
) -> tuple[float, bool, int, int, int]:
    """The one pair order: highest value first; scored pairs before implied ones; then ids."""
    return (-value, pair_id is None, pair_id or 0, a, b)


def count_pairs(pairs: Iterable[tuple[int | None, dict[str, float]]]) -> dict[str, int]:
    """The one count of a pair listing, (pair id or None, probs) each: ``scored`` pairs (the
    model read them: they have an id and can be tagged), ``implied`` (known only through a
    shared proposition) and ``contradictions`` (scored pairs labelled contradiction)."""
    scored = implied = contradictions = 0
    for pid, probs in pairs:
        if pid is None:
            implied += 1
        else:
            scored += 1
            contradictions += model_label(probs) == CONTRADICTION
    return {"scored": scored, "implied": implied, "contradictions": contradictions}
