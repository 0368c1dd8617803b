"""Training the check-worthiness model: the public data (ClaimBuster, CLEF 2020 CheckThat! task
1), the fixed held-out split, the metrics, the fit, and its command line:

    python -m verify.checkworthy.training --out models/checkworthy
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import logging
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from verify.checkworthy.model import CheckWorthiness, default_model_dir
from verify.settings import Settings, resolve

SPLIT_SEED = "checkworthy-split-v1"
HELDOUT_FIFTHS = 1  # 20% of ClaimBuster sentences are held out (by sentence id)
C_GRID = (0.1, 0.3, 1.0, 3.0, 10.0)

logger = logging.getLogger(__name__)


def default_data_dir(settings: Settings | None = None) -> Path:
    """``$COUNTERCLAIM_DATA/claimbuster``, else the shared data folder beside the repo."""
    return resolve(settings).data_dir / "claimbuster"


# ---------------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Example:
    text: str
    label: int  # 1 = check-worthy
    source: str  # "claimbuster" | "clef20-train" | "clef20-dev"
    key: str  # stable id, for the split


def load_claimbuster(path: Path) -> list[Example]:
    """ClaimBuster JSON: a list of ``{"sentence_id", "label", "text"}``."""
    rows = json.loads(Path(path).read_text(encoding="utf-8"))
    if isinstance(rows, dict):  # tolerate {"data": [...]}
        rows = rows.get("data", [])
    return [
        Example(str(r["text"]), int(r["label"]), "claimbuster", str(r.get("sentence_id", i)))
        for i, r in enumerate(rows)
    ]


def load_clef(path: Path, source: str) -> list[Example]:
    """CLEF 2020 task 1 TSV: ``tweet_text`` and ``check_worthiness`` columns."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [
        Example(r["tweet_text"], int(r["check_worthiness"]), source, r["tweet_id"]) for r in rows
    ]


def heldout_claimbuster(key: str) -> bool:
    """A fixed 20% of ClaimBuster sentence ids (hash with a fixed seed, not a shuffle)."""
    h = int(hashlib.sha256(f"{SPLIT_SEED}:{key}".encode()).hexdigest(), 16)
    return h % 5 < HELDOUT_FIFTHS


def split(examples: Sequence[Example]) -> tuple[list[Example], list[Example]]:
    """(train, held-out). Held out: 20% of ClaimBuster and all of CLEF's dev file. A training
    text that also occurs in the held-out half is dropped from training."""
    held = [
        e
        for e in examples
        if e.source == "clef20-dev" or e.source == "claimbuster" and heldout_claimbuster(e.key)
    ]
    held_set, held_texts = set(held), {_norm(e.text) for e in held}
    train = [e for e in examples if e not in held_set and _norm(e.text) not in held_texts]
    return train, held


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def load_all(data: Path) -> list[Example]:
    data = Path(data)
    return (
        load_claimbuster(data / "train.json")
        + load_clef(data / "clef20" / "training_v2.tsv", "clef20-train")
        + load_clef(data / "clef20" / "dev_v2.tsv", "clef20-dev")
    )


# ---------------------------------------------------------------------------------- training


def metrics(labels: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    """Accuracy, and precision / recall / F1 of the positive (check-worthy) class."""
    labels, predicted = np.asarray(labels).astype(bool), np.asarray(predicted).astype(bool)
    tp = float(np.sum(labels & predicted))
    p = tp / predicted.sum() if predicted.sum() else 0.0
    r = tp / labels.sum() if labels.sum() else 0.0
    return {
        "n": int(len(labels)),
        "accuracy": round(float(np.mean(labels == predicted)) if len(labels) else 0.0, 4),
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4),
    }


def _best_threshold(labels: np.ndarray, probs: np.ndarray) -> float:
    grid = np.round(np.arange(0.2, 0.81, 0.02), 2)
    f1 = [metrics(labels, probs >= t)["f1"] for t in grid]
    return float(grid[int(np.argmax(f1))])


