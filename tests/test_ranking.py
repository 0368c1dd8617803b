"""The stored rankings: computed as the per-pair reference computes them, and read back as the
listings computed in full list them (the seeds through the real pipeline)."""

from __future__ import annotations

import numpy as np
import pytest

from verify.labels import REFUTES, STANCE_LABELS, SUPPORTS, UNRELATED
from verify.propositions.disputes import (
    IMPLIED_FLOOR,
    MAX_IMPLIED_PER_PROPOSITION,
    combine,
    implied,
)
from verify.propositions.views import source_of, stance_map
from verify.stages import ranking
from verify.stance.loading import default_model_path
from verify.store.database import Store
from verify.views import listings as views

pytestmark = pytest.mark.skipif(not default_model_path().is_dir(), reason="no shipped stance model")


StanceMap = dict[int, dict[int, tuple[dict[str, float], bool]]]


# -- the reference: one pair at a time, in plain loops (the engine's is ``propositions.readings``)
def implied_for(stances: StanceMap, a: int, b: int) -> np.ndarray | None:
    """A pair's reading through the proposition both claims are most related to, if any: the
    lowest P(unrelated); on a tie, the lowest proposition id."""
    sa, sb = stances.get(a), stances.get(b)
    shared = sorted((sa or {}).keys() & (sb or {}).keys())
    if not sa or not sb or not shared:
        return None

    def column(side: dict[int, tuple[dict[str, float], bool]], label: str) -> np.ndarray:
        return np.array([side[p][0][label] for p in shared], dtype=float)

    p = implied(*(column(side, k) for side in (sa, sb) for k in (SUPPORTS, REFUTES, UNRELATED)))
    return p[int(np.argmin(p[:, 3]))]  # argmin: the first of equal minima


def implied_only_pairs(
    stances: StanceMap, claims_by_id: dict[int, dict], exclude: set[tuple[int, int]]
) -> dict[tuple[int, int], np.ndarray]:
    """Cross-source pairs known only through a shared proposition: of every two claims that lean
    on one proposition, its ``MAX_IMPLIED_PER_PROPOSITION`` most likely contradictions
    (s1 r2 + r1 s2, ties by ids)."""
    members: dict[int, list[int]] = {}
    for cid, per in stances.items():
        if cid not in claims_by_id:
            continue
        for pid, (probs, _t) in per.items():
            if max(probs[SUPPORTS], probs[REFUTES]) >= IMPLIED_FLOOR:
                members.setdefault(pid, []).append(cid)
    source = {cid: source_of(c) for cid, c in claims_by_id.items()}
    keys: set[tuple[int, int]] = set()
    for pid, cids in members.items():
        cids.sort()
        ranked = []
        for n, a in enumerate(cids):
            sa, ra = stances[a][pid][0][SUPPORTS], stances[a][pid][0][REFUTES]
            for b in cids[n + 1 :]:
                if source[a] != source[b]:
                    sb, rb = stances[b][pid][0][SUPPORTS], stances[b][pid][0][REFUTES]
                    ranked.append((-(sa * rb + ra * sb), a, b))
        keys |= {(a, b) for _v, a, b in sorted(ranked)[:MAX_IMPLIED_PER_PROPOSITION]}
    out = {}
    for a, b in keys - exclude:
        p = implied_for(stances, a, b)
        if p is not None:
            out[(a, b)] = p
    return out


def _reference(store: Store) -> dict[tuple[int, int, int | None], np.ndarray]:
    """Every ranked pair the one-pair-at-a-time functions give."""
    by_id = {c["id"]: c for c in views.claims(store)}
    stances = stance_map(store)
    out = {}
    for row in store.disputes(store.meta.stance_model):
        direct = np.array([row[f"p_{lab}"] for lab in STANCE_LABELS])
        out[(row["a_id"], row["b_id"], row["id"])] = combine(
            direct, implied_for(stances, row["a_id"], row["b_id"])
        )
    known = {(a, b) for a, b, _ in out}
    for (a, b), p in implied_only_pairs(stances, by_id, known).items():
        out[(a, b, None)] = p
    return out


def test_vectorised_readings_are_the_reference_ones(seed_db) -> None:
    store = Store(seed_db)
    ref = _reference(store)
    got = {(a, b, pid): p for a, b, pid, p in ranking.compute(store)[0]}
    assert got.keys() == ref.keys() and any(pid is None for _, _, pid in got)
    assert all(np.array_equal(got[k], ref[k]) for k in ref)  # the same floats
    floored = {
        (a, b, pid)
        for a, b, pid, p in ranking.compute(store, floor=ranking.RANK_FLOOR)[0]
        if p[0] >= ranking.RANK_FLOOR
    }
    assert floored == {k for k, p in ref.items() if p[0] >= ranking.RANK_FLOOR}


def test_stored_listings_are_the_computed_ones(seed_db) -> None:
    store = Store(seed_db)
    assert ranking.fresh(store)
    assert ranking.top_pairs(store, 15) is not None and ranking.top_propositions(store, 3)
    fast = (
        views.disputes(store, top=15),
        views.proposition_listing(store, top=3),
        views.proposition_listing(store, top=2, disputes_only=True),
    )
    kept = store.meta.rank_stamp
    store.meta.rank_stamp = ""  # stale: every listing is computed in full
    try:
        assert ranking.top_pairs(store, 15) is None
        slow = (
            views.disputes(store, top=15),
            views.proposition_listing(store, top=3),
            views.proposition_listing(store, top=2, disputes_only=True),
        )
    finally:
        store.meta.rank_stamp = kept
    assert fast == slow
    assert views.disputes(store)[:15] == fast[0]


def test_each_proposition_implies_at_most_its_cap_and_the_export_says_how_many_more(
    seed_db,
) -> None:
    from verify.report.data import collect_all
    from verify.store.propositions import PropositionTables

    store = Store(seed_db)
    implied_only = [1 for _, _, pid, _ in ranking.compute(store)[0] if pid is None]
    live = len(PropositionTables(store).active())
    assert 0 < len(implied_only) <= MAX_IMPLIED_PER_PROPOSITION * live
    left = ranking.implied_left_out(store)
    assert left > 0  # the seeds' propositions have more pairs than the cap
    summary = collect_all(store)[0]["summary"]
    assert (summary["implied_cap"], summary["implied_left_out"]) == (
        MAX_IMPLIED_PER_PROPOSITION,
        left,
    )
