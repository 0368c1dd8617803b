"""Snapshots of the board (pytest-textual-snapshot; Textual pinned in pyproject.toml).

Update after an intended change of the look: pytest tests/test_tui_snapshots.py --snapshot-update"""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.app import BoardApp
from tui.sample import build_seed_db
from tui.testing import settle


@pytest.fixture
def app(tmp_path: Path) -> BoardApp:
    db = tmp_path / "board.db"
    build_seed_db(db, hostile=True)
    return BoardApp(db, "alice")


def test_topics_screen(snap_compare, app: BoardApp) -> None:
    assert snap_compare(app, terminal_size=(120, 24), run_before=settle)


def test_board_with_a_conflict(snap_compare, app: BoardApp) -> None:
    # The most disputed topic, cursor on bob's and carol's disagreement (the 12th pair); the
    # markup claim's row is on screen too, shown literally.
    assert snap_compare(app, press=["j", "enter", *["j"] * 11], terminal_size=(140, 44),
                        run_before=settle)


def test_help_screen(snap_compare, app: BoardApp) -> None:
    assert snap_compare(app, press=["enter", "f1"], terminal_size=(120, 44), run_before=settle)
