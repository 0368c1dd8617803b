"""Propositions for the sample seed board (tests, snapshots): the seed's central proposition typed
by an analyst, with stance suggestions as the stance model would store them, and optionally a
proposition made of markup and terminal escapes (it must show literally)."""

from __future__ import annotations

from pathlib import Path

from samples.board import HOSTILE_TEXT, SAMPLE_MODEL, SampleIds
from verify.store.database import Store
from verify.store.propositions import PropositionTables

WITHDRAWAL = "The troop withdrawal from the Ukrainian border has begun"

#: claim key -> p(refutes, supports, discusses, unrelated) toward WITHDRAWAL.
STANCES: dict[str, tuple[float, float, float, float]] = {
    "s13": (0.03, 0.91, 0.04, 0.02),  # Moscow: the withdrawal has begun
    "s17": (0.05, 0.84, 0.08, 0.03),  # Ministry of Defense: back to their bases
    "s14": (0.06, 0.72, 0.17, 0.05),  # Lavrov: the withdrawal was planned
    "s20": (0.88, 0.04, 0.06, 0.02),  # CNN: still massing
    "s26": (0.81, 0.05, 0.10, 0.04),  # Grozev: no evidence of a withdrawal
    "s8": (0.58, 0.09, 0.28, 0.05),  # Biden: not yet verified
    "s27": (0.69, 0.06, 0.20, 0.05),  # Grozev: convoys still moving
    "s15": (0.10, 0.12, 0.61, 0.17),
    "s3": (0.04, 0.05, 0.14, 0.77),
}


def add_sample_propositions(
    path: str | Path, ids: SampleIds, hostile: bool = False
) -> dict[str, int]:
    """Add the propositions and their suggestions; returns name -> proposition id."""
    store = Store(path)
    try:
        tables = PropositionTables(store)
        out = {"withdrawal": tables.add_analyst(WITHDRAWAL, ids.claims["s13"], "bob", pinned=False)}
        rows = [(out["withdrawal"], ids.claims[k], p) for k, p in STANCES.items()]
        if hostile:
            out["hostile"] = tables.add_analyst(
                f"{HOSTILE_TEXT} [link=x]y[/link]",
                ids.claims["s20"],
                "[red]mallory[/red]",
                pinned=False,
            )
            rows += [
                (out["hostile"], ids.claims["s20"], (0.1, 0.7, 0.1, 0.1)),
                (out["hostile"], ids.claims["h0"], (0.6, 0.2, 0.1, 0.1)),
            ]
        tables.save_suggestions(SAMPLE_MODEL, rows)
        return out
    finally:
        store.close()
