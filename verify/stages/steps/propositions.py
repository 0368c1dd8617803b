"""Propositions: proposed per topic, every claim in their scope read against them, and the claim
pairs they imply handed on to the candidates stage (``verify.propositions``)."""

from __future__ import annotations

from verify.stages.record import RunClaims, StageContext


class Propositions:
    name = "propositions"

    def full(self, ctx: StageContext, claims: RunClaims) -> None:
        from verify.propositions.refresh import refresh_propositions

        claims.implied = refresh_propositions(
            ctx.store, ctx.stance(), ctx.score_key(), claims, ctx.log, ctx.space.encode
        )

    def incremental(self, ctx: StageContext, claims: RunClaims) -> None:
        from verify.propositions.incremental import refresh_some

        claims.touched = refresh_some(
            ctx.store, ctx.stance(), ctx.score_key(), claims, ctx.log, ctx.space.encode
        )
        claims.implied = claims.touched.implied
