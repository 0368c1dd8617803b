"""Team work on the board: others' tags appear without a reload, settling is a reviewer's own
kind of tag, the team view shows progress and agreement, and `q` quits during a long job."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from samples.board import SampleIds, build_seed_db
from samples.pilot import screen_text, settle

from tui.app import BoardApp
from tui.board import BoardScreen
from tui.modals import SettleScreen
from tui.team import TeamScreen
from verify.analysts.review import CONFLICT, SETTLED, TAGGED
from verify.cli.main import main
from verify.store.database import Store

pytestmark = pytest.mark.anyio


@pytest.fixture
def seed_db(tmp_path: Path) -> tuple[Path, SampleIds]:
    path = tmp_path / "board.db"
    return path, build_seed_db(path)


async def open_all(pilot) -> BoardScreen:
    await settle(pilot)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, BoardScreen)
    return pilot.app.screen


async def go_to(pilot, board: BoardScreen, pair_id: int) -> None:
    target = board.table.index_of(pair_id)
    while board.table.cursor_row != target:
        await pilot.press("j" if board.table.cursor_row < target else "k")
    await pilot.pause()


async def wait_for(pilot, condition, polls: int = 100) -> bool:
    """Let the app's poll timer run until ``condition()``; no assertion on how long it took."""
    for _ in range(polls):
        if condition():
            return True
        await pilot.pause(0.05)
    return condition()


async def test_cli_tags_and_undos_appear_without_a_reload(seed_db) -> None:
    path, ids = seed_db
    app = BoardApp(path, "alice", poll_seconds=0.1)
    async with app.run_test(size=(120, 40)) as pilot:
        board = await open_all(pilot)
        pair = board.data.by_id[ids.pair("s13", "s20")]
        await go_to(pilot, board, pair.id)
        assert not pair.tags
        # the CLI, another process's connection, as a second analyst would use it
        assert (
            main(["tag", str(pair.id), "contradiction", "--analyst", "dan", "--db", str(path)]) == 0
        )
        assert await wait_for(pilot, lambda: pair.status == TAGGED)
        await pilot.pause()
        assert "dan: contradiction" in screen_text(app)  # the pane redrew
        assert any("tagged meanwhile by dan" in n.message for n in app._notifications)
        store = Store(path)
        store.retract_latest("dan")  # dan undoes it from elsewhere
        store.close()
        assert await wait_for(pilot, lambda: not pair.tags)


async def test_settling_needs_a_reviewer_outside_the_conflict(seed_db) -> None:
    path, ids = seed_db
    conflict = ids.pair("s20", "s26")  # bob: agreement, carol: contradiction
    # bob is a reviewer but a party to this conflict; eve is not a reviewer at all
    for who in ("bob", "eve"):
        app = BoardApp(path, who, reviewers=("bob", "rita"))
        async with app.run_test(size=(120, 40)) as pilot:
            board = await open_all(pilot)
            await go_to(pilot, board, conflict)
            await pilot.press("s")
            await pilot.pause()
            assert not isinstance(app.screen, SettleScreen)
            assert board.table.current.status == CONFLICT
            why = "part of this conflict" if who == "bob" else "not a reviewer"
            assert any(why in n.message for n in app._notifications)
    app = BoardApp(path, "rita", reviewers=("bob", "rita"))
    async with app.run_test(size=(120, 40)) as pilot:
        board = await open_all(pilot)
        await go_to(pilot, board, conflict)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SettleScreen)
        await pilot.press("c")
        await pilot.pause()
        assert board.table.current.status == SETTLED
        assert "settled as contradiction by rita" in screen_text(app)
    db = sqlite3.connect(path)
    kinds = db.execute(
        "SELECT analyst, kind FROM tags WHERE pair_id=? ORDER BY id", (conflict,)
    ).fetchall()
    db.close()
    assert kinds == [("bob", "tag"), ("carol", "tag"), ("rita", "settle")]


def test_cli_settle_rules_and_a_note_never_settles(seed_db, tmp_path, monkeypatch, capsys) -> None:
    path, ids = seed_db
    conflict = ids.pair("s20", "s26")
    (tmp_path / "counterclaim").mkdir()
    (tmp_path / "counterclaim" / "config.toml").write_text('reviewers = ["rita", "carol"]\n')
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    db = ["--db", str(path)]
    # the old fake: a note that says so is only a note
    assert (
        main(
            [
                "tag",
                str(conflict),
                "agreement",
                "--analyst",
                "dan",
                "--note",
                "settles conflict",
                *db,
            ]
        )
        == 0
    )
    assert main(["settle", str(conflict), "agreement", "--analyst", "eve", *db]) == 2
    assert "eve is not a reviewer" in capsys.readouterr().err
    assert main(["settle", str(conflict), "agreement", "--analyst", "carol", *db]) == 2
    assert "carol is part of this conflict" in capsys.readouterr().err
    assert (
        main(["settle", ids.pair("s13", "s20").__str__(), "agreement", "--analyst", "rita", *db])
        == 2
    )
    assert "nothing to settle" in capsys.readouterr().err
    store = Store(path)
    assert all(t["kind"] == "tag" for t in store.tags())
    store.close()
    assert main(["settle", str(conflict), "contradiction", "--analyst", "rita", *db]) == 0
    store = Store(path)
    try:
        from tui.data import load_board

        pair = load_board(path).by_id[conflict]
        assert pair.status == SETTLED and pair.verdict == "contradiction"
    finally:
        store.close()


async def test_team_view_shows_progress_and_agreement(seed_db) -> None:
    path, ids = seed_db
    app = BoardApp(path, "alice")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, TeamScreen)
        text = screen_text(app)
        assert "bob: 2 pairs tagged" in text and "carol: 2 pairs tagged" in text
        assert "Cohen's kappa" in text
        assert "1 disagreement" in text


async def test_quit_during_a_long_retrain_does_not_wait(seed_db, monkeypatch) -> None:
    path, _ = seed_db
    release = threading.Event()
    started = threading.Event()
    stopped: list[str] = []

    def endless_retrain(db_path: str, log) -> dict:
        started.set()
        try:
            while not release.wait(0.02):
                log("epoch")  # raises once the board has quit: the job stops here
        except BaseException as exc:
            stopped.append(type(exc).__name__)
            raise
        return {}

    monkeypatch.setattr("tui.app.retrain", endless_retrain)
    app = BoardApp(path, "alice")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_all(pilot)
        await pilot.press("r", "y")
        await pilot.pause()
        assert started.wait(5)
        await pilot.press("q")
    # run_test returned: the app exited while the retrain had not finished (never released)
    assert not release.is_set()
    assert not any(w.is_running for w in app.workers)
    for _ in range(200):  # the abandoned job stops at its next progress line
        if stopped:
            break
        threading.Event().wait(0.01)
    release.set()
    assert stopped == ["Cancelled"]
