"""Where shipped models live (``$COUNTERCLAIM_MODELS``, else the repo's ``models/`` folder) and
where derived files are cached (embedded datasets, cross-encoder scores, ONNX graphs)."""

from __future__ import annotations

import os
from pathlib import Path


def models_root() -> Path:
    return Path(
        os.environ.get("COUNTERCLAIM_MODELS") or Path(__file__).resolve().parents[1] / "models"
    )


def model_dir(name: str) -> Path:
    return models_root() / name


def cache_root() -> Path:
    """``$COUNTERCLAIM_CACHE``, else ``$XDG_CACHE_HOME/counterclaim``, else ``~/.cache/counterclaim``."""
    root = os.environ.get("COUNTERCLAIM_CACHE")
    if root:
        return Path(root)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "counterclaim"
