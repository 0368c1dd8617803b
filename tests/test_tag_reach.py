"""A verdict on (x, y) reaches the pairs beside it: (x, z) reads what (y, z) reads, signed by the
verdict, on every path (the full ranking, the stored one brought up to date, after an undo)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from verify.labels import STANCE_LABELS
from verify.stages import ranking
from verify.stages.pair_value import REACH_WEIGHT, pair_readings
from verify.stages.tag_reach import links_needed, reach, through
from verify.store.database import Store
from verify.views import listings as views

Q = np.array([0.1, 0.6, 0.2, 0.1])  # (y, z): mostly agreement


def test_a_contradiction_verdict_swaps_agreement_and_contradiction() -> None:
    assert through("contradiction", Q).tolist() == [0.6, 0.1, 0.2, 0.1]
    assert through("agreement", Q).tolist() == Q.tolist()
    # No side taken on (x, y): none on (x, z) either; x on y's story is on z's as much as z is.
    assert through("neutral", Q).tolist() == [0.0, 0.0, 0.9, 0.1]
    # x off y's story: off z's as much as z is on it.
    assert np.allclose(through("unrelated", Q), [0.0, 0.0, 0.1, 0.9])


def test_reach_averages_the_verdicts_beside_a_pair_and_skips_pairs_none_reaches() -> None:
    verdicts = {(1, 2): "contradiction", (3, 4): "agreement"}
    links = {(2, 5): Q, (4, 5): np.array([0.7, 0.1, 0.1, 0.1])}
    # (1, 5) through (2, 5); (3, 5) through (4, 5); (5, 6) touches no tagged claim; (1, 2) is the
    # tagged pair itself, which reaches nothing of its own.
    targets = [(1, 5), (3, 5), (5, 6), (1, 2)]
    assert links_needed(targets, verdicts) == {(2, 5), (4, 5)}
    got = reach(targets, verdicts, links)
    assert got[0].tolist() == [0.6, 0.1, 0.2, 0.1]
    assert got[1].tolist() == [0.7, 0.1, 0.1, 0.1]
    assert np.isnan(got[2]).all() and np.isnan(got[3]).all()
    both = reach([(1, 5)], {**verdicts, (1, 4): "agreement"}, links)[0]
    assert np.allclose(both, (np.array([0.6, 0.1, 0.2, 0.1]) + links[(4, 5)]) / 2)


def test_pair_value_mixes_reach_in_only_where_it_reaches() -> None:
    direct = np.array([[0.2, 0.3, 0.4, 0.1], [0.5, 0.2, 0.2, 0.1]])
    none = np.full((2, 4), np.nan)
    taught = np.array([[1.0, 0.0, 0.0, 0.0], [np.nan] * 4])
    got = pair_readings(direct, none, reach=taught)
    assert np.allclose(got[0], (1 - REACH_WEIGHT) * direct[0] + REACH_WEIGHT * taught[0])
    assert np.array_equal(got[1], direct[1])


def _value(store: Store, a: int, b: int) -> np.ndarray:
    got = {(x, y): p for x, y, _, p in ranking.compute(store)[0]}
    return got[(min(a, b), max(a, b))]


@pytest.fixture
def store(seed_db: Path, tmp_path: Path) -> Store:
    db = tmp_path / "seeds.db"
    shutil.copy(seed_db, db)
    return Store(db)


def test_a_tag_moves_its_neighbours_at_once_the_same_on_every_path(store: Store) -> None:
    model = store.meta.stance_model
    rows = store.disputes(model)
    direct = {
        (r["a_id"], r["b_id"]): np.array([r[f"p_{lab}"] for lab in STANCE_LABELS]) for r in rows
    }
    # A tagged pair (x, y) and a scored neighbour (y, z) of y that is no pair of x's own tags.
    by_claim: dict[int, list[int]] = {}
    for a, b in direct:
        by_claim.setdefault(a, []).append(b)
        by_claim.setdefault(b, []).append(a)
    x, y, z = next(
        (x, y, z)
        for (x, y) in direct
        for z in by_claim[y]
        if z != x and (min(x, z), max(x, z)) in direct
    )
    before = _value(store, x, z)
    pair_id = next(r["id"] for r in rows if (r["a_id"], r["b_id"]) == (x, y))
    assert ranking.fresh(store)
    store.add_tag(pair_id, "contradiction", "ana")
    assert not ranking.fresh(store)  # a verdict changes readings: the stored ranking is stale
    after = _value(store, x, z)
    assert not np.allclose(after, before)
    # The one verdict beside (x, z) is (x, y)'s: what (y, z) reads, contradiction and agreement
    # swapped, is REACH_WEIGHT of (x, z)'s value now.
    link = direct[(min(y, z), max(y, z))]
    expected = (1 - REACH_WEIGHT) * before + REACH_WEIGHT * through("contradiction", link)
    assert np.allclose(after, expected)
    # The stored ranking, brought up to date for the tagged claims only, is the full one.
    changes = ranking.analyst_changes(store, store.meta.rank_stamp)
    assert changes is not None and {x, y} <= changes[0]  # an update, not a rebuild
    assert ranking.catch_up(store) and ranking.fresh(store)
    fast = views.disputes(store, top=30)
    kept, store.meta.rank_stamp = store.meta.rank_stamp, ""  # stale: computed in full
    try:
        assert views.disputes(store, top=30) == fast
    finally:
        store.meta.rank_stamp = kept
    # Undone, the tag reaches nothing.
    store.retract_latest("ana")
    assert np.allclose(_value(store, x, z), before)
