"""Stance model versions read from a model directory's files alone: no torch, no ONNX, no spaCy.

A warm run (nothing new) only needs to know *which* model would score, to see that every stored
suggestion is current. Each model kind's ``version`` property and ``model_version(path)`` below
share the rule functions here (``cross_rule_version``, ``stacked_version_of``,
``sklearn_version_of``), so the two can never disagree; tests check that they do not.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from verify.labels import STANCE_LABELS
from verify.settings import Settings, resolve

CROSS_WEIGHTS = "model.safetensors"
CROSS_CONFIG = "stance.json"
HEAD_CONFIG = "model.json"
HEAD_WEIGHTS = "weights.npz"
HEAD_ARRAYS = ("mean_", "scale_", "coef_", "intercept_")  # both heads save these four arrays


def weights_hash(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()[:12]


# -- cross-encoder ---------------------------------------------------------------------------
def cross_decision(
    cfg: dict,
    symmetric: bool | None = None,
    temperature: float | None = None,
    bias: Sequence[float] | None = None,
) -> dict:
    """The decision layer a cross-encoder directory is read with: given values win, else the
    mode's fitted temperature and biases from ``stance.json`` (one per scoring mode)."""
    sym = bool(cfg.get("symmetric", True)) if symmetric is None else bool(symmetric)
    mode = "symmetric" if sym else "one-way"
    if temperature is None:
        temperature = cfg.get("temperatures", {}).get(mode, cfg.get("temperature", 1.0))
    if bias is None:
        bias = cfg.get("biases", {}).get(mode)
    biases = np.zeros(len(STANCE_LABELS)) if bias is None else np.asarray(bias, float)
    return {"symmetric": sym, "temperature": float(temperature), "bias": biases}


def cross_rule_version(
    weights_version: str, symmetric: bool, temperature: float, bias: Sequence[float] | np.ndarray
) -> str:
    """Weights hash + decision layer (mode, temperature, biases): scores change with either."""
    rule = json.dumps(
        [bool(symmetric), round(float(temperature), 6), [round(float(x), 4) for x in bias]]
    )
    return f"{weights_version}.{hashlib.sha256(rule.encode()).hexdigest()[:6]}"


def cross_version(path: Path, symmetric: bool | None = True) -> str:
    cfg = json.loads((path / CROSS_CONFIG).read_text(encoding="utf-8"))
    rule = cross_decision(cfg, symmetric)
    return cross_rule_version("cross-" + weights_hash(path / CROSS_WEIGHTS), **rule)


# -- heads over arrays ----------------------------------------------------------------------------
def _arrays_hash(h: hashlib._Hash, arrays: dict[str, np.ndarray]) -> None:
    for name in HEAD_ARRAYS:
        h.update(np.ascontiguousarray(arrays[name], np.float32).tobytes())


def stacked_version_of(
    cross_version_: str, arrays: dict[str, np.ndarray], temperature: float
) -> str:
    h = hashlib.sha256(cross_version_.encode())
    _arrays_hash(h, arrays)
    h.update(f"{temperature:.8g}".encode())
    return "stacked-" + h.hexdigest()[:12]


def sklearn_version_of(
    arrays: dict[str, np.ndarray], classes: Sequence[str], temperature: float
) -> str:
    h = hashlib.sha256()
    _arrays_hash(h, arrays)
    h.update(json.dumps([str(c) for c in classes]).encode())
    h.update(f"{temperature:.8g}".encode())
    return "sklearn-" + h.hexdigest()[:12]


def _head_arrays(path: Path) -> dict[str, np.ndarray]:
    with np.load(path / HEAD_WEIGHTS, allow_pickle=False) as w:
        return {name: w[name] for name in HEAD_ARRAYS}


# -- any directory ---------------------------------------------------------------------------------
def model_version(
    path: Path, symmetric: bool | None = True, settings: Settings | None = None
) -> tuple[str, bool]:
    """(version, reads camps) of the model ``stance.loading.load_model_dir(path)`` would load.

    Raises ValueError where loading would (a stacked head fitted on another cross-encoder)."""
    from verify.stance.relatedness import FILE, Relatedness, file_info, reader_version

    screening, int8 = resolve(settings).screen, resolve(settings).quantized
    if (path / CROSS_WEIGHTS).exists():
        version = cross_version(path, symmetric)
        if not (path / FILE).exists():
            return version, False
        return reader_version(version, Relatedness.load(path), screening, int8), False  # gated
    if (path / FILE).exists():  # relatedness refitted from tags over the shipped cross-encoder
        from verify.models_dir import model_dir

        info = file_info(path)
        cross = cross_version(
            model_dir("stance-cross", settings), bool(info.get("cross_symmetric"))
        )
        if info.get("cross_version") != cross:
            raise ValueError(f"{path} was fitted on {info.get('cross_version')}, not {cross}")
        return reader_version(cross, Relatedness.load(path), screening, int8), False
    cfg = json.loads((path / HEAD_CONFIG).read_text(encoding="utf-8"))
    if tuple(cfg["labels"]) != STANCE_LABELS:
        raise ValueError(f"{path}: label order {cfg['labels']} != {STANCE_LABELS}")
    if "cross_version" in cfg:
        from verify.models_dir import model_dir

        cross_dir = model_dir("stance-cross", settings)
        cross = cross_version(cross_dir, bool(cfg.get("cross_symmetric", True)))
        if cfg["cross_version"] != cross:
            raise ValueError(f"{path} was fitted on {cfg['cross_version']}, not {cross}")
        version = stacked_version_of(cross, _head_arrays(path), float(cfg["temperature"]))
        return version, bool(cfg.get("camps", False))
    arrays = _head_arrays(path)
    return sklearn_version_of(arrays, cfg["classes"], float(cfg["temperature"])), False
