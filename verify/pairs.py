"""Candidate pairs: near neighbours in embedding space from different sources, never all n^2."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def candidate_pairs(
    embeddings: np.ndarray,
    sources: Sequence[str],
    k: int = 8,
    min_similarity: float = 0.25,
) -> list[tuple[int, int, float]]:
    """(i, j, cosine) with i < j, each claim linked to its ``k`` nearest other-source claims.

    ``embeddings`` are L2-normalised. Work is O(n·k) pairs; the similarity matrix is computed in
    row blocks so memory stays O(block·n).
    """
    n = len(sources)
    src = np.asarray(sources, dtype=object)
    out: dict[tuple[int, int], float] = {}
    block = 512
    for lo in range(0, n, block):
        sims = embeddings[lo : lo + block] @ embeddings.T
        for r, row in enumerate(sims):
            i = lo + r
            row = row.copy()
            row[src == src[i]] = -np.inf  # same speaker/outlet: not a dispute
            if k < n:
                top = np.argpartition(-row, min(k, n - 1))[:k]
            else:
                top = np.arange(n)
            for j in top:
                s = float(row[j])
                if s >= min_similarity and j != i:
                    out[(min(i, j), max(i, j))] = s
    return [(i, j, s) for (i, j), s in sorted(out.items())]
