"""Embedded public stance datasets, cached on disk: load once, embed once, reuse across retrains.

Embedded pairs live under ``models_dir.cache_root()`` (``~/.cache/counterclaim``) keyed by the
data files' hashes, the encoder name and the loader settings, so a retrain with new analyst tags
only embeds the new pairs. ``load_parts`` gives every dataset of a mix (plus the derived Emergent
headline pairs) as row-aligned (records, embeddings of a, embeddings of b).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from verify.atomic import atomic_open
from verify.models_dir import cache_root
from verify.stance.features import Encoder, PairInputs
from verify.stance.training import data
from verify.stance.training.data import DATASETS, MemoEncoder, Record, SentenceSelector

#: Bump when a loader's output changes, to invalidate cached features.
LOADER_VERSION = 2
DERIVED = "emergent-pairs"
TOP_K_SENTENCES = 3


def cache_dir() -> Path:
    """Where embedded datasets and cached model scores of public pairs are kept."""
    return cache_root()


class Embedded:
    """One dataset's records with both sides embedded (row-aligned)."""

    def __init__(self, records: list[Record], emb_a: np.ndarray, emb_b: np.ndarray) -> None:
        self.records, self.emb_a, self.emb_b = records, emb_a, emb_b

    def save(self, stem: Path) -> None:
        stem.parent.mkdir(parents=True, exist_ok=True)
        with atomic_open(stem.with_suffix(".npz"), "wb") as f:
            np.savez(f, emb_a=self.emb_a, emb_b=self.emb_b)
        with (
            atomic_open(stem.with_suffix(".json.gz"), "wb") as raw,
            gzip.open(raw, "wt", encoding="utf-8") as f,
        ):
            json.dump([list(r) for r in self.records], f)

    @classmethod
    def load(cls, stem: Path) -> Embedded:
        with np.load(stem.with_suffix(".npz"), allow_pickle=False) as z:
            emb_a, emb_b = z["emb_a"], z["emb_b"]
        with gzip.open(stem.with_suffix(".json.gz"), "rt", encoding="utf-8") as f:
            records = [Record(*r) for r in json.load(f)]
        return cls(records, emb_a, emb_b)


def cache_key(name: str, data_dir: Path | None, encoder_name: str, settings: dict) -> str:
    blob = json.dumps(
        {
            "files": data.file_hash(data.dataset_files(name, data_dir)),
            "encoder": encoder_name,
            "loader": LOADER_VERSION,
            **settings,
        },
        sort_keys=True,
    )
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def load_embedded(
    name: str,
    encoder: MemoEncoder,
    data_dir: Path | None = None,
    max_rows: int | None = None,
    max_unrelated: int | None = None,
    seed: int = 0,
    use_cache: bool = True,
) -> Embedded:
    """Load one dataset and embed it, through the on-disk cache."""
    settings = {
        "max_rows": max_rows,
        "max_unrelated": max_unrelated,
        "seed": seed,
        "k": TOP_K_SENTENCES,
    }
    stem = cache_dir() / f"{name}-{cache_key(name, data_dir, encoder.name, settings)}"
    if use_cache and stem.with_suffix(".npz").exists():
        return Embedded.load(stem)
    selector = SentenceSelector(encoder, k=TOP_K_SENTENCES)
    recs = data.load_dataset(name, data_dir, selector, max_rows, max_unrelated, seed)
    emb = Embedded(recs, encoder.encode([r.a for r in recs]), encoder.encode([r.b for r in recs]))
    if use_cache:
        emb.save(stem)
    return emb


Part = tuple[str, list[Record], np.ndarray, np.ndarray]


def load_parts(
    mix: dict[str, dict],
    memo: MemoEncoder,
    data_dir: Path | None,
    max_rows: int | None,
    seed: int,
    use_cache: bool,
    log: Callable[[str], object],
) -> list[Part]:
    """Each dataset in ``mix`` embedded (through the cache), plus the derived Emergent pairs."""
    unknown = set(mix) - set(DATASETS) - {DERIVED}
    if unknown:
        raise ValueError(f"unknown datasets in mix: {sorted(unknown)}")
    need = [d for d in DATASETS if d in mix or (d == "emergent" and DERIVED in mix)]
    parts: list[Part] = []
    for name in need:
        t = time.perf_counter()
        cfg = mix.get(name, {})
        emb = load_embedded(
            name, memo, data_dir, max_rows, cfg.get("max_unrelated"), seed, use_cache
        )
        log(f"{name}: {len(emb.records)} pairs in {time.perf_counter() - t:.1f}s")
        if name in mix:
            parts.append((name, emb.records, emb.emb_a, emb.emb_b))
        if name == "emergent" and DERIVED in mix:
            parts.append(derived_part(emb, mix[DERIVED].get("cap_per_claim", 60), seed))
    return parts


def derived_part(emergent: Embedded, cap: int, seed: int) -> Part:
    """Headline-vs-headline pairs; both sides are already embedded Emergent headlines."""
    pairs = data.cross_stance_pairs(emergent.records, cap, seed)
    recs = [
        Record(emergent.records[i].b, emergent.records[j].b, lab, emergent.records[i].group)
        for i, j, lab in pairs
    ]
    i, j = [p[0] for p in pairs], [p[1] for p in pairs]
    return DERIVED, recs, emergent.emb_b[i], emergent.emb_b[j]


def stack_parts(
    parts: Iterable[tuple[list[Record], np.ndarray, np.ndarray]],
) -> tuple[list[Record], np.ndarray, np.ndarray]:
    """Concatenate parts into one record list and two row-aligned embedding matrices."""
    recs: list[Record] = []
    ea: list[np.ndarray] = []
    eb: list[np.ndarray] = []
    for r, a, b in parts:
        recs += r
        ea.append(a)
        eb.append(b)
    return recs, np.vstack(ea), np.vstack(eb)


def select_inputs(
    recs: list[Record], ea: np.ndarray, eb: np.ndarray, mask: np.ndarray
) -> PairInputs:
    """The featurizer's inputs for the rows where ``mask`` is true."""
    idx = np.flatnonzero(mask)
    return PairInputs(ea[idx], eb[idx], [recs[i].a for i in idx], [recs[i].b for i in idx])


def default_encoder() -> Encoder:
    """The engine's sentence embedder (all-MiniLM-L6-v2)."""
    from verify.stages.embed import Embedder

    return Embedder()
