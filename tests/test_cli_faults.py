"""Faults end in one line and a documented exit code, and never cost the store: an export over
the database is refused; a failed write leaves the previous file whole; SQLite errors, signals,
closed pipes and a second run beside the first are each one line (or, for a pipe, silence). The
real CLI in real processes on a copy of the seed store."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from verify.cli.faults import (
    EXIT_BUSY,
    EXIT_INTERRUPTED,
    EXIT_IO,
    EXIT_PIPE,
    EXIT_TERMINATED,
    EXIT_USAGE,
    sqlite_reason,
)

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"


def cli(*argv: str, cwd: Path = REPO, **kw) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "verify.cli", *argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        **kw,
    )


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


@pytest.fixture
def db(seed_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "x.db"
    shutil.copy(seed_db, path)
    return path


def _claims(db: Path) -> int:
    con = sqlite3.connect(db)
    try:
        return int(con.execute("SELECT COUNT(*) FROM claims").fetchone()[0])
    finally:
        con.close()


# -- the store is only ever a store -----------------------------------------------------------
def test_an_export_over_the_store_is_refused_however_the_path_is_spelled(db: Path) -> None:
    claims = _claims(db)
    folder = db.parent
    (folder / "sub").mkdir()
    (folder / "link.json").symlink_to(db)
    os.link(db, folder / "hard.json")
    for fmt, out in [
        ("json", "x.db"),
        ("json", str(db)),
        ("md", "sub/../x.db"),
        ("html", "link.json"),
        ("json", "hard.json"),
        ("csv", "x.db-wal"),
        ("csv", "x.db-shm"),
    ]:
        proc = cli("export", "--format", fmt, "-o", out, "--db", "x.db", cwd=folder)
        assert proc.returncode == EXIT_USAGE, (out, proc.stderr)
        assert "refusing to write over it" in one_line(proc.stderr)
    assert _claims(db) == claims  # still the store, whole
    # A CSV report's sidecar (NAME.propositions.csv) may not land on the store either.
    shutil.copy(db, folder / "r.propositions.csv")
    proc = cli("export", "--format", "csv", "-o", "r.csv", "--db", "r.propositions.csv", cwd=folder)
    assert proc.returncode == EXIT_USAGE and "r.propositions.csv" in one_line(proc.stderr)
    assert not (folder / "r.csv").exists()


def _limit_file_size(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_report_that_cannot_be_written_leaves_the_previous_one_whole(db: Path) -> None:
    out = db.parent / "report.html"
    out.write_text("<p>the previous report</p>\n", encoding="utf-8")
    proc = cli(
        "export",
        "--format",
        "html",
        "-o",
        str(out),
        "--db",
        str(db),
        preexec_fn=_limit_file_size(64 * 1024),
    )  # the report is larger
    assert proc.returncode == EXIT_IO
    assert "report.html" in one_line(proc.stderr)
    assert out.read_text(encoding="utf-8") == "<p>the previous report</p>\n"
    assert sorted(p.name for p in db.parent.iterdir() if p.name.endswith(".tmp")) == []
    proc = cli("export", "--format", "html", "-o", str(out), "--db", str(db))
    assert proc.returncode == 0 and out.read_text(encoding="utf-8").startswith("<!DOCTYPE html")


def test_a_report_where_no_file_can_be_made_is_one_line_naming_it(db: Path) -> None:
    for out in (db.parent / "no" / "such" / "r.html", db.parent / "x.db-not" / "r.json"):
        if out.parent.name == "x.db-not":
            out.parent.write_text("a file, not a folder\n", encoding="utf-8")
        proc = cli("export", "--format", out.suffix[1:], "-o", str(out), "--db", str(db))
        assert proc.returncode == EXIT_IO
        assert one_line(proc.stderr).startswith(f"counterclaim: {out}: "), proc.stderr


# -- SQLite errors in our words ----------------------------------------------------------------
def test_sqlite_faults_are_one_line_naming_the_file(db: Path, tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(os.urandom(8192))
    corrupt = tmp_path / "corrupt.db"
    shutil.copy(db, corrupt)
    with corrupt.open("r+b") as f:  # the header kept, the pages after it overwritten
        f.seek(8192)
        f.write(b"\xff" * 65536)
    cases = [
        (junk, "not a SQLite database"),
        (corrupt, "corrupt"),
        (tmp_path, "directory"),
        (tmp_path / "missing" / "x.db", "no such store"),
        (Path("/dev/full"), ""),
    ]
    for path, reason in cases:
        proc = cli("disputes", "--pairs", "--db", str(path))
        line = one_line(proc.stderr)
        # Refused when the store is opened (``store_open``: usage, 2) or by SQLite itself (I/O, 4).
        assert proc.returncode in (EXIT_USAGE, EXIT_IO), (path, proc.stderr)
        assert line.startswith(f"counterclaim: {path}: ") and reason in line, line


def test_runtime_sqlite_errors_map_to_reasons(tmp_path: Path) -> None:
    """Real errors from real connections: a read-only one written to, a lock held past the wait."""
    path = tmp_path / "s.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    ro = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    with pytest.raises(sqlite3.Error) as readonly:
        ro.execute("INSERT INTO t VALUES (1)")
    assert "read-only" in sqlite_reason(readonly.value)
    con.execute("BEGIN EXCLUSIVE")
    other = sqlite3.connect(path, timeout=0.1)
    with pytest.raises(sqlite3.Error) as locked:
        other.execute("INSERT INTO t VALUES (1)")
    assert "locked by another process" in sqlite_reason(locked.value)
    con.rollback()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes read-only files")
def test_a_read_only_store_is_one_line(db: Path) -> None:
    db.chmod(0o444)
    proc = cli("tag", "1", "contradiction", "--db", str(db))
    assert proc.returncode == EXIT_IO and "cannot be written" in one_line(proc.stderr)


# -- signals and pipes ---------------------------------------------------------------------------
# Slow tier: where the signals land depends on how fast this machine starts Python (on a loaded
# machine all four may come before our handler exists); test_model_switch covers signals in CI.
@pytest.mark.slow
@pytest.mark.parametrize(
    "sig, code", [(signal.SIGINT, EXIT_INTERRUPTED), (signal.SIGTERM, EXIT_TERMINATED)]
)
def test_a_signal_at_any_moment_of_an_export_is_one_line(db: Path, sig: int, code: int) -> None:
    out = db.parent / "r.json"
    out.write_text("previous\n", encoding="utf-8")
    codes = set()
    # Start-up imports, opening the store, building, writing. (Before 0.1 s or so the signal
    # may come while the interpreter itself starts, before any of our code: Python's own exit.)
    for delay in (0.3, 0.5, 0.8, 1.5):
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "verify.cli",
                "export",
                "--format",
                "json",
                "-o",
                str(out),
                "--db",
                str(db),
            ],
            cwd=REPO,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(delay)
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=120)
        codes.add(proc.returncode)
        if "wrote " in err:  # it finished first (the signal came as Python shut down): whole
            assert out.read_text(encoding="utf-8").startswith("{")
            continue
        assert proc.returncode == code, err
        assert one_line(err) in (
            "counterclaim: interrupted",
            "counterclaim: terminated",
            "counterclaim: stopped while starting; nothing was written",
        )
        text = out.read_text(encoding="utf-8")
        assert text == "previous\n" or text.startswith("{")  # never half a report
    assert code in codes  # at least one signal landed mid-command


@pytest.mark.parametrize("argv", [["claims"], ["disputes"], ["disputes", "--pairs"]])
def test_a_closed_pipe_ends_quietly(db: Path, argv: list[str]) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "verify.cli", *argv, "--db", str(db)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before the first line (`| head -0`)
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == EXIT_PIPE
    assert err == ""


def test_disputes_top_pairs_lists_pairs_known_only_through_a_proposition(db: Path) -> None:
    proc = cli("disputes", "--pairs", "--top", "84", "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    assert "#-" in proc.stdout  # a pair implied by a proposition has no pair id yet


# -- runs ----------------------------------------------------------------------------------------
def test_a_second_run_beside_the_first_refuses_with_one_line(tmp_path: Path) -> None:
    db = tmp_path / "two.db"
    first = subprocess.Popen(
        [sys.executable, "-m", "verify.cli", "run", str(SEEDS), "--db", str(db)],
        cwd=REPO,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert first.stderr is not None
    for line in first.stderr:
        if line.startswith("ingested "):
            break
    second = cli("run", str(SEEDS), "--db", str(db))
    assert second.returncode == EXIT_BUSY
    line = one_line(second.stderr)
    assert "is still going on this store" in line and str(db) in line
    rest = first.stderr.read()
    assert first.wait(timeout=600) == 0, rest
    con = sqlite3.connect(db)
    statuses = [r[0] for r in con.execute("SELECT status FROM runs")]
    con.close()
    assert statuses == ["finished"]  # the refused run left no row, the first finished
