"""The last step of every reader: an ``Article`` whose strings are all valid Unicode."""

from __future__ import annotations

from verify.ingest.errors import IngestError
from verify.ingest.metadata import FIELDS, Meta
from verify.types import Article


def build_article(text: str, source: str, meta: Meta) -> Article:
    # A JSON "\ud800" escape gives a lone surrogate, which Article.hash cannot encode.
    for name, value in (("text", text), *((k, meta.get(k, "")) for k in FIELDS)):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise IngestError(f"'{name}' has an invalid Unicode escape (lone surrogate)") from None
    return Article(text=text, source=storable_path(source), **{k: meta.get(k, "") for k in FIELDS})


def storable_path(source: str) -> str:
    """A file name as valid Unicode: bytes that were not UTF-8 in the name (which the OS layer
    surrogate-escapes) are written ``\\xNN``; SQLite and JSON cannot hold lone surrogates."""
    return source.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
