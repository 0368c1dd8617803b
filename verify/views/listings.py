"""What readers get of the store: the stable JSON shapes of `claims --json` and `disputes --json`
(tests pin them) here; the board's reads in ``board`` and its poll for others' tags in ``poll``.
The TUI, the reports and the CLI read the store through these views only."""

from __future__ import annotations

import sqlite3
from typing import Any

from verify.labels import STANCE_LABELS
from verify.store.database import Store
from verify.views.claim import claim_view

DISPUTE_KEYS = ("id", "label", "confidence", "probs", "sides", "topic", "a", "b", "tags", "reader")
TAG_KEYS = ("analyst", "label", "note", "at", "kind")


def claims(store: Store) -> list[dict[str, Any]]:
    return [claim_view(r) for r in store.claim_rows()]


def pair_topic(a_topic: int | None, b_topic: int | None) -> int | None:
    """A pair's topic: its first claim's, else its second's."""
    return a_topic if a_topic is not None else b_topic


def tag_view(row: sqlite3.Row) -> dict[str, Any]:
    return {k: row[k] for k in TAG_KEYS}


def disputes(
    store: Store, top: int | None = None, implied_weight: float | None = None
) -> list[dict[str, Any]]:
    """Scored pairs under the current model, most likely contradictions first.

    ``probs`` is the pair's one ranking: the pair model's reading mixed with what the pair's
    stances toward a shared proposition imply and what analysts' verdicts on pairs beside it
    imply (``stages.pair_value.pair_readings``); a pair with neither keeps the pair model's
    reading. With ``top``, the stored ranking
    (``verify.stages.ranking``) gives the first rows when it is up to date: no corpus-wide read."""
    from verify.stages import ranking
    from verify.stages.pair_value import contradiction_value, model_label

    items = ranking.top_pairs(store, top) if top is not None and implied_weight is None else None
    if items is not None:
        ids = {c for a, b, _, _ in items for c in (a, b)}
        by_id = {r["id"]: claim_view(r) for r in store.claim_rows(ids=ids)}
    else:
        items, by_id = ranking.compute(store, weight=implied_weight)
        items.sort(key=ranking.order_key(by_id))
        if top is not None:
            items = items[:top]
    titles = {t["id"]: t["title"] for t in store.topics()}
    pair_ids = [pid for _, _, pid, _ in items if pid is not None]
    readers = store.pair_readers(store.meta.stance_model, pair_ids)
    tags: dict[int, list[dict[str, Any]]] = {}
    for t in store.tags(pair_ids=pair_ids if top is not None else None):
        tags.setdefault(t["pair_id"], []).append(tag_view(t))
    out = []
    for a_id, b_id, pid, p in items:
        probs = {lab: float(x) for lab, x in zip(STANCE_LABELS, p, strict=True)}
        a, b = by_id[a_id], by_id[b_id]
        # A pair known only through propositions takes its first claim's topic, as it always did.
        topic = a["topic"] if pid is None else pair_topic(a["topic"], b["topic"])
        out.append(
            {
                "id": pid,
                "label": model_label(probs),
                "confidence": contradiction_value(probs),
                "probs": probs,
                "sides": ranking.pair_sides(a["side"], b["side"]),
                "topic": {"id": topic, "title": titles.get(topic, "")},
                "a": a,
                "b": b,
                "tags": tags.get(pid, []) if pid is not None else [],
                "reader": readers.get(pid, "english") if pid is not None else "propositions",
            }
        )
    return out


def proposition_listing(
    store: Store, topic: int | None = None, top: int | None = None, disputes_only: bool = False
) -> list[dict[str, Any]]:
    """Live propositions with their sides, most contested first (``proposition_views``), the
    first ``top``; with ``top``, read off the stored ranking when it is up to date: only those
    propositions and their claims are loaded."""
    from verify.propositions.views import proposition_views, stance_map
    from verify.stages import ranking

    ids = ranking.top_propositions(store, top, topic, disputes_only) if top else None
    if ids is None:
        by_id = {c["id"]: c for c in claims(store)}
    else:
        involved = stance_map(store, props=ids).keys()
        by_id = {r["id"]: claim_view(r) for r in store.claim_rows(ids=involved)}
    items = proposition_views(store, by_id, topic, only=ids)
    if disputes_only:
        items = [p for p in items if p["is_dispute"]]
    return items[:top] if top else items
