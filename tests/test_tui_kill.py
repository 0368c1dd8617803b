"""A tag survives the app being killed (SIGKILL, no clean shutdown) right after the keypress:
the real `counterclaim board` in a real pseudo-terminal, the real SQLite file."""

from __future__ import annotations

import os
import pty
import select
import signal
import sqlite3
import sys
import time
from pathlib import Path

import pytest
from samples.board import build_seed_db

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")


def _read_until(fd: int, needle: bytes, timeout: float) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while needle not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
    return seen


def _tags(db: Path) -> list[tuple[str, str]]:
    """The tags as another process sees them now (a fresh connection)."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT analyst, label FROM tags").fetchall()
    finally:
        conn.close()


def _poll(check, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False


def test_tag_is_in_the_database_after_sigkill(tmp_path: Path) -> None:
    db = tmp_path / "board.db"
    build_seed_db(db, tags=False)
    env = {
        **os.environ,
        "COUNTERCLAIM_ANALYST": "kim",
        "HF_HUB_OFFLINE": "1",
        "TERM": "xterm-256color",
        "COLUMNS": "150",
        "LINES": "45",
    }
    pid, fd = pty.fork()
    if pid == 0:  # child: the real console script's code path
        os.execvpe(
            sys.executable, [sys.executable, "-m", "verify.cli", "board", "--db", str(db)], env
        )
    try:
        # "All topics" is a row of the loaded data (the header draws before the worker is done).
        assert b"All topics" in _read_until(fd, b"All topics", 60), "topics never loaded"
        os.write(fd, b"\r")  # open the first topic's board
        # The title is drawn once the pairs are in the table: a key now acts on a pair.
        assert b"pairs shown" in _read_until(fd, b"pairs shown", 30), "board never drew"
        os.write(fd, b"c")  # tag the selected pair as a contradiction
        # Committed while the app runs: no quit, no flush, no clean exit before the kill.
        assert _poll(lambda: _tags(db) != [], 30), "the tag never reached the database"
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
    assert _tags(db) == [("kim", "contradiction")]
