"""Who said each claim: the speaker resolved through the actor registry to an actor and a side."""

from __future__ import annotations

from verify.stages.record import RunClaims, SameBothWays, StageContext


class Actors(SameBothWays):
    name = "actors"

    def run(self, ctx: StageContext, claims: RunClaims) -> None:
        resolved: dict[str, tuple[str, str]] = {}  # one lookup per distinct speaker
        for r in claims.rows:
            speaker = r["speaker"]
            if speaker not in resolved:
                actor = ctx.registry.resolve(speaker)
                resolved[speaker] = (actor.name or speaker, actor.side)
        claims.actors = [resolved[r["speaker"]] for r in claims.rows]
        ctx.store.set_actors((claims.ids[i], *claims.actors[i]) for i in claims.new)
        ctx.store.meta.registry = ctx.registry.fingerprint()
