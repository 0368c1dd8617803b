"""The multilingual stance reader: a linear head over USE-m pair features [u, v, |u-v|, u*v]
(``models/multilingual/reader.npz``, fitted by ``verify.multilingual.train_reader``), tempered and
biased as the English model is (``verify.stance.decision``: temperature on dev, class biases
for dev macro-F1), in ``STANCE_LABELS`` order. Each pair is read once, in the order given, as
the English model reads it (``ENGINE_READING``): reading both orders and averaging cost 5 points
of XNLI accuracy (NLI is directional)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from verify.models_dir import model_dir
from verify.stance.base import StancePairs
from verify.stance.calibration import softmax

READER_FILE = "reader.npz"


def reader_path() -> Path:
    return model_dir("multilingual") / READER_FILE


def reader_version(path: Path | None = None) -> str:
    """From the file alone (a warm run loads no model)."""
    p = path or reader_path()
    return "usem-head-" + hashlib.sha256(p.read_bytes()).hexdigest()[:8]


def pair_features(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    return np.hstack([u, v, np.abs(u - v), u * v]).astype(np.float32)


@lru_cache(maxsize=2)
def _weights(path: Path) -> dict[str, np.ndarray]:
    with np.load(path) as f:
        return {k: f[k].astype(np.float32) for k in f.files}


class MultilingualReader:
    """``predict_pairs(pairs) -> (n, 4)`` for pairs in any language USE-m reads."""

    uses_camps = False

    def __init__(self, path: Path | None = None, encoder=None) -> None:
        from verify.multilingual.encoder import MultilingualEncoder

        self.path = path or reader_path()
        self.encoder = encoder or MultilingualEncoder()
        self._memo: dict[str, np.ndarray] = {}  # claims recur across pairs: embed each once
        self.version = reader_version(self.path)

    def _vecs(self, texts: Sequence[str]) -> np.ndarray:
        todo = list(dict.fromkeys(t for t in texts if t not in self._memo))
        if todo:
            self._memo.update(zip(todo, self.encoder.encode(todo), strict=True))
        return np.stack([self._memo[t] for t in texts]) if texts else np.zeros((0, 512))

    def logits(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        w = _weights(self.path)
        return pair_features(u, v) @ w["coef"].T + w["intercept"]

    def probs_from_vectors(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        """Calibrated probabilities under the decision rule's class biases."""
        w = _weights(self.path)
        logp = np.log(softmax(self.logits(u, v) / float(w["temperature"])) + 1e-12)
        return softmax(logp + w["bias"])

    def predict_pairs(self, pairs: StancePairs) -> np.ndarray:
        if not len(pairs):
            return np.zeros((0, 4))
        return self.probs_from_vectors(self._vecs(list(pairs.a)), self._vecs(list(pairs.b)))

    def predict_proba(self, a: Sequence[str], b: Sequence[str]) -> np.ndarray:
        return self.predict_pairs(StancePairs(a, b))
