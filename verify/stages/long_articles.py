"""Claims of a batch of articles, whatever their size: repeated sentences read once
(``claims.repeats``), a long article parsed piece by piece with a progress bar (characters read,
on a terminal), and at most ``MAX_CLAIMS_PER_ARTICLE`` claims kept per article.

The cap bounds what one article can cost every later stage (embedding, topics, pairs grow with
the claims): an article past it keeps its first claims in reading order, and the run says so."""

from __future__ import annotations

from dataclasses import dataclass

from verify.backends import Extractor, extract_each
from verify.claims.chunks import CHUNK_CHARS, chunks, shifted
from verify.claims.repeats import compact
from verify.progress import progress
from verify.types import Claim

#: Claims kept per article, in reading order (the seed articles have 16 and 25).
MAX_CLAIMS_PER_ARTICLE = 1000


@dataclass
class Extracted:
    claims: list[Claim] | Exception
    repeats: int = 0  # copies of repeated sentences not read again
    found: int = 0  # claims found, before the cap

    def notice(self) -> str:
        """What the run line adds: ' (… capped …; … repeated sentences read once)' or ''."""
        parts = []
        if self.found > MAX_CLAIMS_PER_ARTICLE:
            parts.append(f"{self.found} found, capped at {MAX_CLAIMS_PER_ARTICLE} per article")
        if self.repeats:
            parts.append(f"{self.repeats} repeated sentences read once")
        return f" ({'; '.join(parts)})" if parts else ""


def _long(extractor: Extractor, text: str, outlet: str, bar_on: bool) -> list[Claim] | Exception:
    """A long text parsed piece by piece (each within the parser's limit), with a bar."""
    claims: list[Claim] = []
    with progress("extract long article", len(text), "char", bar_on) as bar:
        for base, piece in chunks(text, CHUNK_CHARS):
            (found,) = extract_each(extractor, [(piece, outlet)])
            if isinstance(found, Exception):
                return found
            claims.extend(shifted(c, base) for c in found)
            bar.update(len(piece))
    return claims


def extract_articles(
    extractor: Extractor, items: list[tuple[str, str]], bar_on: bool = False
) -> list[Extracted]:
    """Claims (or the exception that refused it) of each (text, outlet), offsets into the text."""
    compacted = [compact(text) for text, _ in items]
    short = [i for i, c in enumerate(compacted) if len(c.text) <= CHUNK_CHARS]
    found: dict[int, list[Claim] | Exception] = dict(
        zip(
            short,
            extract_each(extractor, [(compacted[i].text, items[i][1]) for i in short]),
            strict=True,
        )
    )
    for i, c in enumerate(compacted):
        if i not in found:
            found[i] = _long(extractor, c.text, items[i][1], bar_on)
    out = []
    for i, c in enumerate(compacted):
        claims = found[i]
        if isinstance(claims, Exception):
            out.append(Extracted(claims, c.repeats))
            continue
        kept = [c.restore(claim) for claim in claims[:MAX_CLAIMS_PER_ARTICLE]]
        out.append(Extracted(kept, c.repeats, len(claims)))
    return out
