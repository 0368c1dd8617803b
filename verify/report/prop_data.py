"""The propositions of a report: each live proposition with who supports and who refutes it.

Read from ``verify.propositions.views.proposition_views`` (the engine's one view of them), then
cut to the report's scope: the claims the report shows (``--min-checkworthy`` hides the rest, so
a proposition's sides are read off the visible claims only), the ``--topic`` filter, and at most
``Filters.per_side`` claims listed per stance group (the rest counted, never silently dropped).
Pair filters (``--min-confidence``, ``--label``, ``--tagged-only``) do not apply: they judge pairs.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from verify.propositions.views import proposition_views
from verify.store.database import Store
from verify.store.propositions import PropositionTables

#: The stance groups of a proposition, in the order every format lists them.
GROUPS = ("supporters", "refuters", "others")


def side_counts(stances: list[dict[str, Any]]) -> dict[str, int]:
    """side -> number of claims, largest side first (ties by name)."""
    counts = Counter(s["claim"]["side"] for s in stances)
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _stance(s: dict[str, Any]) -> dict[str, Any]:
    probs = {k: round(float(v), 4) for k, v in s["probs"].items()}
    return {
        "claim": s["claim"],
        "stance": s["stance"],
        "confidence": probs[s["stance"]],
        "probs": probs,
        "tagged": s["tagged"],
        "tags": s["tags"],
    }


def collect_propositions(
    store: Store,
    claims_by_id: dict[int, dict[str, Any]],
    topic: int | None,
    per_side: int | None,
) -> list[dict[str, Any]]:
    """The report's ``propositions[]`` (docs/report-schema.md), disputes first, most contested
    first. ``claims_by_id``: the report's visible claims (hidden ones already removed)."""
    tables = PropositionTables(store)
    out = []
    for v in proposition_views(store, claims_by_id, topic):
        row = tables.get(v["id"])
        entry: dict[str, Any] = {
            "id": v["id"],
            "origin": v["origin"],
            "analyst": row["analyst"] if row is not None else None,
            "pinned": bool(row["pinned"]) if row is not None else False,
            "text": v["text"],
            "topic": v["topic"],
            "anchor": v["anchor"],
            "contested": v["contested"],
            "is_dispute": v["is_dispute"],
            "counts": {},
            "left_out": {},
            "sides": {},
        }
        for group in GROUPS:
            every = [_stance(s) for s in v[group]]
            listed = every if per_side is None else every[:per_side]
            entry[group] = listed
            entry["counts"][group] = len(every)
            entry["left_out"][group] = len(every) - len(listed)
            if group != "others":
                entry["sides"][group] = side_counts(every)
        out.append(entry)
    return out


def proposition_summary(props: list[dict[str, Any]]) -> dict[str, int]:
    return {
        "propositions": len(props),
        "proposition_disputes": sum(p["is_dispute"] for p in props),
        "analyst_propositions": sum(p["origin"] == "analyst" for p in props),
    }
