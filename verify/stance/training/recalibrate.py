"""Refit a cross-encoder's decision layer on dev, without retraining it: per scoring mode, the
temperature (NLL) and then class biases (macro-F1, ``decision.fit_class_bias``); report held-out
test metrics once, and write them into ``stance.json`` / ``metrics.json``.

    HF_HUB_OFFLINE=1 python -m verify.stance.training.recalibrate [--model models/stance-cross]

Same data, splits and dev subsample as ``eval_cross.evaluate`` (the mix recorded in
``metrics.json``), so the figures compare with the model card's; the card is rewritten with a
"Decision layer" section and the seed check redone with the shipped decision. Logits are cached
per model weights, so a second run costs seconds.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from verify.atomic import write_text
from verify.labels import LABEL_INDEX
from verify.stance.calibration import fit_temperature, softmax
from verify.stance.cross_encoder import STANCE_CONFIG, CrossEncoderStanceModel
from verify.stance.decision import cross_validated_gain, fit_class_bias
from verify.stance.training.cache import cache_dir
from verify.stance.training.card_cross import NOTES, write_model_card
from verify.stance.training.cross_data import load_public
from verify.stance.training.data import Record, split_role
from verify.stance.training.eval_cross import READOUTS, cross_metrics, dev_sample
from verify.stance.training.metrics import classification_metrics
from verify.stance.training.seeds import seed_gold_check

log = logging.getLogger("counterclaim.recalibrate")
MODES = ("one-way", "symmetric")


def _logits(
    model: CrossEncoderStanceModel, recs: Sequence[Record], idx: np.ndarray, tag: str
) -> tuple[np.ndarray, np.ndarray]:
    """Raw logits of (a, b) and (b, a), cached on disk per model version and pair set."""
    key = hashlib.sha256(
        json.dumps([model.weights_version, tag, idx.tolist()]).encode()
    ).hexdigest()[:16]
    path = cache_dir() / f"crosslogits-{key}.npz"
    if path.exists():
        with np.load(path) as z:
            return z["ab"], z["ba"]
    a, b = [recs[i].a for i in idx], [recs[i].b for i in idx]
    t = time.perf_counter()
    ab, ba = model.logits_one_way(a, b), model.logits_one_way(b, a)
    log.info("%s logits: %d pairs, both orders, %.0fs", tag, len(idx), time.perf_counter() - t)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez(path, ab=ab, ba=ba)
    return ab, ba


def recalibrate(model_dir: Path, dev_max: int = 100_000) -> dict:
    metrics_path = model_dir / "metrics.json"
    metrics = json.loads(metrics_path.read_text(encoding="utf-8"))
    seed = int(metrics.get("seed", 0))
    model = CrossEncoderStanceModel.load(model_dir)
    recs, names = load_public(seed, metrics.get("mix"))
    roles = np.array([split_role(r.group, seed) for r in recs])
    labels = np.array([r.label for r in recs])
    dev = dev_sample(roles, dev_max, seed)  # the same draw as eval_cross.evaluate
    test = np.flatnonzero(roles == "test")
    y_dev = np.array([LABEL_INDEX[x] for x in labels[dev]])
    d_ab, d_ba = _logits(model, recs, dev, "dev")
    t_ab, t_ba = _logits(model, recs, test, "test")

    choice: dict = {}
    for mode in MODES:
        z = d_ab if mode == "one-way" else (d_ab + d_ba) / 2
        temp = fit_temperature(z, y_dev)
        logp = np.log(softmax(z / temp))
        gain, se = cross_validated_gain(logp, y_dev)
        bias = fit_class_bias(logp, y_dev) if gain > se else np.zeros(logp.shape[1])
        choice[mode] = {
            "bias_cv_gain": gain,
            "bias_cv_se": se,
            "temperature": temp,
            "bias": [round(float(x), 2) for x in bias],
            "dev": classification_metrics(softmax(z / temp + bias), labels[dev]),
            "dev_without_bias": classification_metrics(softmax(z / temp), labels[dev]),
        }
        log.info(
            "dev %-9s T=%.3f bias=%s (5-fold gain %+.4f ± %.4f) macro-F1 %.4f -> %.4f",
            mode,
            temp,
            choice[mode]["bias"],
            gain,
            se,
            choice[mode]["dev_without_bias"]["macro_f1"],
            choice[mode]["dev"]["macro_f1"],
        )
    best = max(MODES, key=lambda m: choice[m]["dev"]["macro_f1"])

    held: dict = {}
    for mode in MODES:
        z = t_ab if mode == "one-way" else (t_ab + t_ba) / 2
        temp, bias = choice[mode]["temperature"], np.array(choice[mode]["bias"])
        held[mode] = {}
        for name in ["all", *sorted(set(names[test]))]:
            m = np.ones(len(test), bool) if name == "all" else names[test] == name
            held[mode][name] = cross_metrics(softmax(z[m] / temp + bias), labels[test][m], name)
            held[mode][name]["without_bias"] = cross_metrics(
                softmax(z[m] / temp), labels[test][m], name
            )

    cfg_path = model_dir / STANCE_CONFIG
    cfg = json.loads(cfg_path.read_text(encoding="utf-8"))
    cfg["temperatures"] = {m: choice[m]["temperature"] for m in MODES}
    cfg["biases"] = {m: choice[m]["bias"] for m in MODES}
    cfg["symmetric"], cfg["temperature"] = best == "symmetric", choice[best]["temperature"]
    write_text(cfg_path, json.dumps(cfg, indent=2) + "\n")
    metrics["decision"] = {"chosen": best, "dev": choice, "heldout": held}
    engine = CrossEncoderStanceModel.load(model_dir)  # as the pipeline loads it: the chosen mode
    metrics |= {
        "symmetric": best,
        "temperature": choice[best]["temperature"],
        "version": engine.version,
        "seeds": seed_gold_check(engine),
        "seeds_mode": best,
        "n_dev_used": len(dev),
    }
    write_text(metrics_path, json.dumps(metrics, indent=2) + "\n")
    write_model_card(model_dir, metrics, NOTES)
    return metrics["decision"]


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m verify.stance.training.recalibrate",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--model", type=Path, default=None, help="model directory (default: shipped)")
    p.add_argument(
        "--dev-max",
        type=int,
        default=100_000,
        help="dev pairs to fit on (default: all; training calibrated on 1500)",
    )
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    from verify.offline import go_offline
    from verify.settings import Settings
    from verify.stance.cross_encoder import default_model_dir

    go_offline()
    result = recalibrate(args.model or default_model_dir(Settings.from_env()), args.dev_max)
    for mode, per in result["heldout"].items():
        for name, m in per.items():
            extra = {k: round(m[k], 3) for k in READOUTS if k in m}
            f1c = m["per_class_f1"].get("contradiction", float("nan"))
            print(
                f"{mode:9s} {name:14s} n={m['n']:5d} macro-F1 {m['without_bias']['macro_f1']:.3f}"
                f" -> {m['macro_f1']:.3f}  acc {m['accuracy']:.3f}  F1(contra) "
                f"{f1c:.3f}  ECE {m['ece']:.3f} {extra}"
            )
    print(f"chosen on dev: {result['chosen']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
