"""The disputes rankings and the board's topic counts, rebuilt (full) or updated for the claims
and propositions this run changed (incremental), made the store's together with the model key in
one transaction (``verify.analysts.model_switch``)."""

from __future__ import annotations

from verify.stages import ranking
from verify.stages.incremental import finish, switch_model
from verify.stages.record import RunClaims, StageContext
from verify.store import totals


class Rankings:
    name = "rank"

    def full(self, ctx: StageContext, claims: RunClaims) -> None:
        def rank() -> None:
            ranking.rebuild(ctx.store, claims.state)
            totals.rebuild(ctx.store)
            finish(ctx, claims.state)

        switch_model(ctx, rank)

    def incremental(self, ctx: StageContext, claims: RunClaims) -> None:
        store, touched = ctx.store, claims.touched
        assert touched is not None  # the incremental proposition stage ran
        changed = touched.claims | claims.extra_claims | {claims.ids[i] for i in claims.new}
        changed |= {c for pair in claims.made | claims.pruned for c in pair}

        def rank() -> None:
            # What an interrupted first attempt changed is not all known, and rows of another
            # rule are not this rule's: ranked anew.
            if claims.redone or ranking.rows_outdated(store):
                ranking.rebuild(store, claims.state)
                totals.rebuild(store)
            else:
                ranking.update(store, changed, touched.props, claims.state)
                totals.update(store, store.topics_of_claims(changed))
            finish(ctx, claims.state)

        switch_model(ctx, rank)
        ctx.log(f"{len(claims.new)} new claims taken in, {len(changed)} claims re-ranked")
