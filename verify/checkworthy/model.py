"""The check-worthiness model the engine runs: scores from sentence embeddings (a dot product on
the pipeline's own claim vectors), loaded from its folder (``training`` writes it)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from verify.atomic import atomic_open, write_text
from verify.models_dir import model_dir
from verify.settings import Settings

WEIGHTS_FILE = "weights.npz"
CONFIG_FILE = "model.json"


def default_model_dir(settings: Settings | None = None) -> Path:
    """``$COUNTERCLAIM_MODELS/checkworthy``, else ``<repo>/models/checkworthy``."""
    return model_dir("checkworthy", settings)


class CheckWorthiness:
    """``score(texts) -> (n,)`` probabilities; ``predict`` applies the tuned threshold."""

    def __init__(
        self,
        coef: np.ndarray,
        intercept: float,
        threshold: float = 0.5,
        encoder=None,  # anything with encode(list[str]) -> (n, 384)
        meta: dict | None = None,
    ) -> None:
        self.coef = np.asarray(coef, dtype=np.float64).reshape(-1)
        self.intercept = float(intercept)
        self.threshold = float(threshold)
        self._encoder = encoder
        self.meta = meta or {}

    @property
    def version(self) -> str:
        return str(self.meta.get("version", "checkworthy"))

    @property
    def encoder(self):
        if self._encoder is None:
            from verify.stages.embed import Embedder

            self._encoder = Embedder()
        return self._encoder

    def score_vectors(self, vecs: np.ndarray) -> np.ndarray:
        """Probabilities from embeddings already computed (the pipeline's own claim vectors)."""
        vecs = np.asarray(vecs, dtype=np.float64).reshape(-1, self.coef.shape[0])
        return 1.0 / (1.0 + np.exp(-(vecs @ self.coef + self.intercept)))

    def score(self, texts: Sequence[str]) -> np.ndarray:
        if not len(texts):
            return np.zeros(0)
        return self.score_vectors(self.encoder.encode(list(texts)))

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        return self.score(texts) >= self.threshold

    def save(self, out: Path) -> None:
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        with atomic_open(out / WEIGHTS_FILE, "wb") as f:
            np.savez(f, coef=self.coef, intercept=np.array([self.intercept]))
        config = {**self.meta, "threshold": self.threshold}
        write_text(out / CONFIG_FILE, json.dumps(config, indent=2) + "\n")

    @classmethod
    def load(cls, path: Path | str | None = None, encoder=None) -> CheckWorthiness:
        path = Path(path) if path else default_model_dir()
        config = json.loads((path / CONFIG_FILE).read_text(encoding="utf-8"))
        with np.load(path / WEIGHTS_FILE, allow_pickle=False) as w:
            coef, intercept = w["coef"], float(w["intercept"][0])
        return cls(coef, intercept, config.get("threshold", 0.5), encoder, config)
