"""Which kind of refresh a run needs, and what each begins and ends with.

``plan`` decides. A full refresh recomputes over the corpus; it runs on the first refresh of a
store, when the actor registry, the stance model, the neighbour count or the claim space changed,
after an analyst corrected a claim (sources and sides feed the pairs), after ``counterclaim
recluster``, when new claims outnumber the stored ones (the topics are then clustered afresh), and
when a full refresh was interrupted. Otherwise the stages (``verify.stages.steps``) take the new
claims in: their actors and check-worthiness, their topics, the propositions they touch, their
candidate pairs through the stored neighbour graph (exact, both directions), the pruning of the
pairs they push out, the scores of new pairs, and the ranking rows that depend on them.

What is taken in is written to ``refresh_work`` before the first change, so a run killed at any
point leaves a store whose next run redoes the same work (each stage is idempotent) and completes
it; ``refresh_pending`` keeps meaning "a refresh is due".
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from verify.stages import ranking
from verify.stages.record import RunClaims, StageContext
from verify.store import totals
from verify.store.meta import FULL
from verify.types import now


@dataclass
class Plan:
    full: bool
    reason: str = ""
    new: list[int] = field(default_factory=list)  # claim ids to take in
    extra_claims: set[int] = field(default_factory=set)  # readings the analysts changed
    extra_props: set[int] = field(default_factory=set)
    since: str = ""  # when an interrupted attempt at this work began ("" if none was)

    @property
    def idle(self) -> bool:
        """Nothing to take in (a run killed before it stored an article, say)."""
        return not (self.new or self.extra_props or self.extra_claims or self.since)


def plan(ctx: StageContext) -> Plan:
    store = ctx.store
    work = store.meta.refresh_work
    checks = [
        (work == FULL, "a full refresh was interrupted"),
        (not store.has_knn(), "no neighbour graph yet"),
        (store.meta.graph_k != ctx.k, "another neighbour count"),
        (store.meta.graph_space != ctx.space.name, "another claim space"),
        (store.meta.registry != ctx.registry.fingerprint(), "the actor registry changed"),
        (store.meta.refresh_model != ctx.score_key(), "the stance model changed"),
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


def begin_full(ctx: StageContext) -> RunClaims:
    """Every claim, all of them new; killed from here on, the next run is full too."""
    state = ranking.stamp(ctx.store)  # the analysts' state this refresh reads
    ctx.store.meta.refresh_work = FULL
    ranking.invalidate(ctx.store)
    rows = ctx.store.claim_rows(include_copies=True)  # the dedup stage finds the copies afresh
    return RunClaims(rows, full=True, new=list(range(len(rows))), state=state)


def begin(ctx: StageContext, todo: Plan) -> RunClaims:
    """``todo.new`` to take in, written to ``refresh_work`` before the first change (a run killed
    at any point is redone by the next, each stage being idempotent)."""
    state = ranking.stamp(ctx.store)
    since = todo.since or now()  # a redone run keeps its first attempt's start
    ctx.store.meta.refresh_work = json.dumps({"claims": todo.new, "since": since})
    ranking.invalidate(ctx.store)
    rows = ctx.store.claim_rows()
    pos = {int(r["id"]): n for n, r in enumerate(rows)}
    return RunClaims(
        rows,
        full=False,
        new=[pos[c] for c in todo.new if c in pos],
        state=state,
        since=since,
        redone=bool(todo.since),
        extra_claims=todo.extra_claims,
        extra_props=todo.extra_props,
    )


def idle(ctx: StageContext) -> None:
    """Nothing to take in: score what is unscored and catch the rankings up."""
    from verify.stages.steps.scoring import rescore

    state = ranking.stamp(ctx.store)
    rescore(ctx)

    def catch_up() -> None:
        totals.catch_up(ctx.store)
        finish(ctx, state)

    switch_model(ctx, catch_up)


def finish(ctx: StageContext, state: str) -> None:
    """What the next ``plan`` compares against; ``state``: the analysts' state this refresh saw."""
    store = ctx.store
    store.meta.graph_k = ctx.k
    store.meta.graph_space = ctx.space.name
    store.meta.refresh_model = ctx.score_key()
    store.meta.refresh_corrections = store.latest_correction()
    store.meta.refresh_state = state
    store.meta.refresh_work = ""


def switch_model(ctx: StageContext, rank: Callable[[], object]) -> None:
    """This run's model key becomes the store's, with ``rank``'s rebuild, in one transaction."""
    from verify.analysts.model_switch import switch

    switch(ctx.store, ctx.score_key(), rank, expect_dir=ctx.model_dir)
