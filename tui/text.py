"""Article text shown literally: never parsed as markup, never able to send terminal codes.

Everything that came from an article (claims, speakers, titles, outlets) goes through ``safe``
and is wrapped in ``rich.text.Text`` (or Textual ``Content``), never in a markup string."""

from __future__ import annotations

import re

from rich.text import Text

# Control characters (Unicode category Cc: C0, DEL, C1) and the bidi overrides and isolates, which
# can reorder what follows them on screen: all shown as visible escapes.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_KEEP_NL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_BREAKS = re.compile(r"[\r\n\t]")
_SPACES = re.compile(r" {2,}")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def safe(value: object, keep_newlines: bool = False) -> str:
    """``value`` as text with control characters replaced by visible escapes (ESC -> ``\\x1b``)."""
    text = "" if value is None else str(value)
    return (_UNSAFE_KEEP_NL if keep_newlines else _UNSAFE).sub(_escape, text)


def one_line(value: object, width: int | None = None) -> str:
    """Safe, whitespace collapsed, cut to ``width`` cells with an ellipsis."""
    raw = "" if value is None else str(value)
    # Line breaks and tabs become spaces; every other control character is escaped visibly.
    text = _SPACES.sub(" ", safe(_BREAKS.sub(" ", raw))).strip(" ")
    if width is not None and len(text) > width:
        return text[: max(width - 1, 0)] + "…"
    return text


def literal(value: object, style: str = "", width: int | None = None) -> Text:
    """A one-line ``Text`` that shows ``value`` exactly (``[bold]`` stays ``[bold]``)."""
    return Text(one_line(value, width), style=style, end="", no_wrap=True)
