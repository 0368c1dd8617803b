"""One line of terminal text from untrusted strings (file names, article text, reasons).

Control and other non-printing characters are written as Python-style escapes (``\\x1b``,
``\\n``, ``\\u202e``), so a file name or a quoted value cannot move the cursor, recolour the
terminal, reverse the text that follows, or split one refusal over several lines. Bytes
that were not UTF-8 in a file name (surrogate-escaped by the OS layer) come out as ``\\xNN``,
the byte itself, instead of crashing the write to stderr.
"""

from __future__ import annotations

import unicodedata

# C*: controls, format (bidi overrides, zero-width), surrogates, private use, unassigned;
# Zl/Zp: the line and paragraph separators, which some terminals break lines at.
_HIDDEN = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(ch: str) -> str:
    code = ord(ch)
    if ch in _NAMED:
        return _NAMED[ch]
    if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's surrogateescape of a non-UTF-8 byte
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def printable(text: str) -> str:
    """``text`` with every non-printing character escaped; printable text is unchanged."""
    if text.isprintable():  # the common case, in C
        return text
    return "".join(_escape(ch) if unicodedata.category(ch) in _HIDDEN else ch for ch in text)


def shorten(text: str, width: int = 60) -> str:
    """``printable(text)`` cut to ``width`` characters with an ellipsis (for quoted values)."""
    shown = printable(text)
    return shown if len(shown) <= width else shown[: width - 1] + "…"
