"""The engine's proposals: a few propositions per topic, from its own claims.

A good proposition is what many claims of the topic are about and is worth checking: claims are
ranked by how many of the topic's claims lie near them in meaning (local density, so each
sub-story of a broad topic has its own centre) times check-worthiness, and a claim close in
meaning to one already chosen is skipped (deduplication by meaning, which also spreads the
choice over the sub-stories). A topic of n claims gets about one per ``CLAIMS_PER_PROPOSITION``,
at most ``MAX_PER_TOPIC``: a handful an analyst can read, and a scoring cost linear in claims.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

MAX_PER_TOPIC = 12
CLAIMS_PER_PROPOSITION = 6
DUPLICATE_COSINE = 0.6  # MiniLM: paraphrases and retellings of one story sit above this
NEIGHBOUR_COSINE = 0.5  # "near in meaning" for the density count
MIN_WORDS = 4  # "Moscow ::" or a bare name is not a proposition


@dataclass(frozen=True)
class Proposer:
    max_per_topic: int = MAX_PER_TOPIC
    claims_per_proposition: int = CLAIMS_PER_PROPOSITION
    duplicate_cosine: float = DUPLICATE_COSINE
    neighbour_cosine: float = NEIGHBOUR_COSINE
    min_words: int = MIN_WORDS

    def propose(
        self,
        vecs: np.ndarray,
        topics: Sequence[int],
        texts: Sequence[str],
        checkworthy: Sequence[float | None],
        sides: Sequence[str] | None = None,
    ) -> list[tuple[int, float]]:
        """(row index, score) of the chosen claims, topic by topic. ``vecs`` are unit-norm.

        With ``sides`` (the registry's camps), a claim is a duplicate only of a chosen claim of its
        own camp: a close claim from the other camp is the counterclaim ("the withdrawal has
        begun" against "the massing continues"), a proposition of its own."""
        side = list(sides) if sides is not None else ["unknown"] * len(texts)
        topics_arr = np.asarray(topics)
        cw = np.array([0.5 if c is None else float(c) for c in checkworthy])
        out: list[tuple[int, float]] = []
        for t in sorted(set(topics_arr.tolist())):
            idx = np.flatnonzero(topics_arr == t)
            if len(idx) < 2:
                continue
            # Density from a bounded sample of the topic: linear however large the topic grows.
            sample = idx[:: max(1, len(idx) // 512)]
            sim = vecs[idx] @ vecs[sample].T
            density = (sim > self.neighbour_cosine).sum(axis=1) / len(sample)
            score = density * (0.5 + cw[idx])
            want = min(self.max_per_topic, math.ceil(len(idx) / self.claims_per_proposition))
            chosen: list[int] = []
            for i in idx[np.argsort(-score, kind="stable")]:
                if len(texts[i].split()) < self.min_words:
                    continue
                if any(
                    float(vecs[i] @ vecs[j]) > self.duplicate_cosine
                    and _same_camp(side[i], side[j])
                    for j in chosen
                ):
                    continue
                chosen.append(int(i))
                if len(chosen) == want:
                    break
            pos = {int(i): n for n, i in enumerate(idx)}
            out += [(i, float(score[pos[i]])) for i in chosen]
        return out


def _same_camp(a: str, b: str) -> bool:
    """Unknown camps count as one: without a registry, deduplication is by meaning alone."""
    return a == b or "unknown" in (a, b) or not a or not b
