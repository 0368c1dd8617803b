"""The candidate-pair graph kept between runs: each claim's k nearest other-source claims.

A full refresh stores the directed k-NN graph it computed (``pairs.neighbour_lists``). A run that
adds a few articles then searches only for the new claims: each new claim is queried against
every stored vector, and each old claim's list takes in the new claims that come closer than its
k-th neighbour (its ``floor``). As top-k(A ∪ B) = top-k(top-k(A) ∪ B), the graph after such a run
is the graph an exact full run would build (ties aside), in both directions: a new claim among an
old claim's k nearest is found even when the old claim is not among the new claim's. The edges a
new claim pushes out are known too, so a pair that is no longer a candidate can be pruned without
looking at anything else.

Why an exact blocked search against the stored matrix, not a faiss index file beside the
database: the vectors are already in the store, so there is one source of truth and nothing to
fall out of step when a run is killed between two writes (the graph is written in the same
transaction as the pairs it yields); the search is m x n dot products, 15 new claims against
170,000 stored ones in milliseconds, exact, with no index to train or re-balance as the corpus
drifts; and a 170k x 384 float32 matrix (260 MB) is read in about a second.

The table ``knn`` is the store's (``verify.store.knn``: one row per claim, its list and the
``floor``); this module computes what goes in it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from verify.store.knn import KnnRow, KnnRows, Lists

BLOCK = 256  # new claims per matrix product: 256 x 170,000 float32 is 170 MB


def _row(cid: int, nbr: np.ndarray, sim: np.ndarray, k: int) -> KnnRow:
    floor = float(sim[k - 1]) if len(sim) >= k else float("-inf")
    return (
        int(cid),
        floor,
        np.asarray(nbr, np.int64).tobytes(),
        np.asarray(sim, np.float32).tobytes(),
    )


def _sorted(nbr: np.ndarray, sim: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` most similar of a candidate list, most similar first, ``-inf`` entries dropped."""
    ok = np.isfinite(sim)
    nbr, sim = nbr[ok], sim[ok]
    order = np.lexsort((nbr, -sim))[:k]  # by cosine, then id: the same list whatever the order in
    return nbr[order], sim[order]


def graph_rows(
    ids: Sequence[int], rows: np.ndarray, cols: np.ndarray, sims: np.ndarray, k: int
) -> list[KnnRow]:
    """``knn`` rows of a directed graph over positions (``pairs.neighbour_lists``)."""
    ids_arr = np.asarray(ids, np.int64)
    order = np.argsort(rows, kind="stable")
    rows, cols, sims = rows[order], cols[order], sims[order]
    bounds = np.searchsorted(rows, np.arange(len(ids_arr) + 1))
    out = []
    for i in range(len(ids_arr)):
        lo, hi = bounds[i], bounds[i + 1]
        nbr, sim = _sorted(ids_arr[cols[lo:hi]], sims[lo:hi].astype(np.float32), k)
        out.append(_row(int(ids_arr[i]), nbr, sim, k))
    return out


@dataclass
class Update:
    """What adding claims to the graph changes: rows to write, pairs made and edges pushed out."""

    rows: list[KnnRow] = field(default_factory=list)
    pairs: dict[tuple[int, int], float] = field(default_factory=dict)  # (a < b) -> cosine
    dropped: set[tuple[int, int]] = field(default_factory=set)  # (a < b) no longer an edge
    lists: Lists = field(default_factory=dict)  # the updated lists (new and changed claims)


