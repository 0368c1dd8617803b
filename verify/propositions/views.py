"""What readers (CLI, TUI, reports) get of propositions: plain dicts, one shape for all.

``stance_map`` is every claim's stance toward each live proposition (an analyst's agreed tag
replaces the model's suggestion); ``proposition_views`` groups it into disputes, most contested
first. A pair's reading through its propositions is ``verify.propositions.readings``.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from verify.labels import PROPOSITION_LABELS
from verify.propositions.disputes import (
    Stance,
    sides_of,
    stances_by_proposition,
)
from verify.registry.actors import source_key
from verify.store.database import Store
from verify.store.propositions import PropositionTables, probs_of

PROPOSITION_KEYS = (
    "id",
    "origin",
    "text",
    "topic",
    "anchor",
    "contested",
    "is_dispute",
    "supporters",
    "refuters",
    "others",
)


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


def stance_map(
    store: Store,
    tables: PropositionTables | None = None,
    agreed: dict[tuple[int, int], str] | None = None,
    props: Collection[int] | None = None,
    model: str | None = None,
) -> dict[int, dict[int, tuple[dict[str, float], bool]]]:
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
    live = tables.active_ids()  # suggestions() reads live propositions only too
    if props is not None:
        live &= set(props)
    for (pid, cid), label in agreed.items():
        if pid in live:
            out.setdefault(cid, {})[pid] = (
                {k: float(k == label) for k in PROPOSITION_LABELS},
                True,
            )
    return out


def proposition_views(
    store: Store,
    claims_by_id: dict[int, dict[str, Any]],
    topic: int | None = None,
    only: Collection[int] | None = None,
) -> list[dict[str, Any]]:
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
            return {
                "claim": claims_by_id[s.claim_id],
                "stance": s.label,
                "probs": dict(s.probs),
                "tagged": s.tagged,
                "tags": tag_lists.get((pid, s.claim_id), []),
            }

        out.append(
            {
                "id": p["id"],
                "origin": p["origin"],
                "text": p["text"],
                "topic": {"id": p["topic_id"], "title": titles.get(p["topic_id"], "")},
                "anchor": p["claim_id"],
                "contested": round(d.contested, 4),
                "is_dispute": d.is_dispute,
                "supporters": [view(s) for s in d.supporters],
                "refuters": [view(s) for s in d.refuters],
                "others": [view(s) for s in d.others],
            }
        )
    out.sort(key=lambda v: (-v["is_dispute"], -v["contested"], v["id"]))
    return out
