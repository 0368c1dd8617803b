"""What readers get of the store: the stable JSON shapes of `claims --json` and `disputes --json`
(tests pin them) here; the board's reads in ``board`` and its poll for others' tags in ``poll``.
The TUI, the reports and the CLI read the store through these views only."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import numpy as np

from ..actors import UNKNOWN_SIDE
from ..labels import STANCE_LABELS
from ..store import Store

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
        "side": row["side"] or UNKNOWN_SIDE,
        "start": row["start"],
        "end": row["end"],
        "topic": row["topic_id"],
    }


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
    stances toward a shared proposition imply (``propositions.disputes.combine``); a pair with
    no shared proposition keeps the pair model's reading."""
    from ..propositions.disputes import IMPLIED_WEIGHT, combine
    from ..propositions.views import implied_for, implied_only_pairs, stance_map

    model = store.get_meta("stance_model")
    by_id = {c["id"]: c for c in claims(store)}
    titles = {t["id"]: t["title"] for t in store.topics()}
    stances = stance_map(store)
    tags: dict[int, list[dict[str, Any]]] = {}
    for t in store.tags():
        tags.setdefault(t["pair_id"], []).append(tag_view(t))
    out = []
    for row in store.disputes(model):
        direct = np.array([row[f"p_{lab}"] for lab in STANCE_LABELS], dtype=float)
        p = combine(direct, implied_for(stances, row["a_id"], row["b_id"]),
                    IMPLIED_WEIGHT if implied_weight is None else implied_weight)  # fmt: skip
        probs = {lab: float(x) for lab, x in zip(STANCE_LABELS, p, strict=True)}
        label = max(STANCE_LABELS, key=lambda lab: probs[lab])
        a, b = by_id[row["a_id"]], by_id[row["b_id"]]
        topic = pair_topic(a["topic"], b["topic"])
        out.append(
            {
                "id": row["id"],
                "label": label,
                "confidence": probs["contradiction"],
                "probs": probs,
                "topic": {"id": topic, "title": titles.get(topic, "")},
                "a": a,
                "b": b,
                "tags": tags.get(row["id"], []),
            }
        )
    known = {(min(d["a"]["id"], d["b"]["id"]), max(d["a"]["id"], d["b"]["id"])) for d in out}
    for (a_id, b_id), p in implied_only_pairs(stances, by_id, known).items():
        probs = {lab: float(x) for lab, x in zip(STANCE_LABELS, p, strict=True)}
        topic = by_id[a_id]["topic"]
        out.append({"id": None, "label": max(STANCE_LABELS, key=lambda lab: probs[lab]),
                    "confidence": probs["contradiction"], "probs": probs,
                    "topic": {"id": topic, "title": titles.get(topic, "")},
                    "a": by_id[a_id], "b": by_id[b_id], "tags": []})  # fmt: skip
    out.sort(key=lambda d: (-d["confidence"], d["id"] is None, d["id"] or 0))
    return out if top is None else out[:top]
