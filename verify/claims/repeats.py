"""Identical sentences within one article, read once.

A scraped page can repeat a sentence thousands of times (a ticker, a broken template, a
hostile file); parsing every copy costs minutes and yields thousands of identical claims. So
before parsing, a repeated sentence is dropped and the parser reads the rest, joined; claims
found in it get their offsets mapped back into the article as stored.

A repeat is kept when it follows another sentence read for the first time: "This was stated
by the minister." may recur after a new quote, which it then attributes. Only
sentences of at least ``MIN_CHARS`` characters count (not "He said.")."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from verify.claims.chunks import remap
from verify.types import Claim

MIN_CHARS = 20
# A sentence piece ends after ., ! or ? (and closing quotes) and its spaces, or at a line break.
_END = re.compile(r"[.!?…][\"'”’)\]]*\s+|\n\s*")
_PARAGRAPH = re.compile(r"\n[ \t]*\n")


@dataclass
class Compacted:
    """``text`` without repeated sentences; ``repeats``: how many copies were dropped."""

    text: str
    repeats: int = 0
    # (offset in ``text``, offset in the article, length) of each kept piece, in order.
    spans: list[tuple[int, int, int]] = field(default_factory=list)

    def offset(self, at: int) -> int:
        """The article offset of ``text`` offset ``at``."""
        if not self.repeats:
            return at
        i = max(bisect.bisect_right(self.spans, (at, float("inf"), 0)) - 1, 0)
        start, origin, length = self.spans[i]
        return origin + min(max(at - start, 0), length)

    def restore(self, claim: Claim) -> Claim:
        """``claim`` (found in ``text``) with offsets into the article."""
        return remap(claim, self.offset) if self.repeats else claim


def _pieces(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in _END.finditer(text):
        out.append((start, m.end()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return out


def compact(text: str) -> Compacted:
    """``text`` with each repeated sentence dropped (see the module's rule)."""
    seen: set[str] = set()
    kept: list[str] = []
    spans: list[tuple[int, int, int]] = []
    repeats, size, gap_breaks = 0, 0, False
    new = ""  # the piece before, when it was read for the first time
    for a, b in _pieces(text):
        piece = text[a:b]
        key = " ".join(piece.split())
        if len(key) >= MIN_CHARS and key in seen and new in ("", key):
            repeats += 1
            gap_breaks = gap_breaks or bool(_PARAGRAPH.search(piece)) or piece.endswith("\n")
            continue
        if gap_breaks and kept and not kept[-1].endswith("\n"):
            kept.append("\n\n")  # a dropped paragraph break still ends the paragraph before
            size += 2
        gap_breaks = False
        new = key if key not in seen else ""
        seen.add(key)
        spans.append((size, a, b - a))
        kept.append(piece)
        size += b - a
    if not repeats:
        return Compacted(text)
    return Compacted("".join(kept), repeats, spans)
