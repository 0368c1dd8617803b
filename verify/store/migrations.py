"""The store's schema versions: ``PRAGMA user_version`` says which one a file is at, and
``STEPS`` take it, in order, to ``LATEST``, each step run once in its own transaction.

- A new file gets today's schema whole (``store_schema.apply``) and is stamped ``LATEST`` and
  with ``APPLICATION_ID``, Counterclaim's mark (``store_open`` refuses SQLite files without it).
- An older file runs the steps above its version. A step changes the tables that hold what
  cannot be recomputed (articles, claims, analysts' tags, notes, corrections, propositions) with
  ``ALTER``/copy SQL written for that step; a derived table (``DERIVED``: rankings, totals, the
  neighbour graph: anything a run recomputes) is dropped and made afresh by ``rebuild_derived``,
  and the next run refills it (readers count live until then).
- A file from newer code (``user_version > LATEST``) is refused by ``store_open``.

Adding a step: append ``Step(LATEST + 1, "name", function)`` and change the DDL in the module
that owns the table, so new files get the new shape directly; ``tests/test_migrations.py``
checks that a migrated file and a new one end with the same schema.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from verify.store import schema as store_schema
from verify.store.meta import FULL, Meta

#: PRAGMA application_id of every Counterclaim store: "CCLM".
APPLICATION_ID = 0x43434C4D

#: Rebuilt, never migrated: the next run recomputes them, readers fall back to live counts
#: (``ranking.fresh``, ``totals.read``) and the next refresh is a full one (``incremental.plan``).
DERIVED = ("dispute_rank", "proposition_rank", "topic_totals", "knn", "claim_copies")
DERIVED_VIEWS = (
    "rejected_claims",
    "set_aside_claims",
)  # views hold no rows: made afresh from today's definition


@dataclass(frozen=True)
class Step:
    version: int  # the version the file is at once the step ran
    name: str
    run: Callable[[sqlite3.Connection], None]


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {r[1] for r in db.execute(f"PRAGMA table_info({table})")}


def rebuild_derived(db: sqlite3.Connection) -> None:
    """Drop the derived tables and views and make them from today's definitions, empty; the
    stamps that vouch for their rows are cleared, so nothing reads them until a run refills them."""
    for view in DERIVED_VIEWS:
        db.execute(f"DROP VIEW IF EXISTS {view}")
    for table in DERIVED:
        db.execute(f"DROP TABLE IF EXISTS {table}")
    store_schema.apply(db)  # IF NOT EXISTS: only what was dropped is made
    meta = Meta(db)
    meta.rank_stamp = meta.totals_key = ""
    meta.refresh_work = FULL  # the neighbour graph is gone: the next refresh is a full one
    meta.refresh_pending = True


def _versioned(db: sqlite3.Connection) -> None:
    """Version 1 (files made before versions were kept in ``user_version``: ``meta.schema_version``
    said 1 while columns were added to it over time) to 2: the columns an early version-1 file
    lacks, the version moved to ``user_version``, the derived tables rebuilt (a version-1 file may
    hold an older shape of them)."""
    # Version 1 had no finer version, so this step alone looks at which columns are there.
    if "checkworthy" not in _columns(db, "claims"):
        db.execute("ALTER TABLE claims ADD COLUMN checkworthy REAL")
    runs = _columns(db, "runs")
    if "status" not in runs:
        db.execute("ALTER TABLE runs ADD COLUMN status TEXT")
        db.execute("UPDATE runs SET status = 'finished' WHERE finished_at IS NOT NULL")
    if "owner" not in runs:
        db.execute("ALTER TABLE runs ADD COLUMN owner TEXT")
    if "kind" not in _columns(db, "tags"):  # 'tag', or 'settle' for a reviewer's settlement
        db.execute("ALTER TABLE tags ADD COLUMN kind TEXT NOT NULL DEFAULT 'tag'")
    db.execute("DELETE FROM meta WHERE key='schema_version'")
    rebuild_derived(db)


def _claim_copies(db: sqlite3.Connection) -> None:
    """Version 2 to 3: claims a source repeats are kept once (``stages.steps.dedup``). The copies
    table is derived: made here, empty, and filled by the full refresh the rebuild asks for."""
    rebuild_derived(db)


def _languages(db: sqlite3.Connection) -> None:
    """Version 3 to 4: each article's and claim's language (``verify.language``), detected for
    the stored ones; which reader scored each suggestion (all English until now); the
    ``rejected_claims`` view made afresh (it now also holds claims in a language no model reads)."""
    from verify.language import claim_language, detect

    db.execute("ALTER TABLE articles ADD COLUMN language TEXT")
    db.execute("ALTER TABLE claims ADD COLUMN language TEXT")
    db.execute("ALTER TABLE suggestions ADD COLUMN reader TEXT NOT NULL DEFAULT 'english'")
    for article_id, text in db.execute("SELECT id, text FROM articles").fetchall():
        found = detect(text)
        db.execute("UPDATE articles SET language=? WHERE id=?", (found.code, article_id))
        db.executemany(
            "UPDATE claims SET language=? WHERE id=?",
            [
                (claim_language(sentence, found), claim_id)
                for claim_id, sentence in db.execute(
                    "SELECT id, sentence FROM claims WHERE article_id=?", (article_id,)
                ).fetchall()
            ],
        )
    rebuild_derived(db)


STEPS: tuple[Step, ...] = (
    Step(2, "versioned", _versioned),
    Step(3, "claim_copies", _claim_copies),
    Step(4, "languages", _languages),
)
LATEST = STEPS[-1].version


def marks(db: sqlite3.Connection) -> tuple[int, int]:
    """(application id, user version) of the open file."""
    app = db.execute("PRAGMA application_id").fetchone()[0]
    return int(app), int(db.execute("PRAGMA user_version").fetchone()[0])


def tables(db: sqlite3.Connection) -> set[str]:
    return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def is_empty(db: sqlite3.Connection) -> bool:
    return marks(db) == (0, 0) and not tables(db)


def is_unversioned_store(db: sqlite3.Connection, app_id: int) -> bool:
    """A Counterclaim file from before the application id and ``user_version`` (version 1)."""
    if app_id != 0 or not {"meta", "articles", "claims", "pairs", "tags"} <= tables(db):
        return False
    row = db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    return row is not None and row[0] == "1"


def version(db: sqlite3.Connection) -> int:
    """The file's schema version: ``user_version``, or 1 for an unversioned Counterclaim file."""
    app_id, user_version = marks(db)
    return 1 if app_id == 0 and user_version == 0 else user_version


@contextlib.contextmanager
def _immediate(db: sqlite3.Connection) -> Iterator[None]:
    """One write transaction on a bare connection (the ``Store`` does not exist yet): committed
    when the block ends, rolled back on any exception."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _stamp(db: sqlite3.Connection, at: int) -> None:
    db.execute(f"PRAGMA application_id={APPLICATION_ID}")
    db.execute(f"PRAGMA user_version={at}")


def create(db: sqlite3.Connection) -> None:
    """Today's schema in an empty file, stamped with the latest version and Counterclaim's id."""
    with _immediate(db):
        store_schema.apply(db)
        _stamp(db, LATEST)


def migrate(db: sqlite3.Connection) -> list[str]:
    """Run the steps above the file's version, each in one transaction with its version stamp
    (a step interrupted leaves the file at the version before it). Returns the steps' names."""
    ran: list[str] = []
    for step in STEPS:
        if step.version <= version(db):
            continue  # read without the write lock: an up-to-date file is never written
        with _immediate(db):
            if step.version <= version(db):  # another process ran it while this one waited
                continue
            step.run(db)
            _stamp(db, step.version)
            ran.append(step.name)
    return ran
