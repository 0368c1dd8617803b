"""`counterclaim eval fnc1|sick|emergent`: the stance model on the public formats, unchanged.

FNC-1 format (also ARC): agree = agreement, disagree = contradiction, discuss = neutral,
unrelated = unrelated; the official score, per-class F1, macro-F1, confusion. SICK and Emergent
have three classes: their "neutral" (SICK) and "observing" (Emergent) absorb our *unrelated*, so
the readout is 3-way as the issue defines it."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from verify.labels import LABEL_INDEX, NEUTRAL, STANCE_LABELS, UNRELATED
from verify.stance.training.data import Record, load_emergent, load_fnc_format, load_sick

DATASETS = ("fnc1", "sick", "emergent")


def read_fnc1(bodies: Path, stances: Path, limit: int | None = None, seed: int = 0) -> list[Record]:
    """Headline vs the body's sentences most relevant to it (by embedding), as in training."""
    return load_fnc_format("fnc1", stances, bodies, None, None, limit, seed)


def read_sick(path: Path, limit: int | None = None, seed: int = 0) -> list[Record]:
    return load_sick(max_rows=limit, seed=seed, path=path)


def read_emergent(path: Path, limit: int | None = None, seed: int = 0) -> list[Record]:
    return load_emergent(max_rows=limit, seed=seed, path=path)


def three_way(proba: np.ndarray) -> np.ndarray:
    """Fold *unrelated* into *neutral* for datasets without an unrelated class."""
    out = proba.copy()
    out[:, LABEL_INDEX[NEUTRAL]] += out[:, LABEL_INDEX[UNRELATED]]
    out[:, LABEL_INDEX[UNRELATED]] = 0.0
    return out


def evaluate(dataset: str, records: list[Record], model, transform=None) -> dict:  # a StanceModel
    from verify.stance.training.metrics import classification_metrics, fnc_points

    a, b = [r.a for r in records], [r.b for r in records]
    labels = [r.label for r in records]
    t = time.perf_counter()
    proba = model.predict_proba(a, b)
    seconds = time.perf_counter() - t
    if transform is not None:
        proba = transform(proba)
    elif dataset != "fnc1":
        proba = three_way(proba)
    m = classification_metrics(proba, labels)
    out = {
        "dataset": dataset,
        "n": m["n"],
        "accuracy": m["accuracy"],
        "macro_f1": m["macro_f1"],
        "f1": m["per_class_f1"],
        "confusion": m["confusion"],
        "pairs_per_second": len(records) / seconds if seconds else 0.0,
        "model": model.version,
    }
    if dataset == "fnc1":
        y = np.array([LABEL_INDEX[lab] for lab in labels])
        raw, best = fnc_points(y, proba.argmax(axis=1))
        out["relative_score"] = 100 * raw / best if best else 0.0
        out["fnc_score"] = {"raw": raw, "max": best}
    return out


def print_result(result: dict) -> None:
    print(f"{result['dataset']}: n={result['n']} model={result['model']}")
    if "relative_score" in result:
        s = result["fnc_score"]
        print(f"FNC-1 score {s['raw']:.2f} of {s['max']:.2f} ({result['relative_score']:.1f}%)")
    print(f"accuracy {result['accuracy']:.3f}  macro-F1 {result['macro_f1']:.3f}")
    for label, f1 in result["f1"].items():
        print(f"  F1 {label:<13} {f1:.3f}")
    print("confusion (rows gold, columns predicted; " + ", ".join(STANCE_LABELS) + "):")
    for label, row in zip(STANCE_LABELS, result["confusion"], strict=True):
        print(f"  {label:<13} " + " ".join(f"{v:>6}" for v in row))
    print(f"{result['pairs_per_second']:.0f} pairs/s")


def cmd(args: argparse.Namespace) -> int:
    from verify.stance.loading import load_default_model, load_model_dir

    try:
        if args.eval_what == "fnc1":
            records = read_fnc1(Path(args.bodies), Path(args.stances), args.limit)
        elif args.eval_what == "sick":
            records = read_sick(Path(args.file), args.limit)
        else:
            records = read_emergent(Path(args.file), args.limit)
    except (OSError, KeyError, ValueError) as exc:  # missing file, column or unknown label
        print(
            f"counterclaim: cannot read {args.eval_what} data ({type(exc).__name__}: {exc})",
            file=sys.stderr,
        )
        return 2
    # Public pairs are ordered (headline, then body): read them in the mode dev chose.
    settings = vars(args).get("settings")  # resolved by the CLI's main
    model = (
        load_model_dir(Path(args.model), symmetric=None, settings=settings)
        if args.model
        else load_default_model(symmetric=None, settings=settings)
    )
    result = evaluate(args.eval_what, records, model)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_result(result)
    return 0


def add_parsers(sub) -> None:  # argparse subparsers action
    """``eval fnc1 BODIES STANCES``, ``eval sick FILE``, ``eval emergent FILE`` (all ``[--json]``)."""
    specs = {
        "fnc1": (
            "FNC-1 format (also ARC): official score, per-class F1, macro-F1, confusion",
            ("bodies", "stances"),
        ),
        "sick": ("SICK.txt format: 3-way accuracy and per-class F1", ("file",)),
        "emergent": ("Emergent CSV: accuracy and per-class F1", ("file",)),
    }
    for name, (help_text, positionals) in specs.items():
        sp = sub.add_parser(name, help=help_text, description=help_text)
        for pos in positionals:
            sp.add_argument(pos, help=f"the {pos} file, in the public format unchanged")
        sp.add_argument("--json", action="store_true", help="print JSON instead of text")
        sp.add_argument(
            "--model", help="a trained model folder (default: the shipped stance model)"
        )
        sp.add_argument("--limit", type=int, help="a seeded sample of N pairs (faster)")
        sp.set_defaults(func=cmd)
