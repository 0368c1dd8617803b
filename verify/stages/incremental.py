"""A refresh that touches only what a few new articles change.

``plan`` decides between the two kinds. A full refresh (``Pipeline.refresh``) recomputes over the
corpus; it runs on the first refresh of a store, when the actor registry, the stance model or the
neighbour count changed, after an analyst corrected a claim (sources and sides feed the pairs),
after ``counterclaim recluster``, when new claims outnumber the stored ones (the topics are then
clustered afresh), and when a full refresh was interrupted. Otherwise ``run`` takes the new claims
in: their actors and check-worthiness, their topics (they join stored topics; the rest form new
ones), the propositions they touch (``propositions.incremental``), their candidate pairs through
the stored neighbour graph (``verify.stages.neighbours``: exact, both directions), the pruning of the
pairs they push out, the scores of new pairs, and the ranking rows that depend on them.

What is taken in is written to ``refresh_work`` before the first change, so a run killed at any
point leaves a store whose next run redoes the same work (each step is idempotent) and completes
it; ``refresh_pending`` keeps meaning "a refresh is due".
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from verify.registry.actors import source_key
from verify.stages import neighbours, ranking
from verify.store import totals
from verify.store.meta import FULL

if TYPE_CHECKING:
    from verify.propositions.incremental import Touched
    from verify.registry.actors import Registry
    from verify.stages.embed import CachedEmbedder
    from verify.stages.topics import TopicClusterer
    from verify.stance.base import StanceModel
    from verify.store.database import Store


class PipelineLike(Protocol):
    """What a refresh uses of the pipeline that runs it (``verify.stages.pipeline.Pipeline``); declared
    here so that this module does not import the pipeline that imports it."""

    store: Store
    registry: Registry
    encoder: CachedEmbedder  # MiniLM: stance and check-worthiness read these
    space: CachedEmbedder  # topics, neighbours, propositions (verify.multilingual.space)
    topics: TopicClusterer
    k: int
    log: Callable[[str], None]

    @property
    def stance(self) -> StanceModel: ...

    def score_key(self) -> str: ...

    def rescore(self, pair_ids: Collection[int] | None = None) -> int: ...

    def actor_of(self, speaker: str) -> tuple[str, str]: ...

    def score_checkworthy(self, ids: list[int], vecs: np.ndarray) -> Sequence[float | None]: ...

    def switch_model(self, rank: Callable[[], object]) -> None: ...


@dataclass
class Plan:
    full: bool
    reason: str = ""
    new: list[int] = field(default_factory=list)  # claim ids to take in
    extra_claims: set[int] = field(default_factory=set)  # readings the analysts changed
    extra_props: set[int] = field(default_factory=set)
    since: str = ""  # when an interrupted attempt at this work began ("" if none was)


def plan(pipe: PipelineLike) -> Plan:
    store = pipe.store
    work = store.meta.refresh_work
    checks = [
        (work == FULL, "a full refresh was interrupted"),
        (not store.has_knn(), "no neighbour graph yet"),
        (store.meta.graph_k != pipe.k, "another neighbour count"),
        (store.meta.graph_space != pipe.space.name, "another claim space"),
        (store.meta.registry != pipe.registry.fingerprint(), "the actor registry changed"),
        (store.meta.refresh_model != pipe.score_key(), "the stance model changed"),
        (store.meta.refresh_corrections != store.latest_correction(), "claims were corrected"),
    ]
    for hit, reason in checks:
        if hit:
            return Plan(True, reason)
    changes = ranking.analyst_changes(store, store.meta.refresh_state, model=False)
    if changes is None:
        return Plan(True, "the analysts' state is unknown")
    known = store.knn_claims()
    ids = store.live_claim_ids()
    pending: dict[str, Any] = json.loads(work) if work else {"claims": [], "since": ""}
    new = [i for i in ids if i not in known or i in set(pending["claims"])]
    if len(new) > len(ids) - len(new):
        return Plan(True, "new claims outnumber the stored ones")
    return Plan(False, "", new, *changes, since=pending["since"])


def finish(pipe: PipelineLike, state: str) -> None:
    """What the next ``plan`` compares against; ``state``: the analysts' state this refresh saw."""
    store = pipe.store
    store.meta.graph_k = pipe.k
    store.meta.graph_space = pipe.space.name
    store.meta.refresh_model = pipe.score_key()
    store.meta.refresh_corrections = store.latest_correction()
    store.meta.refresh_state = state
    store.meta.refresh_work = ""


