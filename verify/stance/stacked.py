"""The sklearn head's features plus the cross-encoder's 4 log-probabilities, one logistic regression.

The cross-encoder is fixed (minutes per thousand pairs on a CPU); the regression on top refits in
seconds, so analysts' tagged pairs can move the decision without fine-tuning a transformer. The
cross-encoder scores of the public pairs are cached per cross-encoder version. This module is the
model (inference, save, load); fitting it on public data is ``training.train_stacked``:

    python -m verify.stance.training.train_stacked --out models/stance-stacked [--n-public 3000]
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from verify.atomic import write_text
from verify.labels import LABEL_INDEX, STANCE_LABELS, check_label
from verify.settings import Settings
from verify.stance.base import StancePairs
from verify.stance.calibration import fit_temperature_bounded, softmax
from verify.stance.camps import camp_features
from verify.stance.cross_encoder import CrossEncoderStanceModel
from verify.stance.features import Encoder, PairFeaturizer, PairInputs, pair_inputs
from verify.stance.linear_head import ARRAYS, LinearHead
from verify.stance.versions import stacked_version_of


class StackedStanceModel:
    """``predict_pairs(pairs) -> (n, 4)`` in ``STANCE_LABELS`` order.

    With ``camps`` (default), two more features say whether the pair's speakers are in opposed or
    the same camp (``verify.stance.camps``), read from ``StancePairs.camps`` (none given: both
    flags zero, as for an unknown camp).
    """

    def __init__(
        self,
        cross: CrossEncoderStanceModel,
        encoder: Encoder | None = None,
        C: float = 0.5,
        camps: bool = True,
    ) -> None:
        self.cross, self._encoder, self.C, self.camps = cross, encoder, C, camps
        self.featurizer = PairFeaturizer("none", True)
        self.temperature_ = 1.0

    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:
            from verify.stages.embed import Embedder

            self._encoder = Embedder()
        return self._encoder

    @property
    def uses_camps(self) -> bool:
        return self.camps

    def features(
        self,
        X: PairInputs,
        cross_proba: np.ndarray | None = None,
        camps: Sequence[str] | None = None,
    ) -> np.ndarray:
        """Lexical + cosine features, log P(cross-encoder) (computed if not given), camp flags."""
        if cross_proba is None:
            cross_proba = self.cross.predict_proba(X.text_a, X.text_b)
        F = self.featurizer.transform(X)
        cols = [F, np.log(np.clip(cross_proba, 1e-6, 1.0))]
        if self.camps:
            cols.append(camp_features(camps, len(F)))
        return np.hstack(cols).astype(np.float32)

    def inputs(self, a: Sequence[str], b: Sequence[str]) -> PairInputs:
        return pair_inputs(self.encoder, a, b)

    def fit_features(
        self, F: np.ndarray, labels: Sequence[str], sample_weight: np.ndarray | None = None
    ) -> StackedStanceModel:
        y = np.array([LABEL_INDEX[check_label(lab)] for lab in labels])
        self.head, present = LinearHead.fit(F, y, self.C, 2000, sample_weight)
        if len(present) != len(STANCE_LABELS):
            raise ValueError("stacked head needs all four classes in its training data")
        self.temperature_ = 1.0
        return self

    def calibrate_features(self, F: np.ndarray, labels: Sequence[str]) -> StackedStanceModel:
        y = np.array([LABEL_INDEX[lab] for lab in labels])
        self.temperature_ = fit_temperature_bounded(self.head.logits(F), y)
        return self

    def predict_proba_features(self, F: np.ndarray) -> np.ndarray:
        return softmax(self.head.logits(F) / self.temperature_)

    def predict_pairs(self, pairs: StancePairs) -> np.ndarray:
        if not len(pairs):
            return np.zeros((0, len(STANCE_LABELS)))
        features = self.features(self.inputs(pairs.a, pairs.b), camps=pairs.camps)
        return self.predict_proba_features(features)

    def predict_proba(self, a: Sequence[str], b: Sequence[str]) -> np.ndarray:
        return self.predict_pairs(StancePairs(a, b))

    @property
    def version(self) -> str:
        arrays = {n: getattr(self.head, n) for n in ARRAYS}
        return stacked_version_of(self.cross.version, arrays, self.temperature_)

    def save(self, directory: str | Path) -> Path:
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        self.head.save(d)
        cfg = {
            "labels": list(STANCE_LABELS),
            "cross_version": self.cross.version,
            "C": self.C,
            "temperature": self.temperature_,
            "version": self.version,
            "camps": self.camps,
            "cross_symmetric": self.cross.symmetric,
        }
        write_text(d / "model.json", json.dumps(cfg, indent=2) + "\n")
        return d

    @classmethod
    def load(
        cls,
        directory: str | Path,
        cross: CrossEncoderStanceModel | None = None,
        encoder: Encoder | None = None,
        settings: Settings | None = None,
    ) -> StackedStanceModel:
        d = Path(directory)
        cfg = json.loads((d / "model.json").read_text(encoding="utf-8"))
        # The cross-encoder read as when the head was fitted (retrain: symmetric, the engine's mode).
        symmetric = bool(cfg.get("cross_symmetric", True))
        cross = cross or CrossEncoderStanceModel.load(settings=settings, symmetric=symmetric)
        if cfg["cross_version"] != cross.version or tuple(cfg["labels"]) != STANCE_LABELS:
            raise ValueError(f"{d} was fitted on {cfg['cross_version']}, not {cross.version}")
        model = cls(cross, encoder, cfg["C"], camps=bool(cfg.get("camps", False)))
        model.head = LinearHead.load(d)
        model.temperature_ = float(cfg["temperature"])
        return model
