"""One claim space for topics and candidates in every language: each claim vector joins a
MiniLM part and a USE-m part (512-d, aligned across languages). A claim in another language has
no MiniLM vector worth the name, so its MiniLM part is its USE-m vector through a linear map
fitted on English sentences, USE-m(en) -> MiniLM(en) (``fit_map``, ``models/multilingual/``).

Why both (``bench/bench_crosslingual.py`` on XNLI validation): MiniLM finds an English
sentence's related ones better than USE-m (0.859 against 0.803 recall at 8), the mapped vector
alone finds a Russian sentence's English rendering only 75 % of the time, USE-m alone 99.6 %; the
join keeps 98 % across languages and 0.876 in English. Stance and check-worthiness keep reading
MiniLM vectors: only topics, neighbours and propositions use this space.

The language comes from the text (``verify.language.detect``): the vector cache is keyed by the
text, so one text always has one vector."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from verify.language import ENGLISH, MODELLED, detect
from verify.models_dir import model_dir


def space_file() -> Path:
    return model_dir("multilingual") / "space.npz"


@lru_cache(maxsize=2)
def load_map(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """(W (512, 384), bias (384,)) of the shipped map."""
    with np.load(path) as f:
        return f["w"].astype(np.float32), f["b"].astype(np.float32)


def map_version(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()[:8]


def place(use_vecs: np.ndarray, path: Path) -> np.ndarray:
    """USE-m vectors into the MiniLM space, unit length."""
    w, b = load_map(path)
    out = use_vecs @ w + b
    return (out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)).astype(np.float32)


def fit_map(use_vecs: np.ndarray, mini_vecs: np.ndarray, alpha: float = 1.0):
    """Ridge regression USE-m -> MiniLM on the same (English) sentences: (W, bias)."""
    from sklearn.linear_model import Ridge

    reg = Ridge(alpha=alpha).fit(use_vecs, mini_vecs)
    return reg.coef_.T.astype(np.float32), reg.intercept_.astype(np.float32)


#: USE-m's share of a claim vector (its square is its share of a cosine); MiniLM's is the rest.
#: Chosen with ``bench/bench_crosslingual.py`` (0.5 to 0.9 tried; 0.7 keeps Russian-English hits
#: at 0.98 and English-English recall above MiniLM alone).
USE_WEIGHT = 0.7


class ClaimSpace:
    """``encode(texts) -> (n, 896)``: [w_m * MiniLM, w_u * USE-m] for an English claim (and for
    one in a language no model reads: those are never paired), [w_m * mapped USE-m, w_u * USE-m]
    for the other languages; unit length. A Russian-English cosine is then mostly USE-m's, an
    English-English one mixes both (better than either alone on the bench)."""

    def __init__(self, english=None, multilingual=None, path: Path | None = None) -> None:
        from verify.multilingual.encoder import MultilingualEncoder
        from verify.stages.embed import Embedder

        self.english = english or Embedder()
        self.multilingual = multilingual or MultilingualEncoder()
        self.path = path or space_file()
        self.name = f"space-{self.multilingual.name}-{map_version(self.path)}-{USE_WEIGHT}"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        use = self.multilingual.encode(texts)
        other = [_read_as_other(t) for t in texts]
        first = np.zeros((len(texts), 384), dtype=np.float32)
        en = [i for i, o in enumerate(other) if not o]
        far = [i for i, o in enumerate(other) if o]
        if en:
            first[en] = self.english.encode([texts[i] for i in en])
        if far:
            first[far] = place(use[far], self.path)
        w_m = float(np.sqrt(1.0 - USE_WEIGHT**2))
        out = np.hstack([w_m * first, USE_WEIGHT * use]).astype(np.float32)
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)


def _read_as_other(text: str) -> bool:
    found = detect(text)
    return found.code != ENGLISH and found.code in MODELLED
