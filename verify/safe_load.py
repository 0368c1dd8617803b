"""Analyst-edited TOML and YAML files (the actor registry, the config) read within limits.

A file over ``MAX_BYTES`` is refused before it is parsed. YAML anchors and aliases (``&a``,
``*a``) are refused as the parser meets them: a 500-byte file of nested aliases otherwise
expands to gigabytes ("billion laughs"), and these files never need them. Nesting deeper than
``MAX_DEPTH`` is refused in both formats. Every refusal is a ``FileRefused`` whose message is one
line without the file name (the caller prefixes it); ``schema_problem`` words a schema error so."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from pydantic import ValidationError

MAX_BYTES = 1_000_000
MAX_DEPTH = 32
YAML_SUFFIXES = {".yaml", ".yml"}


class FileRefused(ValueError):
    """The file cannot be read or parsed within the limits; the message says why, in one line."""


def read_limited(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The file's bytes, or ``FileRefused`` if it is unreadable or over ``max_bytes``."""
    try:
        with path.open("rb") as f:
            raw = f.read(max_bytes + 1)  # a FIFO or /dev/zero: never more than the limit
    except OSError as exc:
        raise FileRefused(f"cannot read ({exc.strerror or exc})") from None
    if len(raw) > max_bytes:
        raise FileRefused(f"larger than {max_bytes:,} bytes")
    return raw


class _Loader(yaml.SafeLoader):
    """``yaml.safe_load`` without anchors or aliases, and with a nesting limit."""

    depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            line = event.start_mark.line + 1
            raise FileRefused(f"line {line}: YAML anchors and aliases (& and *) are not allowed")
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                line = event.start_mark.line + 1
                raise FileRefused(f"line {line}: nested deeper than {MAX_DEPTH} levels")
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _depth(value: object, limit: int = MAX_DEPTH) -> int:
    """Nesting depth of parsed TOML, stopping past ``limit`` (no recursion on hostile input)."""
    stack, deepest = [(value, 1)], 0
    while stack:
        item, d = stack.pop()
        deepest = max(deepest, d)
        if deepest > limit:
            break
        children = (
            item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        )
        stack.extend((c, d + 1) for c in children)
    return deepest


def parse(path: Path, raw: bytes) -> object:
    """``raw`` parsed as YAML (by ``path``'s suffix) or TOML; ``FileRefused`` in one line."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FileRefused(f"not UTF-8 (byte {exc.start})") from None
    try:
        if path.suffix.lower() in YAML_SUFFIXES:
            return yaml.load(text, Loader=_Loader)  # a SafeLoader subclass: as safe
        data = tomllib.loads(text)
    except FileRefused:
        raise
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise FileRefused(f"does not parse ({where}{problem})".splitlines()[0]) from None
    except tomllib.TOMLDecodeError as exc:
        raise FileRefused(f"does not parse ({exc})".splitlines()[0]) from None
    except RecursionError:
        raise FileRefused(f"nested deeper than {MAX_DEPTH} levels") from None
    if _depth(data) > MAX_DEPTH:
        raise FileRefused(f"nested deeper than {MAX_DEPTH} levels")
    return data


def load(path: Path, max_bytes: int = MAX_BYTES) -> object:
    """``path`` read within the limits and parsed; ``FileRefused`` says why not."""
    return parse(path, read_limited(path, max_bytes))


def schema_problem(err: ValidationError) -> str:
    """pydantic's first error as one line, 'key: problem' (the config and the registry)."""
    first = err.errors(include_url=False)[0]
    key = ".".join(str(p) for p in first["loc"])
    kind, msg = first["type"], first["msg"].replace("Input should be", "must be")
    if kind == "missing":
        msg = "missing"
    elif kind == "extra_forbidden":
        msg = "unknown key"
    elif kind.endswith("_type"):
        msg = f"{msg}, not {type(first.get('input')).__name__}"
    return f"{key}: {msg}" if key else msg
