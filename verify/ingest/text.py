"""Readers for plain text (.txt) and Markdown (.md): the text is kept exactly as written.

No markup is stripped and no control character removed: "[bold]" or "\\x1b[31m" in an
article is part of what it says, and escaping it for display is the display's job.
"""

from __future__ import annotations

from pathlib import Path

from verify.ingest.build import build_article
from verify.ingest.decoding import read_text
from verify.ingest.errors import IngestError
from verify.ingest.metadata import merge, parse_yaml_meta, sidecar_meta, split_front_matter
from verify.types import Article


def read_txt(path: Path, source: str) -> Article:
    text = read_text(path)
    return build_article(text, source, sidecar_meta(path))


def read_md(path: Path, source: str) -> Article:
    text = read_text(path)
    front, body = split_front_matter(text)
    meta = sidecar_meta(path)
    if front is not None:
        # Front matter starts on line 2 of the file; it wins over a sidecar, field by field.
        meta = merge(meta, parse_yaml_meta(front, "front matter", first_line=2))
    if not body.strip():
        raise IngestError("no text after the front matter")
    return build_article(body, source, meta)