def run(pipe: PipelineLike, todo: Plan) -> None:
    """Take ``todo.new`` in (``todo.full`` is False)."""
    from verify.propositions.incremental import refresh_some
    from verify.types import now

    store, log = pipe.store, pipe.log
    state = ranking.stamp(store)
    if not (todo.new or todo.extra_props or todo.extra_claims or todo.since):
        pipe.rescore()  # nothing to take in (a run killed before it stored an article)

        def catch_up() -> None:
            ranking.catch_up(store)
            if totals.read(store) is None:
                totals.rebuild(store)
            finish(pipe, state)

        return pipe.switch_model(catch_up)
    since = todo.since or now()  # a redone run keeps its first attempt's start
    store.meta.refresh_work = json.dumps({"claims": todo.new, "since": since})
    ranking.invalidate(store)
    rows = store.claim_rows()
    ids = [r["id"] for r in rows]
    pos = {cid: n for n, cid in enumerate(ids)}
    new = [pos[c] for c in todo.new if c in pos]
    speakers = {r["speaker"] for r in rows}
    resolved = {s: pipe.actor_of(s) for s in speakers}  # one lookup per distinct speaker
    store.set_actors((ids[i], *resolved[rows[i]["speaker"]]) for i in new)
    t = time.perf_counter()
    texts = [r["text"] for r in rows]
    vecs = _vectors(pipe.encoder, store, rows, texts)
    space = _vectors(pipe.space, store, rows, texts)
    log(
        f"embedded {pipe.encoder.computed} new of {len(texts)} claims ({time.perf_counter() - t:.1f}s)"
    )
    checkworthy = [r["checkworthy"] for r in rows]
    for i, s in zip(new, pipe.score_checkworthy([ids[i] for i in new], vecs[new]), strict=True):
        checkworthy[i] = s
    topics = _topics(pipe, rows, space, texts, new)
    sources = [
        source_key(resolved[r["speaker"]][0] or r["speaker"], r["outlet"] or "") for r in rows
    ]
    sides = [resolved[r["speaker"]][1] or "unknown" for r in rows]
    touched = refresh_some(store, pipe.stance, pipe.score_key(), ids, space, texts, topics,
                           checkworthy, sources, sides, new, todo.extra_props, since, log)  # fmt: skip
    from verify.stages.pairs import source_codes

    update = neighbours.add_claims(store, ids, space, source_codes(sources), new, pipe.k)
    made, pruned = _store_pairs(store, update, touched)
    if todo.since:  # a redone run: what its first attempt stored may be unscored anywhere
        pipe.rescore()
    else:  # every other pair was scored by the run that made it
        pipe.rescore(_pair_ids(store, made))
    changed = touched.claims | todo.extra_claims | {ids[i] for i in new}
    changed |= {c for pair in made | pruned for c in pair}

    def rank() -> None:
        if todo.since:  # a redone run: what its first attempt changed is not all known: anew
            ranking.rebuild(store, state)
            totals.rebuild(store)
        else:
            ranking.update(store, changed, touched.props, state)
            totals.update(store, store.topics_of_claims(changed))
        finish(pipe, state)

    pipe.switch_model(rank)  # with the key, in one transaction (``verify.analysts.model_switch``)
    log(f"{len(new)} new claims taken in: {len(update.lists)} neighbour lists made or changed, "
        f"{len(made)} pairs new, {len(pruned)} pruned, {len(changed)} claims re-ranked")  # fmt: skip


def _vectors(encoder: CachedEmbedder, store: Store, rows: list, texts: list[str]) -> np.ndarray:
    """Every claim's vector: the stored ones in one pass, the missing ones through the embedder
    (which stores them)."""
    stored = store.claim_vectors(encoder.name)
    missing = [i for i, r in enumerate(rows) if r["id"] not in stored]
    have = [i for i, r in enumerate(rows) if r["id"] in stored]
    made = encoder.encode([texts[i] for i in missing]) if missing else None
    dim = made.shape[1] if made is not None else len(stored[rows[have[0]]["id"]]) if have else 0
    vecs = np.zeros((len(rows), dim), dtype=np.float32)
    if have:
        vecs[have] = np.stack([stored[rows[i]["id"]] for i in have])
    if made is not None:
        vecs[missing] = made
    return vecs


def _topics(
    pipe: PipelineLike, rows: list, vecs: np.ndarray, texts: list[str], new: list[int]
) -> list[int]:
    """New claims join the nearest stored topic (``TopicClusterer.place``); those that fit none are
    clustered into new topics, titled by their own keywords. Stored claims keep theirs."""
    stored = np.array([-1 if r["topic_id"] is None else r["topic_id"] for r in rows])
    known = np.unique(stored[stored >= 0])
    labels = np.searchsorted(known, stored)
    labels[stored < 0] = -1
    placed = pipe.topics.place(vecs, labels)
    todo = np.flatnonzero(stored < 0)
    fresh = sorted({int(placed[i]) for i in todo if placed[i] >= len(known)})
    local = {t: n for n, t in enumerate(fresh)}
    members = [i for i in todo if placed[i] >= len(known)]
    titles = pipe.topics.titles([texts[i] for i in members],
                                np.array([local[int(placed[i])] for i in members], dtype=int))  # fmt: skip
    assignment = {int(rows[i]["id"]): (int(known[placed[i]]) if placed[i] < len(known)
                                       else -1 - local[int(placed[i])]) for i in todo}  # fmt: skip
    new_ids = pipe.store.add_to_topics(assignment, titles)
    out = stored.copy()
    for i in todo:
        out[i] = known[placed[i]] if placed[i] < len(known) else new_ids[local[int(placed[i])]]
    pipe.log(f"{len(todo)} new claims: {len(todo) - len(members)} joined stored topics, "
             f"{len(members)} formed {len(fresh)} new ones")  # fmt: skip
    return [int(t) for t in out]


def _pair_ids(store: Store, pairs: set[tuple[int, int]]) -> list[int]:
    return [pid for a, b in pairs if (pid := store.pair_id(a, b)) is not None]


def _store_pairs(store: Store, update: neighbours.Update, touched: Touched
                 ) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:  # fmt: skip
    """The graph, the new candidate and implied pairs, and the pruning of pairs that are neither
    any longer, in one transaction. Returns (pairs inserted, pairs deleted)."""
    from verify.store.propositions import PropositionTables

    tables = PropositionTables(store)
    wanted = {**update.pairs, **touched.implied}
    with store.transaction():
        store.put_knn(update.rows)
        gone = tables.replace_implied(touched.implied_rows, touched.props)
        existing = store.stored_pairs(wanted)
        store.put_pairs((a, b, s) for (a, b), s in wanted.items())
        maybe = (update.dropped | gone) - wanted.keys()
        gone_now = maybe - neighbours.edge_pairs(store, maybe)
        pruned = set()
        for a, b in gone_now - tables.implied_among(gone_now):  # implied pairs stay candidates
            if store.drop_untagged_pair(a, b):
                pruned.add((a, b))
    return set(wanted) - existing, pruned
