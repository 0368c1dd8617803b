"""The board on a large store loads the most likely contradictions and every tagged pair, and
still counts every claim and pair per topic (real SQLite, the sample builder's synthetic board)."""

from __future__ import annotations

from pathlib import Path

import pytest
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


def test_a_large_board_reads_the_stored_ranking_and_opens_on_its_first_screen(
    tmp_path: Path,
) -> None:
    from verify.stages import ranking

    db = tmp_path / "large.db"
    build_large_db(db, n_pairs=3000, n_claims=600, n_topics=8)
    store = Store(db)
    low = store.db.execute(
        "SELECT pair_id FROM suggestions ORDER BY p_contradiction LIMIT 2"
    ).fetchall()
    for (pid,) in low:  # tagged pairs far below the loaded top, some under the ranking's floor
        store.add_tag(pid, "agreement", "ana")
    full = views.scored_pairs(store)[0]  # computed in full, the reference
    assert views.stored_board_pairs(store, 500) is None  # never ranked: computed in full
    ranking.rebuild(store)
    totals.rebuild(store)
    tagged = {p for (p,) in low}
    across = sum(_sides(store, r) == "across" for r in full)
    # Limits inside the pairs across sides (every one stored, under the floor too) and past
    # them: the stored top is the computed top (or, where it cannot vouch for it, None).
    read = []
    for limit in (across // 2, across + 10, 500, 1200):
        stored = views.stored_board_pairs(store, limit)
        if stored is None:
            continue
        read.append(limit)
        want = [r for n, r in enumerate(full) if n < limit or r["id"] in tagged]
        assert [(r["id"], round(r["probs"]["contradiction"], 6)) for r in stored] == [
            (r["id"], round(r["probs"]["contradiction"], 6)) for r in want
        ]
    assert across // 2 in read and across + 10 in read  # read off the stored ranking
    assert views.stored_board_pairs(store, 3000) is None  # not more than the limit: in full
    store.close()
    first, part = load_board(db, limit=500, first_screen=True), load_board(db, limit=500)
    assert first.more_coming and not part.more_coming
    assert {p.id for p in first.pairs} == {p for (p,) in low}  # the tagged ones, and the counts
    assert first.summaries() == part.summaries()
    small = load_board(db, limit=5000, first_screen=True)  # all of it fits: one read
    assert not small.more_coming and len(small.pairs) == 3000


@pytest.mark.anyio
async def test_the_board_of_a_large_store_opens_on_its_counts_then_loads_its_pairs(
    tmp_path: Path,
) -> None:
    from samples.pilot import settle

    import tui.app as tui_app
    from tui.app import BoardApp
    from tui.messages import DataLoaded
    from verify.stages import ranking

    db = tmp_path / "large.db"
    build_large_db(db, n_pairs=1500, n_claims=400, n_topics=5)
    store = Store(db)
    (low,) = store.db.execute(
        "SELECT pair_id FROM suggestions ORDER BY p_contradiction LIMIT 1"
    ).fetchone()
    store.add_tag(low, "contradiction", "ana")
    ranking.rebuild(store)
    totals.rebuild(store)
    ranked = [r["id"] for r in views.scored_pairs(store)[0]]
    listed = len(set(ranked[:500]) | {low})  # the top 500, and the tagged pair wherever it is
    store.close()
    reads: list[tuple[bool, int]] = []

    class Watched(BoardApp):
        CSS_PATH = str(Path(tui_app.__file__).with_name("board.tcss"))  # not beside this test

        def on_data_loaded(self, message: DataLoaded) -> None:
            reads.append((message.data.more_coming, len(message.data.pairs)))
            super().on_data_loaded(message)

    app = Watched(db, "ana", poll_seconds=3600, board_pairs=500)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert reads == [(True, 1), (False, listed)]  # the tagged pair and the counts, the top
        assert app.data is not None and low in app.data.by_id
        assert [p.id for p in app.data.pairs] == [i for i in ranked if i in app.data.by_id]
        title = str(app.screen.query_one("#topics-title").render())
        assert f"1500 pairs ({listed} most likely loaded)" in title
        await pilot.press("f5")  # a reload keeps the board shown until the whole of it is read
        await settle(pilot)
        assert reads[2:] == [(False, listed)]


def _sides(store: Store, pair: dict) -> str:
    """Whether ``pair`` crosses the analysts' sides (``ranking.pair_sides``)."""
    from verify.stages.ranking import pair_sides
    from verify.views.claim import claim_view

    rows = {r["id"]: claim_view(r) for r in store.claim_rows(ids=[pair["a_id"], pair["b_id"]])}
    return pair_sides(rows[pair["a_id"]]["side"], rows[pair["b_id"]]["side"])


@pytest.mark.anyio
async def test_a_failed_second_read_leaves_the_first_screen_not_loading(tmp_path: Path) -> None:
    from samples.pilot import settle

    import tui.app as tui_app
    from tui.app import BoardApp
    from tui.records import BoardData
    from verify.stages import ranking

    db = tmp_path / "large.db"
    build_large_db(db, n_pairs=1500, n_claims=400, n_topics=5)
    store = Store(db)
    ranking.rebuild(store)
    totals.rebuild(store)
    store.close()

    class Failing(BoardApp):
        CSS_PATH = str(Path(tui_app.__file__).with_name("board.tcss"))

        def _read(self, first_screen: bool, log) -> BoardData:  # type: ignore[no-untyped-def]
            if not first_screen:
                raise OSError("disk I/O error")  # the long read fails
            return super()._read(first_screen, log)

    app = Failing(db, "ana", poll_seconds=3600, board_pairs=500)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        assert app.data is not None and not app.data.more_coming and not app.data.pairs
        title = str(app.screen.query_one("#topics-title").render())
        assert "loading" not in title and "1500 pairs" in title
