"""Candidate pairs: each claim's nearest neighbours from other sources (the graph kept in the
store), with the pairs propositions imply; pairs that are neither any longer are removed unless
an analyst tagged them."""

from __future__ import annotations

from verify.stages import neighbours
from verify.stages.pairs import neighbour_lists, pairs_of, source_codes
from verify.stages.record import Pair, RunClaims, StageContext


class Candidates:
    name = "candidates"

    def full(self, ctx: StageContext, claims: RunClaims) -> None:
        store, ids = ctx.store, claims.ids
        graph = neighbour_lists(claims.space, claims.sources, k=ctx.k) if len(ids) > 1 else None
        cands = pairs_of(*graph, len(ids)) if graph else []
        with store.transaction():
            store.replace_knn(neighbours.graph_rows(ids, *graph, ctx.k) if graph else [])
        store.upsert_pairs((ids[i], ids[j], s) for i, j, s in cands)
        store.upsert_pairs((a, b, s) for (a, b), s in claims.implied.items())
        current = [(ids[i], ids[j]) for i, j, _ in cands] + list(claims.implied)
        pruned = store.prune_pairs(current)
        if pruned:
            ctx.log(f"{pruned} pairs no longer candidates removed (tagged pairs are kept)")
        n = len(ids)
        # The count the board and `disputes --pairs` show: every candidate, from both sources.
        total = len({(min(a, b), max(a, b)) for a, b in current})
        ctx.log(
            f"{total} candidate pairs of {n * (n - 1) // 2} possible "
            f"({len(cands)} nearest neighbours, {len(claims.implied)} from propositions)"
        )

    def incremental(self, ctx: StageContext, claims: RunClaims) -> None:
        update = neighbours.add_claims(
            ctx.store, claims.ids, claims.space, source_codes(claims.sources), claims.new, ctx.k
        )
        claims.made, claims.pruned = _store_pairs(ctx, claims, update)
        ctx.log(
            f"{len(update.lists)} neighbour lists made or changed, {len(claims.made)} pairs new, "
            f"{len(claims.pruned)} pruned"
        )


def _store_pairs(
    ctx: StageContext, claims: RunClaims, update: neighbours.Update
) -> tuple[set[Pair], set[Pair]]:
    """The graph, the new candidate and implied pairs, and the pruning of pairs that are neither
    any longer, in one transaction. Returns (pairs inserted, pairs deleted)."""
    from verify.store.propositions import PropositionTables

    store, touched = ctx.store, claims.touched
    assert touched is not None  # the incremental proposition stage ran
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
