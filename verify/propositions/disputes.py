"""Disputes read off the proposition scores, and the claim pairs that follow from them.

A dispute is a proposition with supporting and refuting claims from different sources. Two claims'
stances toward one proposition imply how they relate: a supporter and a refuter contradict, two
supporters (or two refuters) agree, and either one unrelated makes the pair unrelated. With s, r, u
a claim's P(supports), P(refutes), P(unrelated):

    P(contradiction) = s1 r2 + r1 s2      P(agreement) = s1 s2 + r1 r2
    P(unrelated) = u1 + u2 - u1 u2        P(neutral) = the rest

A pair takes this from the proposition both claims are most related to, and the pair ranking
mixes it with the pair model's own reading (``combine``). No model runs here: arithmetic only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from verify.labels import REFUTES, SUPPORTS, UNRELATED
from verify.stages.pair_value import IMPLIED_WEIGHT, pair_reading

#: A claim takes a side on a proposition when that stance is its most likely one and at least this.
SIDE_MIN = 0.4
#: Implied pairs kept per proposition (the most likely contradictions and agreements first).
MAX_IMPLIED_PER_PROPOSITION = 60
#: A claim joins the pairs a proposition implies when it leans either way at least this much.
IMPLIED_FLOOR = 0.1


@dataclass
class Stance:
    claim_id: int
    probs: Mapping[str, float]  # PROPOSITION_LABELS -> probability (analyst tag: one-hot)
    source: str
    tagged: bool = False

    @property
    def label(self) -> str:
        return max(self.probs, key=lambda k: self.probs[k])


@dataclass
class Dispute:
    proposition_id: int
    supporters: list[Stance] = field(default_factory=list)
    refuters: list[Stance] = field(default_factory=list)
    others: list[Stance] = field(default_factory=list)

    @property
    def contested(self) -> float:
        """Most contested first: as many independent sources on each side as possible, each
        counted once at its most confident claim."""

        def mass(side: list[Stance], label: str) -> float:
            best: dict[str, float] = {}
            for s in side:
                best[s.source] = max(best.get(s.source, 0.0), s.probs[label])
            return sum(best.values())

        sup, ref = mass(self.supporters, SUPPORTS), mass(self.refuters, REFUTES)
        return min(sup, ref) + 0.01 * (sup + ref)

    @property
    def is_dispute(self) -> bool:
        """Supporters and refuters, and not all of them one source."""
        sup, ref = {s.source for s in self.supporters}, {s.source for s in self.refuters}
        return bool(sup and ref) and len(sup | ref) > 1


def sides_of(prop_id: int, stances: Sequence[Stance]) -> Dispute:
    d = Dispute(prop_id)
    for s in sorted(stances, key=lambda s: -max(s.probs[SUPPORTS], s.probs[REFUTES])):
        lab = s.label
        if lab == SUPPORTS and s.probs[SUPPORTS] >= SIDE_MIN:
            d.supporters.append(s)
        elif lab == REFUTES and s.probs[REFUTES] >= SIDE_MIN:
            d.refuters.append(s)
        else:
            d.others.append(s)
    return d


def contradiction(s1: np.ndarray, r1: np.ndarray, s2: np.ndarray, r2: np.ndarray) -> np.ndarray:
    """P(contradiction) before normalising (s1 r2 + r1 s2): one supports what the other refutes.
    The ranking caps a proposition's pairs by it; ``implied`` builds on it."""
    return s1 * r2 + r1 * s2


def implied(
    s1: np.ndarray, r1: np.ndarray, u1: np.ndarray, s2: np.ndarray, r2: np.ndarray, u2: np.ndarray
) -> np.ndarray:
    """(n, 4) in ``STANCE_LABELS`` order: how n pairs of claims relate given each claim's
    P(supports), P(refutes), P(unrelated) toward one proposition (the module docstring's
    formula; the one place it is written)."""
    c = contradiction(s1, r1, s2, r2)
    a = s1 * s2 + r1 * r2
    u = u1 + u2 - u1 * u2
    n = np.maximum(0.0, 1.0 - c - a - u)
    return np.column_stack([c, a, n, u]) / (((c + a) + n) + u)[:, None]


def stances_by_proposition(
    stances: dict[int, dict[int, tuple[dict[str, float], bool]]], sources: Mapping[int, str]
) -> dict[int, list[Stance]]:
    """A stance map (``views.stance_map``) turned around: proposition id -> the stances of the
    claims in ``sources`` (claim id -> who stands behind it), in one pass over the claims."""
    by_prop: dict[int, list[Stance]] = {}
    for cid, per in stances.items():
        if cid in sources:
            for pid, (probs, tagged) in per.items():
                by_prop.setdefault(pid, []).append(Stance(cid, probs, sources[cid], tagged))
    return by_prop


def implied_pairs(
    stances: Sequence[Stance], limit: int = MAX_IMPLIED_PER_PROPOSITION, block: int = 512
) -> list[tuple[int, int, np.ndarray]]:
    """Cross-source pairs ``(a, b, probs)`` among one proposition's supporters and refuters (the
    pairs it says most about): contradictions and agreements, most likely first (ties in the
    order the claims come). ``implied`` over every two of them, ``block`` claims
    at a time: a topic of thousands of claims has millions of pairs."""
    taking = [s for s in stances if max(s.probs[SUPPORTS], s.probs[REFUTES]) >= SIDE_MIN / 2]
    m = len(taking)
    if m < 2:
        return []
    sup, ref, unr = (
        np.array([s.probs[k] for s in taking], dtype=float) for k in (SUPPORTS, REFUTES, UNRELATED)
    )
    ids = np.array([s.claim_id for s in taking], dtype=np.int64)
    src = np.unique(
        np.array([s.source for s in taking], dtype=object).astype(str), return_inverse=True
    )[1]
    keys, order_at, probs, pairs = (
        np.zeros(0),
        np.zeros(0, np.int64),
        np.zeros((0, 4)),
        np.zeros((0, 2), np.int64),
    )
    done = 0
    for lo in range(0, m - 1, block):
        first = np.arange(lo, min(lo + block, m - 1))
        counts = m - 1 - first  # row x pairs with every later claim, as the nested loops did
        i = np.repeat(first, counts)
        j = (
            np.arange(len(i))
            - np.repeat(np.cumsum(counts) - counts, counts)
            + np.repeat(first + 1, counts)
        )
        at = done + np.arange(len(i))
        done += len(i)
        ok = (src[i] != src[j]) & (ids[i] != ids[j])
        i, j, at = i[ok], j[ok], at[ok]
        p = implied(sup[i], ref[i], unr[i], sup[j], ref[j], unr[j])
        keys = np.concatenate([keys, -np.maximum(p[:, 0], p[:, 1])])
        order_at, probs = np.concatenate([order_at, at]), np.concatenate([probs, p])
        pairs = np.concatenate([pairs, np.column_stack([ids[i], ids[j]])])
        keep = np.lexsort((order_at, keys))[:limit]  # the best so far, ties by order of finding
        keys, order_at, probs, pairs = keys[keep], order_at[keep], probs[keep], pairs[keep]
    return [(int(pairs[k].min()), int(pairs[k].max()), probs[k]) for k in range(len(keys))]


def combine(
    direct: np.ndarray | None, implied: np.ndarray | None, weight: float = IMPLIED_WEIGHT
) -> np.ndarray:
    """One pair's probabilities in ``STANCE_LABELS`` order from both readings (either may be
    missing): ``verify.stages.pair_value.pair_reading``, the one formula."""
    return pair_reading(direct, implied, weight)
