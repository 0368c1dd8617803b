"""Reader for saved web pages (.html/.htm): main text and metadata via trafilatura, offline.

trafilatura is only ever handed the decoded string, never a URL, so nothing is fetched;
lxml's HTML parser does not load external resources either.
"""

from __future__ import annotations

import codecs
import logging
import re
from pathlib import Path
from typing import Any

from verify.ingest.build import build_article
from verify.ingest.decoding import decode, normalize_newlines, read_bytes, require_text
from verify.ingest.errors import IngestError
from verify.ingest.metadata import Meta, merge, meta_from_mapping, sidecar_meta
from verify.types import Article

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
# Browsers read these labels as windows-1252 (WHATWG Encoding Standard); so do we.
_AS_CP1252 = {"iso8859-1", "latin-1", "ascii", "cp1252"}
_LIBRARY_LOGGERS = ("trafilatura", "htmldate", "courlan", "justext", "readability")


def declared_charset(data: bytes) -> str | None:
    """The charset a <meta> tag in the first 4 KiB names, if Python knows it."""
    m = _META_CHARSET.search(data[:4096])
    if m is None:
        return None
    try:
        name = codecs.lookup(m[1].decode("ascii")).name
    except LookupError:
        return None
    if name == "utf-8":
        return None  # already tried first
    return "cp1252" if name in _AS_CP1252 else name


def _extract(html: str) -> tuple[str, Meta]:
    # Imported here: it costs ~150 ms, and a broken install should refuse HTML files only.
    try:
        import trafilatura
        from trafilatura.settings import Document, set_date_params
    except ImportError as err:
        raise IngestError(f"HTML support unavailable ({str(err).splitlines()[0]})") from None
    # Its log lines ("parsed tree length: 0, wrong data type or not valid HTML") would reach
    # stderr between our one-line refusals, saying the same thing less clearly.
    for name in _LIBRARY_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    options: dict[str, Any] = {
        "with_metadata": True,
        # Reader comments are left out: a commenter's claim is not the outlet's.
        "include_comments": False,
        "include_images": False,
        # Dates from markup only (meta tags, <time>, the URL): htmldate's extensive search
        # would take the first date in the prose, usually an event's, not publication's.
        "date_extraction_params": set_date_params(extensive=False),
    }

    def extract(**more: Any) -> Document | None:
        doc = trafilatura.bare_extraction(html, **options, **more)
        return doc if isinstance(doc, Document) else None  # not as_dict: a Document or None

    doc = extract()
    if doc is None or not (doc.text or "").strip():
        doc = extract(favor_recall=True) or doc
    text = (doc.text or "") if doc is not None else ""
    if not text.strip():
        # Too short for the article heuristics (a stub page, a test file): take all the
        # visible text; html2txt drops scripts and styles as well.
        text = trafilatura.html2txt(html)
    meta: Meta = {}
    if doc is not None:
        meta = meta_from_mapping(
            {
                "title": doc.title,
                "outlet": doc.sitename,
                "date": doc.date,
                "url": doc.url,
                "author": doc.author,
            }
        )
    return normalize_newlines(text), meta


def read_html(path: Path, source: str) -> Article:
    data = read_bytes(path)
    html = require_text(decode(data, fallback=declared_charset(data)), len(data))
    text, extracted = _extract(html)
    if not text.strip():
        raise IngestError("no readable text in the HTML")
    # An analyst's sidecar is more trustworthy than scraped <meta> tags.
    return build_article(text, source, merge(extracted, sidecar_meta(path)))
