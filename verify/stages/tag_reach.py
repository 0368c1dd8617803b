"""What the analysts' verdicts on pairs say about the pairs next to them.

An analyst who settles that claim x contradicts claim y has also said something about every claim
z the engine reads against y: a z that agrees with y contradicts x, a z that contradicts y agrees
with x. ``reach`` turns each verdict on (x, y) and the pair model's reading q of (y, z) into a
reading of (x, z), in ``STANCE_LABELS`` order:

- contradiction: (x, z) contradicts as much as (y, z) agrees, and agrees as much as it contradicts;
- agreement: (x, z) reads as (y, z) does;
- neutral: (x, z) takes no side: neutral as much as z is on y's story, unrelated otherwise;
- unrelated: x is off y's story, so (x, z) is unrelated as much as z is on it.

Several verdicts next to one pair are averaged. ``pair_value.pair_readings`` mixes the result into
the pair's one value, so a tag teaches the ranking the moment it is made, without a retrain, and
only about pairs that share a claim with it. The links are the pair model's own readings (not
mixed with propositions), so a ranking computed for a few claims equals the full one.

Why (issue 18's analyst loop, ``bench/bench_disputes.py --only loop``): a retrain refits a global
model from 40 tags drawn from the top of the list and moved the AP of the untagged pairs by
-0.02; reaching only the tagged claims' neighbours lifts it (figures in the README).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

import numpy as np

from verify.labels import AGREEMENT, CONTRADICTION, NEUTRAL, STANCE_LABELS, UNRELATED

Pair = tuple[int, int]  # claim ids, smaller first

_C, _A, _N, _U = (STANCE_LABELS.index(x) for x in (CONTRADICTION, AGREEMENT, NEUTRAL, UNRELATED))


def through(label: str, q: np.ndarray) -> np.ndarray:
    """(x, z)'s reading from the verdict ``label`` on (x, y) and the reading ``q`` of (y, z)."""
    out = np.zeros(4)
    if label == CONTRADICTION:
        out[:] = q
        out[_C], out[_A] = q[_A], q[_C]
    elif label == AGREEMENT:
        out[:] = q
    elif label == UNRELATED:  # x is off y's story: off z's as much as z is on y's
        out[_U] = 1.0 - q[_U]
        out[_N] = q[_U]
    else:  # neutral: x is on y's story, taking no side
        out[_U] = q[_U]
        out[_N] = 1.0 - q[_U]
    return out


def partners(verdicts: Mapping[Pair, str]) -> dict[int, list[tuple[int, str]]]:
    """Each tagged claim's (other claim, verdict) list."""
    out: dict[int, list[tuple[int, str]]] = {}
    for (a, b), label in verdicts.items():
        out.setdefault(a, []).append((b, label))
        out.setdefault(b, []).append((a, label))
    return out


def _beside(target: Pair, near: Mapping[int, list[tuple[int, str]]]) -> Iterator[tuple[Pair, str]]:
    """(link, verdict) for each verdict (x, y) beside ``target`` (x, z): the link is (y, z)."""
    x, z = target
    for u, v in ((x, z), (z, x)):
        for y, label in near.get(u, ()):
            if y != v:
                yield (min(y, v), max(y, v)), label


def links_needed(targets: Sequence[Pair], verdicts: Mapping[Pair, str]) -> set[Pair]:
    """The pairs whose readings ``reach`` reads for ``targets``: (y, z) for every verdict (x, y)
    beside a target (x, z)."""
    near = partners(verdicts)
    return {link for t in targets for link, _label in _beside(t, near)}


def reach(
    targets: Sequence[Pair], verdicts: Mapping[Pair, str], links: Mapping[Pair, np.ndarray]
) -> np.ndarray:
    """(n, 4): what the verdicts beside each target pair imply for it; a row of NaN where none
    reaches it (no verdict shares a claim with it, or the pair model never read the link)."""
    near = partners(verdicts)
    out = np.full((len(targets), 4), np.nan)
    for n, target in enumerate(targets):
        found = [through(label, links[k]) for k, label in _beside(target, near) if k in links]
        if found:
            out[n] = np.mean(found, axis=0)
    return out
