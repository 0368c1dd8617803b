"""Where shipped models live: ``$COUNTERCLAIM_MODELS``, else the repo's ``models/`` folder."""

from __future__ import annotations

import os
from pathlib import Path


def models_root() -> Path:
    return Path(
        os.environ.get("COUNTERCLAIM_MODELS") or Path(__file__).resolve().parents[1] / "models"
    )


def model_dir(name: str) -> Path:
    return models_root() / name
