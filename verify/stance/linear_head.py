"""The linear head both the sklearn and the stacked stance models end in: standardise the feature
columns, then a multinomial logistic regression; kept as four float32 arrays.

Saved as plain numpy arrays (``weights.npz``, read with ``allow_pickle=False``): no pickle, no
joblib, nothing executable in a model directory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression

from verify.atomic import atomic_open

WEIGHTS_FILE = "weights.npz"
ARRAYS = ("mean_", "scale_", "coef_", "intercept_")


class LinearHead:
    """``logits(F) = ((F - mean_) / scale_) @ coef_.T + intercept_``, one row of ``coef_`` per class."""

    def __init__(
        self, mean_: np.ndarray, scale_: np.ndarray, coef_: np.ndarray, intercept_: np.ndarray
    ) -> None:
        self.mean_, self.scale_, self.coef_, self.intercept_ = mean_, scale_, coef_, intercept_

    @classmethod
    def fit(
        cls,
        F: np.ndarray,
        y: np.ndarray,
        C: float,
        max_iter: int = 2000,
        sample_weight: np.ndarray | None = None,
    ) -> tuple[LinearHead, np.ndarray]:
        """Fit on class indices ``y``; returns the head and the class indices it has rows for.

        One class present: a zero head (all mass on that class). Two: sklearn's single logit row
        becomes two softmax rows."""
        mean, scale = F.mean(axis=0), F.std(axis=0)
        scale[scale < 1e-6] = 1.0  # constant columns stay zero, not NaN
        present = np.unique(y)
        if len(present) == 1:
            zero = cls(mean, scale, np.zeros((1, F.shape[1]), np.float32), np.zeros(1, np.float32))
            return zero, present
        lr = LogisticRegression(C=C, max_iter=max_iter, tol=1e-4)
        lr.fit((F - mean) / scale, y, sample_weight=sample_weight)
        coef, intercept = lr.coef_, lr.intercept_
        if coef.shape[0] == 1:
            coef = np.vstack([np.zeros_like(coef), coef])
            intercept = np.concatenate([[0.0], intercept])
        return cls(mean, scale, coef.astype(np.float32), intercept.astype(np.float32)), present

    def scale(self, F: np.ndarray) -> np.ndarray:
        return (F - self.mean_) / self.scale_

    def logits(self, F: np.ndarray) -> np.ndarray:
        return self.scale(F) @ self.coef_.T + self.intercept_

    def fingerprint(self) -> bytes:
        """The four arrays as contiguous float32 bytes: what a model version hashes."""
        return b"".join(
            np.ascontiguousarray(getattr(self, n), dtype=np.float32).tobytes() for n in ARRAYS
        )

    def save(self, directory: Path) -> None:
        arrays: dict[str, Any] = {n: np.asarray(getattr(self, n), np.float32) for n in ARRAYS}
        with atomic_open(directory / WEIGHTS_FILE, "wb") as f:
            np.savez(f, **arrays)

    @classmethod
    def load(cls, directory: Path) -> LinearHead:
        with np.load(
            directory / WEIGHTS_FILE, allow_pickle=False
        ) as w:  # arrays only, never objects
            return cls(*(w[name].astype(np.float32) for name in ARRAYS))
