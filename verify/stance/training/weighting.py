"""Training weights: each dataset's share of the total weight, partial class rebalancing, the
analysts' fixed weight, and the weighted draw of public pairs the stacked head is fitted on.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from verify.labels import STANCE_LABELS

EXTRA_WEIGHT = 5.0  # an analyst-tagged pair counts as this many average public pairs
CLASS_BALANCE_POWER = 0.5  # 0: natural mix, 1: fully balanced classes


def sample_weights(
    label_list: Sequence[str] | np.ndarray,
    dataset_list: Sequence[str] | np.ndarray,
    shares: dict[str, float],
) -> np.ndarray:
    """Each dataset gets its share of the total weight; classes are then partly rebalanced."""
    labels, datasets = np.asarray(label_list), np.asarray(dataset_list)
    w = np.ones(len(labels))
    total = sum(shares.get(d, 0.0) for d in set(datasets)) or 1.0
    for d in set(datasets):
        m = datasets == d
        w[m] = shares.get(d, 0.0) / total * len(labels) / m.sum()
    total = w.sum()  # factors from one snapshot: independent of set iteration order
    factor = {
        lab: (total / len(STANCE_LABELS) / w[labels == lab].sum()) ** CLASS_BALANCE_POWER
        for lab in set(labels)
    }
    w *= np.array([factor[lab] for lab in labels])
    return w * len(labels) / w.sum()


def fit_weights(labels: np.ndarray, names: np.ndarray, mix: dict[str, dict]) -> np.ndarray:
    """Public rows by dataset share and class balance; analyst rows a fixed ``EXTRA_WEIGHT``."""
    public = names != "extra"
    w = np.full(len(labels), EXTRA_WEIGHT)
    if public.any():
        shares = {d: cfg["share"] for d, cfg in mix.items()}
        w[public] = sample_weights(labels[public], names[public], shares)
    return w
