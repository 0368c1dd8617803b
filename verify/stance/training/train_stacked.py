"""Fit the stacked stance head (``verify.stance.stacked``) on public pairs plus analysts' pairs.

    python -m verify.stance.training.train_stacked --out models/stance-stacked [--n-public 3000]

The cross-encoder is fixed; its probabilities of the public pairs are cached on disk per model
version, so a refit costs seconds. ``fit_head`` refits from precomputed public features
(``public_features``): what the analysts' retrain runs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from verify.stance.camps import UNKNOWN
from verify.stance.cross_encoder import CrossEncoderStanceModel
from verify.stance.stacked import StackedStanceModel
from verify.stance.training.cache import cache_dir
from verify.stance.training.public_draw import draw_public
from verify.stance.training.public_features import PublicFeatures
from verify.stance.training.seeds import print_seeds, seed_gold_check
from verify.stance.training.weighting import EXTRA_WEIGHT


def train_stacked(
    out: Path | None,
    extra: Sequence[tuple[str, ...]] = (),
    n_public: int = 3000,
    n_dev: int = 800,
    seed: int = 0,
    cross: CrossEncoderStanceModel | None = None,
) -> StackedStanceModel:
    """Fit on ``n_public`` public fit pairs (drawn ∝ the sklearn head's weights) + ``extra``
    analyst pairs (weight ``EXTRA_WEIGHT``); temperature on ``n_dev`` dev pairs.

    ``extra`` rows are (a, b, label) or (a, b, label, camp relation); public pairs have no camps.
    """
    cross = cross or CrossEncoderStanceModel.load()
    draw = draw_public(seed, n_public, n_dev)
    model = StackedStanceModel(cross, draw.encoder)

    def feats(idx: np.ndarray) -> np.ndarray:
        X = draw.inputs(idx)
        return model.features(X, cached_cross(cross, X.text_a, X.text_b))

    F, y = feats(draw.fit), list(draw.labels[draw.fit])
    if extra:
        Xe = model.inputs([e[0] for e in extra], [e[1] for e in extra])
        camps = [e[3] if len(e) > 3 else UNKNOWN for e in extra]
        F = np.vstack([F, model.features(Xe, camps=camps)])
        y += [e[2] for e in extra]
    sw = np.r_[np.ones(len(draw.fit)), np.full(len(extra), EXTRA_WEIGHT)]
    model.fit_features(F, y, sw).calibrate_features(feats(draw.dev), list(draw.labels[draw.dev]))
    if out is not None:
        model.save(out)
    return model


def fit_head(
    head: StackedStanceModel,
    public: PublicFeatures,
    F_extra: np.ndarray | None,
    y_extra: Sequence[str],
) -> StackedStanceModel:
    """Fit ``head`` on precomputed public features (``public_features``) plus the analysts' rows
    (weight ``EXTRA_WEIGHT``), temperature on the public dev rows: seconds."""
    F, y = public.F_fit, list(public.y_fit)
    if F_extra is not None and len(F_extra):
        F = np.vstack([F, F_extra])
        y += list(y_extra)
    sw = np.r_[np.ones(len(public.F_fit)), np.full(len(y) - len(public.F_fit), EXTRA_WEIGHT)]
    return head.fit_features(F, y, sw).calibrate_features(public.F_dev, list(public.y_dev))


def cached_cross(cross: CrossEncoderStanceModel, a: Sequence[str], b: Sequence[str]) -> np.ndarray:
    """Cross-encoder probabilities of public pairs, cached on disk per model version."""
    key = hashlib.sha256(json.dumps([cross.version, list(a), list(b)]).encode()).hexdigest()[:16]
    path = cache_dir() / f"crossproba-{key}.npy"
    if path.exists():
        return np.load(path, allow_pickle=False)
    p = cross.predict_proba(a, b)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, p)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m verify.stance.training.train_stacked",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--out", required=True)
    p.add_argument("--n-public", type=int, default=3000)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    from verify.offline import go_offline

    go_offline()
    model = train_stacked(Path(args.out), n_public=args.n_public, seed=args.seed)
    print(model.version)
    print_seeds(seed_gold_check(model))
    return 0


if __name__ == "__main__":
    sys.exit(main())
