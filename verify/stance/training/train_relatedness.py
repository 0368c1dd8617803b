"""Fit the relatedness stage (``stance.relatedness``) and ship it beside the cross-encoder.

    HF_HUB_OFFLINE=1 python -m verify.stance.training.train_relatedness [--model models/stance-cross]

Reads the public pairs and mined hard negatives (``relatedness_data``), the cross-encoder's
reading of each (in the engine's reading mode) and the bi-encoder cosine, all cached per text
under the cache root so a rerun is seconds. Fits on the fit split, chooses the regularisation on
dev (log-loss), reports dev and the held-out test split per set, and writes
``<model>/relatedness.json`` plus ``<model>/relatedness_metrics.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from verify.atomic import atomic_open, write_text
from verify.labels import AGREEMENT, CONTRADICTION, LABEL_INDEX
from verify.models_dir import cache_root
from verify.offline import go_offline
from verify.stance.relatedness import (
    CHEAP,
    FACT,
    FEATURES,
    RELATED_LABELS,
    STORY,
    Logistic,
    Polarity,
    Relatedness,
    cosines,
    pair_features,
)
from verify.stance.training.card_relatedness import write as write_card
from verify.stance.training.data import split_role
from verify.stance.training.relatedness_data import SHARES, collect
from verify.stance.training.tag_fit import Anchor

Cs = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
#: Recall of related pairs (contradiction and agreement) the cheap screen must keep on dev.
SCREEN_RECALL = 0.97


class DiskMemo:
    """text(s) -> vector, kept in one .npz per kind under the cache root."""

    def __init__(self, path: Path, compute: Callable[[list], np.ndarray]) -> None:
        self.path, self.compute = path, compute
        self.memo: dict[str, np.ndarray] = {}
        if path.exists():
            with np.load(path, allow_pickle=False) as z:
                self.memo = dict(zip(z["keys"].tolist(), z["values"], strict=True))

    @staticmethod
    def key(item) -> str:
        return hashlib.sha1(json.dumps(item).encode()).hexdigest()

    def get(self, items: Sequence) -> np.ndarray:
        keys = [self.key(x) for x in items]
        todo = list({k: x for k, x in zip(keys, items, strict=True) if k not in self.memo}.items())
        if todo:
            vals = self.compute([x for _, x in todo])
            self.memo.update(zip([k for k, _ in todo], vals, strict=True))
            self.save()
        return np.stack([self.memo[k] for k in keys])

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_open(self.path, "wb") as f:
            np.savez(f, keys=np.array(list(self.memo)), values=np.stack(list(self.memo.values())))


def sample_weight(names: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Each set its ``SHARES`` part of the weight; within a set, related and not-related halves
    partly rebalanced (square root), as the stance mixes do."""
    w = np.zeros(len(names))
    for n in np.unique(names):
        m = names == n
        for cls in (0, 1):
            mc = m & (y == cls)
            if mc.any():
                w[mc] = (mc.sum() / m.sum()) ** 0.5 / mc.sum()
        w[m] *= SHARES.get(str(n), 0.05) / w[m].sum()
    return w * len(w) / w.sum()


def fit_logistic(
    X: np.ndarray, y: np.ndarray, w: np.ndarray, C: float, features: tuple[str, ...]
) -> Logistic:
    from sklearn.linear_model import LogisticRegression

    mean, scale = X.mean(0), X.std(0) + 1e-6
    lr = LogisticRegression(C=C, max_iter=2000).fit((X - mean) / scale, y, sample_weight=w)
    return Logistic(features, mean, scale, lr.coef_[0], float(lr.intercept_[0]))


