"""Pilot tests of the tagging flow, the quick filters, reading a pair, the source article, the
layout at 80x24 and 200x60, and the one action table, on the seed board's real SQLite file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from samples.board import HOSTILE_TEXT, SampleIds, build_seed_db
from samples.pilot import screen_text, settle
from textual.widgets import Input

from tui.actions import ACTIONS
from tui.app import BoardApp
from tui.board import BoardScreen
from tui.commands import BoardCommands
from tui.modals import ArticleScreen, HelpScreen, NoteScreen
from verify.analysts.review import CONFLICT, UNTAGGED

pytestmark = pytest.mark.anyio

SMALL, LARGE = (80, 24), (200, 60)


@pytest.fixture
def seed_db(tmp_path: Path) -> tuple[Path, SampleIds]:
    path = tmp_path / "board.db"
    return path, build_seed_db(path, hostile=True)


def rows(path: Path, sql: str, *args: object) -> list[tuple]:
    db = sqlite3.connect(path)
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()


async def open_all(pilot) -> BoardScreen:
    await settle(pilot)
    await pilot.press("enter")  # "All topics"
    await pilot.pause()
    assert isinstance(pilot.app.screen, BoardScreen)
    return pilot.app.screen


async def test_tag_confirms_and_moves_to_the_next_untagged(seed_db) -> None:
    path, ids = seed_db
    app = BoardApp(path, "alice")  # default: advance to the next untagged pair
    async with app.run_test(size=SMALL) as pilot:
        board = await open_all(pilot)
        first = board.table.current
        await pilot.press("c")
        await pilot.pause()
        after = board.table.current
        assert after.id != first.id and after.status == UNTAGGED
        assert board.table.cursor_row > board.table.index_of(first.id)
        toasts = [n.message for n in app._notifications]
        assert any(
            f"pair #{first.id} tagged contradiction" in m and "reviewed" in m for m in toasts
        )
        # m cycles the setting: untagged -> next -> stay
        await pilot.press("m", "m")
        assert app.ctx.advance == "stay"
        await pilot.press("a")
        await pilot.pause()
        assert board.table.current.id == after.id
    assert rows(path, "SELECT pair_id, label FROM tags WHERE analyst='alice' ORDER BY id") == [
        (first.id, "contradiction"),
        (after.id, "agreement"),
    ]


async def test_progress_per_topic_and_analyst_in_the_title(seed_db) -> None:
    path, _ = seed_db
    app = BoardApp(path, "alice")
    async with app.run_test(size=SMALL) as pilot:
        board = await open_all(pilot)
        total = len(board.data.pairs)
        before = board.data.summary(None)
        assert f"{before.reviewed} of {total} reviewed, 1 conflict" in screen_text(app)
        await pilot.press("u")
        await pilot.pause()
        text = screen_text(app)
        assert f"{before.reviewed + 1} of {total} reviewed" in text
        assert "alice 1" in text


async def test_note_on_my_tag_is_stored_and_shown_literally(seed_db) -> None:
    path, _ = seed_db
    app = BoardApp(path, "alice", advance="stay")
    hostile = "[red]not red[/red] \x1b[2J gone?"
    async with app.run_test(size=SMALL) as pilot:
        board = await open_all(pilot)
        pair = board.table.current
        await pilot.press("N")  # no tag of mine yet: refused with a hint
        await pilot.pause()
        assert not isinstance(app.screen, NoteScreen)
        await pilot.press("n", "N")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        app.screen.query_one("#note-text", Input).value = hostile
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is board
        assert "[red]not red[/red] \\x1b[2J gone?" in screen_text(app)
    assert rows(
        path, "SELECT pair_id, label, note FROM tags WHERE analyst='alice' ORDER BY id"
    ) == [(pair.id, "neutral", ""), (pair.id, "neutral", hostile)]


async def test_quick_filters_on_one_key(seed_db) -> None:
    path, ids = seed_db
    app = BoardApp(path, "alice")
    async with app.run_test(size=SMALL) as pilot:
        board = await open_all(pilot)
        everything = len(board.table.rows_)
        await pilot.press("3")
        await pilot.pause()
        await pilot.pause()
        assert [p.id for p in board.table.rows_] == [ids.pair("s20", "s26")]
        assert all(p.status == CONFLICT for p in board.table.rows_)
        await pilot.press("2")  # untagged replaces conflict (both are the status filter)
        await pilot.pause()
        await pilot.pause()
        assert board.table.rows_ and all(p.status == UNTAGGED for p in board.table.rows_)
        await pilot.press("1")  # and the model's label on top
        await pilot.pause()
        await pilot.pause()
        shown = board.table.rows_
        assert shown and all(p.label == "contradiction" and p.status == UNTAGGED for p in shown)
        await pilot.press("1", "2")  # the same keys turn them off
        await pilot.pause()
        await pilot.pause()
        assert len(board.table.rows_) == everything


async def test_read_the_pair_and_open_the_article(seed_db) -> None:
    path, ids = seed_db
    app = BoardApp(path, "alice")
    async with app.run_test(size=SMALL) as pilot:
        board = await open_all(pilot)
        await pilot.press("3")  # the conflict pair: Bellingcat's Grozev against CNN
        await pilot.pause()
        await pilot.pause()
        await pilot.press("v")
        await pilot.pause()
        assert board.has_class("-reading") and not board.table.display
        text = screen_text(app)
        assert "CLAIM" in text and "COUNTERCLAIM" in text
        await pilot.press("escape")
        await pilot.pause()
        assert not board.has_class("-reading")
        await pilot.press("enter")  # enter on a row reads it too
        await pilot.pause()
        assert board.has_class("-reading")
        await pilot.press("v", "o")
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)
        pair = board.table.current
        text = screen_text(app)
        assert "URL" in text
        body = str(app.screen.query_one("#article-body").content)
        claim = app.screen.claims[0]
        stored = rows(path, "SELECT text FROM articles WHERE id=?", claim.article_id)[0][0]
        assert body == stored.replace("\x07", "\\x07")  # the whole article, escaped only
        await pilot.press("tab")
        await pilot.pause()
        assert app.screen.shown == 1 and app.screen.claims[1].id in (pair.a.id, pair.b.id)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is board


async def test_hostile_article_shows_literally(seed_db) -> None:
    path, ids = seed_db
    app = BoardApp(path, "alice")
    async with app.run_test(size=LARGE) as pilot:
        board = await open_all(pilot)
        target = board.table.index_of(ids.pair("h0", "s20"))
        while board.table.cursor_row != target:
            await pilot.press("j")
        await pilot.press("o")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        if screen.claims[0].id != ids.claims["h0"]:
            await pilot.press("tab")
            await pilot.pause()
        text = screen_text(app)
        assert "[bold]x[/bold] [/foo] \\x1b[31mred\\x1b[0m" in text
        assert "[blink]Breaking[/blink]" in text and "\x1b" not in text
        assert HOSTILE_TEXT not in text  # the raw escape never reaches the terminal


async def test_small_terminal_is_usable(seed_db) -> None:
    path, _ = seed_db
    app = BoardApp(path, "alice")
    async with app.run_test(size=SMALL) as pilot:
        board = await open_all(pilot)
        text = screen_text(app)
        lines = text.splitlines()
        assert "q Quit" in lines[-1] and "palette" in lines[-1]  # the footer is not cut
        assert "CLAIM" in text and "COUNTERCLAIM" in text
        pair = board.table.current
        assert pair.a.text[:12] in text or pair.b.text[:12] in text
        visible_rows = board.table.size.height - 1
        assert visible_rows >= 5
        assert not board.query_one("#sides").display  # side columns out of the way ...
        await pilot.press("l")  # ... and one key away
        await pilot.pause()
        assert board.query_one("#sides").display


async def test_large_terminal_grows_the_claim_columns(seed_db) -> None:
    path, _ = seed_db
    widths = {}
    for size in (SMALL, LARGE):
        app = BoardApp(path, "alice")
        async with app.run_test(size=size) as pilot:
            board = await open_all(pilot)
            columns = list(board.table.columns.values())
            widths[size] = columns[1].width
            assert board.query_one("#sides").display == (size == LARGE)
            assert board.table.size.height + board.query_one("#pane").size.height >= size[1] // 2
    assert widths[LARGE] > 70 > 30 > widths[SMALL] >= 12  # was 58 at every size


async def test_every_action_is_in_help_and_palette_and_the_footer_fits(seed_db) -> None:
    path, _ = seed_db
    app = BoardApp(path, "alice")
    async with app.run_test(size=SMALL) as pilot:
        board = await open_all(pilot)
        palette = {h.text: h.help async for h in BoardCommands(board).discover()}
        for a in (*ACTIONS["board"], *ACTIONS["app"]):
            if a.key != "escape":
                assert palette[a.long].startswith("key ")
        await settle(pilot)  # the footer fills in after the screen's first refresh
        footer = screen_text(app).splitlines()[-1]
        for a in ACTIONS["board"]:
            if a.footer:
                assert (
                    f"{app.get_key_display(board._bindings.key_to_bindings[a.key][0])} {a.short}"
                    in footer
                )
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        described = {what for _, _, what in app.screen.rows}
        assert {a.long for a in (*ACTIONS["board"], *ACTIONS["app"])} <= described
        # the palette runs the row's action as its key would: "only untagged pairs"
        await pilot.press("escape")
        hits = [h async for h in BoardCommands(board).search("quick filter only untagged")]
        await max(hits, key=lambda h: h.score).command()
        await pilot.pause()
        await pilot.pause()
        assert board.filters.status == UNTAGGED
