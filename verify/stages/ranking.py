"""The disputes rankings, kept in the store so that `disputes --top N` reads N rows, not the corpus.

``dispute_rank`` holds each pair's combined reading (the pair model mixed with what shared
propositions imply and what analysts' verdicts on pairs beside it imply, ``views.disputes``), for
scored pairs and for pairs known only through a proposition; ``proposition_rank`` each live
proposition's contestedness. Both are written at the end of every refresh: whole after a full
one, and after an incremental one only the rows of the claims whose readings changed (a pair's
reading depends on its two claims' stances, and on verdicts on pairs sharing one of its claims
with the pair model's readings of the pairs they reach through, ``stages.tag_reach``: each such
change touches one of the pair's claims, so the rows of the other claims stay exact). Rows below
``RANK_FLOOR`` are not stored, except pairs across the analysts' sides (they rank above every
other pair): the top of the ranking is what is read fast, down to the second tier's floor
(``top_pairs``); a longer listing is computed as before.

The rankings are valid for the store state named by ``stamp``: the stance model, and the
analysts' inputs that change readings (stance tags and pair tags and their undoing,
propositions and their withdrawal, corrections of claims). A refresh clears the stamp while it works. Readers use the
tables only when the stored stamp matches the store (``fresh``); otherwise they compute the
listing in full, and the next run brings the tables up to date (``catch_up``). The tables and
their rows are the store's (``verify.store.rankings``); this module decides what goes in them.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

import numpy as np

from verify.labels import REFUTES, STANCE_LABELS, SUPPORTS
from verify.stages.pair_value import VALUE_VERSION, pair_readings
from verify.stages.pair_value import order_key as value_order
from verify.stages.tag_reach import reach
from verify.stages.verdicts import links_for, verdicts_of
from verify.store.database import Store

#: Combined P(contradiction) below which a pair is not stored: the top is read, not the tail.
#: Pairs across the analysts' sides are stored whatever their value: they rank above every
#: other pair (``order_value``), so a stored top is exact down to the floor of the second tier.
RANK_FLOOR = 0.1
#: What the stored rows hold (in the rankings' ``stamp``): 2 stores every pair across sides.
RANK_RULE = 2

Ranked = tuple[int, int, int | None, np.ndarray]  # (a id, b id, pair id or None, probs)


def _state(store: Store) -> dict[str, Any]:
    return {
        "model": store.meta.stance_model,
        "value": VALUE_VERSION,
        "rank": RANK_RULE,
        **store.rank_inputs(),
    }


def stamp(store: Store) -> str:
    return json.dumps(_state(store), sort_keys=True)


def fresh(store: Store) -> bool:
    """True when the stored rankings are those of the store as it is now."""
    stored = store.meta.rank_stamp
    return bool(stored) and stored == stamp(store)


def invalidate(store: Store) -> None:
    store.meta.rank_stamp = ""


def _as_scored(state: str | None, store: Store) -> str:
    """``state`` (a ``stamp`` taken before a refresh, else now) under the model it scored with."""
    data = json.loads(state) if state else _state(store)
    data["model"] = store.meta.stance_model
    return json.dumps(data, sort_keys=True)


# -- computing readings ---------------------------------------------------------------------
def compute(
    store: Store,
    claims: Collection[int] | None = None,
    weight: float | None = None,
    floor: float | None = None,
    props: Collection[int] | None = None,
) -> tuple[list[Ranked], dict[int, dict[str, Any]]]:
    """Every ranked pair (``claims``: only those with one of these claims), unsorted, and the
    claim views it read. The one computation behind ``views.disputes`` and the stored ranking.
    ``floor``: pairs known only through propositions that cannot reach this P(contradiction)
    are left out (scored pairs are all there). ``props``: ``_props_of(claims)`` when the caller
    has it already."""
    from verify.propositions.disputes import IMPLIED_FLOOR, MAX_IMPLIED_PER_PROPOSITION
    from verify.propositions.readings import Stances
    from verify.propositions.views import source_of, stance_map
    from verify.store.propositions import PropositionTables
    from verify.views.claim import claim_view

    model = store.meta.stance_model
    tables = PropositionTables(store)
    if claims is None:
        stances = stance_map(store, tables)
        scored = store.disputes(model)
        rows = store.claim_rows()
    else:
        wanted = set(claims)
        stances = stance_map(
            store, tables, props=_props_of(store, wanted) if props is None else props
        )
        scored = store.disputes_of(model, wanted)
        need = wanted | {r[k] for r in scored for k in ("a_id", "b_id")} | stances.keys()
        rows = store.claim_rows(ids=need)
    by_id = {r["id"]: claim_view(r) for r in rows}
    table = Stances(stances, by_id.keys())
    a = np.array([r["a_id"] for r in scored], dtype=np.int64)
    b = np.array([r["b_id"] for r in scored], dtype=np.int64)
    direct = np.array(
        [[r[f"p_{lab}"] for lab in STANCE_LABELS] for r in scored], dtype=float
    ).reshape(-1, 4)
    found, implied, _ = table.implied(a, b)
    scored_keys = np.minimum(a, b) * (1 << 32) + np.maximum(a, b)
    # Pairs known only through a shared proposition: per proposition its
    # MAX_IMPLIED_PER_PROPOSITION most likely contradictions across sources (tests/test_ranking.py
    # keeps a one-pair-at-a-time reference).
    known_ids = np.array(sorted(by_id), dtype=np.int64)
    src = np.unique(
        np.array([source_of(by_id[int(c)]) for c in known_ids], dtype=object).astype(str),
        return_inverse=True,
    )[1]
    keys = table.pairs_on_shared(
        None if claims is None else set(claims),
        floor,
        IMPLIED_FLOOR,
        cap=MAX_IMPLIED_PER_PROPOSITION,
        source=dict(zip(known_ids.tolist(), src.tolist(), strict=True)),
    )
    keys = keys[~np.isin(keys, scored_keys)]
    x, y = keys >> 32, keys & 0xFFFFFFFF
    found_only, implied_only, leans = table.implied(x, y, IMPLIED_FLOOR)
    keep = found_only & leans
    x, y = x[keep], y[keep]
    # What analysts' verdicts beside each pair imply (stages.tag_reach), scored pairs first.
    verdicts = verdicts_of(store)
    taught: np.ndarray | None = None
    if verdicts:
        every = np.concatenate([scored_keys, keys[keep]])
        targets = list(zip((every >> 32).tolist(), (every & 0xFFFFFFFF).tolist(), strict=True))
        links = links_for(
            store, model, claims is not None, targets, (scored_keys, direct), verdicts
        )
        taught = reach(targets, verdicts, links)
    n = len(scored)
    mixed = pair_readings(
        direct,
        np.where(found[:, None], implied, np.nan),
        weight,
        None if taught is None else taught[:n],
    )
    out: list[Ranked] = [
        (int(i), int(j), int(r["id"]), p) for i, j, r, p in zip(a, b, scored, mixed, strict=True)
    ]
    only = pair_readings(
        np.full((len(x), 4), np.nan),
        implied_only[keep],
        weight,
        None if taught is None else taught[n:],
    )
    out += [(int(i), int(j), None, p) for i, j, p in zip(x, y, only, strict=True)]
    return out, by_id


def implied_left_out(store: Store) -> int:
    """How many (proposition, pair) readings ``compute`` leaves out under the cap of
    ``MAX_IMPLIED_PER_PROPOSITION`` pairs per proposition (what the exports say more exist)."""
    from verify.propositions.disputes import IMPLIED_FLOOR, MAX_IMPLIED_PER_PROPOSITION
    from verify.propositions.readings import Stances
    from verify.propositions.views import source_of, stance_map
    from verify.views.claim import claim_view

    stances = stance_map(store)
    rows = store.claim_rows(ids=set(stances))
    codes: dict[str, int] = {}
    source = {r["id"]: codes.setdefault(source_of(claim_view(r)), len(codes)) for r in rows}
    return Stances(stances, source.keys()).beyond_cap(
        MAX_IMPLIED_PER_PROPOSITION, IMPLIED_FLOOR, source
    )


#: The listing's tiers: disputes across the analysts' sides first, then pairs whose sides are
#: not both known, then disputes within one side (still listed, and marked as such).
ACROSS, UNKNOWN_SIDES, WITHIN = "across", "unknown", "within"
TIER = {ACROSS: 2, UNKNOWN_SIDES: 1, WITHIN: 0}


def pair_sides(side_a: str | None, side_b: str | None) -> str:
    """Whether a pair crosses the analysts' sides (``stance.camps``' rule for what a side is)."""
    from verify.stance.camps import OPPOSED, SAME, camp_relation

    rel = camp_relation(side_a, side_b)
    return ACROSS if rel == OPPOSED else WITHIN if rel == SAME else UNKNOWN_SIDES


def order_value(p_contradiction: float, sides: str) -> float:
    """The one order of the disputes listing (stored as ``dispute_rank.confidence``): the sides
    tier, then P(contradiction). The number shown stays P(contradiction) itself."""
    return TIER[sides] + float(p_contradiction)


def order_key(by_id: dict[int, dict[str, Any]]):
    """Sort key over ``Ranked`` items: ``order_value`` first, scored pairs before implied ones,
    then by ids (``by_id``: the claim views ``compute`` returned)."""

    def key(item: Ranked) -> tuple[float, bool, int, int, int]:
        a, b, pid, p = item
        tier = pair_sides(by_id[a]["side"], by_id[b]["side"])
        return value_order(order_value(p[0], tier), pid, a, b)

    return key


def _with_capped_neighbours(store: Store, claims: set[int]) -> set[int]:
    """``claims`` and, for each proposition they stand on that has more pairs than its cap, every
    claim leaning on it: a changed claim can push another pair of that proposition out of (or
    into) its capped pairs, and the rows of those pairs are rewritten with it."""
    from verify.propositions.disputes import IMPLIED_FLOOR, MAX_IMPLIED_PER_PROPOSITION
    from verify.propositions.views import stance_map
    from verify.store.propositions import PropositionTables

    if not claims:
        return claims
    tables = PropositionTables(store)
    members: dict[int, set[int]] = {}
    for cid, per in stance_map(store, tables, props=_props_of(store, claims)).items():
        for pid, (probs, _t) in per.items():
            if max(probs[SUPPORTS], probs[REFUTES]) >= IMPLIED_FLOOR:
                members.setdefault(pid, set()).add(cid)
    out = set(claims)
    for group in members.values():
        if len(group) * (len(group) - 1) // 2 > MAX_IMPLIED_PER_PROPOSITION:
            out |= group
    return out


def _props_of(store: Store, claims: Collection[int]) -> set[int]:
    """Propositions on which any of ``claims`` has a reading or a tag."""
    from verify.store.propositions import PropositionTables

    return PropositionTables(store).read_by(claims)


def proposition_rows(
    store: Store, props: Collection[int] | None = None
) -> list[tuple[int, int | None, int, float]]:
    """(proposition id, topic id, is dispute, contested) of live propositions (of ``props``), as
    ``propositions.views.proposition_views`` ranks them."""
    from verify.propositions.disputes import sides_of, stances_by_proposition
    from verify.propositions.views import source_of, stance_map
    from verify.store.propositions import PropositionTables
    from verify.views.claim import claim_view

    tables = PropositionTables(store)
    stances = stance_map(store, tables, props=props)
    by_id = {r["id"]: claim_view(r) for r in store.claim_rows(ids=stances.keys())}
    by_prop = stances_by_proposition(stances, {c: source_of(v) for c, v in by_id.items()})
    out = []
    for p in tables.active():
        if props is None or p["id"] in props:
            d = sides_of(p["id"], by_prop.get(p["id"], []))
            out.append((p["id"], p["topic_id"], int(d.is_dispute), round(d.contested, 4)))
    return out


# -- writing ----------------------------------------------------------------------------------
def _rank_rows(computed: tuple[list[Ranked], dict[int, dict[str, Any]]]) -> list[tuple]:
    items, by_id = computed
    out = []
    for a, b, pid, p in items:
        sides = pair_sides(by_id[a]["side"], by_id[b]["side"])
        if float(p[0]) >= RANK_FLOOR or sides == ACROSS:
            out.append((a, b, pid, order_value(p[0], sides), *map(float, p)))
    return out


def rebuild(store: Store, state: str | None = None) -> None:
    """Both rankings from scratch (after a full refresh); ``state``: the ``stamp`` taken before
    the refresh read anything (what the rankings are valid for), else the stamp now."""
    state = _as_scored(state, store)
    pairs, props = _rank_rows(compute(store, floor=RANK_FLOOR)), proposition_rows(store)
    with store.transaction():
        store.replace_rankings(pairs, props)
    store.meta.rank_stamp = state


def update(
    store: Store, claims: Collection[int], props: Collection[int] = (), state: str | None = None
) -> None:
    """The rows of pairs with one of ``claims`` (their readings changed), and of the
    propositions those claims stand on besides ``props`` (changed too), from the store now
    (``state`` as in ``rebuild``)."""
    state = _as_scored(state, store)
    wanted = _with_capped_neighbours(store, set(claims))
    read = _props_of(store, wanted) if wanted else set()
    pairs = _rank_rows(compute(store, wanted, floor=RANK_FLOOR, props=read)) if wanted else []
    todo = set(props) | read
    prop_rows = proposition_rows(store, todo) if todo else []
    with store.transaction():
        store.update_rankings(wanted, pairs, todo, prop_rows)
    store.meta.rank_stamp = state


def analyst_changes(
    store: Store, since: str, model: bool = True
) -> tuple[set[int], set[int]] | None:
    """(claims, propositions) whose readings the analysts changed after the state ``since`` (a
    stored stamp); None when only a full rebuild will do (a corrected claim, or with ``model``
    another stance model)."""
    from verify.store.propositions import PropositionTables

    if not since:
        return None
    then, now = json.loads(since), _state(store)
    if (
        (model and then.get("model") != now["model"])
        or then.get("correction") != now["correction"]
        or then.get("value") != now["value"]
        or (model and then.get("rank") != now["rank"])  # rows of another rule: ranked anew
    ):
        return None
    claims: set[int] = set()
    props: set[int] = set()
    if now["stance_tag"] != then.get("stance_tag") or now["stance_undone"] != then.get(
        "stance_undone"
    ):
        for pid, cid in store.stance_tags_since(then.get("stance_tag", 0)):
            claims.add(cid)
            props.add(pid)
    if now["pair_tag"] != then.get("pair_tag") or now["pair_undone"] != then.get("pair_undone"):
        claims |= store.tagged_claims_since(then.get("pair_tag", 0))  # their neighbours' readings
    if now["proposition"] != then.get("proposition") or now["withdrawn"] != then.get("withdrawn"):
        changed = store.analyst_propositions_since(then.get("proposition", 0))
        props |= changed
        claims |= PropositionTables(store).scope_claims(changed)
    return claims, props


def rows_outdated(store: Store) -> bool:
    """Whether the last refresh wrote the stored rows under another ``RANK_RULE``: an
    incremental refresh then ranks anew instead of updating them (the refresh itself stays
    incremental: ``incremental.plan`` does not look at the rule)."""
    state = store.meta.refresh_state
    return not state or json.loads(state).get("rank") != RANK_RULE


def catch_up(store: Store) -> bool:
    """Bring stale rankings up to date after the analysts' changes (a run with nothing new);
    returns whether anything was rewritten."""
    if fresh(store):
        return False
    state = stamp(store)
    changes = analyst_changes(store, store.meta.rank_stamp)
    if changes is None:
        rebuild(store, state)
    else:
        update(store, *changes, state=state)
    return True


# -- reading ----------------------------------------------------------------------------------
def top_pairs(store: Store, n: int, scored_only: bool = False) -> list[Ranked] | None:
    """The ``n`` highest-ranked pairs (``scored_only``: scored pairs) from the stored ranking;
    None when it is stale or holds fewer than ``n`` such rows (the caller then computes the
    ranking in full)."""
    if not fresh(store):
        return None
    rows = store.top_dispute_rank(n, scored_only)
    # Exact while the rows stay above the second tier's floor: below it, pairs of that tier
    # under the floor (not stored) would rank above the stored rows of the third.
    # Strictly above: the doubles just under the floor, plus 1, round to the floor itself.
    if len(rows) < n or (rows and rows[-1]["confidence"] <= TIER[UNKNOWN_SIDES] + RANK_FLOOR):
        return None
    return [
        (
            r["a_id"],
            r["b_id"],
            r["pair_id"],
            np.array([r[f"p_{lab}"] for lab in STANCE_LABELS], dtype=float),
        )
        for r in rows
    ]


def top_propositions(
    store: Store, n: int, topic: int | None = None, disputes_only: bool = False
) -> list[int] | None:
    """Ids of the ``n`` most contested live propositions (disputes first), or None when stale."""
    if not fresh(store):
        return None
    return store.top_proposition_rank(n, topic, disputes_only)


def readings_of(
    store: Store, pair_ids: Collection[int]
) -> tuple[list[Ranked], dict[int, dict[str, Any]]]:
    """``compute`` for these scored pairs only (through their claims), and the claim views read."""
    if not pair_ids:
        return [], {}
    claims = {
        c
        for pid in pair_ids
        if (row := store.pair(pid)) is not None
        for c in (row["a_id"], row["b_id"])
    }
    items, by_id = compute(store, claims)
    wanted = set(pair_ids)
    return [it for it in items if it[2] in wanted], by_id
