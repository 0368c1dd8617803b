"""Score the claims in a proposition's scope against it, incrementally.

One read per (proposition, claim), one-way as in Emergent: the proposition is the claim (``a``),
the topic's claim the evidence (``b``); ``reads.to_read`` decides which pairs are read at all, the
others are stored as ``reads.UNREAD``. Scores are stored under the model version; a new model or
a new proposition scores only what is missing.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from verify.propositions.reads import UNREAD, Encode, to_read
from verify.stance.base import StanceModel
from verify.store.propositions import PropositionTables

BATCH = 256  # committed per batch: a killed run keeps what it scored


def score_propositions(
    tables: PropositionTables,
    model: StanceModel,
    key: str,
    log: Callable[[str], None],
    encode: Encode,
    props: Collection[int] | None = None,
) -> int:
    """Score what ``key`` has not scored yet (for ``props`` only, when given); returns how many
    (proposition, claim) pairs the model read. ``encode``: the store's claim space."""
    every = tables.unscored(key, props)
    read = to_read(tables, every, encode)
    tables.save_suggestions(
        key,
        (
            (r["proposition_id"], r["claim_id"], UNREAD)
            for r, y in zip(every, read, strict=True)
            if not y
        ),
    )
    todo = [r for r, y in zip(every, read, strict=True) if y]
    for s in range(0, len(todo), BATCH):
        rows = todo[s : s + BATCH]
        probs = model.predict_proba([r["p_text"] for r in rows], [r["c_text"] for r in rows])
        tables.save_suggestions(
            key, ((r["proposition_id"], r["claim_id"], p) for r, p in zip(rows, probs, strict=True))
        )
    if every:
        log(
            f"scored {len(todo)} claim-proposition stances with {key}"
            f" ({len(every) - len(todo)} pairs off their nearest propositions, not read)"
        )
    return len(todo)
