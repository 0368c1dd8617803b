"""The linear stance model: frozen pair features (``features``) into the ``linear_head``, with a
temperature (``calibration``). Saved as the head's arrays plus ``model.json``: no pickle.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from verify.atomic import write_text
from verify.labels import LABEL_INDEX, STANCE_LABELS, check_label
from verify.models_dir import model_dir
from verify.settings import Settings
from verify.stance.base import StancePairs
from verify.stance.calibration import fit_temperature_bounded, softmax
from verify.stance.features import Encoder, PairFeaturizer, PairInputs
from verify.stance.linear_head import ARRAYS, LinearHead
from verify.stance.versions import sklearn_version_of

CONFIG_FILE = "model.json"


def default_model_dir(settings: Settings | None = None) -> Path:
    """``$COUNTERCLAIM_MODELS/stance-sklearn``, else ``<repo>/models/stance-sklearn``."""
    return model_dir("stance-sklearn", settings)


class SklearnStanceModel:
    """``predict_proba(a, b) -> (n, 4)`` in ``STANCE_LABELS`` order; see ``verify.stance.base``.

    ``encoder`` is anything with ``encode(list[str]) -> (n, d) array`` (default: ``Embedder()``,
    created on first use). Classes absent from training get probability 0. Reads no camps.
    """

    uses_camps = False

    def __init__(
        self,
        encoder: Encoder | None = None,
        C: float = 0.5,
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
            from verify.stages.embed import Embedder

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
        sample_weight: np.ndarray | None = None,
    ) -> SklearnStanceModel:
        """Fit on pre-embedded pairs (training caches embeddings; this skips the encoder)."""
        y = np.array([LABEL_INDEX[check_label(lab)] for lab in labels])
        self.featurizer_ = PairFeaturizer(self.embedding, self.lexical).fit(X)
        self.head, present = LinearHead.fit(
            self.featurizer_.transform(X), y, self.C, self.max_iter, sample_weight
        )
        self.classes_ = np.array([STANCE_LABELS[i] for i in present])
        self.temperature_ = 1.0
        return self

    def calibrate_inputs(self, X: PairInputs, labels: Sequence[str]) -> SklearnStanceModel:
        """Fit one temperature on held-out pairs by log-loss (keeps the argmax, fixes confidence)."""
        logits = self._logits(X)
        y = np.array([LABEL_INDEX[check_label(lab)] for lab in labels])
        cols = {lab: i for i, lab in enumerate(self.classes_)}
        keep = np.array([STANCE_LABELS[i] in cols for i in y])
        yi = np.array([cols[STANCE_LABELS[i]] for i in y[keep]])
        if len(yi):
            self.temperature_ = fit_temperature_bounded(logits[keep], yi)
        return self

    # ------------------------------------------------------------------ prediction

    def _logits(self, X: PairInputs) -> np.ndarray:
        return self.head.logits(self.featurizer_.transform(X))

    def predict_proba_inputs(self, X: PairInputs) -> np.ndarray:
        p = softmax(self._logits(X) / self.temperature_)
        out = np.zeros((len(p), len(STANCE_LABELS)), dtype=np.float64)
        out[:, [LABEL_INDEX[c] for c in self.classes_]] = p
        return out

    def predict_proba(self, a: Sequence[str], b: Sequence[str]) -> np.ndarray:
        if not len(a):
            return np.zeros((0, len(STANCE_LABELS)))
        return self.predict_proba_inputs(self.inputs(a, b))

    def predict_pairs(self, pairs: StancePairs) -> np.ndarray:
        return self.predict_proba(pairs.a, pairs.b)

    def predict(self, a: Sequence[str], b: Sequence[str]) -> list[str]:
        return [STANCE_LABELS[i] for i in self.predict_proba(a, b).argmax(axis=1)]

    # ------------------------------------------------------------------ persistence

    def _config(self) -> dict:
        return {
            "kind": "sklearn-logreg",
            "labels": list(STANCE_LABELS),
            "classes": [str(c) for c in self.classes_],
            "temperature": self.temperature_,
            "params": {
                "C": self.C,
                "embedding": self.embedding,
                "lexical": self.lexical,
                "max_iter": self.max_iter,
            },
            "encoder": getattr(self._encoder, "name", "all-MiniLM-L6-v2"),
        }

    @property
    def version(self) -> str:
        """``sklearn-`` + a short hash of the weights, classes and temperature."""
        arrays = {n: getattr(self.head, n) for n in ARRAYS}
        return sklearn_version_of(arrays, self._config()["classes"], self.temperature_)

    def save(self, directory: str | Path) -> Path:
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        self.head.save(d)
        config = self._config() | {"version": self.version}
        write_text(d / CONFIG_FILE, json.dumps(config, indent=2) + "\n")
        return d

    @classmethod
    def load(cls, directory: str | Path, encoder: Encoder | None = None) -> SklearnStanceModel:
        d = Path(directory)
        config = json.loads((d / CONFIG_FILE).read_text(encoding="utf-8"))
        if list(config["labels"]) != list(STANCE_LABELS):
            raise ValueError(f"{d}: saved label order {config['labels']} != {STANCE_LABELS}")
        model = cls(encoder=encoder, **config["params"])
        model.head = LinearHead.load(d)
        model.classes_ = np.array(config["classes"])
        model.temperature_ = float(config["temperature"])
        model.featurizer_ = PairFeaturizer(model.embedding, model.lexical)
        return model
