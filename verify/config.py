"""The analyst config, ``~/.config/counterclaim/config.toml`` (or $XDG_CONFIG_HOME):

    analyst = "alice"
    reviewers = ["rita", "sam"]   # who may settle conflicts (or: role = "reviewer")
    advance = "untagged"          # after a tag the board moves to: "next", "untagged" or "stay"

Read within ``safe_load``'s limits and checked against ``ConfigFile`` (strict types, no unknown
keys). For the board a broken file is logged (a warning, shown as a notification) and ignored;
the command line asks ``strict=True`` and stops with one line naming the file, the key and the
problem (``ConfigError``), as it does for a bad registry."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from verify import safe_load
from verify.settings import Settings, resolve

logger = logging.getLogger(__name__)
ADVANCE_CHOICES = ("untagged", "next", "stay")
Text = Annotated[str, StringConstraints(strict=True)]


class ConfigFile(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    analyst: Text = ""
    reviewers: list[Text] | Text = []
    role: Text = ""
    advance: Literal["untagged", "next", "stay"] = "untagged"


class ConfigError(ValueError):
    """The config file cannot be used; one line naming the file, the key and the problem."""


def config_path(settings: Settings | None = None) -> Path:
    return resolve(settings).config_file


def load_config(
    path: Path | None = None, settings: Settings | None = None, strict: bool = False
) -> dict[str, Any]:
    """The config's keys as written (an absent file: ``{}``). A broken one: ``ConfigError`` when
    ``strict``, else a warning and ``{}``."""
    path = path or config_path(settings)
    try:
        data = safe_load.load(path)
        if not isinstance(data, dict):  # pragma: no cover - TOML is always a table
            raise ConfigError("not a table")
        ConfigFile.model_validate(data)
        return data
    except safe_load.FileRefused as exc:
        if not path.exists():
            return {}
        reason = str(exc)
    except ValidationError as exc:
        reason = safe_load.schema_problem(exc)
    if strict:
        raise ConfigError(f"{path}: {reason}")
    logger.warning("%s: ignored (%s)", path, reason)
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
