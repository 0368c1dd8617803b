"""Opening a store file: only a Counterclaim store is ever opened, and a file that is not one is
refused before anything is written to it.

Checked in this order, each refusal one line naming the file (``StoreError``):
no such file (unless the caller creates stores: ``run``), a directory, not SQLite (the 16-byte
header), shorter than its header says (truncated), unreadable schema (corrupt), another
application's SQLite database (no Counterclaim ``application_id``, and not a Counterclaim file
from before the id was written), and a file from newer code (``user_version`` above what this
code knows). Only then does the connection switch to WAL and the migrations run
(``verify.store.migrations``): a refused file is never modified, not even its journal mode.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import Counter
from pathlib import Path

from verify.store import migrations

SQLITE_HEADER = b"SQLite format 3\x00"
FOREIGN = "another application's SQLite database, not a Counterclaim store"

FileKey = tuple[int, int]  # (device, inode)
#: Store files this process holds connections to, and how many. Python never reads the bytes of
#: one of them again: closing any other descriptor of a file drops every POSIX lock this process
#: holds on it, SQLite's included, and another process may then reset the WAL under it.
_HELD: Counter[FileKey] = Counter()
_HELD_LOCK = threading.Lock()


class StoreError(Exception):
    """Why a file cannot be opened as a store, in one line naming it; the file is untouched."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")


def _check_file(path: Path, create: bool) -> bool:
    """Whether ``path`` is a new (absent or empty) store; raises ``StoreError`` for a file that
    cannot be a store at all, read from its bytes without SQLite."""
    if path.is_dir():
        raise StoreError(path, "is a directory, not a store file")
    if not path.exists():
        if not create:
            raise StoreError(path, "no such store (`counterclaim run` makes one)")
        return True
    if _HELD[_key(path)]:
        return False  # open in this process already: checked then, and its bytes are SQLite's
    try:
        with path.open("rb") as f:
            header = f.read(100)
    except OSError as exc:
        raise StoreError(path, f"cannot read it ({exc.strerror or exc})") from None
    if not header:
        if not create:
            raise StoreError(path, "an empty file, not a Counterclaim store")
        return True
    if not header.startswith(SQLITE_HEADER):
        raise StoreError(path, "not a SQLite database")
    if len(header) < 100:
        raise StoreError(path, f"truncated: {len(header)} bytes, shorter than a SQLite header")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # The page count in the header is valid when its version number matches the change counter;
    # a WAL beside the file may hold pages the main file lacks, so only a lone file is checked.
    counted = header[24:28] == header[92:96]
    wal = Path(f"{path}-wal")
    lone = not wal.exists() or wal.stat().st_size == 0
    size = path.stat().st_size
    if counted and lone and pages and size < pages * page_size:
        raise StoreError(path, f"truncated: {size} bytes, its header says {pages * page_size}")
    app_id = int.from_bytes(header[68:72], "big")  # a store's is in its header from creation on
    if app_id not in (0, migrations.APPLICATION_ID):  # refused before SQLite opens it at all
        raise StoreError(path, FOREIGN)
    return False


def _key(path: Path) -> FileKey:
    st = path.stat()
    return st.st_dev, st.st_ino


def close(db: sqlite3.Connection, key: FileKey) -> None:
    """Close a connection ``connect`` made (the file is no longer held by it)."""
    db.close()
    with _HELD_LOCK:
        _HELD[key] -= 1
        if _HELD[key] <= 0:
            del _HELD[key]


def _corrupt(path: Path, exc: sqlite3.Error) -> StoreError:
    return StoreError(path, f"corrupt SQLite file ({exc})")


def connect(
    path: Path, *, create: bool = True, any_thread: bool = False, durable: bool = True
) -> tuple[sqlite3.Connection, FileKey]:
    """The open, migrated connection to the store at ``path`` (``create``: make it if absent),
    and the file's key for ``close``."""
    with _HELD_LOCK:  # no other thread of this process opens it between the read and the hold
        new = _check_file(path, create)
        try:
            db = sqlite3.connect(
                path, timeout=30, isolation_level=None, check_same_thread=not any_thread
            )
        except sqlite3.Error as exc:
            raise StoreError(path, f"cannot open it ({exc})") from None
        key = _key(path)
        _HELD[key] += 1
    try:
        db.row_factory = sqlite3.Row
        if not new:
            _check_store(path, db, create)  # reads only: before any write or journal mode
        db.execute("PRAGMA foreign_keys=ON")
        # FULL: a committed tag survives a power cut.
        db.execute(f"PRAGMA synchronous={'FULL' if durable else 'OFF'}")
        if new or migrations.is_empty(db):
            migrations.create(db)  # in rollback mode: the header carries the marker at once
        db.execute("PRAGMA journal_mode=WAL")
        migrations.migrate(db)
    except StoreError:
        close(db, key)
        raise
    except sqlite3.OperationalError as exc:  # locked, read-only, disk full
        close(db, key)
        raise StoreError(path, f"cannot open it ({exc})") from None
    except sqlite3.DatabaseError as exc:
        close(db, key)
        raise _corrupt(path, exc) from None
    return db, key


def _check_store(path: Path, db: sqlite3.Connection, create: bool) -> None:
    """Refuse a SQLite file that is not a Counterclaim store, or is one from newer code."""
    try:
        app_id, version = migrations.marks(db)
        tables = migrations.tables(db)
    except sqlite3.DatabaseError as exc:
        raise _corrupt(path, exc) from None
    if app_id == 0 and not tables and version == 0:
        if not create:
            raise StoreError(path, "an empty SQLite database, not a Counterclaim store")
        return  # nothing in it to belong to anyone: `run` makes it a store
    if app_id != migrations.APPLICATION_ID and not migrations.is_unversioned_store(db, app_id):
        raise StoreError(path, FOREIGN)
    if version > migrations.LATEST:
        raise StoreError(
            path,
            f"made by a newer Counterclaim (schema version {version}; this one reads up to "
            f"{migrations.LATEST}): update Counterclaim to open it",
        )
