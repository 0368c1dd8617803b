"""Snapshots of every screen and modal of the board at 80x24 and 160x48 (pytest-textual-snapshot;
Textual pinned in pyproject.toml).

Update after an intended change of the look: pytest tests/test_tui_snapshots.py --snapshot-update"""

from __future__ import annotations

from pathlib import Path

import pytest
from samples.board import build_seed_db
from samples.board_props import add_sample_propositions
from samples.pilot import settle

from tui.app import BoardApp

SIZES = {"80x24": (80, 24), "160x48": (160, 48)}
# Keys from the start (the topics screen). "enter" opens "All topics"; on the most disputed topic
# ("j", "enter"), the 12th pair is bob's and carol's conflict (the markup claim's row is listed).
CONFLICT = ["j", "enter", *["j"] * 11]
SCREENS = {
    "topics": [],
    "board": CONFLICT,
    "board_reading": [*CONFLICT, "v"],
    "board_sides": [*CONFLICT, "l"],
    "help": ["enter", "f1"],
    "filters": ["enter", "f"],
    "export": ["enter", "e"],
    "confirm_retrain": ["enter", "r"],
    "settle": [*CONFLICT, "s"],
    "note": [*CONFLICT, "N"],  # bob's and carol's pair: alice tags it first (stays: advance)
    "article": [*CONFLICT, "o"],
    "team": [*CONFLICT, "g"],
    "correct": [*CONFLICT, "E"],
}


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> BoardApp:
    # A relative path from a fixed working directory: the export dialog shows a path derived from
    # the database's, which must not carry the temporary folder's name into the snapshot.
    monkeypatch.chdir(tmp_path)
    db = Path("board.db")
    build_seed_db(db, hostile=True)
    # advance="stay" keeps the cursor where the keys put it; alice may settle bob's and carol's
    # cursor_blink=False: a text cursor caught mid-blink made a snapshot depend on timing.
    return BoardApp(db, "alice", reviewers=("alice",), advance="stay", cursor_blink=False)


def keys_then_quiet(keys: list[str]):
    """Wait for the load, press the keys, then drop the toasts (they time out: not stable)."""

    async def run(pilot) -> None:
        await settle(pilot)
        await pilot.press(*keys)
        await settle(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    return run


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", SCREENS)
def test_screen(snap_compare, app: BoardApp, screen: str, size: str) -> None:
    keys = SCREENS[screen]
    if screen == "note":
        keys = [*keys[:-1], "c", keys[-1]]  # a note needs a tag of alice's on the pair
    assert snap_compare(app, terminal_size=SIZES[size], run_before=keys_then_quiet(keys))


@pytest.mark.parametrize("size", SIZES)
def test_propositions(snap_compare, tmp_path: Path, size: str) -> None:
    """The proposition screen of the most disputed topic: the seed's withdrawal proposition."""
    db = tmp_path / "board.db"
    add_sample_propositions(db, build_seed_db(db, hostile=True), hostile=True)
    app = BoardApp(db, "alice", advance="stay", cursor_blink=False)
    assert snap_compare(app, terminal_size=SIZES[size], run_before=keys_then_quiet(["j", "p"]))
