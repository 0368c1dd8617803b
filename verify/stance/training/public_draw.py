"""The weighted draw of public fit and dev pairs a stacked head is fitted on.

Fit pairs are drawn with probability ∝ the linear head's sample weights (dataset shares, class
balance), dev pairs uniformly; both seeded, so the same seed gives the same pairs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from verify.stance.features import Encoder, PairInputs
from verify.stance.training.cache import default_encoder, load_parts, select_inputs, stack_parts
from verify.stance.training.data import MemoEncoder, Record, split_role
from verify.stance.training.mix import DEFAULT_MIX
from verify.stance.training.weighting import sample_weights


class PublicDraw(NamedTuple):
    """Every public record of the default mix, embedded, and the drawn fit/dev row indices."""

    recs: list[Record]
    emb_a: np.ndarray
    emb_b: np.ndarray
    labels: np.ndarray
    fit: np.ndarray
    dev: np.ndarray
    encoder: Encoder  # the sentence encoder that embedded them

    def inputs(self, idx: np.ndarray) -> PairInputs:
        """The featurizer's inputs for rows ``idx`` (in row order)."""
        return select_inputs(
            self.recs, self.emb_a, self.emb_b, np.isin(np.arange(len(self.recs)), idx)
        )


def draw_public(
    seed: int, n_public: int, n_dev: int, log: Callable[[str], object] = lambda _m: None
) -> PublicDraw:
    """``n_public`` fit pairs ∝ the sample weights and ``n_dev`` dev pairs of ``DEFAULT_MIX``."""
    memo = MemoEncoder(default_encoder())
    parts = load_parts(DEFAULT_MIX, memo, None, None, seed, True, log)
    names = np.array([n for n, r, _, _ in parts for _ in r])
    recs, ea, eb = stack_parts((r, a, b) for _, r, a, b in parts)
    roles = np.array([split_role(r.group, seed) for r in recs])
    labels = np.array([r.label for r in recs])
    rng = np.random.default_rng(seed)
    fit = np.flatnonzero(roles == "fit")
    w = sample_weights(labels[fit], names[fit], {k: v["share"] for k, v in DEFAULT_MIX.items()})
    fit = np.sort(rng.choice(fit, size=min(n_public, len(fit)), replace=False, p=w / w.sum()))
    dev = np.flatnonzero(roles == "dev")
    dev = np.sort(rng.choice(dev, size=min(n_dev, len(dev)), replace=False))
    return PublicDraw(recs, ea, eb, labels, fit, dev, memo.inner)
