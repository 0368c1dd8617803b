"""The last step of every reader: an ``Article`` whose strings are all valid Unicode."""

from __future__ import annotations

from verify.types import Article

from .errors import IngestError
from .metadata import FIELDS, Meta


def build_article(text: str, source: str, meta: Meta) -> Article:
    # A JSON "\ud800" escape gives a lone surrogate, which Article.hash cannot encode.
    for name, value in (("text", text), *((k, meta.get(k, "")) for k in FIELDS)):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise IngestError(f"'{name}' has an invalid Unicode escape (lone surrogate)") from None
    return Article(text=text, source=source, **{k: meta.get(k, "") for k in FIELDS})
