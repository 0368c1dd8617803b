"""Articles too long for one parse: extracted in pieces, offsets into the whole text; and an
article the extractor fails on is refused on one line while the run goes on."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from verify.claims import ClaimExtractor
from verify.claims.chunks import chunks
from verify.stages.pipeline import Pipeline
from verify.store.database import Store
from verify.types import Claim

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SAID = "Officials in Kyiv said that the dam on the Dnipro is safe and will hold.\n"


def _shift(c: Claim, by: int) -> Claim:
    def at(x: int | None) -> int | None:
        return None if x is None else x + by

    return replace(
        c,
        start=c.start + by,
        end=c.end + by,
        speaker_start=at(c.speaker_start),
        speaker_end=at(c.speaker_end),
        cue_start=at(c.cue_start),
        cue_end=at(c.cue_end),
    )


def test_chunks_cover_the_text_and_end_at_paragraphs() -> None:
    text = "".join(f"Paragraph {i}. It has two sentences.\n\n" for i in range(200))
    pieces = list(chunks(text, 500))
    assert "".join(p for _, p in pieces) == text
    assert all(len(p) <= 500 for _, p in pieces)
    assert [o for o, _ in pieces] == [
        sum(len(p) for _, p in pieces[:i]) for i in range(len(pieces))
    ]
    assert all(p.endswith("\n\n") for _, p in pieces[:-1])
    unbroken = "x" * 1234
    assert [len(p) for _, p in chunks(unbroken, 500)] == [500, 500, 234]


def test_chunked_extraction_keeps_offsets_into_the_whole_text() -> None:
    article = sorted(SEEDS.glob("*.txt"))[0].read_text(encoding="utf-8").strip("\n")
    one = ClaimExtractor().extract(article, "CNN")
    assert one, "the seed article has claims"
    sep = "\n\n"
    text = sep.join([article] * 4)
    # Each piece is one copy of the article: its claims, shifted by where the copy starts.
    chunked = ClaimExtractor(chunk_chars=len(article) + len(sep)).extract(text, "CNN")
    step = len(article) + len(sep)
    assert chunked == [_shift(c, k * step) for k in range(4) for c in one]
    for c in chunked:
        assert text[c.start : c.end].startswith(c.text[:10])
        if c.speaker_start is not None:
            assert (
                text[c.speaker_start : c.speaker_end]
                == article[c.speaker_start % step : c.speaker_end % step]
            )


def test_article_over_a_million_characters_is_ingested(tmp_path: Path) -> None:
    # Blank-line padding parses fast; the claim after it must keep its offset in the article.
    padding = "\n\n" + " \n" * 530_000 + "\n"
    big = tmp_path / "big.txt"
    big.write_text(SAID + padding + SAID.replace("Kyiv", "Odesa"), encoding="utf-8")
    small = tmp_path / "small.txt"
    small.write_text(SAID.replace("Kyiv", "Lviv"), encoding="utf-8")
    store = Store(tmp_path / "s.db")
    report = Pipeline(store, log=lambda _m: None).ingest([big, small])
    assert report.refused == []
    assert (report.articles_added, report.claims_added) == (2, 3)
    text = store.db.execute("SELECT text FROM articles WHERE source=?", (str(big),)).fetchone()[0]
    assert len(text) > 1_000_000
    rows = store.db.execute(
        "SELECT c.text, c.start, c.speaker FROM claims c JOIN articles a ON a.id = c.article_id"
        " WHERE a.source=? ORDER BY c.idx",
        (str(big),),
    ).fetchall()
    assert [r["speaker"] for r in rows] == ["Officials in Kyiv", "Officials in Odesa"]
    for r in rows:
        assert text[r["start"] :].startswith(r["text"][:20])
    assert rows[1]["start"] > 1_000_000


class _Brittle(ClaimExtractor):
    """The real extractor, except that it fails (as a parser bug would) on one article."""

    def extract(self, text: str, outlet: str = "") -> list[Claim]:
        if "Mariupol" in text:
            raise RuntimeError("parser state broken\nsecond line of the message")
        return super().extract(text, outlet)

    def extract_batch(self, items):  # the batch fails as a whole, too
        if any("Mariupol" in text for text, _ in items):
            raise RuntimeError("parser state broken\nsecond line of the message")
        return super().extract_batch(items)


def test_extraction_error_refuses_that_article_only(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.db")
    first = tmp_path / "first.txt"
    first.write_text(SAID, encoding="utf-8")
    Pipeline(store, log=lambda _m: None).ingest([first])
    bad = tmp_path / "b\x1b[2J.txt"
    bad.write_text(SAID.replace("Kyiv", "Mariupol"), encoding="utf-8")
    after = tmp_path / "c.txt"
    after.write_text(SAID.replace("Kyiv", "Kharkiv"), encoding="utf-8")
    lines: list[str] = []
    report = Pipeline(store, extractor=_Brittle(), log=lines.append).ingest([bad, after])
    [refusal] = report.refused
    assert refusal.source == str(bad)
    assert "claims not extracted (RuntimeError: parser state broken" in refusal.reason
    refused = [line for line in lines if line.startswith("refused ")]
    assert refused == [f"refused {refusal}"]
    assert "\\x1b[2J" in refused[0] and "\\n" in refused[0] and refused[0].isprintable()
    assert report.articles_added == 1
    sources = [r[0] for r in store.db.execute("SELECT source FROM articles ORDER BY id")]
    assert sources == [str(first), str(after)]  # the earlier article is still there
