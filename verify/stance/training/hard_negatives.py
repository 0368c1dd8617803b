"""Hard negatives: the pairs the engine actually asks about, labelled from the datasets' groups.

The engine pairs each claim with its nearest neighbours from other sources (``verify.stages.pairs``).
Most of those neighbours share the topic but not the fact. Random cross-topic pairs, the only
*unrelated* pairs training saw before, are easy; these are not. For every text of a grouped set
(Emergent claims, FNC-1 headlines, Perspectrum claims, NLI premises, fact-verification claims),
its ``k`` nearest texts from *other* groups are found with the engine's own candidate generator
(``pairs.neighbour_lists``, the group standing in for the source) and labelled *unrelated*:
another story, or another claim of a debate, is not the same fact. Pairs nearer than
``max_cosine`` are left out: across groups they are more often duplicates than negatives.
Mining stays within one split role, so no text crosses the split.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from verify.labels import UNRELATED
from verify.stages.pairs import neighbour_lists
from verify.stance.training.data import Record, split_role


def mine(
    texts: Sequence[str],
    groups: Sequence[str],
    vectors: np.ndarray,
    k: int = 3,
    max_cosine: float = 0.9,
    min_cosine: float = 0.25,
    seed: int = 0,
) -> list[Record]:
    """*Unrelated* records (text, neighbour from another group), each pair once, grouped by the
    first text's group. ``vectors`` are the texts' unit-length embeddings (row-aligned)."""
    if len(texts) != len(groups) or len(texts) != len(vectors):
        raise ValueError("texts, groups and vectors must be row-aligned")
    out: list[Record] = []
    roles = np.array([split_role(g, seed) for g in groups])
    for role in np.unique(roles):
        idx = np.flatnonzero(roles == role)
        if len(idx) < 2:
            continue
        rows, cols, sims = neighbour_lists(vectors[idx], [groups[int(i)] for i in idx], k)
        seen: set[tuple[int, int]] = set()
        for r, c, s in zip(rows, cols, sims, strict=True):
            i, j = int(idx[r]), int(idx[c])
            key = (min(i, j), max(i, j))
            if not (min_cosine <= s < max_cosine) or key in seen or groups[i] == groups[j]:
                continue
            seen.add(key)
            out.append(Record(texts[i], texts[j], UNRELATED, groups[i]))
    return out
