"""The PolNeAR brat reader and attribution scorer: a hand-scored fixture, then real files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from verify.evaluation.attribution import (
    Attribution,
    article_names,
    evaluate,
    from_claims,
    portion,
    read_corpus,
)
from verify.types import Claim

POLNEAR = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear" / "data" / "train"

TEXT = 'Ann Lee said the tax "is too high.\nIt hurts us."\n\nBob wrote nothing.\n'


def _at(needle: str) -> tuple[int, int]:
    a = TEXT.index(needle)
    return a, a + len(needle)


def _ann(with_bob: bool) -> str:
    (s1, e1), (s2, e2) = _at("Ann Lee"), _at("said")
    c1, c2 = _at('the tax "is too high.\nIt hurts us."')
    lines = [
        f"T1\tSource {s1} {e1}\tAnn Lee",
        f"T2\tCue {s2} {e2}\tsaid",
        # The span holds a newline, so the annotation line continues onto the next one.
        f'T3\tContent {c1} {c2}\tthe tax "is too high.',
        'It hurts us."',
        f"T4\tAttribution {s2} {e2}\tsaid",
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
        "#1\tAnnotatorNotes T3\ta note",
    ]
    if with_bob:
        (b1, b2), (w1, w2), (n1, n2) = _at("Bob"), _at("wrote"), _at("nothing")
        lines += [
            f"T5\tSource {b1} {b2}\tBob",
            f"T6\tCue {w1} {w2}\twrote",
            f"T7\tContent {n1} {n2 - 3};{n2 - 3} {n2}\tnoth ing",  # brat's gapped span form
            f"T8\tAttribution {w1} {w2}\twrote",
            "E2\tAttribution:T8 Source:T5 Cue:T6 Content:T7 ",
        ]
    return "\n".join(lines) + "\n"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "art.txt").write_text(TEXT, encoding="utf-8")
    # Two annotators (file-name suffix): scored against each, counts averaged.
    (tmp_path / "attributions" / "art_a1b2.ann").write_text(_ann(True), encoding="utf-8")
    (tmp_path / "attributions" / "art_c3d4.ann").write_text(_ann(False), encoding="utf-8")
    return tmp_path


def test_reader_joins_continued_lines_gaps_and_annotators(corpus: Path) -> None:
    (article,) = read_corpus(corpus)
    assert article.name == "art" and [f.annotator for f in article.files] == ["a1b2", "c3d4"]
    ann, bob = article.files[0].attributions
    assert [TEXT[a:b] for a, b in ann.content] == ['the tax "is too high.\nIt hurts us."']
    assert [TEXT[a:b] for a, b in ann.source] == ["Ann Lee"]
    assert "".join(TEXT[a:b] for a, b in bob.content) == "nothing" and len(bob.content) == 2
    assert len(article.files[1].attributions) == 1


def test_scores_match_hand_computed_counts(corpus: Path) -> None:
    def predict(text: str) -> list[Attribution]:
        return [
            # 5 of the 8 content tokens, 1 of the 2 source tokens, the right cue.
            Attribution([_at('the tax "is too high.')], [_at("Ann")], [_at("said")]),
            # Content overlapping no gold content: unmatched, only costs precision.
            Attribution([_at("Bob wrote")]),
        ]

    r = evaluate(read_corpus(corpus), predict)
    # Annotator 1: gold content 8 + 1 tokens; annotator 2: 8. Mean gold 8.5, predicted 7, hit 5.
    p, rec = 5 / 7, 5 / 8.5
    assert r["n_articles"] == 1
    assert r["content"]["p"] == pytest.approx(p, abs=1e-4)
    assert r["content"]["r"] == pytest.approx(rec, abs=1e-4)
    assert r["content"]["f1"] == pytest.approx(2 * p * rec / (p + rec), abs=1e-4)
    # Source on the matched pair: 1 predicted token, 2 gold, 1 shared; not exact.
    assert r["source"]["overlap_f1"] == pytest.approx(2 / 3, abs=1e-4)
    assert r["source"]["exact_f1"] == 0.0
    assert r["cue"]["f1"] == 1.0


def test_claims_sharing_speaker_and_cue_are_one_attribution() -> None:
    text = "“A is so,” she said. “B is so.”"
    common = {"speaker": "Ann", "speaker_start": 11, "speaker_end": 14, "cue_start": 15}
    claims = [
        Claim(text, "“A is so,”", 0, 10, cue="said", cue_end=19, **common),
        Claim(text, "“B is so.”", 21, 31, cue="said", cue_end=19, **common),
        Claim(text, "x", 0, 1),  # no cue written: an attribution of its own
    ]
    first, alone = from_claims(claims)
    assert first.content == [(0, 10), (21, 31)] and first.source == [(11, 14)]
    assert alone.content == [(0, 1)] and alone.source == [] and alone.cue == []


def test_real_extractor_on_fixture(corpus: Path) -> None:
    r = evaluate(read_corpus(corpus))
    assert r["content"]["f1"] > 0.5 and r["source"]["exact_f1"] == 1.0


def test_split_is_fixed_and_by_article() -> None:
    names = [f"article-{i}" for i in range(2000)]
    held = [n for n in names if portion(n) == "heldout"]
    assert held == [n for n in names if portion(n) == "heldout"]  # no state, no shuffle
    assert 0.26 < len(held) / len(names) < 0.34


@pytest.mark.skipif(not POLNEAR.is_dir(), reason="PolNeAR not in ../shared/data")
def test_real_polnear_dev_articles() -> None:
    names = article_names(POLNEAR, "dev")[:2]
    articles = read_corpus(POLNEAR, names)
    assert [a.name for a in articles] == names
    for art in articles:
        for path in (POLNEAR / "attributions").glob(f"{art.name}_*.ann"):
            for line in path.read_text(encoding="utf-8").splitlines():
                parts = line.split("\t")
                if len(parts) == 3 and parts[0].startswith("T") and ";" not in parts[1]:
                    _, a, b = parts[1].split()
                    assert art.text[int(a) : int(b)].startswith(parts[2])  # offsets are chars
        assert all(f.attributions for f in art.files)
    r = evaluate(articles)
    assert r["n_articles"] == 2 and r["n_gold"] > 0
    assert 0.0 < r["content"]["f1"] <= 1.0 and 0.0 < r["source"]["overlap_f1"] <= 1.0
    assert set(json.loads(json.dumps(r))) >= {"n_articles", "content", "source", "cue"}
