"""Camp relation of a claim pair, from the registry's sides: a feature the analysts' tags weigh.

Sides are the analyst's camps for one dispute. Whether two claims come from opposed camps says
nothing in the public training data (it has no camps), so the stacked head learns how much it
matters only from this team's own verdicts: after a few tags it knows whether, in this dispute,
opposed camps on one question tend to contradict each other.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from verify.registry.actors import UNKNOWN_SIDE

OPPOSED, SAME, UNKNOWN = "opposed", "same", "unknown"
CAMP_RELATIONS = (OPPOSED, SAME, UNKNOWN)
#: Sides that name no camp.
NO_CAMP = frozenset({"", UNKNOWN_SIDE.lower()})


def camp_relation(side_a: str | None, side_b: str | None) -> str:
    a, b = (side_a or "").strip().lower(), (side_b or "").strip().lower()
    if a in NO_CAMP or b in NO_CAMP:
        return UNKNOWN
    return SAME if a == b else OPPOSED


def camp_features(relations: Sequence[str] | None, n: int) -> np.ndarray:
    """(n, 2) indicators [opposed, same]; all zero where unknown or when no relations are given."""
    out = np.zeros((n, 2), dtype=np.float32)
    if relations is None:
        return out
    if len(relations) != n:
        raise ValueError(f"{len(relations)} camp relations for {n} pairs")
    for i, rel in enumerate(relations):
        if rel not in CAMP_RELATIONS:
            raise ValueError(f"unknown camp relation {rel!r}")
        out[i] = (rel == OPPOSED, rel == SAME)
    return out
