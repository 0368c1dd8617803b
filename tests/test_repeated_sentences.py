"""Huge and repetitive articles: a repeated sentence is read once (offsets still into the stored
text), claims per article are capped with a notice, and a long article shows progress on a
terminal while staying quiet otherwise. The extractor is the real one (spaCy)."""

from __future__ import annotations

from pathlib import Path

import pytest

from verify.claims.extractor import ClaimExtractor
from verify.claims.repeats import compact
from verify.stages import long_articles
from verify.stages.long_articles import extract_articles

SENTENCE = "The troops are leaving the border, the ministry said on Tuesday. "


def test_compacted_offsets_point_into_the_original() -> None:
    text = SENTENCE * 5 + "\n\nA new paragraph starts here, Ivan Petrov said. " + SENTENCE * 3
    c = compact(text)
    # Kept: the first copy, and the one after the new sentence (it may attribute it).
    assert c.repeats == 6 and c.text.count(SENTENCE.strip()) == 2
    for i, ch in enumerate(c.text):
        assert ch == text[c.offset(i)] or ch.isspace()
    assert "\n\n" in c.text  # a dropped paragraph break still ends the paragraph
    assert compact("No repeat here. Nor here.").repeats == 0


def test_a_repeat_after_a_new_sentence_is_kept() -> None:
    """'This was stated by …' may attribute each quote it follows."""
    back = "This was stated by the defence minister. "
    text = f"“We will hold the line.” {back}“The bridge is closed.” {back}{back}"
    c = compact(text)
    assert c.repeats == 1 and c.text.count(back.strip()) == 2


def test_one_repeated_sentence_is_extracted_once_with_true_offsets() -> None:
    text = "Kyiv, Tuesday.\n\n" + SENTENCE * 400 + "\n\nPetrov said the dam will hold firmly."
    (got,) = extract_articles(ClaimExtractor(), [(text, "TASS")])
    assert not isinstance(got.claims, Exception)
    texts = [c.text for c in got.claims]
    assert sum("troops are leaving the border" in t for t in texts) == 1
    assert got.repeats == 399 and "399 repeated sentences read once" in got.notice()
    for claim in got.claims:
        assert text[claim.start : claim.end] == claim.text or claim.text in claim.sentence
        if claim.speaker_start is not None:
            assert text[claim.speaker_start : claim.speaker_end].strip()
    dam = next(c for c in got.claims if "dam" in c.text)
    assert text[dam.start : dam.end] == dam.text  # after 400 dropped copies, still exact


def test_claims_per_article_are_capped_with_a_notice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(long_articles, "MAX_CLAIMS_PER_ARTICLE", 3)
    text = " ".join(f"Officials in Town{i} said the dam number {i} will hold." for i in range(6))
    (got,) = extract_articles(ClaimExtractor(), [(text, "")])
    assert not isinstance(got.claims, Exception)
    assert len(got.claims) == 3 and got.found == 6
    assert [c.start for c in got.claims] == sorted(c.start for c in got.claims)  # the first ones
    assert "6 found, capped at 3 per article" in got.notice()


def test_a_long_article_is_read_piece_by_piece_with_progress(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setattr(long_articles, "CHUNK_CHARS", 400)
    text = " ".join(f"Officials in Town{i} said the dam number {i} will hold." for i in range(30))
    assert len(text) > 1200
    (quiet,) = extract_articles(ClaimExtractor(), [(text, "")], bar_on=False)
    assert capsys.readouterr().err == ""  # no terminal: nothing drawn
    (shown,) = extract_articles(ClaimExtractor(), [(text, "")], bar_on=True)
    err = capsys.readouterr().err
    assert "extract long article" in err and "char" in err
    assert not isinstance(quiet.claims, Exception) and not isinstance(shown.claims, Exception)
    assert len(quiet.claims) == 30 == len(shown.claims)
    for claim in quiet.claims:  # offsets into the whole text, across pieces
        assert text[claim.start : claim.end] == claim.text


def test_run_reports_the_repeats_on_its_ingest_line(tmp_path: Path) -> None:
    from verify.stages.pipeline import Pipeline
    from verify.store.database import Store

    article = tmp_path / "repeated.txt"
    article.write_text(SENTENCE * 300)
    lines: list[str] = []
    store = Store(tmp_path / "s.db")
    report = Pipeline(store, log=lines.append).ingest([article])
    assert report.claims_added == 1
    assert any(line.endswith(": 1 claims (299 repeated sentences read once)") for line in lines)
    (stored,) = store.db.execute("SELECT text FROM articles").fetchall()
    assert stored[0] == SENTENCE * 300  # the article is stored whole
