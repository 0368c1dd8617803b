"""Train the linear stance head (stance-sklearn) on the public data (+ analysts' tagged pairs).

    python -m verify.stance.training.train_sklearn --out models/stance-sklearn

Public pairs come embedded through ``cache`` (a retrain with new analyst tags only embeds the new
pairs); weights from ``weighting``; the card from ``card_sklearn``.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from verify.atomic import write_text
from verify.labels import STANCE_LABELS, check_label
from verify.stance.features import Encoder
from verify.stance.sklearn_model import SklearnStanceModel
from verify.stance.training import data
from verify.stance.training.cache import default_encoder, load_parts, select_inputs, stack_parts
from verify.stance.training.card_sklearn import write_model_card
from verify.stance.training.data import MemoEncoder, Record
from verify.stance.training.metrics import classification_metrics, fnc_score
from verify.stance.training.mix import DEFAULT_MIX
from verify.stance.training.seeds import print_seeds, seed_gold_check
from verify.stance.training.weighting import fit_weights


def train_stance(
    out_dir: str | Path | None,
    data_dir: str | Path | None = None,
    extra: Sequence[tuple[str, str, str]] = (),
    seed: int = 0,
    max_per_dataset: int | None = None,
    encoder: Encoder | None = None,
    mix: dict[str, dict] | None = None,
    C: float = 0.5,
    use_cache: bool = True,
    seed_check: bool = True,
    log: Callable[[str], object] | None = None,
) -> dict:
    """Train, calibrate on a dev split, score the held-out split, save to ``out_dir``.

    ``extra``: analyst-tagged (a, b, label) pairs, always in the fit split, each weighted
    ``EXTRA_WEIGHT``. Splits are by group (body / claim / shared-sentence component), seeded.
    Returns the metrics dict (also written to ``out_dir/metrics.json`` with the model card).
    """
    t0 = time.perf_counter()
    log = log or logging.getLogger(__name__).info
    mix = mix or DEFAULT_MIX
    memo = MemoEncoder(encoder or default_encoder())
    data_dir = Path(data_dir) if data_dir else None
    parts = load_parts(mix, memo, data_dir, max_per_dataset, seed, use_cache, log)
    extra_recs = [Record(a, b, check_label(y), f"extra:{i}") for i, (a, b, y) in enumerate(extra)]
    if extra_recs:
        ea = memo.encode([r.a for r in extra_recs])
        parts.append(("extra", extra_recs, ea, memo.encode([r.b for r in extra_recs])))
    names = np.array([n for n, recs, _, _ in parts for _ in recs])
    recs, ea, eb = stack_parts((r, a, b) for _, r, a, b in parts)
    roles = np.array([data.split_role(r.group, seed) for r in recs])
    roles[names == "extra"] = "fit"
    labels = np.array([r.label for r in recs])
    t_embed = time.perf_counter() - t0

    fit, dev = roles == "fit", roles == "dev"
    weights = fit_weights(labels[fit], names[fit], mix)
    model = SklearnStanceModel(encoder=memo.inner, C=C)
    model.fit_inputs(select_inputs(recs, ea, eb, fit), labels[fit], sample_weight=weights)
    if dev.any():
        model.calibrate_inputs(select_inputs(recs, ea, eb, dev), labels[dev])
    metrics = evaluate(model, recs, ea, eb, roles, names, labels)
    metrics.update(
        version=model.version,
        seed=seed,
        n_fit=int(fit.sum()),
        n_dev=int(dev.sum()),
        n_extra=len(extra_recs),
        temperature=model.temperature_,
        mix=mix,
        max_per_dataset=max_per_dataset,
        seconds_embed=round(t_embed, 1),
        seconds_total=round(time.perf_counter() - t0, 1),
    )
    if seed_check:
        metrics["seeds"] = seed_gold_check(model)
    if out_dir is not None:
        write(model, metrics, Path(out_dir))
    log(f"trained {model.version} in {metrics['seconds_total']}s")
    return metrics


def evaluate(
    model: SklearnStanceModel,
    recs: list[Record],
    ea: np.ndarray,
    eb: np.ndarray,
    roles: np.ndarray,
    names: np.ndarray,
    labels: np.ndarray,
) -> dict:
    """Held-out ('test' role) metrics overall and per dataset."""
    test = roles == "test"
    out: dict = {"heldout": {}}
    if not test.any():
        return out
    proba = model.predict_proba_inputs(select_inputs(recs, ea, eb, test))
    out["heldout"]["all"] = classification_metrics(proba, labels[test])
    for d in sorted(set(names[test])):
        m = names[test] == d
        out["heldout"][d] = classification_metrics(proba[m], labels[test][m])
        if d in ("fnc1", "arc"):
            y = np.array([STANCE_LABELS.index(lab) for lab in labels[test][m]])
            out["heldout"][d]["fnc_score"] = fnc_score(y, proba[m].argmax(axis=1))
    return out


def write(model: SklearnStanceModel, metrics: dict, out: Path) -> None:
    """The model, its metrics.json and its MODEL_CARD.md into ``out``."""
    model.save(out)
    write_text(out / "metrics.json", json.dumps(metrics, indent=2) + "\n")
    write_model_card(out, metrics)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m verify.stance.training.train_sklearn", description=__doc__
    )
    p.add_argument("--out", default=None, help="model directory (default: the shipped one)")
    p.add_argument("--data", default=None, help="public data dir (default: shared/data)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--max-per-dataset", type=int, default=None)
    p.add_argument("--no-cache", action="store_true")
    p.add_argument("--check", metavar="MODEL_DIR", help="only score a saved model on the seeds")
    args = p.parse_args(argv)
    from verify.offline import go_offline
    from verify.settings import Settings
    from verify.stance.sklearn_model import default_model_dir

    go_offline()
    settings = Settings.from_env()
    if args.check:
        print_seeds(seed_gold_check(SklearnStanceModel.load(args.check)))
        return 0
    out = Path(args.out) if args.out else default_model_dir(settings)
    metrics = train_stance(
        out,
        args.data or settings.data_dir,
        seed=args.seed,
        max_per_dataset=args.max_per_dataset,
        use_cache=not args.no_cache,
        log=print,
    )
    print(json.dumps({k: metrics[k] for k in ("version", "seconds_total")}, indent=2))
    for d, m in metrics["heldout"].items():
        print(f"{d:14s} n={m['n']:6d} macroF1={m['macro_f1']:.3f} ece={m['ece']:.3f}")
    if "seeds" in metrics:
        print_seeds(metrics["seeds"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
