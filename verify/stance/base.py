"""The one interface every stance model sits behind (a cross-encoder comes under it later)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class StanceModel(Protocol):
    """``predict_proba(a, b)`` returns shape (n, 4), columns in ``STANCE_LABELS`` order.

    ``a[i]`` is the claim, ``b[i]`` the claim it is compared with. ``version`` identifies the
    weights so the store can tell which scores are stale.
    """

    version: str

    def predict_proba(self, a: Sequence[str], b: Sequence[str]) -> np.ndarray: ...


def load_default_model(encoder=None) -> StanceModel:  # noqa: ANN001
    """The shipped model under ``models/``; ``encoder`` is the (cached) sentence embedder."""
    from .sklearn_model import SklearnStanceModel, default_model_dir

    return SklearnStanceModel.load(default_model_dir(), encoder=encoder)
