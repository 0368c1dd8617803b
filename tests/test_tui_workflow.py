"""The tagging flow an analyst expects from Prodigy or Argilla, driven by keys on the seed board's
real SQLite file: one key per label then the next item of the same list, a skip key, Home / End,
focus never lost, the claim readable at 80x24, progress, and the correction dialog by keyboard."""

from __future__ import annotations

from pathlib import Path

import pytest
from samples.board import SampleIds, build_seed_db
from samples.board_props import add_sample_propositions
from samples.pilot import fresh_rows, screen_text, settle
from textual.widgets import Button, Checkbox, Input

from tui.app import BoardApp
from tui.board import BoardScreen
from tui.correct import CorrectScreen
from tui.prop_parts import StanceColumn
from tui.propositions import PropositionScreen

pytestmark = pytest.mark.anyio

SMALL = (80, 24)


@pytest.fixture
def seed_db(tmp_path: Path) -> tuple[Path, SampleIds]:
    path = tmp_path / "board.db"
    return path, build_seed_db(path, hostile=True)


def tag_rows(path: Path) -> list[tuple]:
    return fresh_rows(path, "SELECT pair_id, analyst, label FROM tags ORDER BY id")


async def open_topic(pilot) -> BoardScreen:
    """The most disputed topic's board (row 1 of the topics screen)."""
    await settle(pilot)
    await pilot.press("j", "enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, BoardScreen)
    return pilot.app.screen


async def test_skip_home_end_and_focus_back_after_reading(seed_db) -> None:
    path, _ = seed_db
    app = BoardApp(path, "alice", advance="stay")
    async with app.run_test(size=SMALL) as pilot:
        board = await open_topic(pilot)
        table, before = board.table, tag_rows(path)
        first = table.current
        await pilot.press("space")  # skip: on to the next pair, nothing written
        assert table.cursor_row == 1 and tag_rows(path) == before
        await pilot.press("end")
        assert table.cursor_row == len(table.rows_) - 1
        await pilot.press("home")
        assert table.cursor_row == 0 and table.current.id == first.id
        await pilot.press("j", "j")
        reading = table.current
        await pilot.press("v")
        assert board.has_class("-reading") and app.focused is not table
        await pilot.press("tab", "escape")  # focus in the other claim card, then back
        assert not board.has_class("-reading") and app.focused is table
        await pilot.press("c")  # the pair that was being read, not another
        await pilot.pause()
        assert tag_rows(path)[len(before) :] == [(reading.id, "alice", "contradiction")]


def _card_text(text: str, side: int) -> str:
    """One claim card's words, from the screen lines split at the cards' border."""
    cards = [line.split("▕") for line in text.splitlines() if line.count("▕") == 1]
    words = " ".join(parts[side] for parts in cards).split()
    return " ".join(w for w in words if w.strip(SCROLLBAR))  # the scrollbar's thumb is no text


SCROLLBAR = "▁▂▃▄▅▆▇█"


async def test_the_claims_are_readable_at_80x24(seed_db) -> None:
    """At least two full lines (here: a dozen words) of each claim in the pair pane, without v."""
    path, _ = seed_db
    app = BoardApp(path, "alice", advance="stay")
    async with app.run_test(size=SMALL) as pilot:
        board = await open_topic(pilot)
        for _ in range(3):
            left, right = board.table.current.oriented(None)
            text = screen_text(app)
            for side, claim in ((0, left), (1, right)):
                words = " ".join(claim.text.split()[:12])
                assert words in _card_text(text, side), (claim.id, words)
            await pilot.press("j")
            await pilot.pause()


async def test_tagging_the_propositions_works_down_one_column(tmp_path: Path) -> None:
    path = tmp_path / "props.db"
    add_sample_propositions(path, build_seed_db(path, hostile=True), hostile=True)
    app = BoardApp(path, "alice")
    async with app.run_test(size=(150, 48)) as pilot:
        await settle(pilot)
        await pilot.press("j", "p")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PropositionScreen)
        column = screen.query_one("#supporters", StanceColumn)
        first = column.claim_id
        second = column.next_claim(first)
        assert first is not None and second is not None
        total = sum(len(screen.current[g]) for g in ("supporters", "refuters", "others"))
        await pilot.press("x")  # refutes: the claim leaves the supporters' column ...
        await pilot.pause()
        # ... and the cursor goes on down the same column, to the next supporter.
        assert app.focused is column and screen.claim_id == second
        assert column.index_of(first) is None
        assert f"1 of {total} tagged (1 by you)" in screen_text(app)
        third = column.next_claim(second)
        await pilot.press("space")  # skip: no tag
        assert screen.claim_id == third and app.focused is column
        assert column.next_claim(third) is None  # the column's last claim
        await pilot.press("s")  # supports: it stays in this column, the last: the cursor too
        await pilot.pause()
        assert app.focused is column and screen.claim_id == third
        assert f"2 of {total} tagged (2 by you)" in screen_text(app)
        await pilot.press("z")  # undo is still one key
        await pilot.pause()
        assert f"1 of {total} tagged (1 by you)" in screen_text(app)


async def test_the_correction_dialog_in_reading_order(seed_db) -> None:
    path, _ = seed_db
    app = BoardApp(path, "alice", advance="stay", cursor_blink=False)
    async with app.run_test(size=SMALL) as pilot:
        board = await open_topic(pilot)
        left, right = board.table.current.oriented(None)
        await pilot.press("E")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, CorrectScreen) and dialog.claim.id == left.id
        order = []
        for _ in range(6):
            focused = app.focused
            order.append(focused.id if focused is not None else None)
            await pilot.press("tab")
        assert order == [
            "correct-speaker",
            "correct-actor",
            "correct-side",
            "correct-not-claim",
            "save",
            "cancel",
        ]
        assert isinstance(dialog.query_one("#correct-not-claim"), Checkbox)
        assert isinstance(dialog.query_one("#save"), Button)
        hint = screen_text(app)
        assert "ctrl+o: other claim" in hint and "tab / shift+tab" in hint
        await pilot.press("ctrl+o")
        assert dialog.claim.id == right.id and app.focused.id == "correct-speaker"
        assert isinstance(app.focused, Input) and app.focused.cursor_blink is False
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is board and app.focused is board.table


async def test_the_board_reads_the_new_values_after_stance_tags(tmp_path: Path) -> None:
    """A stance tag moves the values of the pairs on its proposition: back on the board, every
    pair shows what `disputes --pairs` shows (verify.stages.pair_value), not the values it loaded."""
    from verify.store.database import Store
    from verify.views import listings as views

    def engine_values() -> dict[int, float]:
        store = Store(path)
        try:
            return {d["id"]: round(d["confidence"], 6) for d in views.disputes(store) if d["id"]}
        finally:
            store.close()

    path = tmp_path / "props.db"
    add_sample_propositions(path, build_seed_db(path, hostile=True), hostile=True)
    before = engine_values()
    app = BoardApp(path, "alice")
    async with app.run_test(size=(150, 48)) as pilot:
        await settle(pilot)
        assert {p.id: round(p.confidence, 6) for p in app.data.pairs} == before
        await pilot.press("j", "p")
        await settle(pilot)
        await pilot.press("x", "x", "l", "s")  # two supporters refute, a refuter supports
        await pilot.pause()
        await pilot.press("b")
        await settle(pilot)
        after = engine_values()
        assert after != before  # the tags moved some values ...
        assert {p.id: round(p.confidence, 6) for p in app.data.pairs} == after  # ... on the board
