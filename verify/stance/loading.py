"""How the engine picks and loads a stance model: the shipped default, or a trained model folder
of any kind. Above the model classes (it knows them all); ``base`` stays the interface they share."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from verify.models_dir import models_root
from verify.settings import Settings, resolve
from verify.stance.base import StanceModel

if TYPE_CHECKING:  # features imports scikit-learn: not on the engine's import path
    from verify.stance.features import Encoder


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


def load_default_model(
    encoder: Encoder | None = None, symmetric: bool | None = True, settings: Settings | None = None
) -> StanceModel:
    """The shipped model under ``models/``; ``encoder`` is the (cached) sentence embedder.

    ``symmetric=True`` (the engine): the protocol promises symmetry, so the cross-encoder averages
    both reading orders. ``None`` (the eval commands, whose public pairs are ordered: headline then
    body): the mode its stance.json chose on dev."""
    s = resolve(settings)
    return load_model_dir(default_model_path(s), encoder, symmetric, s)


def load_model_dir(
    path: Path,
    encoder: Encoder | None = None,
    symmetric: bool | None = True,
    settings: Settings | None = None,
) -> StanceModel:
    """A trained model directory of any kind: cross-encoder, stacked head, or linear head
    (``symmetric`` as in ``load_default_model``; it concerns only a cross-encoder directory)."""
    if (path / "model.safetensors").exists():
        from verify.stance.cross_encoder import CrossEncoderStanceModel
        from verify.stance.relatedness import FILE

        kw = {} if symmetric is None else {"symmetric": symmetric}
        if not (path / FILE).exists():
            return CrossEncoderStanceModel.load(path, settings=settings, **kw)
        from verify.stance.gated import load_gated

        # The gated reader is the engine's: on the int8 graph when asked (``Settings.quantized``).
        cross = CrossEncoderStanceModel.load(
            path, settings=settings, int8=resolve(settings).quantized, **kw
        )
        return load_gated(path, cross, encoder, resolve(settings).screen)
    from verify.stance.relatedness import FILE, file_info

    if (path / FILE).exists():  # relatedness refitted from analysts' tags over the shipped reader
        from verify.stance.cross_encoder import CrossEncoderStanceModel
        from verify.stance.gated import load_gated

        info = file_info(path)
        cross = CrossEncoderStanceModel.load(
            settings=settings,
            symmetric=bool(info.get("cross_symmetric", False)),
            int8=resolve(settings).quantized,
        )
        if info.get("cross_version") != cross.version:
            raise ValueError(
                f"{path} was fitted on {info.get('cross_version')}, not {cross.version}"
            )
        return load_gated(path, cross, encoder, resolve(settings).screen)
    config = json.loads((path / "model.json").read_text(encoding="utf-8"))
    if "cross_version" in config:
        from verify.stance.stacked import StackedStanceModel

        return StackedStanceModel.load(path, encoder=encoder, settings=settings)
    from verify.stance.sklearn_model import SklearnStanceModel

    return SklearnStanceModel.load(path, encoder=encoder)
