"""The board on a large store loads the most likely contradictions and every tagged pair, and
still counts every claim and pair per topic (real SQLite, the sample builder's synthetic board)."""

from __future__ import annotations

from pathlib import Path

from samples.board import build_large_db

from tui.data import load_board
from verify.store import totals
from verify.store.database import Store
from verify.views import board as views


def test_a_partial_load_counts_what_a_full_load_counts(tmp_path: Path) -> None:
    db = tmp_path / "large.db"
    build_large_db(db, n_pairs=3000, n_claims=600, n_topics=8)
    store = Store(db)
    low = store.db.execute(
        "SELECT pair_id FROM suggestions ORDER BY p_contradiction LIMIT 3"
    ).fetchall()
    for n, (pid,) in enumerate(low):  # tagged pairs far below the loaded top
        store.add_tag(pid, "agreement", "ana")
        store.add_tag(pid, "contradiction" if n else "agreement", "bo")  # one agreed, two conflicts
    store.correct_claim(
        store.db.execute("SELECT a_id FROM pairs LIMIT 1").fetchone()[0], "ana", not_claim=True
    )
    store.close()
    full, part = load_board(db), load_board(db, limit=500)
    assert full.totals is None and part.totals is not None
    assert len(part.pairs) == 500 + 3 and {pid for (pid,) in low} <= part.by_id.keys()
    assert [p.id for p in part.pairs] == [p.id for p in full.pairs if p.id in part.by_id]
    assert part.summaries() == full.summaries()
    assert len(part.claims) < len(full.claims)


def test_stored_totals_are_the_live_ones_until_a_correction(tmp_path: Path) -> None:
    db = tmp_path / "large.db"
    build_large_db(db, n_pairs=2000, n_claims=500, n_topics=6)
    store = Store(db)
    assert totals.read(store) is None  # never written
    totals.rebuild(store)
    live = views.topic_totals(store)
    assert totals.read(store) == live and live[None]["pairs"] == 2000
    a = store.db.execute("SELECT a_id FROM pairs LIMIT 1").fetchone()[0]
    topic = store.db.execute("SELECT topic_id FROM claims WHERE id=?", (a,)).fetchone()[0]
    store.correct_claim(a, "ana", side="Elsewhere")
    assert totals.read(store) is None  # the board counts live until the next refresh
    totals.update(store, [topic])
    assert totals.read(store) == views.topic_totals(store) != live
