"""Pilot tests of the board on the seed dispute, stored directly (no model training needed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from samples.board import HOSTILE_TEXT, SampleIds, build_seed_db
from samples.pilot import fresh_rows, screen_text, settle
from textual.widgets import Select, Static

from tui.app import BoardApp, run_board
from tui.board import BoardScreen
from tui.commands import BoardCommands
from tui.modals import ExportScreen, FilterScreen, HelpScreen, SettleScreen
from verify.analysts.retrain import training_examples
from verify.analysts.review import CONFLICT, SETTLED, TAGGED, UNTAGGED
from verify.analysts.session import AnalystSession
from verify.store.database import Store

pytestmark = pytest.mark.anyio  # async tests run on asyncio through anyio's pytest plugin

SIZE = (150, 48)
WITHDRAWAL = "withdrawal of troops deployed on the border"
MASSING = "massing of Russian troops and military devices on the border with Ukraine is continuing"


@pytest.fixture
def seed_db(tmp_path: Path) -> tuple[Path, SampleIds]:
    path = tmp_path / "board.db"
    return path, build_seed_db(path)


async def open_topic(pilot, row: int) -> BoardScreen:
    """From the topics screen, open the topic in ``row`` (0: all topics, 1: most disputed)."""
    await settle(pilot)
    for _ in range(row):
        await pilot.press("j")
    await pilot.press("enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, BoardScreen)
    return screen


async def go_to(pilot, board: BoardScreen, pair_id: int) -> None:
    """Walk the cursor to a pair with j / k, as an analyst would."""
    target = board.table.index_of(pair_id)
    assert target is not None, f"pair {pair_id} is not listed"
    while board.table.cursor_row != target:
        await pilot.press("j" if board.table.cursor_row < target else "k")
    await pilot.pause()
    assert board.table.current is not None and board.table.current.id == pair_id


async def test_topics_sorted_by_contradictions(seed_db: tuple[Path, SampleIds]) -> None:
    path, _ = seed_db
    app = BoardApp(path, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "All topics" in text
        rows = app.data.summaries()[1:]
        assert [r.contradictions for r in rows] == sorted(
            (r.contradictions for r in rows), reverse=True
        )
        assert rows[0].title == "troops · withdrawal · border"
        assert text.index("troops · withdrawal") < text.index("diplomacy · de-escalation")


async def test_tag_moscow_versus_cnn_as_contradiction(seed_db: tuple[Path, SampleIds]) -> None:
    path, _ = seed_db
    app = BoardApp(path, "alice", advance="stay")
    async with app.run_test(size=SIZE) as pilot:
        board = await open_topic(pilot, 1)
        # Find the pair on screen by its text, as the analyst does: search, then walk.
        await pilot.press("slash", *"massing", "enter")
        await pilot.pause()
        wanted = next(
            p
            for p in board.table.rows_
            if {WITHDRAWAL in p.a.text, WITHDRAWAL in p.b.text} == {True, False}
            and MASSING in (p.a.text + p.b.text)
        )
        await go_to(pilot, board, wanted.id)
        pane = screen_text(app)
        assert "CLAIM" in pane and "COUNTERCLAIM" in pane and "Moscow" in pane and "CNN" in pane
        await pilot.press("c")
        await pilot.pause()
        assert board.table.current.status == TAGGED
        rows = fresh_rows(
            path,
            "SELECT t.label, ca.text || ' || ' || cb.text FROM tags t JOIN pairs p ON p.id=t.pair_id"
            " JOIN claims ca ON ca.id=p.a_id JOIN claims cb ON cb.id=p.b_id WHERE t.analyst='alice'",
        )
    assert len(rows) == 1
    label, texts = rows[0]
    assert label == "contradiction"
    assert WITHDRAWAL in texts and MASSING in texts


async def test_filter_by_label_and_status(seed_db: tuple[Path, SampleIds]) -> None:
    path, ids = seed_db
    app = BoardApp(path, "alice")
    async with app.run_test(size=SIZE) as pilot:
        board = await open_topic(pilot, 0)
        everything = len(board.table.rows_)
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FilterScreen)
        app.screen.query_one("#filter-label", Select).value = "agreement"
        app.screen.query_one("#filter-status", Select).value = UNTAGGED
        await pilot.click("#apply")
        await pilot.pause()
        await pilot.pause()
        assert app.screen is board
        shown = board.table.rows_
        assert shown and len(shown) < everything
        assert all(p.label == "agreement" and p.status == UNTAGGED for p in shown)
        assert ids.pair("s13", "s17") not in {p.id for p in shown}  # agreement, but tagged
        assert "filters: label=agreement, status=untagged" in screen_text(app)
        # Side filter through the command palette's provider.
        hits = [h async for h in BoardCommands(board).search("show only side Russia")]
        best = max(hits, key=lambda h: h.score)
        best.command()
        await pilot.pause()
        await pilot.pause()
        assert board.filters.side == "Russia"
        assert all("Russia" in (p.a.side, p.b.side) for p in board.table.rows_)
        await pilot.press("x")
        await pilot.pause()
        await pilot.pause()
        assert len(board.table.rows_) == everything


async def test_undo_retracts_without_deleting(seed_db: tuple[Path, SampleIds]) -> None:
    path, _ = seed_db
    app = BoardApp(path, "alice", advance="stay")
    async with app.run_test(size=SIZE) as pilot:
        board = await open_topic(pilot, 1)
        first = board.table.current
        await pilot.press("u")
        await pilot.press("j", "c")
        await pilot.pause()
        second = board.table.current
        assert first.status == TAGGED and second.status == TAGGED
        await pilot.press("z")
        await pilot.pause()
        assert second.status == UNTAGGED and first.status == TAGGED
        await pilot.press("z", "z")  # the second z finds nothing of alice's left: no crash
        await pilot.pause()
        assert first.status == UNTAGGED
    tags = fresh_rows(path, "SELECT id, label FROM tags WHERE analyst='alice' ORDER BY id")
    assert [label for _, label in tags] == ["unrelated", "contradiction"]  # append-only
    retracted = fresh_rows(path, "SELECT tag_id FROM tag_retractions")
    assert sorted(r[0] for r in retracted) == [t[0] for t in tags]
    store = Store(path)
    try:  # retracted tags never reach training: the sample's two verdicts remain (its third
        # pair is bob-versus-carol, an open conflict, which trains nothing)
        assert len(training_examples(store)) == 2
    finally:
        store.close()


async def test_next_untagged_skips_tagged(seed_db: tuple[Path, SampleIds]) -> None:
    path, ids = seed_db
    app = BoardApp(path, "alice")
    async with app.run_test(size=SIZE) as pilot:
        board = await open_topic(pilot, 0)
        rows = board.table.rows_
        start = board.table.index_of(ids.pair("s8", "s26"))
        assert rows[start + 1].id == ids.pair("s20", "s26")  # the next row is tagged (conflict)
        await go_to(pilot, board, ids.pair("s8", "s26"))
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert board.table.current.id == ids.pair("s0", "s9")
        assert board.table.current.status == UNTAGGED


async def test_most_uncertain_goes_on_when_pressed_again(seed_db: tuple[Path, SampleIds]) -> None:
    path, ids = seed_db
    app = BoardApp(path, "alice")
    async with app.run_test(size=SIZE) as pilot:
        board = await open_topic(pilot, 0)
        await pilot.press("question_mark")
        await pilot.pause()
        assert board.table.current.id == ids.pair("s17", "s24")  # p(contradiction) 0.49
        await pilot.press("question_mark")
        await pilot.pause()
        assert board.table.current.id == ids.pair("d8", "s2")  # 0.52


async def test_conflict_is_marked_and_settled(seed_db: tuple[Path, SampleIds]) -> None:
    path, ids = seed_db
    app = BoardApp(path, "alice", advance="stay", reviewers=("alice",))
    async with app.run_test(size=SIZE) as pilot:
        board = await open_topic(pilot, 0)
        await go_to(pilot, board, ids.pair("s20", "s26"))
        assert board.table.current.status == CONFLICT
        assert "analysts disagree" in screen_text(app)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SettleScreen)
        await pilot.press("a")
        await pilot.pause()
        assert board.table.current.status == SETTLED
        assert board.table.current.verdict == "agreement"
        assert "settled as agreement" in screen_text(app)
    rows = fresh_rows(path, "SELECT label, kind FROM tags WHERE analyst='alice'")
    assert rows == [("agreement", "settle")]


async def test_markup_and_escapes_render_literally(tmp_path: Path) -> None:
    path = tmp_path / "hostile.db"
    ids = build_seed_db(path, hostile=True)
    app = BoardApp(path, "[b]eve[/b]")
    async with app.run_test(size=SIZE) as pilot:
        board = await open_topic(pilot, 0)
        await go_to(pilot, board, ids.pair("h0", "s20"))
        shown = "[bold]x[/bold] [/foo] \\x1b[31mred\\x1b[0m"
        cards = [c.content.plain for c in app.screen.query(".card-body").results(Static)]
        assert any(shown in c for c in cards)
        assert any("[red]Evil[/red] Outlet" in c for c in cards)
        text = screen_text(app)
        assert shown[:30] in text  # the table cell, cut to its width
        assert "[i]Officials[/i]" in text
        assert "[b]eve[/b]" in text  # the analyst's name is data too
        assert "\x1b" not in text and "\x07" not in text
        await pilot.press("c")
        await pilot.pause()
    assert fresh_rows(path, "SELECT analyst, pair_id FROM tags WHERE analyst LIKE '%eve%'") == [
        ("[b]eve[/b]", ids.pair("h0", "s20"))
    ]
    assert (
        HOSTILE_TEXT in fresh_rows(path, "SELECT text FROM claims WHERE id=?", ids.claims["h0"])[0]
    )


async def test_help_is_built_from_bindings(seed_db: tuple[Path, SampleIds]) -> None:
    path, _ = seed_db
    app = BoardApp(path, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await open_topic(pilot, 1)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        board = app.screen_stack[-2]
        rows = {keys: what for _, keys, what in app.screen.rows}
        # every binding of the board is listed, with its long description
        for binding in board.BINDINGS:
            assert rows[app.get_key_display(binding)] == binding.tooltip
        assert rows["c"] == "Tag the pair: contradiction"
        assert any("j" in keys and "↓" in keys for keys in rows)
        assert rows["f1"] == "Show every key"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BoardScreen)


async def test_export_runs_in_a_worker(seed_db: tuple[Path, SampleIds]) -> None:
    path, _ = seed_db
    app = BoardApp(path, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await open_topic(pilot, 1)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        await pilot.click("#export")
        await settle(pilot)
    report = path.with_name("board-report.md")
    assert report.read_text(encoding="utf-8").startswith("# Contradiction report")


async def test_retrain_worker_reports_and_reloads(
    seed_db: tuple[Path, SampleIds], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker plumbing, with training replaced by a stub (the real one takes minutes)."""
    path, _ = seed_db
    seen: list[int] = []

    def fake_retrain(db_path: str, log) -> dict:
        log("training with 4 analyst tags")
        store = Store(db_path)
        try:
            seen.append(len(training_examples(store)))
            store.meta.stance_model = "retrained-v1"
        finally:
            store.close()
        return {"version": "retrained-v1", "heldout": {"all": {"macro_f1": 0.5}}}

    monkeypatch.setattr("tui.app.retrain", fake_retrain)
    app = BoardApp(path, "alice")
    async with app.run_test(size=SIZE) as pilot:
        await open_topic(pilot, 1)
        await pilot.press("r", "y")
        await settle(pilot)
        await settle(pilot)  # the reload the retrain started
        assert seen == [2]
        assert app.data.model == "retrained-v1"
        assert app.data.pairs == []  # no suggestions under the new name in this stub


