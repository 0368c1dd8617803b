"""Where shipped models live (``Settings.models_dir``: ``$COUNTERCLAIM_MODELS``, else the repo's
``models/`` folder) and where derived files are cached (``Settings.cache_dir``: embedded datasets,
cross-encoder scores, ONNX graphs)."""

from __future__ import annotations

from pathlib import Path

from verify.settings import Settings, resolve


def models_root(settings: Settings | None = None) -> Path:
    return resolve(settings).models_dir


def model_dir(name: str, settings: Settings | None = None) -> Path:
    return models_root(settings) / name


def cache_root(settings: Settings | None = None) -> Path:
    """``$COUNTERCLAIM_CACHE``, else ``$XDG_CACHE_HOME/counterclaim``, else ``~/.cache/counterclaim``."""
    return resolve(settings).cache_dir
