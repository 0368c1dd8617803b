"""What an analyst does to propositions (CLI and board alike): pin a claim, type one, withdraw one,
tag a claim's stance toward one. Each is checked first and committed at once; a bad request raises
``PropositionError`` with a one-line reason and changes nothing."""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np

from verify.store.database import Store
from verify.store.propositions import PropositionTables

MAX_CHARS = 400
MAX_SENTENCES = 3
_SENTENCE_END = re.compile(r"[.!?…]+(?=\s|$)")


class PropositionError(ValueError):
    """A request about propositions that cannot be done (the message says why, in one line)."""


def check_text(text: str) -> str:
    """The proposition text, whitespace-normalised, or ``PropositionError``."""
    clean = " ".join(text.split())
    if not clean:
        raise PropositionError("a proposition cannot be empty")
    if not any(ch.isalnum() for ch in clean):
        raise PropositionError(f"a proposition needs words, not only punctuation: {clean[:40]!r}")
    if len(clean) > MAX_CHARS or len(_SENTENCE_END.findall(clean)) > MAX_SENTENCES:
        raise PropositionError(
            f"a proposition is one statement: at most {MAX_SENTENCES} sentences and {MAX_CHARS}"
            f" characters (got {len(clean)} characters)"
        )
    return clean


def topic_claims(store: Store, topic_id: int) -> list[tuple[int, str]]:
    if topic_id not in {t["id"] for t in store.topics()}:
        raise PropositionError(f"no topic {topic_id} (see `counterclaim propositions`)")
    return [(r["id"], r["text"]) for r in store.claim_rows() if r["topic_id"] == topic_id]


def propose_text(
    store: Store, text: str, topic_id: int, analyst: str, encode: Callable[[list[str]], np.ndarray]
) -> int:
    """A typed proposition for a topic, anchored to the topic's claim nearest in meaning (its
    topic then follows that claim through re-clustering)."""
    clean = check_text(text)
    members = topic_claims(store, topic_id)
    if not members:
        raise PropositionError(f"topic {topic_id} has no claims")
    vecs = encode([clean] + [t for _, t in members])
    anchor = members[int(np.argmax(vecs[1:] @ vecs[0]))][0]
    return PropositionTables(store).add_analyst(clean, anchor, analyst, pinned=False)


def pin_claim(store: Store, claim_id: int, analyst: str) -> int:
    row = store.claim(claim_id)
    if row is None:
        raise PropositionError(f"no claim with id {claim_id}")
    if row["topic_id"] is None:
        raise PropositionError(f"claim {claim_id} has no topic yet: run `counterclaim run` first")
    return PropositionTables(store).add_analyst(row["text"], claim_id, analyst, pinned=True)


def unpropose(store: Store, prop_id: int, analyst: str) -> None:
    tables = PropositionTables(store)
    if not tables.is_active(prop_id):
        raise PropositionError(f"no live proposition with id {prop_id}")
    tables.retract(prop_id, analyst)


def tag_stance(
    store: Store, prop_id: int, claim_id: int, label: str, analyst: str, note: str = ""
) -> int:
    try:
        return PropositionTables(store).add_tag(prop_id, claim_id, label, analyst, note)
    except (KeyError, ValueError) as e:
        raise PropositionError(str(e.args[0])) from None
