"""The claim-deduplication stage: a text one source repeats is kept once, with its count, in one
run or across runs; another source saying the same is its own claim. Real spaCy, MiniLM, stance
model and SQLite."""

from __future__ import annotations

import json
from pathlib import Path

from verify.stages.pipeline import Pipeline
from verify.stages.steps.dedup import find_copies
from verify.store.database import Store

SAID = "The Russian defence ministry said on Tuesday that the withdrawal of troops from the Ukrainian border has begun."
ARTICLES = [
    {"text": SAID + " Officials in Kyiv said they had seen no sign of it.", "outlet": "Wire"},
    {"text": SAID + " NATO's chief said the alliance saw no de-escalation.", "outlet": "Wire"},
    {
        "text": SAID + " Satellite images show more tanks near Belgorod, analysts said.",
        "outlet": "Other",
    },
]
BEGUN = "the withdrawal of troops from the Ukrainian border has begun"


def _write(path: Path, articles: list[dict]) -> Path:
    path.write_text("".join(json.dumps(a | {"title": ""}) + "\n" for a in articles), "utf-8")
    return path


def _state(store: Store) -> tuple[list[tuple[str, str, int]], set[tuple[str, str]]]:
    rows = store.claim_rows()
    live = sorted((r["outlet"], r["text"], r["copies"]) for r in rows)
    text = {r["id"]: r["text"] for r in rows}
    pairs = {
        tuple(sorted((text[a], text[b])))
        for a, b in store.db.execute("SELECT a_id, b_id FROM pairs")
    }
    return live, pairs


def test_copy_key_ignores_case_and_spacing_but_not_outlet_or_speaker() -> None:
    row = {"outlet": "Wire", "speaker": "TASS", "text": "Troops  are leaving"}
    rows = [
        row,
        row | {"text": "troops are LEAVING"},
        row | {"outlet": "Other"},
        row | {"speaker": "RIA"},
        row | {"text": "Troops are staying"},
    ]
    assert find_copies(rows, range(len(rows))) == [(1, 0)]
    assert find_copies(rows, [2, 3, 4]) == []


def test_a_repeated_claim_is_kept_once_with_its_count_in_one_run_or_two(tmp_path: Path) -> None:
    one = Store(tmp_path / "one.db")
    Pipeline(one, log=lambda m: None).run([_write(tmp_path / "all.jsonl", ARTICLES)])
    live, pairs = _state(one)
    assert [(outlet, n) for outlet, text, n in live if text == BEGUN] == [("Other", 0), ("Wire", 1)]
    copy_ids = {r[0] for r in one.db.execute("SELECT claim_id FROM claim_copies")}
    assert len(copy_ids) == 1
    in_pairs = {i for row in one.db.execute("SELECT a_id, b_id FROM pairs") for i in row}
    assert not copy_ids & in_pairs and not copy_ids & set(one.live_claim_ids())
    stored = one.db.execute("SELECT COUNT(*) FROM claims WHERE text=?", (BEGUN,)).fetchone()[0]
    assert stored == 3  # nothing extracted is lost: the copy's row stays

    two = Store(tmp_path / "two.db")
    Pipeline(two, log=lambda m: None).run([_write(tmp_path / "first.jsonl", ARTICLES[:1])])
    Pipeline(two, log=lambda m: None).run([_write(tmp_path / "rest.jsonl", ARTICLES[1:])])
    assert _state(two) == (live, pairs)

    # A correction that makes the copy another speaker's claim brings it back on the full run.
    copy = next(iter(copy_ids))
    one.correct_claim(copy, "analyst", speaker="NATO")
    Pipeline(one, log=lambda m: None).refresh()  # a correction makes the next refresh a full one
    assert (
        copy in one.live_claim_ids() and not one.db.execute("SELECT * FROM claim_copies").fetchall()
    )
    one.close()
    two.close()
