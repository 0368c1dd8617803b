"""What readers (CLI, TUI, reports) get of propositions: plain dicts, one shape for all.

``stance_map`` is every claim's stance toward each live proposition (an analyst's agreed tag
replaces the model's suggestion); ``proposition_views`` groups it into disputes, most contested
first; ``implied_for`` gives a pair its proposition-implied reading.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import numpy as np

from verify.labels import PROPOSITION_LABELS, REFUTES, SUPPORTS, UNRELATED
from verify.propositions.disputes import (
    MAX_IMPLIED_PER_PROPOSITION,
    Stance,
    implied,
    sides_of,
    stances_by_proposition,
)
from verify.registry.actors import source_key
from verify.store.database import Store
from verify.store.propositions import PropositionTables, probs_of

PROPOSITION_KEYS = ("id", "origin", "text", "topic", "anchor", "contested", "is_dispute",
                    "supporters", "refuters", "others")  # fmt: skip


def source_of(claim: dict[str, Any]) -> str:
    """Who stands behind a claim (``verify.registry.actors.source_key``: actor and outlet)."""
    return source_key(claim["actor"] or claim["speaker"], claim["outlet"])


def _tag_verdicts(tables: PropositionTables) -> tuple[dict[tuple[int, int], str], dict]:
    """(proposition, claim) -> agreed label, and -> list of tag dicts. Each analyst's latest tag
    counts; analysts who disagree leave the model's suggestion in place."""
    latest: dict[tuple[int, int], dict[str, Any]] = {}
    listing: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for t in tables.tags():
        key = (t["proposition_id"], t["claim_id"])
        latest.setdefault(key, {})[t["analyst"]] = t["label"]
        listing.setdefault(key, []).append(
            {"analyst": t["analyst"], "label": t["label"], "note": t["note"], "at": t["at"]}
        )
    agreed = {k: next(iter(v.values())) for k, v in latest.items() if len(set(v.values())) == 1}
    return agreed, listing


def stance_map(store: Store, tables: PropositionTables | None = None,
               agreed: dict[tuple[int, int], str] | None = None,
               props: Collection[int] | None = None, model: str | None = None,
               ) -> dict[int, dict[int, tuple[dict[str, float], bool]]]:  # fmt: skip
    """claim id -> proposition id -> (probs over ``PROPOSITION_LABELS``, tagged); ``agreed`` is
    ``_tag_verdicts``' first half when the caller has it already; ``props`` limits it to those
    propositions; ``model``: the scores of that key (default: the store's model; a refresh
    reads the key it is scoring under before ``verify.analysts.model_switch`` makes it the store's)."""
    tables = tables or PropositionTables(store)
    model = model or store.meta.stance_model
    if agreed is None:
        agreed, _ = _tag_verdicts(tables)
    out: dict[int, dict[int, tuple[dict[str, float], bool]]] = {}
    for row in tables.suggestions(model, props):
        out.setdefault(row["claim_id"], {})[row["proposition_id"]] = (probs_of(row), False)
    live = {p["id"] for p in tables.active()}  # suggestions() reads live propositions only too
    if props is not None:
        live &= set(props)
    for (pid, cid), label in agreed.items():
        if pid in live:
            out.setdefault(cid, {})[pid] = (
                {k: float(k == label) for k in PROPOSITION_LABELS},
                True,
            )
    return out


def implied_for(stances: dict[int, dict[int, tuple[dict[str, float], bool]]], a: int, b: int
                ) -> np.ndarray | None:  # fmt: skip
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


def proposition_views(store: Store, claims_by_id: dict[int, dict[str, Any]],
                      topic: int | None = None, only: Collection[int] | None = None,
                      ) -> list[dict[str, Any]]:  # fmt: skip
    """Live propositions with their supporters, refuters and the rest, most contested first
    (``only``: just these propositions)."""
    tables = PropositionTables(store)
    agreed, tag_lists = _tag_verdicts(tables)
    stances = stance_map(store, tables, agreed, only)
    titles = {t["id"]: t["title"] for t in store.topics()}
    by_prop = stances_by_proposition(stances, {c: source_of(v) for c, v in claims_by_id.items()})
    out = []
    for p in tables.active(topic):
        if only is not None and p["id"] not in only:
            continue
        d = sides_of(p["id"], by_prop.get(p["id"], []))

        def view(s: Stance, pid: int = p["id"]) -> dict[str, Any]:
            return {"claim": claims_by_id[s.claim_id], "stance": s.label, "probs": dict(s.probs),
                    "tagged": s.tagged, "tags": tag_lists.get((pid, s.claim_id), [])}  # fmt: skip

        out.append({
            "id": p["id"], "origin": p["origin"], "text": p["text"],
            "topic": {"id": p["topic_id"], "title": titles.get(p["topic_id"], "")},
            "anchor": p["claim_id"], "contested": round(d.contested, 4),
            "is_dispute": d.is_dispute,
            "supporters": [view(s) for s in d.supporters],
            "refuters": [view(s) for s in d.refuters],
            "others": [view(s) for s in d.others],
        })  # fmt: skip
    out.sort(key=lambda v: (-v["is_dispute"], -v["contested"], v["id"]))
    return out


#: A claim joins the pairs a proposition implies when it leans either way at least this much.
IMPLIED_FLOOR = 0.1


def implied_only_pairs(
    stances: dict[int, dict[int, tuple[dict[str, float], bool]]],
    claims_by_id: dict[int, dict[str, Any]],
    exclude: set[tuple[int, int]],
    floor: float = IMPLIED_FLOOR,
    involving: Collection[int] | None = None,
) -> dict[tuple[int, int], np.ndarray]:
    """Cross-source pairs known only through a shared proposition (the pair model never read
    them): of every two claims of a topic that lean on one of its propositions, the
    ``MAX_IMPLIED_PER_PROPOSITION`` most likely contradictions per proposition (s1 r2 + r1 s2,
    ties by ids), so no such pair is missing because it fell outside the nearest neighbours and
    no proposition floods the listing. ``involving``: only
    the pairs with at least one of these claims (``verify.stages.ranking`` updates those)."""
    members: dict[int, list[int]] = {}
    for cid, per in stances.items():
        if cid not in claims_by_id:
            continue
        for pid, (probs, _t) in per.items():
            if max(probs[SUPPORTS], probs[REFUTES]) >= floor:
                members.setdefault(pid, []).append(cid)
    source = {cid: source_of(c) for cid, c in claims_by_id.items()}
    keys: set[tuple[int, int]] = set()
    for pid, cids in members.items():
        cids.sort()
        ranked = []  # every cross-source pair of the proposition, its cap kept (``disputes``)
        for n, a in enumerate(cids):
            sa, ra = stances[a][pid][0][SUPPORTS], stances[a][pid][0][REFUTES]
            for b in cids[n + 1 :]:
                if source[a] != source[b]:
                    sb, rb = stances[b][pid][0][SUPPORTS], stances[b][pid][0][REFUTES]
                    ranked.append((-(sa * rb + ra * sb), a, b))
        for _v, a, b in sorted(ranked)[:MAX_IMPLIED_PER_PROPOSITION]:
            if (a, b) in exclude or (involving is not None and not {a, b} & set(involving)):
                continue
            keys.add((a, b))
    out = {}
    for a, b in keys:
        p = implied_for(stances, a, b)
        if p is not None:
            out[(a, b)] = p
    return out
