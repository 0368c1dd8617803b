"""Analysts' corrections of the extractor: stored apart, applied on read and kept on re-run;
from the CLI (`counterclaim correct`) and from the board (E)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from samples.board import SampleIds, build_seed_db
from samples.pilot import screen_text, settle
from textual.widgets import Checkbox, Input

from tui.app import BoardApp
from tui.board import BoardScreen
from tui.correct import CorrectScreen
from verify.cli.main import main
from verify.stance.loading import default_model_path
from verify.store.corrections import CorrectionError
from verify.store.database import Store
from verify.views import listings as views


@pytest.fixture
def sample(tmp_path: Path) -> tuple[Path, SampleIds]:
    path = tmp_path / "board.db"
    return path, build_seed_db(path)


def claim(store: Store, claim_id: int) -> dict:
    return next(c for c in views.claims(store) if c["id"] == claim_id)


def test_corrections_apply_on_read_and_leave_extraction_alone(sample) -> None:
    path, ids = sample
    cid = ids.claims["s13"]
    store = Store(path)
    try:
        before = claim(store, cid)
        store.correct_claim(cid, "alice", speaker="Luigi Di Maio", side="Italy")
        after = claim(store, cid)
        assert (after["speaker"], after["side"]) == ("Luigi Di Maio", "Italy")
        assert after["actor"] == before["actor"]  # not corrected: unchanged
        raw = store.db.execute("SELECT speaker, side FROM claims WHERE id=?", (cid,)).fetchone()
        assert tuple(raw) == (before["speaker"], before["side"])  # extraction output untouched
        # a later correction of the same field wins; the earlier one stays stored
        store.correct_claim(cid, "bob", side="West")
        assert claim(store, cid)["side"] == "West"
        assert store.db.execute("SELECT COUNT(*) FROM claim_corrections").fetchone()[0] == 3
    finally:
        store.close()


def test_not_a_claim_leaves_its_pairs_and_can_be_restored(sample) -> None:
    path, ids = sample
    cid = ids.claims["s13"]  # Moscow's withdrawal: in five pairs of the sample
    store = Store(path)
    try:
        pairs = {d["id"] for d in views.disputes(store, top=None)}
        involved = {p for (a, b), p in ids.pairs.items() if "s13" in (a, b)}
        store.correct_claim(cid, "alice", not_claim=True)
        assert cid not in {c["id"] for c in views.claims(store)}
        assert {d["id"] for d in views.disputes(store, top=None)} == pairs - involved
        assert all(
            row["a_id"] != cid and row["b_id"] != cid
            for row in store.unscored_pairs("another-model")
        )
        tags = store.db.execute("SELECT COUNT(*) FROM tags").fetchone()[0]
        assert tags == 4  # the tags on its pairs stay stored
        store.correct_claim(cid, "alice", not_claim=False)
        assert {d["id"] for d in views.disputes(store, top=None)} == pairs
    finally:
        store.close()


def test_a_bad_correction_changes_nothing(sample) -> None:
    path, ids = sample
    store = Store(path)
    try:
        with pytest.raises(CorrectionError, match="no claim with id 999"):
            store.correct_claim(999, "alice", speaker="x")
        with pytest.raises(CorrectionError, match="speaker may not be empty"):
            store.correct_claim(ids.claims["s13"], "alice", side="Italy", speaker="  ")
        assert store.db.execute("SELECT COUNT(*) FROM claim_corrections").fetchone()[0] == 0
    finally:
        store.close()


def test_cli_correct(sample, capsys) -> None:
    path, ids = sample
    db = ["--db", str(path)]
    assert main(["correct", "999", "--speaker", "x", "--analyst", "a", *db]) == 2
    assert capsys.readouterr().err.strip() == "counterclaim: no claim with id 999"
    cid = str(ids.claims["d0"])
    assert main(["correct", cid, "--actor", "[b]Moscow[/b]", "--analyst", "a", *db]) == 0
    assert main(["correct", cid, "--not-a-claim", "--analyst", "a", *db]) == 0
    store = Store(path)
    try:
        assert int(cid) not in {c["id"] for c in views.claims(store)}
        row = store.claim_rows(include_rejected=True)
        assert next(r for r in row if r["id"] == int(cid))["actor"] == "[b]Moscow[/b]"
    finally:
        store.close()


# The model the refresh (and seed_db's pipeline) loads: the cross-encoder when shipped.
@pytest.mark.skipif(not default_model_path().is_dir(), reason="no shipped stance model")
def test_corrections_are_kept_on_a_re_run(seed_db: Path, tmp_path: Path) -> None:
    """The real pipeline's refresh (what a run with new articles does) rewrites actors and sides
    from the registry and re-pairs: the corrections still hold afterwards."""
    from verify.stages.pipeline import Pipeline

    path = tmp_path / "rerun.db"
    shutil.copy(seed_db, path)
    store = Store(path)
    try:
        first, second = views.claims(store)[:2]
        store.correct_claim(first["id"], "alice", actor="Luigi Di Maio", side="Italy")
        store.correct_claim(second["id"], "alice", not_claim=True)
        Pipeline(store, log=lambda _m: None).refresh()
        fixed = claim(store, first["id"])
        assert (fixed["actor"], fixed["side"]) == ("Luigi Di Maio", "Italy")
        assert second["id"] not in {c["id"] for c in views.claims(store)}
        assert all(
            second["id"] not in (d["a"]["id"], d["b"]["id"])
            for d in views.disputes(store, top=None)
        )
    finally:
        store.close()


@pytest.mark.anyio
async def test_correct_from_the_board(sample) -> None:
    path, ids = sample
    app = BoardApp(path, "alice", poll_seconds=60)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        board = app.screen
        assert isinstance(board, BoardScreen)
        pair = board.table.current
        left, _right = pair.oriented(None)
        await pilot.press("E")
        await pilot.pause()
        assert isinstance(app.screen, CorrectScreen)
        app.screen.query_one("#correct-actor", Input).value = "[i]Kremlin[/i]"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is board
        assert app.data.claims[left.id].actor == "[i]Kremlin[/i]"
        assert "[i]Kremlin[/i]" in screen_text(app)  # literally
        assert board.table.current.id == pair.id  # the cursor stayed on the pair
        # not a claim: its pairs leave the board
        await pilot.press("E")
        await pilot.pause()
        app.screen.query_one("#correct-not-claim", Checkbox).value = True
        await pilot.click("#save")
        await settle(pilot)
        assert all(left.id not in (p.a.id, p.b.id) for p in app.data.pairs)
        assert all(left.id not in (p.a.id, p.b.id) for p in board.table.rows_)
    db = sqlite3.connect(path)
    rows = db.execute("SELECT claim_id, field, value, analyst FROM claim_corrections").fetchall()
    db.close()
    assert rows == [
        (left.id, "actor", "[i]Kremlin[/i]", "alice"),
        (left.id, "not_claim", "1", "alice"),
    ]
