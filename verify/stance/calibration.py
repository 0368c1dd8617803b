"""Turning logits into calibrated probabilities: softmax, temperature fitting, calibration error.

One place for what the cross-encoder, the linear head and the stacked head share. Two temperature
fits: a grid in log space (the cross-encoder's dev logits) and a bounded 1-D minimisation (the
linear heads); both minimise the dev-set negative log-likelihood.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize_scalar


def softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax, computed in ``z``'s dtype, returned as float64."""
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return (e / e.sum(axis=1, keepdims=True)).astype(np.float64)


def fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """The temperature minimising dev-set NLL (grid search in log space: robust and tiny)."""
    best_t, best = 1.0, np.inf
    for t in np.exp(np.linspace(np.log(0.25), np.log(8.0), 241)):
        p = softmax(logits / t)
        nll = -np.log(np.clip(p[np.arange(len(y)), y], 1e-12, None)).mean()
        if nll < best:
            best_t, best = float(t), nll
    return best_t


def fit_temperature_bounded(logits: np.ndarray, y: np.ndarray) -> float:
    """The temperature minimising NLL, log T searched in [-3, 3] (bounded Brent)."""
    rows = np.arange(len(y))

    def nll(log_t: float) -> float:
        p = softmax(logits / np.exp(log_t))
        return float(-np.mean(np.log(p[rows, y] + 1e-12)))

    return float(np.exp(minimize_scalar(nll, bounds=(-3, 3), method="bounded").x))


def expected_calibration_error(proba: np.ndarray, y: np.ndarray, bins: int = 15) -> float:
    """Top-label ECE: |accuracy - confidence| averaged over equal-width confidence bins."""
    conf, pred = proba.max(axis=1), proba.argmax(axis=1)
    edges = np.linspace(0, 1, bins + 1)
    ece = 0.0
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        m = (conf > lo) & (conf <= hi)
        if m.any():
            ece += m.mean() * abs((pred[m] == y[m]).mean() - conf[m].mean())
    return float(ece)
