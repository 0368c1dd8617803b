"""The analyst config, ``~/.config/counterclaim/config.toml`` (or $XDG_CONFIG_HOME):

    analyst = "alice"
    reviewers = ["rita", "sam"]   # who may settle conflicts (or: role = "reviewer")
    advance = "untagged"          # after a tag the board moves to: "next", "untagged" or "stay"

A broken file is logged (a warning: the CLI shows it on stderr, the board as a notification) and
ignored, never fatal."""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path
from typing import Any

from .settings import Settings, resolve

logger = logging.getLogger(__name__)
ADVANCE_CHOICES = ("untagged", "next", "stay")


def config_path(settings: Settings | None = None) -> Path:
    return resolve(settings).config_file


def load_config(path: Path | None = None, settings: Settings | None = None) -> dict[str, Any]:
    path = path or config_path(settings)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        logger.warning("%s: ignored (%s)", path, exc)
        return {}


def reviewers(config: dict[str, Any]) -> tuple[str, ...]:
    value = config.get("reviewers", [])
    if isinstance(value, str):
        value = [value]
    names = [str(v) for v in value if str(v).strip()] if isinstance(value, list) else []
    if config.get("role") == "reviewer" and config.get("analyst"):
        names.append(str(config["analyst"]))
    return tuple(names)


def advance(config: dict[str, Any]) -> str:
    value = str(config.get("advance", ADVANCE_CHOICES[0]))
    return value if value in ADVANCE_CHOICES else ADVANCE_CHOICES[0]
