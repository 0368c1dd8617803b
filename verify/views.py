"""The stable JSON shapes of `claims --json` and `disputes --json` (tests pin them)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from .labels import STANCE_LABELS
from .store import Store

CLAIM_KEYS = (
    "id",
    "article",
    "outlet",
    "sentence",
    "text",
    "speaker",
    "cue",
    "relay",
    "actor",
    "side",
    "start",
    "end",
    "topic",
)
DISPUTE_KEYS = ("id", "label", "confidence", "probs", "topic", "a", "b", "tags")
TAG_KEYS = ("analyst", "label", "note", "at", "kind")


def claim_view(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "article": row["article_source"],
        "outlet": row["outlet"] or "",
        "sentence": row["sentence"],
        "text": row["text"],
        "speaker": row["speaker"],
        "cue": row["cue"],
        "relay": json.loads(row["relay"]),
        "actor": row["actor"] or row["speaker"],
        "side": row["side"] or "unknown",
        "start": row["start"],
        "end": row["end"],
        "topic": row["topic_id"],
    }


def claims(store: Store) -> list[dict[str, Any]]:
    return [claim_view(r) for r in store.claim_rows()]


def tag_view(row: sqlite3.Row) -> dict[str, Any]:
    return {k: row[k] for k in TAG_KEYS}


def disputes(
    store: Store, top: int | None = None, implied_weight: float | None = None
) -> list[dict[str, Any]]:
    """Scored pairs under the current model, most likely contradictions first.

    ``probs`` is the pair's one ranking: the pair model's reading mixed with what the pair's
    stances toward a shared proposition imply (``propositions.disputes.combine``); a pair with
    no shared proposition keeps the pair model's reading. With ``top``, the stored ranking
    (``verify.ranking``) gives the first rows when it is up to date: no corpus-wide read."""
    from . import ranking

    items = ranking.top_pairs(store, top) if top is not None and implied_weight is None else None
    if items is not None:
        ids = {c for a, b, _, _ in items for c in (a, b)}
        by_id = {r["id"]: claim_view(r) for r in store.claim_rows(ids=ids)}
    else:
        items, by_id = ranking.compute(store, weight=implied_weight)
        items.sort(key=ranking.order_key)
        if top is not None:
            items = items[:top]
    titles = {t["id"]: t["title"] for t in store.topics()}
    pair_ids = [pid for _, _, pid, _ in items if pid is not None]
    tags: dict[int, list[dict[str, Any]]] = {}
    for t in store.tags(pair_ids=pair_ids if top is not None else None):
        tags.setdefault(t["pair_id"], []).append(tag_view(t))
    out = []
    for a_id, b_id, pid, p in items:
        probs = {lab: float(x) for lab, x in zip(STANCE_LABELS, p, strict=True)}
        a, b = by_id[a_id], by_id[b_id]
        # A pair known only through propositions takes its first claim's topic, as it always did.
        topic = a["topic"] if a["topic"] is not None or pid is None else b["topic"]
        out.append({
            "id": pid,
            "label": max(STANCE_LABELS, key=lambda lab: probs[lab]),
            "confidence": probs["contradiction"],
            "probs": probs,
            "topic": {"id": topic, "title": titles.get(topic, "")},
            "a": a,
            "b": b,
            "tags": tags.get(pid, []) if pid is not None else [],
        })  # fmt: skip
    return out
