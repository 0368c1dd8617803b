"""The actor registry file's schema: what ``Registry.load`` accepts, checked before use.

Read through ``safe_load`` (size, depth, no YAML aliases), then validated by pydantic in strict
mode, so a wrong type is an error rather than coerced: ``aliases = "Biden"`` is not the aliases
B, i, d, e, n, and ``side = ["West", "US"]`` is not the side "['West', 'US']". An alias (or name)
that two actors claim is an error naming both, not a silent first-wins. Every problem is one
line: the file, the actor and key, the reason."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from verify import safe_load
from verify.registry.kinds import KINDS, alias_key

Text = Annotated[str, StringConstraints(strict=True)]
Name = Annotated[str, StringConstraints(strict=True, strip_whitespace=True, min_length=1)]


class ActorEntry(BaseModel):
    """One ``[[actor]]`` table (TOML) or ``actors:`` item (YAML); unknown keys are typos."""

    model_config = ConfigDict(extra="forbid", strict=True)

    name: Name
    side: Text = ""
    organisation: Text = ""
    organization: Text = ""  # the US spelling, as written
    aliases: list[Text] = Field(default_factory=list)
    kind: Text = ""


class RegistryFileError(ValueError):
    """The file cannot be used; the message is one line without the file name."""


def _problem(err: ValidationError, index: int, entry: object) -> str:
    """The first error as 'actor #N (name): key: problem'."""
    name = entry.get("name") if isinstance(entry, dict) else None
    where = f"actor #{index + 1}" + (f" ({name})" if isinstance(name, str) and name else "")
    if err.errors(include_url=False)[0]["type"] == "model_type":
        return f"{where}: must be a table, not {type(entry).__name__}"
    return f"{where}: {safe_load.schema_problem(err)}"


def entries_of(data: object) -> list[object]:
    """The actor list of a parsed file: ``actor``/``actors`` of a table, or the file's list."""
    if data is None:
        return []
    if isinstance(data, dict):
        unknown = sorted(str(k) for k in data if k not in ("actor", "actors"))
        if unknown:
            raise RegistryFileError(f"{unknown[0]}: unknown key (expected actor or actors)")
        data = data.get("actor", data.get("actors", []))
        if not isinstance(data, list):
            raise RegistryFileError(f"actor: must be a list of tables, not {type(data).__name__}")
    if not isinstance(data, list):
        raise RegistryFileError(f"must hold a list of actors, not {type(data).__name__}")
    return data


def check_unique(actors: list[ActorEntry]) -> None:
    """Each name and alias belongs to one actor (as ``Registry`` matches them)."""
    owner: dict[str, int] = {}
    for i, actor in enumerate(actors):
        for alias in dict.fromkeys(alias_key(a) for a in (actor.name, *actor.aliases)):
            if not alias:
                continue
            j = owner.setdefault(alias, i)
            if j != i:
                raise RegistryFileError(
                    f"alias {alias!r} belongs to both actor #{j + 1} ({actors[j].name}) and "
                    f"actor #{i + 1} ({actor.name})"
                )


def read(path: Path) -> list[ActorEntry]:
    """The file's actors, validated; ``RegistryFileError`` or ``safe_load.FileRefused``."""
    entries = entries_of(safe_load.load(path))
    actors = []
    for i, entry in enumerate(entries):
        try:
            actors.append(ActorEntry.model_validate(entry))
        except ValidationError as err:
            raise RegistryFileError(_problem(err, i, entry)) from None
    for i, actor in enumerate(actors):
        if actor.kind and actor.kind.strip().lower() not in KINDS:
            raise RegistryFileError(
                f"actor #{i + 1} ({actor.name}): kind {actor.kind!r} is not one of person, "
                "organisation, place"
            )
    check_unique(actors)
    return actors
