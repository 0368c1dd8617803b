"""Fit the multilingual stance reader (``reader.MultilingualReader``) on ``data.corpus``: a
logistic regression over USE-m pair features, C chosen on dev, then temperature and class biases
on dev (the English model's rule, ``verify.stance.decision``; the biases kept only where their
cross-validated gain stands out). Test is read once, for the card.

    python -m verify.multilingual.train_reader [--data ../shared/data/nli2] [--out models/multilingual]
"""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import numpy as np

from verify.labels import LABEL_INDEX, STANCE_LABELS

XNLI_WEIGHT = 2.0


def features(pairs, encoder):
    from verify.multilingual.cache import cached_encode

    u = cached_encode(encoder, [p.a for p in pairs])
    v = cached_encode(encoder, [p.b for p in pairs])
    return u, v, np.array([LABEL_INDEX[p.label] for p in pairs])


def accuracy_by_langs(probs: np.ndarray, y: np.ndarray, pairs) -> dict[str, float]:
    """3-class accuracy (contradiction / agreement / neutral: argmax of those three) on the
    XNLI rows of each language pairing, and on the MultiNLI rows."""
    out = {}
    for name, keep in (
        ("xnli ru-ru", lambda p: p.source == "xnli" and p.langs == "ru-ru"),
        ("xnli en-en", lambda p: p.source == "xnli" and p.langs == "en-en"),
        ("xnli ru-en", lambda p: p.source == "xnli" and p.langs == "ru-en"),
        ("xnli en-ru", lambda p: p.source == "xnli" and p.langs == "en-ru"),
        ("mnli en-en", lambda p: p.source == "mnli"),
    ):
        idx = [i for i, p in enumerate(pairs) if keep(p)]
        if idx:
            out[name] = round(float(np.mean(probs[idx][:, :3].argmax(1) == y[idx])), 4)
    return out


def main(argv: list[str] | None = None) -> int:
    from sklearn.linear_model import LogisticRegression

    from verify.atomic import write_bytes, write_text
    from verify.multilingual.data import corpus
    from verify.multilingual.encoder import MultilingualEncoder
    from verify.multilingual.reader import MultilingualReader, pair_features
    from verify.stance.calibration import fit_temperature, softmax
    from verify.stance.decision import cross_validated_gain, fit_class_bias

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data/nli2"))
    ap.add_argument("--out", type=Path, default=Path("models/multilingual"))
    args = ap.parse_args(argv)
    enc = MultilingualEncoder()
    splits = corpus(args.data)
    (u, v, y), (ud, vd, yd), (ut, vt, yt) = (
        features(splits[s], enc) for s in ("train", "dev", "test")
    )
    # One order, as the reader reads a pair (the English model reads each pair once too).
    x, yy = pair_features(u, v), y
    # XNLI, the Russian the reader is for, weighs XNLI_WEIGHT times a MultiNLI or TERRa row.
    w = np.array([XNLI_WEIGHT if p.source == "xnli" else 1.0 for p in splits["train"]])
    best = None
    for c in (0.05, 0.1, 0.2):
        head = LogisticRegression(C=c, max_iter=3000).fit(x, yy, sample_weight=w)
        dev = head.predict_proba(pair_features(ud, vd))
        score = float(np.mean(dev.argmax(1) == yd))
        print(f"C={c}: dev accuracy {score:.4f}", flush=True)
        if best is None or score > best[0]:
            best = (score, c, head)
    assert best is not None
    _score, c, head = best
    logits = pair_features(ud, vd) @ head.coef_.T + head.intercept_
    t = fit_temperature(logits, yd)
    logp = np.log(softmax(logits / t) + 1e-12)
    gain, se = cross_validated_gain(logp, yd)
    bias = fit_class_bias(logp, yd) if gain > se else np.zeros(len(STANCE_LABELS))
    buf = io.BytesIO()
    np.savez(
        buf,
        coef=head.coef_.astype(np.float32),
        intercept=head.intercept_.astype(np.float32),
        temperature=np.float32(t),
        bias=bias.astype(np.float32),
    )
    args.out.mkdir(parents=True, exist_ok=True)
    write_bytes(args.out / "reader.npz", buf.getvalue())
    reader = MultilingualReader(args.out / "reader.npz", encoder=enc)
    test = reader.probs_from_vectors(ut, vt)
    dev = reader.probs_from_vectors(ud, vd)
    facts = {
        "C": c,
        "temperature": round(t, 3),
        "bias": [round(float(b), 2) for b in bias],
        "bias_cv_gain": [round(gain, 4), round(se, 4)],
        "pairs": {s: len(p) for s, p in splits.items()},
        "dev": accuracy_by_langs(dev, yd, splits["dev"]),
        "test": accuracy_by_langs(test, yt, splits["test"]),
        "test_4class_accuracy": round(float(np.mean(test.argmax(1) == yt)), 4),
        "version": reader.version,
    }
    write_text(args.out / "reader_metrics.json", json.dumps(facts, indent=1) + "\n")
    print(json.dumps(facts, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
