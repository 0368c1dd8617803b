"""Pair readings through shared propositions for many pairs at once (the ranking's inner loop).

A pair's reading through a proposition is ``disputes.implied`` of the two claims' stances toward
it; through several, the one with the lowest P(unrelated) (lowest proposition id on a tie).
``Stances.implied`` does this for arrays of pairs: every stance row of the first claims is
expanded, the second claim's row for the same proposition looked up in the sorted table, and the
minimum taken per pair. ``Stances.pairs_on_shared`` lists the pairs known only through
propositions (two claims leaning on one proposition), optionally only those whose reading can
reach a P(contradiction) (``disputes.contradiction`` through any proposition).
tests/test_ranking.py keeps a one-pair-at-a-time reference of both.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np

from verify.labels import REFUTES, SUPPORTS, UNRELATED
from verify.propositions.disputes import contradiction, implied

StanceMap = dict[int, dict[int, tuple[dict[str, float], bool]]]
BLOCK = 200_000  # pairs per expansion: ~12 stance rows each, a few tens of MB


class Stances:
    """A ``views.stance_map`` as sorted arrays: one row per (claim, proposition)."""

    def __init__(self, stances: StanceMap, claims: Collection[int] | None = None) -> None:
        rows = [
            (cid, pid, p[SUPPORTS], p[REFUTES], p[UNRELATED])
            for cid, per in stances.items()
            if claims is None or cid in claims
            for pid, (p, _t) in per.items()
        ]
        arr = np.array(rows, dtype=float).reshape(-1, 5)
        self.claim, self.prop = arr[:, 0].astype(np.int64), arr[:, 1].astype(np.int64)
        order = np.lexsort((self.prop, self.claim))
        self.claim, self.prop = self.claim[order], self.prop[order]
        self.sup, self.ref, self.unr = arr[order, 2], arr[order, 3], arr[order, 4]
        self.key = self.claim * (1 << 32) + self.prop

    def _rows_of(self, claims: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(index into ``claims``, stance row) for every stance row of each claim."""
        lo = np.searchsorted(self.claim, claims, "left")
        hi = np.searchsorted(self.claim, claims, "right")
        n = hi - lo
        which = np.repeat(np.arange(len(claims)), n)
        row = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n) + np.repeat(lo, n)
        return which, row

    def implied(
        self, a: np.ndarray, b: np.ndarray, member: float | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(has a shared proposition, probs (n, 4), leans on one together) for pairs ``a``, ``b``;
        "leans" (``member``): both at least that much toward supports or refutes."""
        n = len(a)
        found, probs, leans = np.zeros(n, bool), np.zeros((n, 4)), np.zeros(n, bool)
        for lo in range(0, n if len(self.key) else 0, BLOCK):
            pa, pb = a[lo : lo + BLOCK], b[lo : lo + BLOCK]
            which, ra = self._rows_of(pa)
            want = pb[which] * (1 << 32) + self.prop[ra]
            rb = np.minimum(np.searchsorted(self.key, want), len(self.key) - 1)
            hit = self.key[rb] == want
            which, ra, rb = which[hit], ra[hit], rb[hit]
            s1, r1, u1 = self.sup[ra], self.ref[ra], self.unr[ra]
            s2, r2, u2 = self.sup[rb], self.ref[rb], self.unr[rb]
            p = implied(s1, r1, u1, s2, r2, u2)
            q = p[:, 3]  # P(unrelated)
            # Per pair, the lowest P(unrelated), then the lowest proposition id: a pair's rows come
            # in proposition order (the table is sorted by claim, then proposition).
            if not len(which):
                continue
            starts = np.flatnonzero(np.r_[True, which[1:] != which[:-1]])
            group = np.cumsum(np.r_[True, which[1:] != which[:-1]]) - 1
            lowest = q == np.minimum.reduceat(q, starts)[group]
            cand = np.flatnonzero(lowest)
            first = cand[np.r_[True, group[cand][1:] != group[cand][:-1]]]
            at = lo + which[first]
            found[at] = True
            probs[at] = p[first]
            if member is not None:
                both = (np.maximum(s1, r1) >= member) & (np.maximum(s2, r2) >= member)
                leans[lo + np.unique(which[both])] = True
        return found, probs, leans

    def pairs_on_shared(
        self,
        involving: Collection[int] | None = None,
        floor: float | None = None,
        member: float | None = None,
        block: int = 512,
        cap: int | None = None,
        source: dict[int, int] | None = None,
    ) -> np.ndarray:
        """Keys ``a << 32 | b`` (a < b) of claim pairs with stances toward one proposition, with
        one of ``involving`` (None: any), and there with ``contradiction`` >= ``floor`` (None: any),
        both leaning at least ``member`` toward supports or refutes (None: any). ``cap``: per
        proposition only its ``cap`` pairs of highest ``contradiction`` (ties by key), chosen over all
        its pairs before ``involving`` and ``floor`` filter them, so that the pairs of one claim
        come out the same as from the whole corpus; ``source`` (claim -> source code): pairs of one
        source are no pairs (they take no place under the cap)."""
        order = np.lexsort((self.claim, self.prop))
        if member is not None:
            order = order[np.maximum(self.sup[order], self.ref[order]) >= member]
        prop, claim = self.prop[order], self.claim[order]
        sup, ref = self.sup[order], self.ref[order]
        mine = (
            np.ones(len(claim), bool)
            if involving is None
            else np.isin(claim, np.fromiter(involving, np.int64))
        )
        src = (
            np.zeros(len(claim), np.int64) - np.arange(len(claim)) - 1
            if source is None
            else np.array([source[int(c)] for c in claim], np.int64)
        )
        bounds = np.flatnonzero(np.r_[True, prop[1:] != prop[:-1], True])
        found: list[np.ndarray] = []
        for lo, hi in zip(bounds[:-1], bounds[1:], strict=True):
            ids, s, r, m, c = claim[lo:hi], sup[lo:hi], ref[lo:hi], mine[lo:hi], src[lo:hi]
            if not m.any() or len(ids) < 2:
                continue
            rows = m if cap is None else np.ones(len(ids), bool)  # capped: ranked over them all
            best_k, best_v = np.zeros(0, np.int64), np.zeros(0)
            for x in range(0, len(ids), block):
                sl = slice(x, x + block)
                hit = (rows[sl, None] | rows[None, :]) & (ids[sl, None] < ids[None, :])
                hit &= c[sl, None] != c[None, :]
                value = contradiction(s[sl, None], r[sl, None], s[None, :], r[None, :])
                if floor is not None and cap is None:
                    hit &= value >= floor
                i, j = np.nonzero(hit)
                keys, v = ids[x + i] * (1 << 32) + ids[j], value[i, j]
                if cap is None:
                    found.append(keys)
                    continue
                best_k, best_v = np.r_[best_k, keys], np.r_[best_v, v]
                keep = np.lexsort((best_k, -best_v))[:cap]
                best_k, best_v = best_k[keep], best_v[keep]
            if cap is not None:
                ok = np.ones(len(best_k), bool)  # no floor: the reading may come from another
                if involving is not None:
                    wanted = ids[m]
                    ok &= np.isin(best_k >> 32, wanted) | np.isin(best_k & 0xFFFFFFFF, wanted)
                found.append(best_k[ok])
        return np.unique(np.concatenate(found)) if found else np.zeros(0, np.int64)

    def beyond_cap(self, cap: int, member: float, source: dict[int, int]) -> int:
        """How many (proposition, pair) readings ``pairs_on_shared(cap=cap, member=member)``
        leaves out: per proposition, its cross-source pairs past the first ``cap`` (a pair left
        out under one proposition may still come in through another)."""
        lean = np.maximum(self.sup, self.ref) >= member
        prop = self.prop[lean]
        src = np.array([source[int(c)] for c in self.claim[lean]], np.int64)
        if not len(prop):
            return 0
        props, at = np.unique(prop, return_inverse=True)
        members = np.bincount(at).astype(np.int64)
        both, n = np.unique(at.astype(np.int64) * (int(src.max()) + 1) + src, return_counts=True)
        same = np.bincount(
            both // (int(src.max()) + 1), weights=n.astype(float) ** 2, minlength=len(props)
        )
        pairs = (members**2 - same.astype(np.int64)) // 2
        return int(np.maximum(0, pairs - cap).sum())
