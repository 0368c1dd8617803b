"""Which (proposition, claim) pairs of a proposition's scope the stance model reads.

Every claim of a topic is in the scope of each of the topic's propositions (up to
``Proposer.max_per_topic``), so reading them all costs a topic's claims times its propositions:
1.22 M reads at 10,000 articles, more than every other stage together. A claim is read against
the ``NEAREST`` engine propositions of its topic nearest to it (cosine to their anchor claims),
every analyst proposition (an analyst who writes one wants the whole topic's sides), and every
proposition reads its own nearest claims anywhere (``proposition_scope``). The other pairs are
stored as ``UNREAD``: no stance, off this proposition, so no later run asks for them again.

The rule looks at one (proposition, claim) pair and the topic's engine propositions, which change
only all together (a topic is proposed afresh as a whole), so an incremental run and a killed
run's resumption read what one full run would.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

import numpy as np

from verify.store.propositions import PropositionTables

#: Engine propositions of its topic a claim is read against (the rest of the topic's: UNREAD).
#: Chosen on the Emergent dev corpus (``python bench/bench_disputes.py --only emergent loop``,
#: fp32 reader): all of them 0.340 AP, candidate recall 0.815; 8: the same; 5: 0.338, 0.809
#: (99 % of the recall), the analyst loop unchanged; 3: 0.327, 0.771 and the loop 0.02 lower.
NEAREST = 5
#: The stored reading of a pair not read: (refutes, supports, discusses, unrelated).
UNREAD = (0.0, 0.0, 0.0, 1.0)

Encode = Callable[[Sequence[str]], np.ndarray]


def to_read(tables: PropositionTables, rows: Sequence, encode: Encode) -> np.ndarray:
    """One bool per row (``proposition_id``, ``claim_id``, ``c_text``): read it, or store
    ``UNREAD``. ``encode``: the store's claim space (cached: lookups, not embedding)."""
    read = np.ones(len(rows), bool)
    props = {p["id"]: p for p in tables.active()}
    scope = {pid: set(cids) for pid, cids in tables.scope().items()}
    engine: dict[int, list[int]] = defaultdict(list)  # topic -> its engine propositions
    for p in props.values():
        if p["origin"] == "engine":
            engine[p["topic_id"]].append(p["id"])
    # Rows to decide: an engine proposition's topic members outside its own nearest claims, in
    # a topic with more engine propositions than NEAREST.
    todo: dict[int, list[int]] = defaultdict(list)  # topic -> row numbers
    for n, r in enumerate(rows):
        prop = props.get(r["proposition_id"])
        if prop is None or prop["origin"] != "engine" or len(engine[prop["topic_id"]]) <= NEAREST:
            continue
        if r["claim_id"] not in scope.get(prop["id"], ()):
            todo[prop["topic_id"]].append(n)
    if not todo:
        return read
    anchors = {p["id"]: p["claim_id"] for p in props.values()}
    found = tables.store.claim_texts_languages({anchors[q] for t in todo for q in engine[t]})
    anchor_text = {cid: text for cid, (text, _language) in found.items()}
    for topic, numbers in todo.items():
        mine = engine[topic]
        A = encode([anchor_text[anchors[q]] for q in mine])
        claims = list(dict.fromkeys(rows[n]["claim_id"] for n in numbers))
        text = {rows[n]["claim_id"]: rows[n]["c_text"] for n in numbers}
        S = encode([text[c] for c in claims]) @ A.T  # (claims, propositions of the topic)
        kth = -np.partition(-S, NEAREST - 1, axis=1)[:, NEAREST - 1]
        at = {c: i for i, c in enumerate(claims)}
        col = {q: j for j, q in enumerate(mine)}
        for n in numbers:
            i = at[rows[n]["claim_id"]]
            read[n] = S[i, col[rows[n]["proposition_id"]]] >= kth[i]
    return read
