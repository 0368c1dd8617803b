"""Cut an article too long to parse at once into pieces at paragraph or sentence ends.

spaCy refuses texts over ``nlp.max_length`` (1,000,000 characters) and its parser needs about
1 GB per 100,000 characters, so a long article is parsed piece by piece. Pieces end at a
blank line where one is near the limit (no claim or carried-over speaker crosses a paragraph
break), else after a sentence, else at a line break or a space; a text with none of these is
cut at the limit. Every piece comes with its offset in the whole text, so claims keep offsets
into the article as stored.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace

from verify.types import Claim

CHUNK_CHARS = 100_000
_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")
_SENTENCE = re.compile(r"[.!?][\"'”’)\]]*\s+")
_LINE = re.compile(r"\n\s*")
_SPACE = re.compile(r"\s+")


def _cut(text: str, start: int, limit: int) -> int:
    """Where the piece starting at ``start`` ends (exclusive): the best break in its window."""
    window = text[start : start + limit]
    for pattern in (_PARAGRAPH, _SENTENCE, _LINE, _SPACE):
        ends = [m.end() for m in pattern.finditer(window)]
        # A break in the first quarter would make tiny pieces: try a weaker kind of break.
        if ends and ends[-1] > limit // 4:
            return start + ends[-1]
    return start + limit


def chunks(text: str, limit: int = CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """``(offset, piece)`` covering ``text`` in order, each piece at most ``limit`` long."""
    if limit < 1:
        raise ValueError("limit must be positive")
    start = 0
    while len(text) - start > limit:
        end = _cut(text, start, limit)
        yield start, text[start:end]
        start = end
    if start < len(text) or not text:
        yield start, text[start:]


def remap(claim: Claim, where: Callable[[int], int]) -> Claim:
    """``claim`` with each of its offsets ``x`` moved to ``where(x)``."""

    def at(offset: int | None) -> int | None:
        return None if offset is None else where(offset)

    return replace(
        claim,
        start=where(claim.start),
        end=where(claim.end),
        speaker_start=at(claim.speaker_start),
        speaker_end=at(claim.speaker_end),
        cue_start=at(claim.cue_start),
        cue_end=at(claim.cue_end),
    )


def shifted(claim: Claim, base: int) -> Claim:
    """A claim found in a piece starting at ``base``, with offsets into the whole text."""
    return remap(claim, lambda x: x + base)
