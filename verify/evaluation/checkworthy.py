"""Score the check-worthiness model on a file in ClaimBuster's JSON format
(a list of ``{"sentence_id", "label", "text"}``, label 1 = check-worthy)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np


def evaluate(path: Path, model_dir: Path | None = None, split: str = "all") -> dict:
    """Accuracy and positive-class precision / recall / F1 at the model's tuned threshold.
    ``split='heldout'`` keeps only the sentence ids the shipped model never trained on."""
    from verify.checkworthy.model import CheckWorthiness
    from verify.checkworthy.training import heldout_claimbuster, load_claimbuster, metrics

    examples = load_claimbuster(Path(path))
    if split == "heldout":
        examples = [e for e in examples if heldout_claimbuster(e.key)]
    model = CheckWorthiness.load(model_dir)
    probs = model.score([e.text for e in examples])
    report: dict[str, object] = {
        **metrics(np.array([e.label for e in examples]), probs >= model.threshold)
    }
    report["threshold"] = model.threshold
    report["model"] = model.version
    return report


def cmd(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        print(f"counterclaim: no such file: {path}", file=sys.stderr)
        return 2
    try:
        report = evaluate(path, Path(args.model) if args.model else None, args.split)
    except (ValueError, KeyError, json.JSONDecodeError) as exc:
        print(f"counterclaim: {path} is not ClaimBuster JSON ({exc})", file=sys.stderr)
        return 2
    if args.json:
        json.dump(report, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(
            f"n {report['n']}  accuracy {report['accuracy']:.3f}  precision {report['precision']:.3f}"
            f"  recall {report['recall']:.3f}  F1 {report['f1']:.3f}  (positive class, threshold"
            f" {report['threshold']:.2f})"
        )
    return 0


def add_parser(sub) -> argparse.ArgumentParser:  # argparse subparsers action
    """``counterclaim eval checkworthy FILE [--json] [--model DIR] [--split all|heldout]``."""
    sp = sub.add_parser(
        "checkworthy",
        help="score the check-worthiness model on ClaimBuster-format JSON",
        description="Accuracy, precision, recall and F1 (check-worthy class) on FILE.",
    )
    sp.add_argument("file", help="ClaimBuster JSON: [{sentence_id, label, text}, ...]")
    sp.add_argument("--json", action="store_true", help="print JSON instead of text")
    sp.add_argument("--model", help="model folder (default: models/checkworthy)")
    sp.add_argument(
        "--split",
        choices=("all", "heldout"),
        default="all",
        help="heldout: only the sentence ids held out from training (ClaimBuster train.json)",
    )
    sp.set_defaults(func=cmd)
    return sp


def main(argv: list[str] | None = None) -> int:
    """Standalone form of ``counterclaim eval ...``, until the CLI wires ``add_parser``."""
    parser = add_parser(argparse.ArgumentParser().add_subparsers())
    parser.prog = "python -m verify.evaluation.checkworthy"
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
