"""Which (proposition, claim) pairs of a proposition's scope the stance model reads.

Every claim of a topic is in the scope of each of the topic's propositions (up to
``Proposer.max_per_topic``), so reading them all costs a topic's claims times its propositions:
1.22 M reads at 10,000 articles, more than every other stage together. A claim is read against
the ``NEAREST`` engine propositions of its topic nearest to it (cosine to their anchor claims),
every analyst proposition (an analyst who writes one wants the whole topic's sides), and every
proposition reads its own nearest claims anywhere (``proposition_scope``). The other pairs are
stored as ``store.propositions.UNREAD``: no stance, off this proposition, so no later run asks
for them again. At 10,000 articles half the 1.25 M pairs in scope were stored unread.

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

Encode = Callable[[Sequence[str]], np.ndarray]


class Reads:
    """``mask(rows)``: one bool per row (``proposition_id``, ``claim_id``, ``c_text``), read it
    or store ``UNREAD``. Built once per scoring pass from the live propositions and scopes;
    ``encode``: the store's claim space (cached: lookups, not embedding)."""

    def __init__(self, tables: PropositionTables, encode: Encode) -> None:
        self.encode = encode
        self.props = {p["id"]: p for p in tables.active()}
        self.scope = {pid: set(cids) for pid, cids in tables.scope().items()}
        self.engine: dict[int, list[int]] = defaultdict(list)  # topic -> engine propositions
        for p in self.props.values():
            if p["origin"] == "engine":
                self.engine[p["topic_id"]].append(p["id"])
        self._tables = tables
        self._anchors: dict[int, np.ndarray] = {}  # topic -> its engine anchors' vectors

    def _anchor_vectors(self, topic: int) -> np.ndarray:
        if topic not in self._anchors:
            ids = [self.props[q]["claim_id"] for q in self.engine[topic]]
            found = self._tables.store.claim_texts_languages(ids)
            self._anchors[topic] = self.encode([found[c][0] for c in ids])
        return self._anchors[topic]

    def mask(self, rows: Sequence) -> np.ndarray:
        read = np.ones(len(rows), bool)
        # Rows to decide: an engine proposition's topic members outside its own nearest claims,
        # in a topic with more engine propositions than NEAREST.
        todo: dict[int, list[int]] = defaultdict(list)  # topic -> row numbers
        for n, r in enumerate(rows):
            prop = self.props.get(r["proposition_id"])
            if prop is None or prop["origin"] != "engine":
                continue
            if len(self.engine[prop["topic_id"]]) > NEAREST and r["claim_id"] not in self.scope.get(
                prop["id"], ()
            ):
                todo[prop["topic_id"]].append(n)
        for topic, numbers in todo.items():
            claims = list(dict.fromkeys(rows[n]["claim_id"] for n in numbers))
            text = {rows[n]["claim_id"]: rows[n]["c_text"] for n in numbers}
            S = self.encode([text[c] for c in claims]) @ self._anchor_vectors(topic).T
            kth = -np.partition(-S, NEAREST - 1, axis=1)[:, NEAREST - 1]
            at = {c: i for i, c in enumerate(claims)}
            col = {q: j for j, q in enumerate(self.engine[topic])}
            for n in numbers:
                i = at[rows[n]["claim_id"]]
                read[n] = S[i, col[rows[n]["proposition_id"]]] >= kth[i]
        return read
