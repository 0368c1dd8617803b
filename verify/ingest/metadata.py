"""Article metadata from YAML (front matter, sidecars) and from JSONL/CSV fields.

Bad YAML refuses the whole file rather than ingesting the text without its metadata:
metadata is part of ``Article.hash``, so a silently metadata-less article would later come
back as a *second* article once the YAML is fixed, and its outlet/date would be missing
from every contradiction it takes part in. The analyst fixes the YAML and reruns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

import yaml

from verify.ingest.dates import impossible_date, normalize_date
from verify.ingest.decoding import decode, read_bytes
from verify.ingest.errors import IngestError
from verify.printable import shorten

FIELDS = ("title", "outlet", "date", "url", "author")
SIDECAR_SUFFIX = ".meta.yaml"

Meta = dict[str, str]

_SCALARS = (str, int, float, bool, dt.date)


def _as_text(key: str, value: object) -> str:
    if value is None:
        return ""
    if key == "date" and isinstance(value, str) and impossible_date(value):
        # Kept as written it would sort and filter as a real date: name the field and value.
        raise IngestError(f"date: {shorten(value.strip(), 40)} is not a date")
    if key == "date" and isinstance(value, dt.date | str):
        return normalize_date(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, _SCALARS):
        return str(value).strip()
    if isinstance(value, list | tuple) and all(isinstance(v, _SCALARS) for v in value):
        return ", ".join(str(v).strip() for v in value)  # several authors
    # Nested mappings are refused rather than str()-ed: a YAML alias bomb would explode here.
    raise IngestError(f"'{key}' must be text, not {type(value).__name__}")


def meta_from_mapping(raw: Mapping[object, object]) -> Meta:
    """The known fields of ``raw`` as stripped strings; keys match case-insensitively.

    NUL characters are removed from values: they are never content, and they would cut a
    string short in C-based tools downstream. Unknown keys are ignored.
    """
    keyed = {str(k).strip().lower(): v for k, v in raw.items()}
    meta: Meta = {}
    for key in FIELDS:
        text = _as_text(key, keyed.get(key)).replace("\x00", "")
        if text:
            meta[key] = text
    return meta


class _Loader(yaml.SafeLoader):
    """safe_load, except that a timestamp with no such day stays text (safe_load raises a
    bare ValueError, "month must be in 1..12", that names neither the field nor the value)."""

    def construct_yaml_timestamp(self, node):  # PyYAML's signature
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def parse_yaml_meta(text: str, what: str, first_line: int = 1) -> Meta:
    """Metadata from a YAML mapping; ``what`` and ``first_line`` locate errors for a person."""
    try:
        raw = yaml.load(text, Loader=_Loader)  # a SafeLoader subclass: as safe
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"line {mark.line + first_line}: " if mark is not None else ""
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise IngestError(f"{what} is not valid YAML ({where}{problem})") from None
    except RecursionError:
        raise IngestError(f"{what} is not valid YAML (nested too deeply)") from None
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise IngestError(f"{what} is not a 'key: value' mapping")
    return meta_from_mapping(raw)


def split_front_matter(text: str) -> tuple[str | None, str]:
    """``(yaml, body)`` for text that opens with a ``---`` line and has a closing ``---``/``...``.

    Without a closing line the opening ``---`` is a Markdown rule, and all of it is body.
    Blank lines between the front matter and the body are separators, not content.
    """
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return None, text
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1 :]).lstrip("\n")
    return None, text


def sidecar_for(path: Path) -> Path | None:
    """``a.txt.meta.yaml`` beside ``a.txt``, else ``a.meta.yaml``."""
    for name in (path.name + SIDECAR_SUFFIX, path.stem + SIDECAR_SUFFIX):
        candidate = path.with_name(name)
        if candidate.is_file():
            return candidate
    return None


def sidecar_meta(path: Path) -> Meta:
    sidecar = sidecar_for(path)
    if sidecar is None:
        return {}
    what = f"sidecar {sidecar.name}"
    try:
        return parse_yaml_meta(decode(read_bytes(sidecar)), what)
    except IngestError as err:
        if err.reason.startswith(what):
            raise
        raise IngestError(f"{what}: {err.reason}") from None  # a field's error: which file


def merge(*metas: Meta) -> Meta:
    """Later mappings win, field by field."""
    out: Meta = {}
    for meta in metas:
        out.update(meta)
    return out