def _cv_probs(x: np.ndarray, y: np.ndarray, c: float, folds: int = 5) -> np.ndarray:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    out = np.zeros(len(y))
    for tr, te in StratifiedKFold(folds, shuffle=True, random_state=0).split(x, y):
        lr = LogisticRegression(C=c, max_iter=2000).fit(x[tr], y[tr])
        out[te] = lr.predict_proba(x[te])[:, 1]
    return out


def train(out: Path, data: Path | None = None, log: Callable[[str], object] | None = None) -> dict:
    """Fit on the training half, pick C and the threshold by 5-fold CV there, report the
    held-out half once, and save to ``out``."""
    from sklearn.linear_model import LogisticRegression

    from verify.stages.embed import MODEL_NAME, Embedder

    log = log or logger.info
    data = Path(data) if data else default_data_dir()
    train_set, held = split(load_all(data))
    log(f"train {len(train_set)}  held-out {len(held)}  (from {data})")
    t = time.perf_counter()
    enc = Embedder()
    x_train = enc.encode([e.text for e in train_set]).astype(np.float64)
    x_held = enc.encode([e.text for e in held]).astype(np.float64)
    log(f"embedded in {time.perf_counter() - t:.0f}s")
    y_train = np.array([e.label for e in train_set])
    y_held = np.array([e.label for e in held])

    cv = {}
    for c in C_GRID:
        probs = _cv_probs(x_train, y_train, c)
        thr = _best_threshold(y_train, probs)
        cv[c] = (metrics(y_train, probs >= thr)["f1"], thr)
        log(f"C={c:<5} CV F1 {cv[c][0]:.4f} at threshold {thr:.2f}")
    best_c = max(cv, key=lambda c: cv[c][0])
    threshold = cv[best_c][1]
    lr = LogisticRegression(C=best_c, max_iter=2000).fit(x_train, y_train)

    model = CheckWorthiness(lr.coef_[0], lr.intercept_[0], threshold)
    probs = model.score_vectors(x_held)
    sources = np.array([e.source for e in held])
    report = {
        "heldout": metrics(y_held, probs >= threshold),
        "heldout_claimbuster": metrics(
            y_held[sources == "claimbuster"], probs[sources == "claimbuster"] >= threshold
        ),
        "heldout_clef20_dev": metrics(
            y_held[sources == "clef20-dev"], probs[sources == "clef20-dev"] >= threshold
        ),
        "cv_f1": cv[best_c][0],
    }
    model.meta = {
        "version": f"checkworthy-lr-{hashlib.sha256(model.coef.tobytes()).hexdigest()[:12]}",
        "embedder": MODEL_NAME,
        "dim": int(model.coef.shape[0]),
        "C": best_c,
        "n_train": len(train_set),
        "n_train_positive": int(y_train.sum()),
        "split": f"{SPLIT_SEED}: ClaimBuster sentence_id hash % 5 == 0 and CLEF 2020 dev_v2 held out",
        "data": [
            "ClaimBuster train.json (utaresearch/claimbuster-spotter @332bba08), GPL-3.0",
            "CLEF 2020 CheckThat! task 1 training_v2.tsv + dev_v2.tsv (same repository), GPL-3.0",
        ],
        "metrics": report,
    }
    model.save(Path(out))
    log(json.dumps(report, indent=2))
    return report


def main(argv: list[str] | None = None) -> int:
    from verify.checkworthy.offline import go_offline

    go_offline()
    settings = Settings.from_env()
    p = argparse.ArgumentParser(prog="python -m verify.checkworthy.training", description=__doc__)
    p.add_argument("--out", default=str(default_model_dir(settings)), help="model folder to write")
    p.add_argument("--data", help="folder with train.json and clef20/ (default: shared data)")
    args = p.parse_args(argv)
    train(
        Path(args.out),
        Path(args.data) if args.data else default_data_dir(settings),
        log=lambda m: print(m, file=sys.stderr),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