def log_loss(p: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    p = np.clip(p, 1e-7, 1 - 1e-7)
    return float(-(w * (y * np.log(p) + (1 - y) * np.log(1 - p))).sum() / w.sum())


def choose(
    X: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    fit: np.ndarray,
    dev: np.ndarray,
    features: tuple[str, ...],
) -> tuple[Logistic, float]:
    best = None
    for C in Cs:
        m = fit_logistic(X[fit], y[fit], w[fit], C, features)
        loss = log_loss(m.predict(X[dev]), y[dev], w[dev])
        if best is None or loss < best[1]:
            best = (m, loss, C)
    assert best is not None
    return best[0], best[2]


def fit_polarity(cross: np.ndarray, labels: np.ndarray, w: np.ndarray) -> Polarity:
    """P(contradiction | related) from log(c / a), fitted on related pairs only."""
    from sklearn.linear_model import LogisticRegression

    rel = np.isin(labels, [CONTRADICTION, AGREEMENT])
    p = np.clip(cross[rel], 1e-6, 1)
    x = (np.log(p[:, 0]) - np.log(p[:, 1])).reshape(-1, 1)
    lr = LogisticRegression(C=10.0).fit(x, labels[rel] == CONTRADICTION, sample_weight=w[rel])
    return Polarity(float(lr.coef_[0][0]), float(lr.intercept_[0]))


def report(
    labels: np.ndarray,
    names: np.ndarray,
    before: np.ndarray,
    after: np.ndarray,
    related: np.ndarray,
    rows: np.ndarray,
    scope: str = FACT,
) -> dict:
    """Per set and in all: relatedness AUC, F1 of contradiction and macro-F1 (argmax), cross-
    encoder alone vs gated, and the share of unrelated pairs read as contradiction."""
    from sklearn.metrics import f1_score, roc_auc_score

    out = {}
    for n in ["all", *sorted(set(names[rows].tolist()))]:
        m = rows & ((names == n) if n != "all" else True)
        y = labels[m]
        yr = np.isin(y, RELATED_LABELS[scope])
        row: dict = {"n": int(m.sum())}
        if 0 < yr.sum() < len(yr):
            row["auc_related"] = round(float(roc_auc_score(yr, related[m])), 3)
        gold = np.array([LABEL_INDEX[x] for x in y])
        for tag, P in (("cross", before[m]), ("gated", after[m])):
            pred = P.argmax(1)
            row[f"f1_contra_{tag}"] = round(
                float(f1_score(gold == 0, pred == 0, zero_division=0)), 3
            )
            row[f"macro_f1_{tag}"] = round(
                float(
                    f1_score(
                        gold,
                        pred,
                        labels=sorted(set(gold.tolist())),
                        average="macro",
                        zero_division=0,
                    )
                ),
                3,
            )
            unrel = ~np.isin(y, [CONTRADICTION, AGREEMENT])
            if unrel.any():
                row[f"false_contra_{tag}"] = round(float((pred[unrel] == 0).mean()), 3)
        out[n] = row
    return out


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m verify.stance.training.train_relatedness",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--model",
        type=Path,
        default=Path("models/stance-cross"),
        help="cross-encoder directory: read with it, and the result written into it",
    )
    p.add_argument("--data", type=Path, default=None, help="shared/data folder")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=2, help="torch threads for the cross-encoder")
    p.add_argument("--dry-run", action="store_true", help="fit and report, write nothing")
    p.add_argument(
        "--scope",
        choices=(FACT, STORY),
        default=FACT,
        help="related means the same fact (contradiction, agreement) or the same "
        "story (also neutral: FNC-1's relatedness)",
    )
    args = p.parse_args(argv)
    go_offline()
    t0 = time.perf_counter()
    from verify.stages.embed import Embedder
    from verify.stance.cross_encoder import CrossEncoderStanceModel

    cross = CrossEncoderStanceModel.load(args.model, threads=args.threads)
    cache = cache_root() / "relatedness"
    emb = DiskMemo(cache / "minilm.npz", lambda texts: np.asarray(Embedder().encode(texts)))
    reads = DiskMemo(
        cache / f"{cross.version}.npz",
        lambda ab: cross.predict_proba([x for x, _ in ab], [y for _, y in ab]),
    )
    recs, names = collect(emb.get, args.data, args.seed)
    print(f"{len(recs)} pairs; embedding and reading them ({time.perf_counter() - t0:.0f}s)")
    cos = cosines(emb.get([r.a for r in recs]), emb.get([r.b for r in recs]))
    probs = reads.get([[r.a, r.b] for r in recs])
    labels = np.array([r.label for r in recs])
    X = pair_features(cos, [r.a for r in recs], [r.b for r in recs], probs)
    y = np.isin(labels, RELATED_LABELS[args.scope]).astype(int)
    w = sample_weight(names, y)
    roles = np.array([split_role(r.group, args.seed) for r in recs])
    fit, dev, test = (roles == "fit"), (roles == "dev"), (roles == "test")
    full, c_full = choose(X, y, w, fit, dev, FEATURES)
    screen, c_screen = choose(X[:, : len(CHEAP)], y, w, fit, dev, CHEAP)
    polarity = fit_polarity(probs[fit], labels[fit], w[fit])
    # The screen's threshold: the highest that keeps SCREEN_RECALL of dev's related pairs.
    s_dev = screen.predict(X[dev][:, : len(CHEAP)])
    threshold = float(np.quantile(s_dev[y[dev] == 1], 1 - SCREEN_RECALL))
    model = Relatedness(full, screen, polarity, round(threshold, 4), args.scope)
    related = model.related(X)
    gated = model.combine(probs, related)
    metrics: dict[str, Any] = {
        "command": "python -m verify.stance.training.train_relatedness "
        + " ".join(argv if argv is not None else sys.argv[1:]),
        "cross_version": cross.version,
        "version": model.version,
        "scope": args.scope,
        "n": {r: int(m.sum()) for r, m in (("fit", fit), ("dev", dev), ("test", test))},
        "sets": {str(n): int((names == n).sum()) for n in np.unique(names)},
        "C": {"full": c_full, "screen": c_screen},
        "polarity": {"slope": polarity.slope, "offset": polarity.offset},
        "screen_threshold": model.screen_threshold,
        "screen_pass_dev": round(float((s_dev >= threshold).mean()), 3),
        "coef": dict(zip(FEATURES, [round(float(c), 3) for c in full.coef], strict=True)),
        "dev": report(labels, names, probs, gated, related, dev, args.scope),
        "test": report(labels, names, probs, gated, related, test, args.scope),
        "seconds": round(time.perf_counter() - t0, 1),
    }
    for split in ("dev", "test"):
        for n, row in metrics[split].items():
            print(split, f"{n:16s}", json.dumps(row))
    print(
        json.dumps(
            {
                k: metrics[k]
                for k in ("C", "polarity", "screen_threshold", "screen_pass_dev", "coef")
            }
        )
    )
    if not args.dry_run:
        keep = fit | dev  # the anchor a retrain from tags refits with (``tag_fit``); test stays out
        Anchor(
            X[keep].astype(np.float32),
            probs[keep].astype(np.float32),
            np.array([LABEL_INDEX[x] for x in labels[keep]], dtype=np.int8),
            w[keep].astype(np.float32),
            dev[keep],
            c_full,
        ).save(args.model)
        model.save(
            args.model, extra={"cross_version": cross.version, "cross_symmetric": cross.symmetric}
        )
        write_text(args.model / "relatedness_metrics.json", json.dumps(metrics, indent=2) + "\n")
        card = write_card(args.model, metrics)
        print(f"wrote {args.model / 'relatedness.json'} ({model.version}) and {card}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
