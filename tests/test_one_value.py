"""One value per pair, one count per thing: on one real store (the seeds through the real
pipeline), the board, `disputes --pairs --json` (full and `--top`), and the JSON, CSV, HTML and
Markdown exports show every pair with the same number, in the same order, and the same counts.
All of them read ``verify.stages.pair_value``."""

from __future__ import annotations

import csv
import json
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tui.data import load_board
from verify.cli.main import main
from verify.stages.pair_value import count_pairs
from verify.store.database import Store


@pytest.fixture(scope="module")
def store_path(seed_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the seed store with one pair tagged (so tagged pairs are in every path)."""
    db = tmp_path_factory.mktemp("onevalue") / "seeds.db"
    shutil.copy(seed_db, db)
    store = Store(db)
    pid = store.pair_ids()[0]
    store.add_tag(pid, "contradiction", "ana")
    store.close()
    return db


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


def _rounded(pairs: list[tuple[int | None, float]]) -> list[tuple[int | None, str]]:
    return [(pid, f"{v:.4f}") for pid, v in pairs]


@pytest.fixture(scope="module")
def listing(store_path: Path) -> list[dict[str, Any]]:
    from verify.views import listings as views

    store = Store(store_path)
    try:
        return views.disputes(store)
    finally:
        store.close()


def test_the_board_and_the_cli_show_one_value_in_one_order(
    store_path: Path, listing: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    cli = _cli(capsys, "disputes", "--pairs", "--json", "--top", "0", "--db", str(store_path))
    assert [(d["id"], d["probs"]) for d in cli] == [(d["id"], d["probs"]) for d in listing]
    scored = [(d["id"], d["confidence"]) for d in cli if d["id"] is not None]
    board = load_board(store_path)
    assert _rounded([(p.id, p.confidence) for p in board.pairs]) == _rounded(scored)
    assert {p.id: p.label for p in board.pairs} == {d["id"]: d["label"] for d in cli if d["id"]}
    # `--top` reads the stored ranking: the same first rows, the same numbers.
    top = _cli(capsys, "disputes", "--pairs", "--json", "--top", "12", "--db", str(store_path))
    assert _rounded([(d["id"], d["confidence"]) for d in top]) == _rounded(
        [(d["id"], d["confidence"]) for d in cli[:12]]
    )
    # The board's counts are the engine's, overall and per topic.
    counts = count_pairs((d["id"], d["probs"]) for d in cli)
    assert counts["scored"] == len(board.pairs) and counts["implied"] > 0
    s = board.summary(None)
    assert (s.pairs, s.contradictions) == (counts["scored"], counts["contradictions"])
    for topic in board.topic_titles:
        mine = count_pairs((d["id"], d["probs"]) for d in cli if d["topic"]["id"] == topic)
        t = board.summary(topic)
        assert (t.pairs, t.contradictions) == (mine["scored"], mine["contradictions"])
    # A partial load (a large store's board) counts what the full one counts.
    part = load_board(store_path, limit=20)
    assert part.totals is not None and part.summaries() == board.summaries()
    assert _rounded([(p.id, p.confidence) for p in part.pairs]) == _rounded(
        [x for x in scored if x[0] in part.by_id]
    )


def _export(capsys: pytest.CaptureFixture[str], db: Path, out: Path, fmt: str) -> str:
    assert main(["export", "--all", "--format", fmt, "-o", str(out), "--db", str(db)]) == 0
    capsys.readouterr()
    return out.read_text(encoding="utf-8")


def test_every_export_shows_the_same_values_and_counts(
    store_path: Path,
    listing: list[dict[str, Any]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    want = _rounded([(d["id"], d["confidence"]) for d in listing])
    counts = count_pairs((d["id"], d["probs"]) for d in listing)

    doc = json.loads(_export(capsys, store_path, tmp_path / "r.json", "json"))
    assert _rounded([(p["id"], p["confidence"]) for p in doc["pairs"]]) == want
    s = doc["summary"]
    assert (s["pairs_scored"], s["pairs_implied"], s["model_contradictions"]) == (
        counts["scored"],
        counts["implied"],
        counts["contradictions"],
    )
    assert s["pairs"] == len(listing)
    per_topic = Counter(d["topic"]["id"] for d in listing)
    assert {t["id"]: t["pairs"] for t in doc["topics"]} == {
        t["id"]: per_topic[t["id"]] for t in doc["topics"]
    }

    _export(capsys, store_path, tmp_path / "r.csv", "csv")
    with (tmp_path / "r.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    got = [(int(r["pair_id"]) if r["pair_id"] else None, float(r["confidence"])) for r in rows]
    assert _rounded(got) == want

    # HTML and Markdown print two decimals, by topic: every scored pair, each with its number.
    two = {d["id"]: f"{d['confidence']:.2f}" for d in listing if d["id"] is not None}
    html = _export(capsys, store_path, tmp_path / "r.html", "html")
    shown = re.findall(
        r'<tbody id="pair-(\d+)"><tr class="a"><td class="num" rowspan="2">\d+</td>'
        r'<td class="num" rowspan="2">([\d.]+)<',
        html,
    )
    assert {int(pid): v for pid, v in shown} == two
    md = _export(capsys, store_path, tmp_path / "r.md", "md")
    rows_md = re.findall(r"^\| (\d+) \| (\d\.\d\d) \|", md, flags=re.M)
    assert {int(pid): v for pid, v in rows_md} == two
