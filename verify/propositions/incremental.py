"""The proposition stage of an incremental run: only what a few new claims change.

A topic that got new claims keeps its propositions (an analyst's board does not change under them
because one article arrived) unless its share of propositions grew (``Proposer`` gives a topic one
per ``CLAIMS_PER_PROPOSITION`` claims, at most ``MAX_PER_TOPIC``): then, and for a topic the new
claims formed, the topic is proposed afresh, as a full run would. Scopes stay exact: a proposition
proposed now gets its ``SCOPE_K`` nearest claims anywhere, and every other one takes in the new
claims that come nearer than its farthest (top-k of old scope and new claims is the top-k of all).
Then only the touched propositions are scored, titled and asked for the pairs they imply.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from verify.propositions.disputes import stances_by_proposition
from verify.propositions.propose import Proposer
from verify.propositions.reads import Encode
from verify.propositions.refresh import SCOPE_K, _title_topics, implied_by, nearest
from verify.propositions.scoring import score_propositions
from verify.propositions.views import stance_map
from verify.stages.record import RunClaims, Touched
from verify.stance.base import StanceModel
from verify.store.database import Store
from verify.store.propositions import PropositionTables


def _want(proposer: Proposer, n: int) -> int:
    return min(proposer.max_per_topic, math.ceil(n / proposer.claims_per_proposition))


def refresh_some(
    store: Store,
    model: StanceModel,
    key: str,
    claims: RunClaims,
    log: Callable[[str], None],
    encode: Encode,
    proposer: Proposer | None = None,
) -> Touched:
    """Take ``claims.new`` (positions of the new claims) in; ``claims.extra_props``: propositions
    the analysts changed since the last run (their readings are taken again too);
    ``claims.since``: when this work began (a redone run finds what its first attempt proposed
    and retired by it); ``encode``: the claim space. The implied pairs are returned for the
    caller to store with the candidate pairs, in one transaction."""
    ids, vecs, texts, new, extra, since = (
        claims.ids,
        claims.space,
        claims.texts,
        claims.new,
        claims.extra_props,
        claims.since,
    )
    topics, checkworthy, sources, sides = (
        claims.topics,
        claims.checkworthy,
        claims.sources,
        claims.sides,
    )
    proposer = proposer or Proposer()
    tables = PropositionTables(store)
    out = Touched()
    topics_arr = np.asarray(topics)
    new_ids = {int(ids[i]) for i in new}
    touched = {int(topics_arr[i]) for i in new}
    size = {int(t): int(n) for t, n in zip(*np.unique(topics_arr, return_counts=True), strict=True)}
    added = {t: int(np.sum(topics_arr[list(new)] == t)) for t in touched}
    engine_topics = {p["topic_id"] for p in tables.active() if p["origin"] == "engine"}
    again = {
        t
        for t in touched
        if t not in engine_topics or _want(proposer, size[t]) > _want(proposer, size[t] - added[t])
    }
    if again:
        idx = [int(i) for i in np.flatnonzero(np.isin(topics_arr, sorted(again)))]
        chosen = proposer.propose(
            vecs[idx],
            [int(topics_arr[i]) for i in idx],
            [texts[i] for i in idx],
            [checkworthy[i] for i in idx],
            [sides[i] for i in idx],
        )
        tables.set_engine([(ids[idx[i]], texts[idx[i]], s) for i, s in chosen], within=again)
    row = {int(cid): n for n, cid in enumerate(ids)}
    active = [p for p in tables.active() if p["claim_id"] in row]
    retired = tables.retired_since(since)
    _scopes(tables, active, vecs, ids, row, sorted(new), out)
    # Readings change for the new claims, for every claim a new or retired proposition reads,
    # and for the claims the analysts tagged (their stances are in ``extra``'s propositions).
    fresh = tables.created_since(since) | retired | set(extra)
    out.claims |= new_ids | tables.scope_claims(fresh)
    tables.set_scope([], props=retired)  # a retired proposition reads nothing
    # Propositions whose scope holds a new claim (also when redone).
    out.props |= retired | tables.scoping(new_ids)
    topics_of_extra = {p["topic_id"] for p in active if p["id"] in extra}
    out.props |= {
        p["id"] for p in active if p["topic_id"] in touched | topics_of_extra or p["id"] in extra
    } | set(extra)
    live = {p["id"] for p in active}
    scored = score_propositions(tables, model, key, log, encode, out.props & live)
    stances = stance_map(store, tables, props=out.props & live, model=key)
    by_prop = stances_by_proposition(stances, {c: sources[n] for c, n in row.items()})
    _title_topics(tables, by_prop, touched | topics_of_extra)
    out.implied_rows, out.implied = implied_by(by_prop, vecs, row)
    log(
        f"{len(active)} propositions ({len(again)} topics proposed again), {scored} new stance "
        f"scores, {len(out.implied)} pairs implied by {len(out.props)} touched propositions"
    )
    return out


def _scopes(
    tables: PropositionTables,
    active: list,
    vecs: np.ndarray,
    ids: Sequence[int],
    row: dict[int, int],
    new: list[int],
    out: Touched,
) -> None:
    """Scopes of new propositions in full; the new claims into every other one's."""
    current = tables.scope()
    fresh = [p for p in active if p["id"] not in current]
    rows: list[tuple[int, int]] = []
    near = nearest(vecs[[row[p["claim_id"]] for p in fresh]], vecs, SCOPE_K)
    rows += [(p["id"], int(ids[j])) for p, js in zip(fresh, near, strict=True) for j in js]
    changed = {p["id"] for p in fresh}
    old = [p for p in active if p["id"] in current]
    if old and new:
        anchors = vecs[[row[p["claim_id"]] for p in old]]
        members = [[row[c] for c in current[p["id"]] if c in row] for p in old]
        far = _farthest(vecs, anchors, members)
        closer = (anchors @ vecs[new].T > far[:, None]).any(axis=1)  # a new claim comes nearer
        for n in np.flatnonzero(closer):
            p, mine = old[n], members[n]
            pool = np.array(mine + [j for j in new if j not in mine])
            keep = pool[np.argsort(-(vecs[pool] @ anchors[n]), kind="stable")[:SCOPE_K]]
            rows += [(p["id"], int(ids[j])) for j in keep]
            changed.add(p["id"])
            out.claims |= {int(ids[j]) for j in set(mine) - set(keep.tolist())}
    tables.set_scope(rows, props=changed)
    out.props |= changed


def _farthest(
    vecs: np.ndarray, anchors: np.ndarray, members: list[list[int]], block: int = 2048
) -> np.ndarray:
    """Each scope's lowest cosine to its anchor; -inf for a scope not yet full (anything enters)."""
    far = np.full(len(members), -np.inf, dtype=np.float64)
    for lo in range(0, len(members), block):
        part = members[lo : lo + block]
        full = [n for n, m in enumerate(part) if len(m) >= SCOPE_K]
        if not full:
            continue
        idx = np.array([part[n][:SCOPE_K] for n in full])  # (rows, SCOPE_K) claim positions
        sims = np.einsum("rkd,rd->rk", vecs[idx], anchors[lo + np.array(full)])
        far[lo + np.array(full)] = sims.min(axis=1)
    return far
