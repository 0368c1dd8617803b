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

import numpy as np

from verify.models_dir import cache_root

FILE = "public_features.npz"
N_PUBLIC, N_DEV = 3000, 800


@dataclass(frozen=True)
class PublicFeatures:
    cross_version: str
    F_fit: np.ndarray  # noqa: N815 - a feature matrix
    y_fit: np.ndarray
    F_dev: np.ndarray  # noqa: N815
    y_dev: np.ndarray

    def save(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npz")
        np.savez_compressed(tmp, cross_version=np.array(self.cross_version), F_fit=self.F_fit,
                            y_fit=self.y_fit, F_dev=self.F_dev, y_dev=self.y_dev)  # fmt: skip
        tmp.replace(path)
        return path

    @classmethod
    def load(cls, path: Path) -> PublicFeatures:
        with np.load(path, allow_pickle=False) as z:
            return cls(str(z["cross_version"]), z["F_fit"], z["y_fit"], z["F_dev"], z["y_dev"])


def cached_path(cross_version: str) -> Path:
    return cache_root() / f"public-features-{cross_version}.npz"


def find(cross_version: str, model_dir: Path | None) -> PublicFeatures | None:
    """The shipped or cached features for this cross-encoder version, if any."""
    for path in ([model_dir / FILE] if model_dir else []) + [cached_path(cross_version)]:
        if path.exists():
            feats = PublicFeatures.load(path)
            if feats.cross_version == cross_version:
                return feats
    return None


def build(cross, log: Callable[[str], None] = lambda _m: None, seed: int = 0,  # noqa: ANN001
          n_public: int = N_PUBLIC, n_dev: int = N_DEV) -> PublicFeatures:  # fmt: skip
    """Draw ``n_public`` fit pairs (∝ the sklearn head's weights) and ``n_dev`` dev pairs of the
    public mix and compute the stacked head's features for them (the slow, cold path)."""
    from .. import data, train
    from ..stacked import StackedStanceModel

    t0 = time.perf_counter()
    memo = data.MemoEncoder(train._default_encoder())
    parts = train._load_parts(train.DEFAULT_MIX, memo, None, None, seed, True, log)
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
    head = StackedStanceModel(cross, memo.inner)

    def feats(idx: np.ndarray, what: str) -> np.ndarray:
        X = train._inputs(recs, ea, eb, np.isin(np.arange(len(recs)), idx))  # noqa: N806
        log(f"public features: cross-encoder on {len(idx)} {what} pairs")
        return head.features(X, cross.predict_proba(X.text_a, X.text_b))

    out = PublicFeatures(cross.version, feats(fit, "fit"), labels[fit], feats(dev, "dev"), labels[dev])
    log(f"public features built in {time.perf_counter() - t0:.0f}s")
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m verify.stance.training.public_features",
                                description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    p.add_argument("--model", type=Path, required=True, help="the cross-encoder's model folder")
    args = p.parse_args(argv)
    from ..cross_encoder import CrossEncoderStanceModel

    cross = CrossEncoderStanceModel.load(args.model)  # the mode its stance.json chose
    path = build(cross, lambda m: print(m, file=sys.stderr)).save(args.model / FILE)
    print(f"wrote {path} for {cross.version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
