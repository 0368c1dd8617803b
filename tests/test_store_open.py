"""Opening a store: only Counterclaim stores are opened; anything else is one line naming the
file, and the file is left exactly as it was (real files throughout)."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from verify.cli.main import main
from verify.store import migrations
from verify.store.database import Store
from verify.store.opening import StoreError

REPO = Path(__file__).resolve().parents[1]
V1 = REPO / "tests" / "data" / "store_v1.db"

# Every command that only reads or adds to an existing store (``run`` alone makes one).
READERS = [
    ["claims"],
    ["disputes"],
    ["disputes", "--pairs", "--json"],
    ["propositions"],
    ["agreement"],
    ["export", "--format", "json", "-o", "OUT"],
    ["board"],
    ["recluster"],
    ["tag", "1", "contradiction", "--analyst", "ana"],
    ["correct", "1", "--side", "West", "--analyst", "ana"],
    ["stance", "1", "1", "supports", "--analyst", "ana"],
    ["unpropose", "1", "--analyst", "ana"],
]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _siblings(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


def _refused(capsys: pytest.CaptureFixture[str], argv: list[str], path: Path, why: str) -> None:
    """The CLI exits 2 with one line on stderr that names ``path`` and says ``why``."""
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(path) in err[0] and why in err[0], err


def _foreign_db(path: Path) -> None:
    """Another application's database: tables named like ours, no Counterclaim mark."""
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);"
        "CREATE TABLE claims (id INTEGER PRIMARY KEY, text TEXT);"
        "INSERT INTO claims(text) VALUES ('not ours');"
    )
    db.commit()
    db.close()


def test_a_new_store_carries_the_mark_and_the_latest_version(tmp_path: Path) -> None:
    Store(tmp_path / "new.db").close()
    db = sqlite3.connect(tmp_path / "new.db")
    assert db.execute("PRAGMA application_id").fetchone()[0] == migrations.APPLICATION_ID
    assert db.execute("PRAGMA user_version").fetchone()[0] == migrations.LATEST
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.parametrize("argv", READERS, ids=lambda a: "-".join(a[:2]))
def test_readers_refuse_a_missing_store_and_make_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    db = tmp_path / "typo.db"
    argv = [a.replace("OUT", str(tmp_path / "r.json")) for a in argv]
    _refused(capsys, [*argv, "--db", str(db)], db, "no such store")
    assert _siblings(db) == []  # neither the store nor the report


def test_another_applications_database_is_refused_and_never_modified(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "theirs.sqlite"
    _foreign_db(db)
    before = _digest(db)
    with pytest.raises(StoreError, match="another application's SQLite database"):
        Store(db)  # even the creating open refuses it
    for argv in (["claims"], ["disputes"], ["tag", "1", "agreement"]):
        _refused(capsys, [*argv, "--db", str(db)], db, "not a Counterclaim store")
    assert _digest(db) == before
    assert _siblings(db) == ["theirs.sqlite"]  # no -wal, no -shm: the journal mode never changed
    other = sqlite3.connect(db)
    assert other.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    tables = other.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
    assert [r[0] for r in tables] == ["meta", "claims"]


def test_not_sqlite_truncated_corrupt_and_a_directory_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = tmp_path / "notes.db"
    text.write_text("these are my notes, not a database\n" * 20)
    store = tmp_path / "real.db"
    Store(store).close()
    data = store.read_bytes()
    truncated = tmp_path / "truncated.db"
    truncated.write_bytes(data[: len(data) // 3])
    corrupt = tmp_path / "corrupt.db"  # the schema page overwritten
    corrupt.write_bytes(data[:100] + b"\xa5" * (4096 - 100) + data[4096:])
    stub = tmp_path / "stub.db"
    stub.write_bytes(data[:60])
    cases = [
        (text, "not a SQLite database"),
        (truncated, "truncated"),
        (corrupt, "corrupt SQLite file"),
        (stub, "truncated"),
        (tmp_path, "is a directory"),
    ]
    for path, why in cases:
        before = None if path.is_dir() else _digest(path)
        for argv in (["claims"], ["run", str(REPO / "seeds" / "missing.txt")]):
            _refused(capsys, [*argv, "--db", str(path)], path, why)
        assert before is None or _digest(path) == before, path


def test_a_store_from_newer_code_is_refused_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "future.db"
    Store(db).close()
    raw = sqlite3.connect(db)
    raw.execute(f"PRAGMA user_version={migrations.LATEST + 1}")
    raw.close()
    before = _digest(db)
    _refused(capsys, ["claims", "--db", str(db)], db, "made by a newer Counterclaim")
    with pytest.raises(StoreError, match=f"schema version {migrations.LATEST + 1}"):
        Store(db)
    assert _digest(db) == before


def test_an_empty_file_is_a_new_store_for_run_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "empty.db"
    db.touch()
    _refused(capsys, ["claims", "--db", str(db)], db, "an empty file")
    assert db.stat().st_size == 0
    Store(db, create=True).close()
    assert main(["claims", "--json", "--db", str(db)]) == 0
    assert capsys.readouterr().out.strip() == "[]"


def test_an_up_to_date_store_is_opened_without_a_write(tmp_path: Path) -> None:
    db = tmp_path / "v1.db"
    shutil.copy(V1, db)
    Store(db).close()  # migrates
    before = _digest(db)
    store = Store(db)
    version = store.db.execute("PRAGMA data_version").fetchone()[0]
    assert migrations.migrate(store.db) == []
    assert store.db.execute("PRAGMA data_version").fetchone()[0] == version
    store.close()
    assert _digest(db) == before


def test_a_foreign_wal_database_with_its_own_id_is_refused_from_its_header(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "app.sqlite"
    raw = sqlite3.connect(db)
    raw.executescript("PRAGMA application_id=1234; PRAGMA journal_mode=WAL; CREATE TABLE t (x);")
    raw.close()  # the last connection: the WAL is checkpointed and removed
    before, names = _digest(db), _siblings(db)
    _refused(capsys, ["propositions", "--db", str(db)], db, "another application's")
    assert _digest(db) == before and _siblings(db) == names  # SQLite never opened it


def test_an_empty_sqlite_database_is_a_store_for_run_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "blank.db"
    raw = sqlite3.connect(db)
    raw.execute("VACUUM")  # a valid, empty database file
    raw.close()
    before = _digest(db)
    _refused(capsys, ["disputes", "--db", str(db)], db, "an empty SQLite database")
    assert _digest(db) == before
    Store(db, create=True).close()
    assert migrations.marks(sqlite3.connect(db)) == (migrations.APPLICATION_ID, migrations.LATEST)
