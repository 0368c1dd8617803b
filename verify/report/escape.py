"""Escaping for everything that came from an article (text, names, titles, urls, notes).

One place decides what is safe, so every format gets the same guarantees: article text is shown
as text, never as markup, and only plain http(s) urls ever become links."""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import quote

# Characters XML 1.0 forbids (an SVG file holding one does not parse) and C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Strict on purpose: no whitespace or controls anywhere (browsers drop tabs and newlines inside
# a url, so "java\tscript:" would otherwise slip past a scheme check).
_HTTP_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f]+", re.IGNORECASE)


def clean(text: Any) -> str:
    """Plain text without control characters (None -> '')."""
    return _CONTROL.sub("", "" if text is None else str(text))


def h(text: Any) -> str:
    """Text for HTML or SVG element content and quoted attribute values."""
    return html.escape(clean(text), quote=True)


def safe_url(url: Any) -> str | None:
    """The url if it is a plain http(s) url, else None (it is then shown as text only)."""
    candidate = clean(url)
    return candidate if _HTTP_URL.fullmatch(candidate) else None


def link(url: Any, label: Any = None) -> str:
    """An HTML link for an http(s) url; any other url (javascript:, data:, file:) as plain text."""
    target = safe_url(url)
    text = h(label if label else url)
    if target is None:
        return text
    return f'<a href="{h(target)}" rel="noopener noreferrer nofollow">{text}</a>'


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|!#~])")


def md(text: Any) -> str:
    """Article text inside Markdown (table cells, headings, link text): never markup.

    Backslash-escaping the punctuation that starts emphasis, links, images, autolinks, raw HTML
    or a table cell keeps `[x](javascript:...)` and `<script>` literal; & is written as an entity
    so `&lt;script&gt;` stays literal too."""
    one_line = " ".join(clean(text).split())
    return _MD_SPECIAL.sub(r"\\\1", one_line.replace("&", "&amp;"))


def md_url(url: str) -> str:
    """A link destination Markdown cannot misparse: spaces, brackets and parentheses encoded."""
    return quote(url, safe=":/?#@!$&'*+,;=%~.-_")


def csv_cell(value: Any) -> Any:
    """Spreadsheets execute cells starting with = + - @ (or tab/CR before them): neutralise."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
