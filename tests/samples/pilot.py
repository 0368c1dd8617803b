"""Helpers for Pilot tests and the benchmark (not used by the app itself)."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

from rich.console import Console
from textual.app import App
from textual.pilot import Pilot


def screen_text(app: App) -> str:
    """The screen as plain text, exactly as drawn (what ``export_screenshot`` draws, unstyled)."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(
        app.screen._compositor.render_update(  # as export_screenshot does
            full=True, screen_stack=app._background_screens
        )
    )
    return console.export_text()


async def settle(pilot: Pilot) -> None:
    """Wait for every worker (the data load) and for the messages it posted."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def fresh_rows(path: Path, sql: str, *args: object) -> list[tuple]:
    """Read the file through a new connection: what a crash right now would leave."""
    db = sqlite3.connect(path)
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()
