"""The relatedness stage's training pairs: the public sets as the engine would see them, plus
hard negatives mined with the engine's own candidate generator (``hard_negatives``).

Every record keeps its dataset's group, so ``data.split_role`` keeps each story, body, claim or
premise on one side of the fit / dev / test split. Sizes are capped per set (``CAPS``): the
cross-encoder reads every pair once to build its features, minutes per ten thousand on a CPU.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from verify.labels import UNRELATED
from verify.stance.training.data import (
    Record,
    cross_stance_pairs,
    load_emergent,
    load_fnc1,
    load_sick,
    split_sentences,
)
from verify.stance.training.hard_negatives import mine
from verify.stance.training.nli import NLI_SETS, load_nli

#: Pairs drawn per set (all splits together). Emergent is the closest to what the engine scores
#: (headlines of one story from many outlets), so it and its mined negatives weigh most.
CAPS: dict[str, int] = {
    "emergent": 1500,
    "emergent-pairs": 2000,
    "emergent-hard": 2000,
    "fnc1": 1500,
    "snli": 1000,
    "mnli_dev": 1500,
    "fever_symmetric": 708,
    "fool_me_twice": 800,
    "perspectrum": 1000,
    "covidfact": 600,
    "climate_fever": 600,
    "healthver": 600,
    "rumoureval2019": 800,
    "claims-hard": 2000,
}
#: Sets whose claims (``a``) are mined against other groups' evidence (``b``) for "claims-hard".
MINED_CLAIM_SETS = (
    "perspectrum",
    "covidfact",
    "climate_fever",
    "healthver",
    "fever_symmetric",
    "fool_me_twice",
    "mnli_dev",
)
#: Claim-evidence records whose texts are mined against each other for "claims-hard".
MINE_POOL = 5000
#: Share of the fitting weight per set: what the engine scores first (news claims of one story).
SHARES: dict[str, float] = {
    "emergent": 0.10,
    "emergent-pairs": 0.15,
    "emergent-hard": 0.15,
    "fnc1": 0.10,
    "snli": 0.04,
    "mnli_dev": 0.06,
    "fever_symmetric": 0.04,
    "fool_me_twice": 0.04,
    "perspectrum": 0.06,
    "covidfact": 0.03,
    "climate_fever": 0.03,
    "healthver": 0.03,
    "rumoureval2019": 0.05,
    "claims-hard": 0.12,
}

_WORD = re.compile(r"\w+")


class LexicalSelector:
    """FNC-1's body as the engine reads it: one sentence, the one sharing most words with the
    headline (the engine pairs a headline with claims, single sentences, from the body)."""

    def select(self, pairs: Sequence[tuple[str, str]]) -> list[str]:
        out = []
        for headline, body in pairs:
            hw = set(_WORD.findall(headline.lower()))
            sents = split_sentences(body)
            best = max(sents, key=lambda s: len(hw & set(_WORD.findall(s.lower()))), default="")
            out.append(best)
        return out


def _cap(recs: list[Record], n: int, seed: int, name: str) -> list[Record]:
    if len(recs) <= n:
        return recs
    rng = random.Random(f"{seed}:{name}")
    return rng.sample(recs, n)


def collect(
    encode: Callable[[Sequence[str]], np.ndarray],
    data_dir: Path | None = None,
    seed: int = 0,
    log: Callable[[str], None] = print,
    caps: dict[str, int] | None = None,
) -> tuple[list[Record], np.ndarray]:
    """(records, set name per record) capped per set by ``caps`` (default ``CAPS``; stance model
    3's mix passes its own); ``encode`` embeds texts (unit length) for the mining."""
    caps = CAPS if caps is None else caps
    named: list[tuple[str, list[Record]]] = []
    emergent = load_emergent(data_dir)
    named.append(("emergent", emergent))
    pairs = cross_stance_pairs(emergent, cap_per_group=20, seed=seed)
    named.append(
        (
            "emergent-pairs",
            [Record(emergent[i].b, emergent[j].b, lab, emergent[i].group) for i, j, lab in pairs],
        )
    )
    # Emergent's headlines and claims, each against the nearest ones of *other* stories.
    texts = list(dict.fromkeys([r.b for r in emergent] + [r.a for r in emergent]))
    group_of = {r.b: r.group for r in emergent} | {r.a: r.group for r in emergent}
    named.append(
        ("emergent-hard", mine(texts, [group_of[t] for t in texts], encode(texts), k=3, seed=seed))
    )
    selector: Any = LexicalSelector()  # the same ``select`` contract as ``data.SentenceSelector``
    fnc = load_fnc1(data_dir, selector=selector, max_unrelated=caps["fnc1"] // 3, seed=seed)
    named.append(("fnc1", fnc))
    if "sick" in caps:
        named.append(("sick", load_sick(data_dir, seed=seed)))
    nli = load_nli([n for n in caps if n in NLI_SETS], data_dir, seed=seed)
    for n, recs in nli.items():
        named.append((n, _cap(recs, caps[n], seed, n)))
    # Fact-verification and debate claims against the nearest evidence of other claims.
    claims = [r for n in MINED_CLAIM_SETS for r in named_dict(named).get(n, [])]
    claims = _cap(claims, MINE_POOL, seed, "claims-pool")  # embedding cost bounds the pool
    pool = list(dict.fromkeys([r.a for r in claims] + [r.b for r in claims]))
    g = {r.b: r.group for r in claims} | {r.a: r.group for r in claims}
    named.append(("claims-hard", mine(pool, [g[t] for t in pool], encode(pool), k=2, seed=seed)))
    out: list[Record] = []
    names: list[str] = []
    for n, recs in named:
        recs = _cap(recs, caps[n], seed, n)
        log(f"{n}: {len(recs)} pairs ({sum(r.label == UNRELATED for r in recs)} unrelated)")
        out += recs
        names += [n] * len(recs)
    return out, np.array(names)


def named_dict(named: list[tuple[str, list[Record]]]) -> dict[str, list[Record]]:
    return dict(named)
