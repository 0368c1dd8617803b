"""Candidate pairs: near neighbours in embedding space from different sources, never all n^2.

Each claim is linked to its ``k`` most similar claims from *other* sources (same speaker and
outlet is not a dispute). Up to ``EXACT_MAX`` claims the neighbours are exact (a blocked matrix
product, memory O(block·n)); above it they come from an approximate index, so the work grows
as n·(n/nlist)·nprobe instead of n^2.

The index is faiss-cpu's IndexIVFFlat on inner product (cosine, the vectors being unit length).
Why faiss: it installs from manylinux wheels (no compiler), is deterministic for a fixed seed, and
has both exact and approximate indexes behind one API. Why IVF and not HNSW (faiss's or
hnswlib's): on this 2-core machine an HNSW graph of 20,000 384-d vectors took 15 s to build and
13 s to query, longer than the exact product it replaces; IVF trains its k-means on a sample in
seconds and scans only ``nprobe`` of ``nlist`` lists per query. ``bench/bench_scale.py`` prints
its overlap with the exact candidate set.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

EXACT_MAX = 20_000  # claims; at 20k the exact product is ~1.5e11 flops, seconds on two cores
BLOCK = 512


def candidate_pairs(
    embeddings: np.ndarray,
    sources: Sequence[str],
    k: int = 8,
    min_similarity: float = 0.25,
    exact: bool | None = None,
) -> list[tuple[int, int, float]]:
    """(i, j, cosine) with i < j, each claim linked to its ``k`` nearest other-source claims.

    ``embeddings`` are L2-normalised. ``exact`` forces one path (default: exact up to
    ``EXACT_MAX`` claims, approximate above)."""
    n = len(sources)
    if n < 2:
        return []
    rows, cols, sims = neighbour_lists(embeddings, sources, k, exact)
    return pairs_of(rows, cols, sims, n, min_similarity)


def source_codes(sources: Sequence[str]) -> np.ndarray:
    """One integer per distinct source: equal codes, same speaker and outlet."""
    return np.unique(np.asarray(sources, dtype=object).astype(str), return_inverse=True)[1]


def neighbour_lists(
    embeddings: np.ndarray, sources: Sequence[str], k: int = 8, exact: bool | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The directed k-NN graph (row, neighbour, cosine): each claim's ``min(k, n - 1)`` nearest,
    same-source entries at ``-inf`` (``verify.stages.neighbours`` keeps this graph between runs)."""
    n = len(sources)
    emb = np.ascontiguousarray(embeddings, dtype=np.float32)
    use_exact = n <= EXACT_MAX if exact is None else exact
    return (_exact if use_exact else _approximate)(emb, source_codes(sources), min(k, n - 1))


def pairs_of(
    rows: np.ndarray, cols: np.ndarray, sims: np.ndarray, n: int, min_similarity: float = 0.25
) -> list[tuple[int, int, float]]:
    """The undirected pairs of a directed graph, at least ``min_similarity`` apart from self."""
    keep = (sims >= min_similarity) & (rows != cols)
    rows, cols, sims = rows[keep], cols[keep], sims[keep]
    a, b = np.minimum(rows, cols), np.maximum(rows, cols)
    # One pair per (a, b); the last found wins, as when rows were visited one by one.
    key = a.astype(np.int64) * n + b
    _, last = np.unique(key[::-1], return_index=True)
    pick = len(key) - 1 - last
    return [
        (int(i), int(j), float(s)) for i, j, s in zip(a[pick], b[pick], sims[pick], strict=True)
    ]


def _exact(emb: np.ndarray, codes: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = len(codes)
    rows, cols, sims = [], [], []
    for lo in range(0, n, BLOCK):
        block = emb[lo : lo + BLOCK] @ emb.T
        block[codes[lo : lo + BLOCK, None] == codes[None, :]] = -np.inf  # same source: no dispute
        top = np.argpartition(-block, k, axis=1)[:, :k]
        r = np.repeat(np.arange(lo, lo + len(block)), top.shape[1])
        rows.append(r)
        cols.append(top.ravel())
        sims.append(np.take_along_axis(block, top, axis=1).ravel())
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(sims)


def _approximate(
    emb: np.ndarray, codes: np.ndarray, k: int, nprobe: int = 32, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    import faiss

    n, dim = emb.shape
    nlist = max(1, int(4 * np.sqrt(n)))
    index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, nlist, faiss.METRIC_INNER_PRODUCT)
    rng = np.random.default_rng(seed)
    sample = emb[np.sort(rng.choice(n, size=min(n, nlist * 64), replace=False))]
    index.cp.seed = seed
    index.cp.min_points_per_centroid = 1  # small corpora: fewer points per list is fine
    index.train(sample)
    index.add(emb)
    index.nprobe = min(nprobe, nlist)
    rows, cols, sims = [], [], []
    todo, want = np.arange(n), 2 * k + 8  # room for same-source hits, filtered out below
    while len(todo):
        short = []
        for lo in range(0, len(todo), 4096):
            q = todo[lo : lo + 4096]
            d, i = index.search(emb[q], want)
            ok = (i >= 0) & (codes[np.maximum(i, 0)] != codes[q, None])
            # Results are sorted by similarity: the first k other-source hits are the k nearest.
            rank = np.cumsum(ok, axis=1)
            take = ok & (rank <= k)
            full = take.sum(axis=1) == k
            exhausted = (i < 0).any(axis=1)  # fewer hits than asked: nothing more to find
            done = full | exhausted | (want >= 1024)
            short.append(q[~done])
            r, c = np.nonzero(take & done[:, None])
            rows.append(q[r])
            cols.append(i[r, c])
            sims.append(d[r, c])
        todo, want = np.concatenate(short), want * 4
    return np.concatenate(rows), np.concatenate(cols).astype(np.int64), np.concatenate(sims)
