"""Held-out metrics of a stance model: macro-F1, per-class F1, accuracy, ECE, confusion, and
FNC-1's official score. Shared by training (model cards) and ``verify.evaluation``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.metrics import confusion_matrix, f1_score

from verify.labels import STANCE_LABELS, UNRELATED
from verify.stance.calibration import expected_calibration_error

__all__ = ["classification_metrics", "expected_calibration_error", "fnc_points", "fnc_score"]


def fnc_points(y: np.ndarray, pred: np.ndarray) -> tuple[float, float]:
    """FNC-1's official score (raw, maximum): +0.25 for each correct related/unrelated call,
    +0.75 more for the correct agree/disagree/discuss label of a related pair."""
    u = STANCE_LABELS.index(UNRELATED)
    rel_t, rel_p = y != u, pred != u
    score = 0.25 * (rel_t == rel_p).sum() + 0.75 * (rel_t & (y == pred)).sum()
    return float(score), float(0.25 * len(y) + 0.75 * rel_t.sum())


def fnc_score(y: np.ndarray, pred: np.ndarray) -> float:
    """FNC-1's weighted accuracy as % of the maximum."""
    score, best = fnc_points(y, pred)
    return 100 * score / best if best else 0.0


def classification_metrics(proba: np.ndarray, labels: Sequence[str] | np.ndarray) -> dict:
    """Macro-F1 over the classes present in ``labels``, per-class F1, accuracy, ECE, confusion."""
    y = np.array([STANCE_LABELS.index(lab) for lab in labels])
    pred = proba.argmax(axis=1)
    present = sorted(set(y.tolist()))
    per_class = f1_score(y, pred, labels=present, average=None, zero_division=0)
    return {
        "n": len(y),
        "macro_f1": float(f1_score(y, pred, labels=present, average="macro", zero_division=0)),
        "per_class_f1": {
            STANCE_LABELS[i]: float(f) for i, f in zip(present, per_class, strict=True)
        },
        "accuracy": float((pred == y).mean()),
        "ece": expected_calibration_error(proba, y),
        "confusion": confusion_matrix(y, pred, labels=range(len(STANCE_LABELS))).tolist(),
    }
