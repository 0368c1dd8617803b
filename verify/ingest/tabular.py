"""Readers for many articles per file: JSON Lines (.jsonl) and CSV (.csv).

A bad row is refused on its own and the rest of the file still comes through. Rows are
named "FILE:LINE", LINE being the 1-based line the record starts on (for CSV that is the
spreadsheet row number, unless an earlier field spans lines).

Text is kept as written, except that NUL characters (a JSON "\\u0000" escape) are removed:
a literal NUL byte makes the whole *file* binary, and an escaped one is no more content.
Other control characters are kept, as in .txt files.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from pathlib import Path

from verify.ingest.build import build_article
from verify.ingest.decoding import MAX_BYTES, normalize_newlines, read_text
from verify.ingest.errors import IngestError
from verify.ingest.metadata import FIELDS, meta_from_mapping
from verify.types import Article, Refusal

Row = Iterator[Article | Refusal]
_DELIMITERS = (",", ";", "\t")  # ";" is what spreadsheets write in comma-decimal locales
_JSON_KINDS = {
    dict: "an object",
    list: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "a boolean",
}


def _row_article(row: Mapping[str, object], source: str) -> Article:
    text = row.get("text")
    if text is None:
        raise IngestError("no 'text' field")
    if not isinstance(text, str):
        raise IngestError(f"'text' is {_JSON_KINDS.get(type(text), type(text).__name__)}")
    text = normalize_newlines(text.replace("\x00", ""))
    if not text.strip():
        raise IngestError("empty 'text'")
    meta = meta_from_mapping({k: v for k, v in row.items() if k in FIELDS})
    return build_article(text, source, meta)


def _lower_keys(row: Mapping[object, object]) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in row.items():
        out.setdefault(str(key).strip().lower(), value)  # first spelling wins on a clash
    return out


def read_jsonl(path: Path, source: str) -> Row:
    text = read_text(path)
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue  # blank lines separate nothing in JSONL; a trailing one is common
        where = f"{source}:{lineno}"
        try:
            # strict=False: a raw tab inside a string is a writer's slip, not a bad row.
            obj = json.loads(line, strict=False)
        except json.JSONDecodeError as err:
            yield Refusal(where, f"not valid JSON ({err.msg} at column {err.colno})")
            continue
        except RecursionError:
            yield Refusal(where, "not valid JSON (nested too deeply)")
            continue
        except ValueError:  # an integer of over 4,300 digits: Python's int-parsing guard
            yield Refusal(where, "not valid JSON (a number too long to read)")
            continue
        try:
            if not isinstance(obj, dict):
                kind = "null" if obj is None else _JSON_KINDS.get(type(obj), type(obj).__name__)
                raise IngestError(f"line is {kind}, not a JSON object")
            yield _row_article(_lower_keys(obj), where)
        except IngestError as err:
            yield Refusal(where, err.reason)


def _header(text: str) -> tuple[str, list[str]]:
    """The delimiter whose first record has a 'text' column, and that record's columns."""
    first: list[str] = []
    for delimiter in _DELIMITERS:
        header = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
        columns = [c.strip().lower() for c in header]
        if "text" in columns:
            return delimiter, columns
        first = first or header
    shown = ", ".join(first)
    shown = shown if len(shown) <= 80 else shown[:77] + "..."
    raise IngestError(f"no 'text' column in the header ({shown})")


def read_csv(path: Path, source: str) -> Row:
    text = read_text(path)
    # An article can be longer than csv's default 128 KiB field limit. Process-wide, but
    # raising a limit cannot break another reader.
    csv.field_size_limit(max(csv.field_size_limit(), MAX_BYTES))
    delimiter, columns = _header(text)
    # strict: an unclosed quote would otherwise swallow every later row into one "article".
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    next(reader)
    start = reader.line_num + 1
    rows = 0
    while True:
        where = f"{source}:{start}"
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            # Where the bad record ends is unknowable (a quote may be what broke), so later
            # rows could be fragments of it: stop, and say so.
            yield Refusal(where, f"malformed CSV ({err}); rest of file skipped")
            return
        start = reader.line_num + 1
        if not cells:
            continue  # a blank line, not a row
        rows += 1
        row: dict[str, object] = {}
        for i, column in enumerate(columns):  # a short row reads as empty cells
            row.setdefault(column, cells[i] if i < len(cells) else "")
        try:
            yield _row_article(row, where)
        except IngestError as err:
            yield Refusal(where, err.reason)
    if rows == 0:
        yield Refusal(source, "no rows after the header")
