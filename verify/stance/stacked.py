"""The sklearn head's features plus the cross-encoder's 4 log-probabilities, one logistic regression.

The cross-encoder is fixed (minutes per thousand pairs on a CPU); the regression on top refits in
seconds, so analysts' tagged pairs can move the decision without fine-tuning a transformer. The
cross-encoder scores of the public pairs are cached per cross-encoder version.

    python -m verify.stance.stacked --out models/stance-stacked [--n-public 3000]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from scipy.optimize import minimize_scalar
from sklearn.linear_model import LogisticRegression

from verify.labels import LABEL_INDEX, STANCE_LABELS, check_label

from .camps import UNKNOWN, camp_features
from .cross_encoder import CrossEncoderStanceModel, softmax
from .features import PairFeaturizer, PairInputs
from .versions import stacked_version_of

_ARRAYS = ("mean_", "scale_", "coef_", "intercept_")


class StackedStanceModel:
    """``predict_proba(a, b, camps=None) -> (n, 4)`` in ``STANCE_LABELS`` order.

    With ``camps`` (default), two more features say whether the pair's speakers are in opposed or
    the same camp (``verify.stance.camps``); pass each pair's relation to ``predict_proba``.
    """

    def __init__(self, cross: CrossEncoderStanceModel, encoder=None, C: float = 0.5,  # noqa: ANN001, N803
                 camps: bool = True) -> None:  # fmt: skip
        self.cross, self._encoder, self.C, self.camps = cross, encoder, C, camps
        self.featurizer = PairFeaturizer("none", True)
        self.temperature_ = 1.0

    @property
    def encoder(self):  # noqa: ANN201
        if self._encoder is None:
            from verify.embed import Embedder

            self._encoder = Embedder()
        return self._encoder

    @property
    def uses_camps(self) -> bool:
        return self.camps

    def features(self, X: PairInputs, cross_proba: np.ndarray | None = None,  # noqa: N803
                 camps: Sequence[str] | None = None) -> np.ndarray:  # fmt: skip
        """Lexical + cosine features, log P(cross-encoder) (computed if not given), camp flags."""
        if cross_proba is None:
            cross_proba = self.cross.predict_proba(X.text_a, X.text_b)
        F = self.featurizer.transform(X)  # noqa: N806
        cols = [F, np.log(np.clip(cross_proba, 1e-6, 1.0))]
        if self.camps:
            cols.append(camp_features(camps, len(F)))
        return np.hstack(cols).astype(np.float32)

    def inputs(self, a: Sequence[str], b: Sequence[str]) -> PairInputs:
        texts = list(dict.fromkeys([*a, *b]))
        vecs = np.asarray(self.encoder.encode(texts), np.float32)
        row = {t: i for i, t in enumerate(texts)}
        return PairInputs(vecs[[row[t] for t in a]], vecs[[row[t] for t in b]], list(a), list(b))

    def fit_features(self, F: np.ndarray, labels: Sequence[str], sample_weight=None) -> StackedStanceModel:  # noqa: ANN001, N803, E501
        y = np.array([LABEL_INDEX[check_label(lab)] for lab in labels])
        self.mean_, self.scale_ = F.mean(axis=0), F.std(axis=0)
        self.scale_[self.scale_ < 1e-6] = 1.0
        lr = LogisticRegression(C=self.C, max_iter=2000).fit(self._scale(F), y, sample_weight)
        if len(lr.classes_) != len(STANCE_LABELS):
            raise ValueError("stacked head needs all four classes in its training data")
        self.coef_, self.intercept_ = lr.coef_.astype(np.float32), lr.intercept_.astype(np.float32)
        self.temperature_ = 1.0
        return self

    def calibrate_features(self, F: np.ndarray, labels: Sequence[str]) -> StackedStanceModel:  # noqa: N803
        z = self._logits(F)
        y = np.array([LABEL_INDEX[lab] for lab in labels])

        def nll(log_t: float) -> float:
            p = softmax(z / np.exp(log_t))
            return float(-np.mean(np.log(p[np.arange(len(y)), y] + 1e-12)))

        self.temperature_ = float(np.exp(minimize_scalar(nll, bounds=(-3, 3), method="bounded").x))
        return self

    def _scale(self, F: np.ndarray) -> np.ndarray:  # noqa: N803
        return (F - self.mean_) / self.scale_

    def _logits(self, F: np.ndarray) -> np.ndarray:  # noqa: N803
        return self._scale(F) @ self.coef_.T + self.intercept_

    def predict_proba_features(self, F: np.ndarray) -> np.ndarray:  # noqa: N803
        return softmax(self._logits(F) / self.temperature_)

    def predict_proba(self, a: Sequence[str], b: Sequence[str],
                      camps: Sequence[str] | None = None) -> np.ndarray:  # fmt: skip
        if not len(a):
            return np.zeros((0, len(STANCE_LABELS)))
        return self.predict_proba_features(self.features(self.inputs(a, b), camps=camps))

    @property
    def version(self) -> str:
        arrays = {n: getattr(self, n) for n in _ARRAYS}
        return stacked_version_of(self.cross.version, arrays, self.temperature_)

    def save(self, directory: str | Path) -> Path:
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        np.savez(d / "weights.npz", **{n: np.asarray(getattr(self, n), np.float32) for n in _ARRAYS})
        cfg = {"labels": list(STANCE_LABELS), "cross_version": self.cross.version, "C": self.C,
               "temperature": self.temperature_, "version": self.version,
               "camps": self.camps, "cross_symmetric": self.cross.symmetric}  # fmt: skip
        (d / "model.json").write_text(json.dumps(cfg, indent=2) + "\n", encoding="utf-8")
        return d

    @classmethod
    def load(cls, directory: str | Path, cross: CrossEncoderStanceModel | None = None,
             encoder=None) -> StackedStanceModel:  # noqa: ANN001  # fmt: skip
        d = Path(directory)
        cfg = json.loads((d / "model.json").read_text(encoding="utf-8"))
        # The cross-encoder read as when the head was fitted (retrain: symmetric, the engine's mode).
        cross = cross or CrossEncoderStanceModel.load(symmetric=bool(cfg.get("cross_symmetric", True)))
        if cfg["cross_version"] != cross.version or tuple(cfg["labels"]) != STANCE_LABELS:
            raise ValueError(f"{d} was fitted on {cfg['cross_version']}, not {cross.version}")
        model = cls(cross, encoder, cfg["C"], camps=bool(cfg.get("camps", False)))
        with np.load(d / "weights.npz", allow_pickle=False) as w:
            for name in _ARRAYS:
                setattr(model, name, w[name])
        model.temperature_ = float(cfg["temperature"])
        return model


# --------------------------------------------------------------------------- training


def train_stacked(
    out: Path | None,
    extra: Sequence[tuple[str, ...]] = (),
    n_public: int = 3000,
    n_dev: int = 800,
    seed: int = 0,
    cross: CrossEncoderStanceModel | None = None,
) -> StackedStanceModel:
    """Fit on ``n_public`` public fit pairs (drawn ∝ the sklearn head's weights) + ``extra``
    analyst pairs (weight ``train.EXTRA_WEIGHT``); temperature on ``n_dev`` dev pairs.

    ``extra`` rows are (a, b, label) or (a, b, label, camp relation); public pairs have no camps.
    """
    from . import data, train

    cross = cross or CrossEncoderStanceModel.load()
    memo = data.MemoEncoder(train._default_encoder())
    parts = train._load_parts(train.DEFAULT_MIX, memo, None, None, seed, True, lambda _m: None)
    names = np.array([n for n, r, _, _ in parts for _ in r])
    recs, ea, eb = train._stack((r, a, b) for _, r, a, b in parts)
    roles = np.array([data.split_role(r.group, seed) for r in recs])
    labels = np.array([r.label for r in recs])
    rng = np.random.default_rng(seed)
    fit = np.flatnonzero(roles == "fit")
    w = train.sample_weights(labels[fit], names[fit], {k: v["share"] for k, v in train.DEFAULT_MIX.items()})
    fit = np.sort(rng.choice(fit, size=min(n_public, len(fit)), replace=False, p=w / w.sum()))
    dev = np.flatnonzero(roles == "dev")
    dev = np.sort(rng.choice(dev, size=min(n_dev, len(dev)), replace=False))

    model = StackedStanceModel(cross, memo.inner)

    def feats(idx: np.ndarray) -> np.ndarray:
        X = train._inputs(recs, ea, eb, np.isin(np.arange(len(recs)), idx))  # noqa: N806
        return model.features(X, _cached_cross(cross, X.text_a, X.text_b))

    F, y = feats(fit), list(labels[fit])
    if extra:
        Xe = model.inputs([e[0] for e in extra], [e[1] for e in extra])  # noqa: N806
        camps = [e[3] if len(e) > 3 else UNKNOWN for e in extra]
        F = np.vstack([F, model.features(Xe, camps=camps)])  # noqa: N806
        y += [e[2] for e in extra]
    sw = np.r_[np.ones(len(fit)), np.full(len(extra), train.EXTRA_WEIGHT)]
    model.fit_features(F, y, sw).calibrate_features(feats(dev), labels[dev])
    if out is not None:
        model.save(out)
    return model


def fit_head(head: StackedStanceModel, public, F_extra: np.ndarray | None,  # noqa: ANN001, N803
             y_extra: Sequence[str]) -> StackedStanceModel:  # fmt: skip
    """Fit ``head`` on precomputed public features (``training.public_features``) plus the
    analysts' rows (weight ``train.EXTRA_WEIGHT``), temperature on the public dev rows: seconds."""
    from .train import EXTRA_WEIGHT

    F, y = public.F_fit, list(public.y_fit)  # noqa: N806
    if F_extra is not None and len(F_extra):
        F = np.vstack([F, F_extra])  # noqa: N806
        y += list(y_extra)
    sw = np.r_[np.ones(len(public.F_fit)), np.full(len(y) - len(public.F_fit), EXTRA_WEIGHT)]
    return head.fit_features(F, y, sw).calibrate_features(public.F_dev, list(public.y_dev))


def _cached_cross(cross: CrossEncoderStanceModel, a: Sequence[str], b: Sequence[str]) -> np.ndarray:
    """Cross-encoder probabilities of public pairs, cached on disk per model version."""
    from .train import cache_dir

    key = hashlib.sha256(json.dumps([cross.version, list(a), list(b)]).encode()).hexdigest()[:16]
    path = cache_dir() / f"crossproba-{key}.npy"
    if path.exists():
        return np.load(path, allow_pickle=False)
    p = cross.predict_proba(a, b)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, p)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m verify.stance.stacked", description=__doc__)
    p.add_argument("--out", required=True)
    p.add_argument("--n-public", type=int, default=3000)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    from .train import _print_seeds, seed_gold_check

    model = train_stacked(Path(args.out), n_public=args.n_public, seed=args.seed)
    print(model.version)
    _print_seeds(seed_gold_check(model))
    return 0


if __name__ == "__main__":
    sys.exit(main())
