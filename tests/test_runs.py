"""A run killed mid-way is marked interrupted (by the next run, or by itself on SIGTERM),
a run still going in another process is left alone (a second run refuses to start beside it),
and nothing stored is lost."""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from verify.store.database import Store
from verify.store.runlog import RunInProgress

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"

# Starts a run in another process, says so, then waits to be killed.
_HOLDER = (
    "import sys, time; from verify.store.database import Store; "
    "Store(sys.argv[1]).start_run(); print('started', flush=True); time.sleep(120)"
)


def _statuses(db: Path) -> list[str]:
    con = sqlite3.connect(db)
    try:
        return [r[0] for r in con.execute("SELECT status FROM runs ORDER BY id")]
    finally:
        con.close()


def test_killed_run_is_marked_interrupted_by_the_next_one(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(db)], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "started\n"
        store = Store(db)
        with pytest.raises(RunInProgress):  # the other run is alive: it stays open, this waits
            store.start_run()
        assert _statuses(db) == ["running"]
    finally:
        holder.kill()
        holder.wait()
    assert _statuses(db) == ["running"]
    Store(db).start_run()  # its process is gone now
    assert _statuses(db) == ["interrupted", "running"]


def test_early_version_1_runs_get_a_status(tmp_path: Path) -> None:
    """A version-1 store from before runs had a status (the frozen file, its runs table cut back
    to that shape) migrates: finished runs are marked so, an open one is left to ``start_run``."""
    db = tmp_path / "old.db"
    shutil.copy(REPO / "tests" / "data" / "store_v1.db", db)
    con = sqlite3.connect(db)
    con.executescript(
        "DROP TABLE runs; CREATE TABLE runs (id INTEGER PRIMARY KEY, started_at TEXT NOT NULL,"
        " finished_at TEXT, articles_added INTEGER, claims_added INTEGER, embedded INTEGER,"
        " pairs_scored INTEGER, refused INTEGER);"
        "INSERT INTO runs(started_at, finished_at) VALUES ('t0', 't1'), ('t2', NULL);"
    )
    con.close()
    store = Store(db)
    assert _statuses(db) == ["finished", None]
    store.start_run()
    assert _statuses(db) == ["finished", "interrupted", "running"]


def test_sigterm_marks_the_cli_run_interrupted_and_keeps_what_it_stored(tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    proc = subprocess.Popen(
        [sys.executable, "-m", "verify.cli", "run", str(SEEDS), "--db", str(db)],
        cwd=REPO,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    # Stop it once it has stored an article: mid-way through ingesting the seeds.
    for line in proc.stderr:
        if line.startswith("ingested "):
            break
    proc.send_signal(signal.SIGTERM)
    rest = proc.stderr.read()
    assert proc.wait(timeout=120) == 143, rest  # SIGTERM (130 is Ctrl-C)
    assert "Traceback" not in rest
    assert rest.strip().endswith("counterclaim: run interrupted; what it stored is kept")
    assert _statuses(db) == ["interrupted"]
    con = sqlite3.connect(db)
    stored = con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    claims = con.execute("SELECT COUNT(*) FROM claims").fetchone()[0]
    con.close()
    assert stored >= 1 and claims >= 1
