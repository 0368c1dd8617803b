"""What the cross-encoder trains on: the public records of a data mix, or a JSONL of pairs, and
which rows are order-free (``train_cross`` fits on them; ``recalibrate`` reads the same)."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from verify.labels import CONTRADICTION, UNRELATED, check_label
from verify.stance.training.cache import load_parts
from verify.stance.training.data import MemoEncoder, Record
from verify.stance.training.mix import DEFAULT_MIX

log = logging.getLogger("train_cross")


def load_public(seed: int = 0, mix: dict | None = None) -> tuple[list[Record], np.ndarray]:
    """Records of ``mix`` (default ``mix.DEFAULT_MIX``) and their dataset names: the news
    stance sets through the sklearn head's embedding cache (FNC-1 needs it to pick body
    sentences), the NLI sets straight from their files (``training.nli``)."""
    from verify.stages.embed import Embedder
    from verify.stance.training.nli import NLI_SETS, load_nli

    mix = mix or DEFAULT_MIX
    if "emergent-hard" in mix:  # stance model 3: the engine's pairs, mined hard negatives
        return load_engine_pairs(mix, seed)
    classic = {k: v for k, v in mix.items() if k not in NLI_SETS}
    parts = (
        load_parts(classic, MemoEncoder(Embedder()), None, None, seed, True, log.info)
        if classic
        else []
    )
    named = [(n, rs) for n, rs, _, _ in parts]
    named += list(load_nli([k for k in mix if k in NLI_SETS], seed=seed).items())
    for n, rs in named:
        log.info("%s: %d pairs", n, len(rs))
    recs = [r for _, rs in named for r in rs]
    names = np.array([n for n, rs in named for _ in rs])
    return recs, names


def load_engine_pairs(mix: dict, seed: int = 0) -> tuple[list[Record], np.ndarray]:
    """Mix v3's records (``relatedness_data.collect`` with the mix's caps): claim-shaped FNC-1,
    Emergent, mined hard negatives and the NLI sets, each set's rows under its own name."""
    from verify.models_dir import cache_root
    from verify.stages.embed import Embedder
    from verify.stance.training.relatedness_data import collect
    from verify.stance.training.train_relatedness import DiskMemo

    memo = DiskMemo(
        cache_root() / "relatedness" / "minilm.npz",
        lambda texts: np.asarray(Embedder().encode(texts)),
    )
    recs, names = collect(
        memo.get, seed=seed, log=log.info, caps={k: int(v["cap"]) for k, v in mix.items()}
    )
    return recs, names


def swappable(recs: Sequence[Record], names: np.ndarray) -> np.ndarray:
    """Rows whose relation is order-free: trained in both orders (``fit`` swaps half of them per
    draw), so the engine can read a claim pair once. Contradiction and unrelated are symmetric
    relations; agreement and neutral are not (a premise entails its hypothesis, not the reverse),
    except in sets of claim-vs-claim pairs (``mix.SYMMETRIC_SETS``)."""
    from verify.stance.training.mix import SYMMETRIC_SETS

    labels = np.array([r.label for r in recs])
    return np.isin(labels, [CONTRADICTION, UNRELATED]) | np.isin(names, list(SYMMETRIC_SETS))


def load_jsonl(path: Path) -> tuple[list[Record], np.ndarray]:
    """``{"a", "b", "label"}`` per line: all rows go to the fit split (tests, analysts' tags)."""
    rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    recs = [
        Record(r["a"], r["b"], check_label(r["label"]), f"jsonl:{i}") for i, r in enumerate(rows)
    ]
    return recs, np.array(["jsonl"] * len(recs))


def mix_arg(value: str) -> dict:
    if value == "v2":
        from verify.stance.training.mix import MIX_V2

        return MIX_V2
    if value == "v3":
        from verify.stance.training.mix import MIX_V3

        return MIX_V3
    return json.loads(value)
