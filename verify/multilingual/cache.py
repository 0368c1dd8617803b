"""A file cache of sentence vectors for training and benches (text hash -> vector, one ``.npz``
per encoder under ``~/.cache/counterclaim/vectors/``), so a refit or a rerun of a bench never
embeds a sentence twice. Written through ``verify.atomic``."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from verify.types import sha256


def cache_dir() -> Path:
    from verify.models_dir import cache_root

    return cache_root() / "vectors"


def cached_encode(encoder, texts: Sequence[str], chunk: int = 2000, log=None) -> np.ndarray:
    """``encoder.encode(texts)`` through the file cache of ``encoder.name``; saved every chunk."""
    from verify.atomic import write_bytes

    path = cache_dir() / f"{encoder.name}.npz"
    store: dict[str, np.ndarray] = {}
    if path.exists():
        with np.load(path) as f:
            store = dict(zip(f["keys"].tolist(), f["vecs"], strict=True))
    keys = [sha256(t) for t in texts]
    todo = list(dict.fromkeys(k for k in keys if k not in store))
    by_key = dict(zip(keys, texts, strict=True))
    for lo in range(0, len(todo), chunk):
        part = todo[lo : lo + chunk]
        store.update(zip(part, encoder.encode([by_key[k] for k in part]), strict=True))
        path.parent.mkdir(parents=True, exist_ok=True)
        buf = io.BytesIO()
        np.savez(buf, keys=np.array(list(store)), vecs=np.stack(list(store.values())))
        write_bytes(path, buf.getvalue())
        if log:
            log(f"{encoder.name}: {min(lo + chunk, len(todo))} of {len(todo)} embedded")
    return np.stack([store[k] for k in keys]).astype(np.float32)
