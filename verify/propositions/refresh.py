"""The pipeline's proposition stage: propose, score claims against propositions, and name the
claim pairs the propositions imply, so the pair model reads them too (one read each)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ..stance.base import StanceModel
from ..store import Store
from .disputes import Stance, implied_pairs
from .propose import Proposer
from .scoring import score_propositions
from .tables import PropositionTables
from .views import stance_map

#: Claims nearest a proposition, anywhere in the corpus, that are read against it besides its topic.
SCOPE_K = 8


def nearest(queries: np.ndarray, vecs: np.ndarray, k: int, block: int = 1024) -> list[np.ndarray]:
    """Row indices of the ``k`` claims nearest each query (unit vectors), in blocks of queries."""
    out: list[np.ndarray] = []
    k = min(k, len(vecs))
    for lo in range(0, len(queries), block):
        sims = queries[lo : lo + block] @ vecs.T
        out += list(np.argpartition(-sims, k - 1, axis=1)[:, :k]) if k else [np.array([], int)] * len(sims)
    return out


def refresh_propositions(
    store: Store,
    model: StanceModel,
    key: str,
    ids: Sequence[int],
    vecs: np.ndarray,
    texts: Sequence[str],
    topics: Sequence[int],
    checkworthy: Sequence[float | None],
    sources: Sequence[str],
    log: Callable[[str], None],
    proposer: Proposer | None = None,
) -> list[tuple[int, int, float]]:
    """Returns the implied candidate pairs ``(a id, b id, cosine)`` for ``store.upsert_pairs``."""
    tables = PropositionTables(store)
    chosen = (proposer or Proposer()).propose(vecs, topics, texts, checkworthy)
    tables.set_engine([(ids[i], texts[i], s) for i, s in chosen])
    row = {cid: n for n, cid in enumerate(ids)}
    active = [p for p in tables.active() if p["claim_id"] in row]
    near = nearest(vecs[[row[p["claim_id"]] for p in active]], vecs, SCOPE_K)
    tables.set_scope((p["id"], ids[j]) for p, js in zip(active, near, strict=True) for j in js)
    store.set_meta("stance_model", key)  # the key stance_map reads scores under
    scored = score_propositions(tables, model, key, log)
    stances = stance_map(store, tables)
    by_prop: dict[int, list[Stance]] = {}
    for cid, per in stances.items():
        if cid in row:
            for pid, (probs, tagged) in per.items():
                by_prop.setdefault(pid, []).append(Stance(cid, probs, sources[row[cid]], tagged))
    pairs: dict[tuple[int, int], float] = {}
    for members in by_prop.values():
        for a, b, _ in implied_pairs(members):
            pairs[(a, b)] = float(vecs[row[a]] @ vecs[row[b]])
    log(f"{len(tables.active())} propositions, {scored} new stance scores, "
        f"{len(pairs)} pairs implied")  # fmt: skip
    return [(a, b, s) for (a, b), s in pairs.items()]