def add_claims(
    graph: KnnRows,
    ids: Sequence[int],
    vecs: np.ndarray,
    codes: np.ndarray,
    new: Sequence[int],
    k: int,
    min_similarity: float = 0.25,
) -> Update:
    """Take the claims at positions ``new`` into the graph over ``ids`` (every claim now, unit
    ``vecs``, source ``codes``). Reads the stored graph; writes nothing (``Store.put_knn`` does)."""
    ids_arr = np.asarray(ids, np.int64)
    n, out = len(ids_arr), Update()
    new_pos = np.asarray(sorted(set(new)), dtype=np.int64)
    if n < 2 or not len(new_pos):
        return out
    kk = min(k, n - 1)
    emb = np.ascontiguousarray(vecs, dtype=np.float32)
    floors = np.full(n, np.inf, dtype=np.float32)  # new claims take no reverse update
    is_new = np.zeros(n, bool)
    is_new[new_pos] = True
    pos = {int(c): i for i, c in enumerate(ids_arr)}
    for cid, floor in graph.knn_floors():
        i = pos.get(cid)
        if i is not None and not is_new[i]:
            floors[i] = floor
    floors[~is_new & (floors == np.inf)] = -np.inf  # an old claim the graph lacks: anything enters
    incoming: dict[int, list[tuple[int, float]]] = {}  # old position -> [(new claim id, cosine)]
    for lo in range(0, len(new_pos), BLOCK):
        q = new_pos[lo : lo + BLOCK]
        sims = emb[q] @ emb.T
        sims[codes[q, None] == codes[None, :]] = -np.inf  # same source (and self): no dispute
        top = np.argpartition(-sims, kk - 1, axis=1)[:, :kk]
        for r, i in enumerate(q):
            nbr, sim = _sorted(ids_arr[top[r]], sims[r, top[r]], k)
            out.lists[int(ids_arr[i])] = (nbr, sim)
        rr, cc = np.nonzero(sims > floors[None, :])
        for r, c in zip(rr.tolist(), cc.tolist(), strict=True):
            incoming.setdefault(c, []).append((int(ids_arr[q[r]]), float(sims[r, c])))
    old_lists = graph.knn_lists(int(ids_arr[c]) for c in incoming)
    for c, extra in incoming.items():
        cid = int(ids_arr[c])
        nbr0, sim0 = old_lists.get(cid, (np.zeros(0, np.int64), np.zeros(0, np.float32)))
        add = np.array([y for y, _ in extra], np.int64)
        keep = ~np.isin(nbr0, add)  # a claim seen before (a redone run) is counted once
        nbr, sim = _sorted(
            np.concatenate([nbr0[keep], add]),
            np.concatenate([sim0[keep], np.array([s for _, s in extra], np.float32)]),
            k,
        )
        out.lists[cid] = (nbr, sim)
        for z in set(nbr0.tolist()) - set(nbr.tolist()):
            out.dropped.add((min(cid, z), max(cid, z)))
    for cid, (nbr, sim) in out.lists.items():
        out.rows.append(_row(cid, nbr, sim, k))
        for z, s in zip(nbr.tolist(), sim.tolist(), strict=True):
            if s >= min_similarity and z != cid:
                out.pairs[(min(cid, z), max(cid, z))] = s
    # A dropped edge is still a pair when its other end lists it (checked against the new lists).
    others = graph.knn_lists({z for pair in out.dropped for z in pair} - out.lists.keys())
    others.update(out.lists)
    out.dropped = {
        (a, b)
        for a, b in out.dropped
        if (a, b) not in out.pairs
        and not _lists(others, a, b, min_similarity)
        and not _lists(others, b, a, min_similarity)
    }
    return out


def _lists(lists: Lists, a: int, b: int, min_similarity: float) -> bool:
    nbr, sim = lists.get(a, (np.zeros(0, np.int64), np.zeros(0, np.float32)))
    hit = nbr == b
    return bool(hit.any() and sim[hit].max() >= min_similarity)


def edge_pairs(
    graph: KnnRows, pairs: Iterable[tuple[int, int]], min_similarity: float = 0.25
) -> set[tuple[int, int]]:
    """Which of ``pairs`` (a < b) the graph makes candidates (either end lists the other)."""
    wanted = list(pairs)
    lists = graph.knn_lists({c for p in wanted for c in p})
    return {
        (a, b)
        for a, b in wanted
        if _lists(lists, a, b, min_similarity) or _lists(lists, b, a, min_similarity)
    }
