"""Score the claims in a proposition's scope against it, incrementally.

One read per (proposition, claim), one-way as in Emergent: the proposition is the claim (``a``),
the topic's claim the evidence (``b``); ``reads.Reads`` decides which pairs are read at all, the
others are stored as ``store.propositions.UNREAD``. Scores are stored under the model version; a new model or
a new proposition scores only what is missing.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from verify.propositions.reads import Encode, Reads
from verify.stance.base import StanceModel
from verify.store.propositions import UNREAD, PropositionTables

BATCH = 256  # committed per batch: a killed run keeps what it scored
#: Propositions whose unscored pairs are fetched together: memory stays bounded (all 1.22 M
#: pairs of a 10,000-article store at once took the run past 15 GB).
PROPOSITIONS_PER_PASS = 32


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
    reads = Reads(tables, encode)
    chosen = sorted(reads.props if props is None else set(props) & set(reads.props))
    read = unread = 0
    for lo in range(0, len(chosen), PROPOSITIONS_PER_PASS):
        every = tables.unscored(key, chosen[lo : lo + PROPOSITIONS_PER_PASS])
        mask = reads.mask(every)
        tables.save_suggestions(
            key,
            (
                (r["proposition_id"], r["claim_id"], UNREAD)
                for r, y in zip(every, mask, strict=True)
                if not y
            ),
        )
        todo = [r for r, y in zip(every, mask, strict=True) if y]
        for s in range(0, len(todo), BATCH):
            rows = todo[s : s + BATCH]
            probs = model.predict_proba([r["p_text"] for r in rows], [r["c_text"] for r in rows])
            tables.save_suggestions(
                key,
                ((r["proposition_id"], r["claim_id"], p) for r, p in zip(rows, probs, strict=True)),
            )
        read, unread = read + len(todo), unread + len(every) - len(todo)
    if read or unread:
        log(
            f"scored {read} claim-proposition stances with {key}"
            f" ({unread} pairs off their nearest propositions, not read)"
        )
    return read
