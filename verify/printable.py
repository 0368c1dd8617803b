"""The one path from untrusted strings (stored article and analyst text, file names, reasons) to
the terminal.

``printable`` writes control and other non-printing characters as Python-style escapes
(``\\x1b``, ``\\n``, ``\\u202e``), so a quoted value cannot move the cursor, recolour the
terminal, reverse the text that follows, or split one line into several: C0 and C1 controls (ESC,
CSI, NEL), bidirectional overrides, isolates and marks (U+202A-202E, U+2066-2069, U+200E/F,
U+061C) and the line and paragraph separators. Bytes that were not UTF-8 in a file name
(surrogate-escaped by the OS layer) come out as ``\\xNN``, the byte itself, instead of crashing
the write to stderr.

Every human-readable line the CLI writes goes through ``emit`` (one call, one line: a newline in
the text is escaped, never a line break); every JSON document through ``json_text``, which keeps
text readable but writes those characters as JSON ``\\u`` escapes.
"""

from __future__ import annotations

import json
import sys
import unicodedata

# C*: controls, format (bidi overrides, zero-width), surrogates, private use, unassigned;
# Zl/Zp: the line and paragraph separators, which some terminals break lines at.
_HIDDEN = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _hidden(ch: str) -> bool:
    return unicodedata.category(ch) in _HIDDEN


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
    return "".join(_escape(ch) if _hidden(ch) else ch for ch in text)


def shorten(text: str, width: int = 60) -> str:
    """``printable(text)`` cut to ``width`` characters with an ellipsis (for quoted values)."""
    shown = printable(text)
    return shown if len(shown) <= width else shown[: width - 1] + "…"


def emit(text: str = "", err: bool = False) -> None:
    """Write ``text`` as one terminal line on stdout (``err``: stderr), escaped by ``printable``."""
    print(printable(text), file=sys.stderr if err else sys.stdout)


def _json_escape(ch: str) -> str:
    code = ord(ch)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # JSON spells a character beyond the BMP as a surrogate pair
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def json_text(obj: object, indent: int | None = 2) -> str:
    """``obj`` as JSON with text kept readable (not ASCII-escaped), but every character
    ``printable`` would escape written as a ``\\u`` escape. ``json.dumps`` already escapes C0
    controls; C1 controls (a one-byte CSI), bidi overrides and U+2028/2029 it leaves raw. Those
    can only stand inside strings, so escaping them keeps the document valid and equal."""
    text = json.dumps(obj, ensure_ascii=False, indent=indent)
    if all(line.isprintable() for line in text.split("\n")):  # the indentation's own newlines
        return text
    return "".join(_json_escape(ch) if ch != "\n" and _hidden(ch) else ch for ch in text)


def emit_json(obj: object) -> None:
    """``obj`` on stdout as ``json_text``, one document and a newline."""
    sys.stdout.write(json_text(obj) + "\n")
