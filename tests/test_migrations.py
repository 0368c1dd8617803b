"""Versioned migrations: the frozen version-1 store (``tests/data/store_v1.db``, made by the last
unversioned engine: ``tests/data/make_store_v1.sh``) opens with today's engine, migrates once,
and keeps every analyst record; a migrated file and a new one end with the same schema."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from verify.store import migrations
from verify.store.database import Store
from verify.views import listings as views

V1 = Path(__file__).resolve().parent / "data" / "store_v1.db"

# Everything an analyst made: tags, notes, settlements, undos, corrections, propositions, their
# withdrawal, stance tags and their undos. Read with plain SQL, the same before and after.
ANALYST_RECORDS = {
    "tags": "SELECT id, pair_id, analyst, label, note, at FROM tags ORDER BY id",
    "settlements": "SELECT id FROM tags WHERE kind='settle' ORDER BY id",
    "tag_retractions": "SELECT * FROM tag_retractions ORDER BY tag_id",
    "claim_corrections": "SELECT * FROM claim_corrections ORDER BY id",
    "propositions": "SELECT id, origin, text, claim_id, pinned, analyst, created_at, retired_at"
    " FROM propositions WHERE origin='analyst' ORDER BY id",
    "proposition_retractions": "SELECT * FROM proposition_retractions ORDER BY proposition_id",
    "stance_tags": "SELECT * FROM stance_tags ORDER BY id",
    "stance_tag_retractions": "SELECT * FROM stance_tag_retractions ORDER BY tag_id",
    # The engine's output that is not recomputable without the models: kept too.
    "suggestions": "SELECT COUNT(*), SUM(p_contradiction) FROM suggestions",
    "claims": "SELECT id, text, speaker, actor, side, topic_id, checkworthy FROM claims ORDER BY id",
}


def _records(path: Path) -> dict[str, list[tuple]]:
    db = sqlite3.connect(path)
    out = {name: db.execute(sql).fetchall() for name, sql in ANALYST_RECORDS.items()}
    db.close()
    return out


def _schema(path: Path) -> dict[str, object]:
    """Every table's columns (name, type, constraints, position), every index's and view's name."""
    db = sqlite3.connect(path)
    out: dict[str, object] = {}
    for name, kind in db.execute(
        "SELECT name, type FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    ):
        cols = db.execute(f"PRAGMA table_info({name})").fetchall() if kind == "table" else None
        out[name] = (kind, cols)
    db.close()
    return out


@pytest.fixture
def v1(tmp_path: Path) -> Path:
    path = tmp_path / "store_v1.db"
    shutil.copy(V1, path)
    return path


def test_the_frozen_file_is_an_unversioned_counterclaim_store(v1: Path) -> None:
    db = sqlite3.connect(v1)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 0
    assert db.execute("PRAGMA application_id").fetchone()[0] == 0
    assert db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() == ("1",)
    records = _records(v1)
    assert all(records[name] for name in ANALYST_RECORDS), records  # every kind is in it


def test_a_version_1_store_migrates_and_keeps_every_analyst_record(v1: Path) -> None:
    before = _records(v1)
    store = Store(v1, create=False)
    assert migrations.marks(store.db) == (migrations.APPLICATION_ID, migrations.LATEST)
    assert store.db.execute("SELECT 1 FROM meta WHERE key='schema_version'").fetchone() is None
    # The derived tables were made afresh and nothing vouches for them: readers count live, and
    # the next run is a full one that refills them.
    for table in migrations.DERIVED:
        assert store.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0
    assert store.meta.rank_stamp == "" and store.meta.refresh_work == "full"
    assert store.meta.refresh_pending and store.meta.stance_model  # the scores' key is kept
    # The engine reads it: the analysts' propositions are listed, the settled pair is known.
    listed = {p["id"]: p for p in views.proposition_listing(store, None, None, False)}
    assert {9, 10} <= set(listed) and listed[9]["origin"] == "analyst"
    assert 4 not in listed  # withdrawn in version 1, still withdrawn
    assert any(t["kind"] == "settle" for t in store.tags())
    store.close()
    assert _records(v1) == before


def test_a_migrated_store_has_the_schema_of_a_new_one(v1: Path, tmp_path: Path) -> None:
    Store(v1).close()
    Store(tmp_path / "new.db").close()
    assert _schema(v1) == _schema(tmp_path / "new.db")


def test_a_failed_step_leaves_the_file_at_its_version(
    v1: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each step is one transaction with its version stamp: half a step is never kept."""

    def broken(db: sqlite3.Connection) -> None:
        db.execute("ALTER TABLE tags ADD COLUMN half TEXT")
        raise sqlite3.OperationalError("disk I/O error")

    before = _records(v1)
    monkeypatch.setattr(migrations, "STEPS", (migrations.Step(2, "broken", broken),))
    with pytest.raises(Exception, match="disk I/O error"):
        Store(v1)
    db = sqlite3.connect(v1)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 0
    assert "half" not in {r[1] for r in db.execute("PRAGMA table_info(tags)")}
    db.close()
    monkeypatch.undo()
    Store(v1).close()  # the real step then runs in full
    assert _records(v1) == before
