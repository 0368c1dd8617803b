"""Score every claim of a topic against each of the topic's propositions, incrementally.

One read per (proposition, claim), one-way as in Emergent: the proposition is the claim (``a``),
the topic's claim the evidence (``b``). Scores are stored under the model version; a new model or
a new proposition scores only what is missing.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from verify.stance.base import StanceModel
from verify.store.propositions import PropositionTables

BATCH = 256  # committed per batch: a killed run keeps what it scored


def score_propositions(
    tables: PropositionTables,
    model: StanceModel,
    key: str,
    log: Callable[[str], None],
    props: Collection[int] | None = None,
) -> int:
    """Score what ``key`` has not scored yet (for ``props`` only, when given); returns how many
    (proposition, claim) reads."""
    todo = tables.unscored(key, props)
    for s in range(0, len(todo), BATCH):
        rows = todo[s : s + BATCH]
        probs = model.predict_proba([r["p_text"] for r in rows], [r["c_text"] for r in rows])
        tables.save_suggestions(
            key, ((r["proposition_id"], r["claim_id"], p) for r, p in zip(rows, probs, strict=True))
        )
    if todo:
        log(f"scored {len(todo)} claim-proposition stances with {key}")
    return len(todo)
