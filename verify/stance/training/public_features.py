"""The public half of the stacked head's training data, computed once per cross-encoder version.

A retrain from tags needs the head's features of a few thousand public pairs (lexical and cosine
cues plus the cross-encoder's log-probabilities). Computing them cold means embedding FNC-1 bodies
and running the cross-encoder: minutes. They depend only on the cross-encoder, so they are built
once and shipped beside it (``models/<cross>/public_features.npz``, keyed by its version), or
cached under the cache root when the shipped file does not match.

    python -m verify.stance.training.public_features --model models/stance-cross
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from verify.atomic import atomic_open
from verify.models_dir import cache_root

if TYPE_CHECKING:  # torch is heavy: imported when a model is loaded, not for the features file
    from verify.stance.cross_encoder import CrossEncoderStanceModel

FILE = "public_features.npz"
N_PUBLIC, N_DEV = 3000, 800


@dataclass(frozen=True)
class PublicFeatures:
    """The stacked head's features and labels of the drawn public fit and dev pairs."""

    cross_version: str
    F_fit: np.ndarray
    y_fit: np.ndarray
    F_dev: np.ndarray
    y_dev: np.ndarray

    def save(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_open(path, "wb") as f:
            np.savez_compressed(
                f,
                cross_version=np.array(self.cross_version),
                F_fit=self.F_fit,
                y_fit=self.y_fit,
                F_dev=self.F_dev,
                y_dev=self.y_dev,
            )
        return path

    @classmethod
    def load(cls, path: Path) -> PublicFeatures:
        with np.load(path, allow_pickle=False) as z:
            return cls(str(z["cross_version"]), z["F_fit"], z["y_fit"], z["F_dev"], z["y_dev"])


def cached_path(cross_version: str) -> Path:
    """Where features built for ``cross_version`` are cached when the shipped file differs."""
    return cache_root() / f"public-features-{cross_version}.npz"


def find(cross_version: str, model_dir: Path | None) -> PublicFeatures | None:
    """The shipped or cached features for this cross-encoder version, if any."""
    for path in ([model_dir / FILE] if model_dir else []) + [cached_path(cross_version)]:
        if path.exists():
            feats = PublicFeatures.load(path)
            if feats.cross_version == cross_version:
                return feats
    return None


def build(
    cross: CrossEncoderStanceModel,
    log: Callable[[str], object] = lambda _m: None,
    seed: int = 0,
    n_public: int = N_PUBLIC,
    n_dev: int = N_DEV,
) -> PublicFeatures:
    """Draw ``n_public`` fit pairs (∝ the sklearn head's weights) and ``n_dev`` dev pairs of the
    public mix and compute the stacked head's features for them (the slow, cold path)."""
    from verify.stance.stacked import StackedStanceModel
    from verify.stance.training.public_draw import draw_public

    t0 = time.perf_counter()
    draw = draw_public(seed, n_public, n_dev, log)
    head = StackedStanceModel(cross, draw.encoder)

    def feats(idx: np.ndarray, what: str) -> np.ndarray:
        X = draw.inputs(idx)
        log(f"public features: cross-encoder on {len(idx)} {what} pairs")
        return head.features(X, cross.predict_proba(X.text_a, X.text_b))

    out = PublicFeatures(
        cross.version,
        feats(draw.fit, "fit"),
        draw.labels[draw.fit],
        feats(draw.dev, "dev"),
        draw.labels[draw.dev],
    )
    log(f"public features built in {time.perf_counter() - t0:.0f}s")
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m verify.stance.training.public_features",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--model", type=Path, required=True, help="the cross-encoder's model folder")
    args = p.parse_args(argv)
    from verify.offline import go_offline
    from verify.stance.cross_encoder import CrossEncoderStanceModel

    go_offline()
    cross = CrossEncoderStanceModel.load(args.model)  # the mode its stance.json chose
    path = build(cross, lambda m: print(m, file=sys.stderr)).save(args.model / FILE)
    print(f"wrote {path} for {cross.version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
