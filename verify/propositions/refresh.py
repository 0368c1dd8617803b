"""The pipeline's proposition stage: propose, score claims against propositions, and name the
claim pairs the propositions imply, so the pair model reads them too (one read each)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import TYPE_CHECKING

import numpy as np

from verify.propositions.disputes import Stance, implied_pairs, stances_by_proposition
from verify.propositions.propose import Proposer
from verify.propositions.reads import Encode
from verify.propositions.scoring import score_propositions
from verify.propositions.views import stance_map
from verify.stance.base import StanceModel
from verify.store.database import Store
from verify.store.propositions import PropositionTables

if TYPE_CHECKING:
    from verify.stages.record import RunClaims

TITLE_CHARS = 60


def short_title(text: str, width: int = TITLE_CHARS) -> str:
    """A proposition as a topic title: whitespace folded, cut at a word boundary."""
    text = " ".join(text.split()).strip(" “”\"'")
    if len(text) <= width:
        return text
    return text[:width].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _title_topics(
    tables: PropositionTables,
    by_prop: dict[int, list[Stance]],
    topics: Collection[int] | None = None,
) -> None:
    """Each topic (of ``topics``, when given) is titled by its most contested proposition (the
    first one proposed if none is contested), a phrase an analyst reads at once instead of three
    keywords."""
    from verify.propositions.disputes import sides_of

    best: dict[int, tuple[tuple[bool, float, float], str]] = {}
    for p in tables.active():
        if topics is not None and p["topic_id"] not in topics:
            continue
        d = sides_of(p["id"], by_prop.get(p["id"], []))
        rank = (d.is_dispute, d.contested, -(p["id"]))
        if p["topic_id"] is not None and (
            p["topic_id"] not in best or rank > best[p["topic_id"]][0]
        ):
            best[p["topic_id"]] = (rank, short_title(p["text"]))
    tables.set_topic_titles({t: title for t, (_, title) in best.items()})


def implied_by(
    by_prop: dict[int, list[Stance]], vecs: np.ndarray, row: dict[int, int]
) -> tuple[list[tuple[int, int, int]], dict[tuple[int, int], float]]:
    """(proposition, a, b) rows for ``PropositionTables.set_implied`` and the pairs with their
    cosines."""
    rows: list[tuple[int, int, int]] = []
    pairs: dict[tuple[int, int], float] = {}
    for pid, members in by_prop.items():
        for a, b, _ in implied_pairs(members):
            rows.append((pid, a, b))
            pairs[(a, b)] = float(vecs[row[a]] @ vecs[row[b]])
    return rows, pairs


#: Claims nearest a proposition, anywhere in the corpus, that are read against it besides its topic.
SCOPE_K = 8


def nearest(queries: np.ndarray, vecs: np.ndarray, k: int, block: int = 1024) -> list[np.ndarray]:
    """Row indices of the ``k`` claims nearest each query (unit vectors), in blocks of queries."""
    out: list[np.ndarray] = []
    k = min(k, len(vecs))
    for lo in range(0, len(queries), block):
        sims = queries[lo : lo + block] @ vecs.T
        # A copy: rows sliced from the whole (block x claims) argpartition would keep it alive
        # (12 GB at 10,000 articles).
        out += (
            list(np.argpartition(-sims, k - 1, axis=1)[:, :k].copy())
            if k
            else [np.array([], int)] * len(sims)
        )
    return out


def refresh_propositions(
    store: Store,
    model: StanceModel,
    key: str,
    claims: RunClaims,
    log: Callable[[str], None],
    encode: Encode,
    proposer: Proposer | None = None,
) -> dict[tuple[int, int], float]:
    """Propose over every claim of ``claims``, score, title; returns the implied candidate pairs
    ``(a id, b id) -> cosine`` for the candidates stage to store. ``encode``: the claim space."""
    ids, vecs, texts = claims.ids, claims.space, claims.texts
    tables = PropositionTables(store)
    chosen = (proposer or Proposer()).propose(
        vecs, claims.topics, texts, claims.checkworthy, claims.sides
    )
    tables.set_engine([(ids[i], texts[i], s) for i, s in chosen])
    row = {cid: n for n, cid in enumerate(ids)}
    active = [p for p in tables.active() if p["claim_id"] in row]
    near = nearest(vecs[[row[p["claim_id"]] for p in active]], vecs, SCOPE_K)
    tables.set_scope((p["id"], ids[j]) for p, js in zip(active, near, strict=True) for j in js)
    scored = score_propositions(tables, model, key, log, encode)
    stances = stance_map(store, tables, model=key)  # not yet the store's key: model_switch
    sources = claims.sources
    by_prop = stances_by_proposition(stances, {c: sources[n] for c, n in row.items()})
    _title_topics(tables, by_prop)
    rows, pairs = implied_by(by_prop, vecs, row)
    tables.set_implied(rows)
    log(
        f"{len(tables.active())} propositions, {scored} new stance scores, {len(pairs)} pairs implied"
    )
    return pairs
