"""`counterclaim watch`: real watcher processes on a real SQLite store. A file dropped in is
ingested; a half-written file waits until it stops changing; a file that cannot be read gets one
line and the watcher goes on; a second watcher on the store is refused, a killed one leaves no
lock behind; SIGTERM between runs leaves every run finished, during one marks it interrupted and
the next `run` finishes the work."""

from __future__ import annotations

import queue
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from verify.stages.watcher import FolderPoll
from verify.store.database import Store

REPO = Path(__file__).resolve().parents[1]
SEEDS = sorted((REPO / "seeds").glob("*.txt"))
GUARD = 240  # seconds: only so that a hung watcher fails the test instead of hanging it
CLI = [sys.executable, "-m", "verify.cli"]


class Watcher:
    """A `counterclaim watch` process whose stderr lines are read on a thread."""

    def __init__(self, folder: Path, db: Path) -> None:
        self.proc = subprocess.Popen(
            [*CLI, "watch", str(folder), "--db", str(db), "--interval", "0.2"],
            cwd=REPO,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def wait_for(self, start: str) -> str:
        while True:
            line = self.lines.get(timeout=GUARD)
            assert line is not None, f"watcher ended before {start!r}: {self.seen}"
            self.seen.append(line)
            if line.startswith(start):
                return line

    def stop(self, sig: int = signal.SIGTERM) -> tuple[int, list[str]]:
        self.proc.send_signal(sig)
        code = self.proc.wait(timeout=GUARD)
        while (line := self.lines.get(timeout=GUARD)) is not None:
            self.seen.append(line)
        return code, self.seen


def watching(folder: Path, db: Path) -> Watcher:
    """A watcher on ``folder`` that has said it is watching (killed if it never does)."""
    w = Watcher(folder, db)
    try:
        w.wait_for("watching ")
    except BaseException:
        w.proc.kill()
        w.proc.wait(timeout=GUARD)
        raise
    return w


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    """One `counterclaim` command in a fresh process, its output captured."""
    return subprocess.run([*CLI, *args], cwd=REPO, capture_output=True, text=True, timeout=GUARD)


@pytest.fixture
def folder_and_db(tmp_path: Path) -> tuple[Path, Path]:
    """The watched folder (made) and the store's path (not yet made)."""
    (tmp_path / "in").mkdir()
    return tmp_path / "in", tmp_path / "s.db"


def _rows(db: Path, sql: str) -> list[tuple]:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_a_file_that_is_still_changing_waits(tmp_path: Path) -> None:
    poll = FolderPoll(tmp_path)
    f = tmp_path / "a.txt"
    f.write_text("Half of it")
    assert poll.poll()[0] == []  # first seen: not yet known to be still
    with f.open("a") as out:
        out.write(", and the rest.")
    assert poll.poll()[0] == []  # it changed since: still being written
    assert poll.poll()[0] == [f]  # unchanged over one poll: ready
    poll.done([f])
    assert poll.poll()[0] == []  # ingested as it is
    f.write_text("Edited later, and longer than before.")
    assert poll.poll()[0] == []
    assert poll.poll()[0] == [f]  # changed and still again: read again


def test_watch_ingests_what_lands_refuses_a_second_watcher_and_stops_on_sigterm(
    folder_and_db: tuple[Path, Path],
) -> None:
    folder, db = folder_and_db
    w = watching(folder, db)
    try:
        second = cli("watch", str(folder), "--db", str(db))
        assert second.returncode == 5
        assert second.stderr.count("\n") == 1 and "watch.lock" in second.stderr
        (folder / "bad.csv").write_text("title,outlet\nno text column,AP\n")
        w.wait_for("refused ")
        shutil.copy(SEEDS[0], folder / SEEDS[0].name)
        w.wait_for(f"ingested {folder / SEEDS[0].name}")
        w.wait_for("1 files: 1 articles added")
    finally:
        code, lines = w.stop()
    assert code == 0, lines
    assert lines[-1] == "watch stopped; every run finished"
    assert not [x for x in lines if "Traceback" in x]
    assert _rows(db, "SELECT COUNT(*) FROM articles") == [(1,)]
    assert {s for (s,) in _rows(db, "SELECT status FROM runs")} == {"finished"}


def test_a_killed_watcher_leaves_no_lock_and_a_stopped_run_is_finished_later(
    folder_and_db: tuple[Path, Path],
) -> None:
    folder, db = folder_and_db
    watching(folder, db).stop(signal.SIGKILL)  # no clean-up at all: the lock dies with it
    w = watching(folder, db)
    try:
        for seed in SEEDS[:2]:
            shutil.copy(seed, folder / seed.name)
        w.wait_for("ingested ")  # one run for both files: it is under way
    finally:
        code, lines = w.stop()
    assert code == 143, lines
    assert "marked interrupted" in lines[-1]
    assert _rows(db, "SELECT status FROM runs") == [("interrupted",)]
    done = cli("run", str(folder), "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert _rows(db, "SELECT status FROM runs") == [("interrupted",), ("finished",)]
    assert _rows(db, "SELECT COUNT(*) FROM articles") == [(2,)]
    assert Store(db).meta.refresh_pending is False  # the interrupted refresh was done
