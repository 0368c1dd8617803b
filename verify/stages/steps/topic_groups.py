"""Which topic each claim belongs to. A full run clusters the corpus (or assigns new claims to the
stored topics when they are few); an incremental run places new claims in the nearest stored
topic and clusters those that fit none into new ones. Topic ids stay put either way."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from verify.stages.record import RunClaims, StageContext


class Topics:
    name = "topics"

    def full(self, ctx: StageContext, claims: RunClaims) -> None:
        cluster(ctx, claims.rows, claims.space, claims.texts)
        topic_of = {r["id"]: r["topic_id"] for r in ctx.store.claim_rows()}
        claims.topics = [topic_of[i] for i in claims.ids]

    def incremental(self, ctx: StageContext, claims: RunClaims) -> None:
        claims.topics = place(ctx, claims.rows, claims.space, claims.texts)


def _stored_labels(rows: Sequence[Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(stored topic ids, -1 where none; the distinct ids; each claim's index among them)."""
    stored = np.array([-1 if r["topic_id"] is None else r["topic_id"] for r in rows])
    known = np.unique(stored[stored >= 0])
    labels = np.searchsorted(known, stored)
    labels[stored < 0] = -1
    return stored, known, labels


def cluster(
    ctx: StageContext,
    rows: Sequence[Any],
    vecs: np.ndarray,
    texts: list[str],
    recluster: bool = False,
) -> None:
    """New claims join the stored topics; the corpus is clustered afresh only when asked, when
    it has no topics yet, or when new claims outnumber the rest (``Store.sync_topics``)."""
    stored, known, labels = _stored_labels(rows)
    new = int((stored < 0).sum())
    if recluster or not len(known) or new > len(rows) - new:
        ctx.clusterer.fit(vecs, texts)
        how = "clustered"
    else:
        ctx.clusterer.assign(vecs, texts, labels)
        how = f"{new} new claims assigned"
    ids = [r["id"] for r in rows]
    ctx.store.sync_topics(
        ctx.clusterer.titles_, dict(zip(ids, map(int, ctx.clusterer.labels_), strict=True))
    )
    ctx.log(f"{len(ctx.clusterer.titles_)} topics ({how})")


def place(ctx: StageContext, rows: Sequence[Any], vecs: np.ndarray, texts: list[str]) -> list[int]:
    """New claims join the nearest stored topic (``TopicClusterer.place``); those that fit none
    are clustered into new topics, titled by their own keywords."""
    stored, known, labels = _stored_labels(rows)
    placed = ctx.clusterer.place(vecs, labels)
    todo = np.flatnonzero(stored < 0)
    fresh = sorted({int(placed[i]) for i in todo if placed[i] >= len(known)})
    local = {t: n for n, t in enumerate(fresh)}
    members = [i for i in todo if placed[i] >= len(known)]
    titles = ctx.clusterer.titles(
        [texts[i] for i in members], np.array([local[int(placed[i])] for i in members], dtype=int)
    )
    assignment = {
        int(rows[int(i)]["id"]): (
            int(known[placed[i]]) if placed[i] < len(known) else -1 - local[int(placed[i])]
        )
        for i in todo
    }
    new_ids = ctx.store.add_to_topics(assignment, titles)
    out = stored.copy()
    for i in todo:
        out[i] = known[placed[i]] if placed[i] < len(known) else new_ids[local[int(placed[i])]]
    ctx.log(
        f"{len(todo)} new claims: {len(todo) - len(members)} joined stored topics, "
        f"{len(members)} formed {len(fresh)} new ones"
    )
    return [int(t) for t in out]