def test_session_undo_is_append_only(seed_db: tuple[Path, SampleIds]) -> None:
    path, ids = seed_db
    session = AnalystSession(path)
    try:
        tag = session.tag(ids.pair("s13", "s20"), "contradiction", "dora")
        assert session.undo("dora") == tag
        assert session.undo("dora") is None
    finally:
        session.close()
    assert fresh_rows(path, "SELECT COUNT(*) FROM tags WHERE analyst='dora'") == [(1,)]


def test_run_board_refuses_a_missing_database(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    assert run_board(str(tmp_path / "nope.db"), "alice") == 2
    assert "no such database" in capsys.readouterr().err
    assert not (tmp_path / "nope.db").exists()


async def test_checkworthiness_threshold_hides_claims_and_counts_them(
    seed_db: tuple[Path, SampleIds],
) -> None:
    path, ids = seed_db
    store = Store(path)
    claim_ids = [r["id"] for r in store.claim_rows()]
    low = set(claim_ids[::3])  # every third claim scores low
    store.set_checkworthy((cid, 0.1 if cid in low else 0.9) for cid in claim_ids)
    store.close()
    app = BoardApp(path, "alice")
    async with app.run_test(size=SIZE) as pilot:
        board = await open_topic(pilot, 0)
        everything = len(board.table.rows_)
        await pilot.press("f")
        await pilot.pause()
        app.screen.query_one("#filter-checkworthy").value = "0.5"
        await pilot.click("#apply")
        await pilot.pause()
        await pilot.pause()
        shown = board.table.rows_
        assert 0 < len(shown) < everything
        assert not any(p.a.id in low or p.b.id in low for p in shown)
        hidden = sum(1 for c in board.data.topic_claims(board.topic) if c.id in low)
        assert f"{hidden} claims hidden as not check-worthy" in screen_text(app)


async def test_a_tag_redraws_the_pairs_it_reaches_with_the_clis_value(
    seed_db: tuple[Path, SampleIds],
) -> None:
    """A verdict reaches the pairs that share a claim with it (``verify.stages.tag_reach``): the
    board redraws their numbers in place, the same as `disputes --pairs` gives after the tag."""
    from verify.views import listings as views

    path, _ = seed_db
    app = BoardApp(path, "alice", advance="stay")
    async with app.run_test(size=SIZE) as pilot:
        board = await open_topic(pilot, 0)
        wanted = next(
            p
            for p in board.table.rows_
            if {WITHDRAWAL in p.a.text, WITHDRAWAL in p.b.text} == {True, False}
            and MASSING in (p.a.text + p.b.text)
        )
        await go_to(pilot, board, wanted.id)
        ends = {wanted.a.id, wanted.b.id}
        beside = [p for p in board.table.rows_ if p is not wanted and {p.a.id, p.b.id} & ends]
        before = {p.id: dict(p.probs) for p in beside}
        await pilot.press("c")
        await pilot.pause()
        store = Store(path)
        try:
            cli = {d["id"]: d["probs"] for d in views.disputes(store) if d.get("id") is not None}
        finally:
            store.close()
        moved = [p for p in beside if p.probs != before[p.id]]
        assert moved  # the tag reached some of its neighbours
        for p in board.table.rows_:
            assert p.probs == pytest.approx(cli[p.id], abs=1e-9), p.id
        shown = screen_text(app)
        assert any(f"{p.id:>6} {p.confidence:4.2f}" in shown for p in moved)
