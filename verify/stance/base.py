"""The one interface every stance model sits behind, what it is handed, and how the engine picks
one."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np

from ..models_dir import models_root
from ..settings import Settings, resolve

if TYPE_CHECKING:  # features imports scikit-learn: not on the engine's import path
    from .features import Encoder


@dataclass(frozen=True)
class StancePairs:
    """What a stance model may read of n pairs: the two texts of each, and, where the caller
    knows the speakers' camps, each pair's relation (``camps.camp_relation``: opposed, same or
    unknown). A model reads what it uses (``StanceModel.uses_camps``) and ignores the rest, so a
    caller hands over all it knows and never asks which model it holds."""

    a: Sequence[str]
    b: Sequence[str]
    camps: Sequence[str] | None = None

    def __post_init__(self) -> None:
        if len(self.a) != len(self.b):
            raise ValueError(f"len(a)={len(self.a)} != len(b)={len(self.b)}")
        if self.camps is not None and len(self.camps) != len(self.a):
            raise ValueError(f"{len(self.camps)} camp relations for {len(self.a)} pairs")

    def __len__(self) -> int:
        return len(self.a)

    def __getitem__(self, part: slice) -> StancePairs:
        """The pairs in ``part`` (a batch), with their camps."""
        camps = None if self.camps is None else self.camps[part]
        return StancePairs(self.a[part], self.b[part], camps)


@runtime_checkable
class StanceModel(Protocol):
    """``predict_pairs(pairs)`` returns shape (n, 4), columns in ``STANCE_LABELS`` order;
    ``predict_proba(a, b)`` is the same for callers that have only the texts.

    Symmetric: (a, b) and (b, a) score the same, since candidate pairs have no natural order.
    ``version`` identifies the weights so the store can tell which scores are stale;
    ``uses_camps`` says whether ``StancePairs.camps`` moves the scores (so they are stored under
    the registry the camps came from too).
    """

    @property
    def version(self) -> str: ...

    @property
    def uses_camps(self) -> bool: ...

    def predict_pairs(self, pairs: StancePairs) -> np.ndarray: ...

    def predict_proba(self, a: Sequence[str], b: Sequence[str]) -> np.ndarray: ...


def default_kind(settings: Settings | None = None) -> str:
    """``cross`` (the shipped cross-encoder) unless ``COUNTERCLAIM_STANCE=sklearn`` or it is absent.

    Chosen by held-out public metrics (macro-F1 0.80 against 0.68 for the linear head; see the
    model cards), never by the seed check."""
    s = resolve(settings)
    if (
        s.stance_kind == "cross"
        and (models_root(s) / "stance-cross" / "model.safetensors").exists()
    ):
        return "cross"
    return "sklearn"


def default_model_path(settings: Settings | None = None) -> Path:
    """The shipped model directory ``load_default_model`` reads (``default_kind``'s)."""
    s = resolve(settings)
    return models_root(s) / ("stance-cross" if default_kind(s) == "cross" else "stance-sklearn")


def load_default_model(encoder: Encoder | None = None, symmetric: bool | None = True,
                       settings: Settings | None = None) -> StanceModel:  # fmt: skip
    """The shipped model under ``models/``; ``encoder`` is the (cached) sentence embedder.

    ``symmetric=True`` (the engine): the protocol promises symmetry, so the cross-encoder averages
    both reading orders. ``None`` (the eval commands, whose public pairs are ordered: headline then
    body): the mode its stance.json chose on dev."""
    s = resolve(settings)
    return load_model_dir(default_model_path(s), encoder, symmetric, s)


def load_model_dir(path: Path, encoder: Encoder | None = None, symmetric: bool | None = True,
                   settings: Settings | None = None) -> StanceModel:  # fmt: skip
    """A trained model directory of any kind: cross-encoder, stacked head, or linear head
    (``symmetric`` as in ``load_default_model``; it concerns only a cross-encoder directory)."""
    if (path / "model.safetensors").exists():
        from .cross_encoder import CrossEncoderStanceModel
        from .relatedness import FILE

        kw = {} if symmetric is None else {"symmetric": symmetric}
        cross = CrossEncoderStanceModel.load(path, settings=settings, **kw)
        if not (path / FILE).exists():
            return cross
        from .gated import load_gated

        return load_gated(path, cross, encoder)
    from .relatedness import FILE, file_info

    if (path / FILE).exists():  # relatedness refitted from analysts' tags over the shipped reader
        from .cross_encoder import CrossEncoderStanceModel
        from .gated import load_gated

        info = file_info(path)
        cross = CrossEncoderStanceModel.load(
            settings=settings, symmetric=bool(info.get("cross_symmetric", False))
        )
        if info.get("cross_version") != cross.version:
            raise ValueError(
                f"{path} was fitted on {info.get('cross_version')}, not {cross.version}"
            )
        return load_gated(path, cross, encoder)
    config = json.loads((path / "model.json").read_text(encoding="utf-8"))
    if "cross_version" in config:
        from .stacked import StackedStanceModel

        return StackedStanceModel.load(path, encoder=encoder, settings=settings)
    from .sklearn_model import SklearnStanceModel

    return SklearnStanceModel.load(path, encoder=encoder)
