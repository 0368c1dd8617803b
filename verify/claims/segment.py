"""Split an article into units: sentences cut at paragraph breaks, with quotes that span
sentences merged back into one unit (a quote's speaker is often named only at its end)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from verify.claims.lexicon import CLOSE_QUOTES, OPEN_QUOTES

_PARA_BREAK = re.compile(r"\n\s*\n")
MAX_QUOTE_MERGE = 8  # a quote may run over several sentences; an unclosed one never merges


@dataclass
class Unit:
    span: Span
    paragraph: int

    @property
    def text(self) -> str:
        return self.span.text

    @property
    def start(self) -> int:
        return self.span.start_char

    @property
    def end(self) -> int:
        return self.span.end_char


def _quote_balance(text: str) -> int:
    """Open minus close curly quotes; straight double quotes count as toggles."""
    opened = sum(text.count(q) for q in OPEN_QUOTES)
    closed = sum(text.count(q) for q in CLOSE_QUOTES)
    straight = text.count('"') % 2
    return opened - closed + straight


def _pieces(doc: Doc) -> list[tuple[int, int, int]]:
    """(start_char, end_char, paragraph) for each sentence piece, split at blank lines."""
    text = doc.text
    breaks = [m.end() for m in _PARA_BREAK.finditer(text)]
    out: list[tuple[int, int, int]] = []
    for sent in doc.sents:
        cuts = [sent.start_char] + [b for b in breaks if sent.start_char < b < sent.end_char]
        cuts.append(sent.end_char)
        for a, b in zip(cuts, cuts[1:], strict=False):
            seg = text[a:b]
            a2 = a + len(seg) - len(seg.lstrip())
            b2 = a + len(seg.rstrip())
            if b2 > a2:
                out.append((a2, b2, sum(1 for x in breaks if x <= a2)))
    return out


def units(doc: Doc) -> list[Unit]:
    pieces = _pieces(doc)
    merged: list[tuple[int, int, int]] = []
    i = 0
    while i < len(pieces):
        a, b, para = pieces[i]
        j = i
        # Merge while a quote opened here is still open, within the paragraph.
        while (
            _quote_balance(doc.text[a:b]) > 0
            and j + 1 < len(pieces)
            and pieces[j + 1][2] == para
            and j - i + 1 < MAX_QUOTE_MERGE
        ):
            j += 1
            b = pieces[j][1]
        if _quote_balance(doc.text[a:b]) > 0:  # never closed: keep the sentence alone
            j, b = i, pieces[i][1]
        merged.append((a, b, para))
        i = j + 1
    out = []
    for a, b, para in merged:
        span = doc.char_span(a, b, alignment_mode="expand")
        if span is not None and span.text.strip():
            out.append(Unit(span, para))
    return out
