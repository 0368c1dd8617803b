"""A multinomial logistic regression over frozen pair features, with temperature calibration.

Saved as plain numpy arrays (``weights.npz``, read with ``allow_pickle=False``) plus JSON: no
pickle, no joblib, nothing executable in the model directory.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy.optimize import minimize_scalar
from sklearn.linear_model import LogisticRegression

from verify.labels import LABEL_INDEX, STANCE_LABELS, check_label
from verify.models_dir import model_dir

from .data import Encoder
from .features import PairFeaturizer, PairInputs
from .versions import sklearn_version_of

WEIGHTS_FILE = "weights.npz"
CONFIG_FILE = "model.json"
_ARRAYS = ("mean_", "scale_", "coef_", "intercept_")


def default_model_dir() -> Path:
    """``$COUNTERCLAIM_MODELS/stance-sklearn``, else ``<repo>/models/stance-sklearn``."""
    return model_dir("stance-sklearn")


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class SklearnStanceModel:
    """``predict_proba(a, b) -> (n, 4)`` in ``STANCE_LABELS`` order; see ``verify.stance.base``.

    ``encoder`` is anything with ``encode(list[str]) -> (n, d) array`` (default: ``Embedder()``,
    created on first use). Classes absent from training get probability 0.
    """

    def __init__(
        self,
        encoder: Encoder | None = None,
        C: float = 0.5,  # noqa: N803 - sklearn's name
        embedding: str = "none",
        lexical: bool = True,
        max_iter: int = 2000,
    ) -> None:
        self._encoder = encoder
        self.C, self.embedding, self.lexical, self.max_iter = C, embedding, lexical, max_iter

    # ------------------------------------------------------------------ encoder

    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:
            from verify.embed import Embedder

            self._encoder = Embedder()
        return self._encoder

    def inputs(self, a: Sequence[str], b: Sequence[str]) -> PairInputs:
        """Embed both sides once (shared texts are embedded once)."""
        if len(a) != len(b):
            raise ValueError(f"a and b differ in length ({len(a)} != {len(b)})")
        a, b = list(a), list(b)
        texts = list(dict.fromkeys(a + b))
        vecs = np.asarray(self.encoder.encode(texts) if texts else np.zeros((0, 384)), np.float32)
        row = {t: i for i, t in enumerate(texts)}
        return PairInputs(vecs[[row[t] for t in a]], vecs[[row[t] for t in b]], a, b)

    # ------------------------------------------------------------------ fitting

    def fit(
        self,
        a_texts: Sequence[str],
        b_texts: Sequence[str],
        labels: Sequence[str],
        sample_weight: np.ndarray | None = None,
    ) -> SklearnStanceModel:
        return self.fit_inputs(self.inputs(a_texts, b_texts), labels, sample_weight)

    def fit_inputs(
        self,
        X: PairInputs,
        labels: Sequence[str],
        sample_weight: np.ndarray | None = None,  # noqa: N803
    ) -> SklearnStanceModel:
        """Fit on pre-embedded pairs (training caches embeddings; this skips the encoder)."""
        y = np.array([LABEL_INDEX[check_label(lab)] for lab in labels])
        self.featurizer_ = PairFeaturizer(self.embedding, self.lexical).fit(X)
        F = self.featurizer_.transform(X)  # noqa: N806
        self.mean_ = F.mean(axis=0)
        self.scale_ = F.std(axis=0)
        self.scale_[self.scale_ < 1e-6] = 1.0  # constant columns stay zero, not NaN
        present = np.unique(y)
        self.classes_ = np.array([STANCE_LABELS[i] for i in present])
        if len(present) == 1:  # degenerate, but keeps the contract: all mass on that class
            self.coef_ = np.zeros((1, F.shape[1]), dtype=np.float32)
            self.intercept_ = np.zeros(1, dtype=np.float32)
        else:
            lr = LogisticRegression(C=self.C, max_iter=self.max_iter, tol=1e-4)
            lr.fit(self._scale(F), y, sample_weight=sample_weight)
            self.coef_, self.intercept_ = _as_softmax(lr.coef_, lr.intercept_)
        self.temperature_ = 1.0
        return self

    def calibrate_inputs(self, X: PairInputs, labels: Sequence[str]) -> SklearnStanceModel:  # noqa: N803
        """Fit one temperature on held-out pairs by log-loss (keeps the argmax, fixes confidence)."""
        logits = self._logits(X)
        y = np.array([LABEL_INDEX[check_label(lab)] for lab in labels])
        cols = {lab: i for i, lab in enumerate(self.classes_)}
        keep = np.array([STANCE_LABELS[i] in cols for i in y])
        yi = np.array([cols[STANCE_LABELS[i]] for i in y[keep]])

        def nll(log_t: float) -> float:
            p = _softmax(logits[keep] / np.exp(log_t))
            return float(-np.mean(np.log(p[np.arange(len(yi)), yi] + 1e-12)))

        if len(yi):
            self.temperature_ = float(
                np.exp(minimize_scalar(nll, bounds=(-3, 3), method="bounded").x)
            )
        return self

    # ------------------------------------------------------------------ prediction

    def _scale(self, F: np.ndarray) -> np.ndarray:  # noqa: N803
        return (F - self.mean_) / self.scale_

    def _logits(self, X: PairInputs) -> np.ndarray:  # noqa: N803
        F = self._scale(self.featurizer_.transform(X))  # noqa: N806
        return F @ self.coef_.T + self.intercept_

    def predict_proba_inputs(self, X: PairInputs) -> np.ndarray:  # noqa: N803
        p = _softmax(self._logits(X) / self.temperature_)
        out = np.zeros((len(p), len(STANCE_LABELS)), dtype=np.float64)
        out[:, [LABEL_INDEX[c] for c in self.classes_]] = p
        return out

    def predict_proba(self, a: Sequence[str], b: Sequence[str]) -> np.ndarray:
        if not len(a):
            return np.zeros((0, len(STANCE_LABELS)))
        return self.predict_proba_inputs(self.inputs(a, b))

    def predict(self, a: Sequence[str], b: Sequence[str]) -> list[str]:
        return [STANCE_LABELS[i] for i in self.predict_proba(a, b).argmax(axis=1)]

    # ------------------------------------------------------------------ persistence

    def _config(self) -> dict:
        return {
            "kind": "sklearn-logreg",
            "labels": list(STANCE_LABELS),
            "classes": [str(c) for c in self.classes_],
            "temperature": self.temperature_,
            "params": {"C": self.C, "embedding": self.embedding, "lexical": self.lexical,
                       "max_iter": self.max_iter},
            "encoder": getattr(self._encoder, "name", "all-MiniLM-L6-v2"),
        }  # fmt: skip

    @property
    def version(self) -> str:
        """``sklearn-`` + a short hash of the weights, classes and temperature."""
        arrays = {n: getattr(self, n) for n in _ARRAYS}
        return sklearn_version_of(arrays, self._config()["classes"], self.temperature_)

    def save(self, directory: str | Path) -> Path:
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        np.savez(d / WEIGHTS_FILE, **{n: np.asarray(getattr(self, n), np.float32) for n in _ARRAYS})
        config = self._config() | {"version": self.version}
        (d / CONFIG_FILE).write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
        return d

    @classmethod
    def load(cls, directory: str | Path, encoder: Encoder | None = None) -> SklearnStanceModel:
        d = Path(directory)
        config = json.loads((d / CONFIG_FILE).read_text(encoding="utf-8"))
        if list(config["labels"]) != list(STANCE_LABELS):
            raise ValueError(f"{d}: saved label order {config['labels']} != {STANCE_LABELS}")
        model = cls(encoder=encoder, **config["params"])
        with np.load(d / WEIGHTS_FILE, allow_pickle=False) as w:  # arrays only, never objects
            for name in _ARRAYS:
                setattr(model, name, w[name].astype(np.float32))
        model.classes_ = np.array(config["classes"])
        model.temperature_ = float(config["temperature"])
        model.featurizer_ = PairFeaturizer(model.embedding, model.lexical)
        return model


def _as_softmax(coef: np.ndarray, intercept: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """sklearn's binary case has one row (logit of class 1); softmax needs one row per class."""
    if coef.shape[0] == 1:
        coef = np.vstack([np.zeros_like(coef), coef])
        intercept = np.concatenate([[0.0], intercept])
    return coef.astype(np.float32), intercept.astype(np.float32)
