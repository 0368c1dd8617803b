"""`counterclaim eval pairs FILE.jsonl --labels MAP`: the stance model on any JSONL of ``premise``,
``hypothesis``, ``label`` (the format of shared/data/nli), with the other eval commands' JSON keys.

``MAP`` names a built-in map (``verify.labels.NLI_MAPS``: snli, anli, perspectrum, ...) or is given
inline as ``their=ours,...`` (ours: contradiction, agreement, neutral, unrelated). The model is
read only over the classes the map reaches: with no *unrelated* in the map its probability goes
to *neutral*, and with neither (two-way sets such as Perspectrum) the argmax is over the rest.
Direction follows the NLI convention: the hypothesis is the claim and the premise the evidence
(``--claim premise`` for sets such as Perspectrum whose premise is the claim).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from verify.labels import LABEL_INDEX, NEUTRAL, NLI_MAPS, STANCE_LABELS, UNRELATED, check_label
from verify.stance.training.data import Record


class PairFileError(ValueError):
    """A pair file that cannot be read: the message names the file and line."""


def parse_map(spec: str) -> dict[str, str]:
    if spec in NLI_MAPS:
        return dict(NLI_MAPS[spec])
    out = {}
    for part in spec.split(","):
        theirs, sep, ours = part.partition("=")
        if not sep or not theirs.strip():
            raise PairFileError(
                f"--labels {spec!r}: give a map name ({', '.join(NLI_MAPS)}) "
                "or their=ours,... pairs"
            )
        try:
            out[theirs.strip()] = check_label(ours.strip())
        except ValueError as e:
            raise PairFileError(f"--labels: {e}") from None
    return out


def read_pairs(path: Path, labels: dict[str, str], claim: str = "hypothesis") -> list[Record]:
    """Records (a = the claim, b = the evidence); every bad line is an error naming it."""
    from verify.stance.training.nli import iter_rows

    recs = []
    try:
        for n, row in iter_rows(path):
            recs.append(_record(path, n, row, labels, claim))
    except (OSError, UnicodeDecodeError) as e:
        raise PairFileError(f"{path}: cannot read ({type(e).__name__}: {e})") from None
    except PairFileError:
        raise
    except ValueError as e:  # a line that is not a JSON object (its message names file:line)
        raise PairFileError(str(e)) from None
    if not recs:
        raise PairFileError(f"{path}: no pairs")
    return recs


def _record(path: Path, n: int, row: dict, labels: dict[str, str], claim: str) -> Record:
    from verify.stance.training.nli import check_row

    check_row(path, n, row, labels, "the label map")  # a ValueError: read_pairs words it
    a, b = (
        (row["hypothesis"], row["premise"])
        if claim == "hypothesis"
        else (row["premise"], row["hypothesis"])
    )
    return Record(a, b, labels[row["label"]], f"line:{n}")


def restrict(proba: np.ndarray, reached: set[str]) -> np.ndarray:
    """Probabilities over the classes the map reaches (module docstring)."""
    out = proba.copy()
    if UNRELATED not in reached and NEUTRAL in reached:
        out[:, LABEL_INDEX[NEUTRAL]] += out[:, LABEL_INDEX[UNRELATED]]
    for label in STANCE_LABELS:
        if label not in reached:
            out[:, LABEL_INDEX[label]] = 0.0
    return out / np.clip(out.sum(axis=1, keepdims=True), 1e-12, None)


def cmd(args: argparse.Namespace) -> int:
    from verify.evaluation.stance import evaluate, print_result
    from verify.stance.loading import load_default_model, load_model_dir

    try:
        labels = parse_map(args.labels)
        records = read_pairs(Path(args.file), labels, args.claim)
    except PairFileError as e:
        print(f"counterclaim: {e}", file=sys.stderr)
        return 2
    if args.limit and len(records) > args.limit:
        rng = np.random.default_rng(0)
        records = [records[i] for i in sorted(rng.choice(len(records), args.limit, replace=False))]
    settings = vars(args).get("settings")  # resolved by the CLI's main
    model = (
        load_model_dir(Path(args.model), symmetric=None, settings=settings)
        if args.model
        else load_default_model(symmetric=None, settings=settings)
    )
    result = evaluate(
        "pairs", records, model, transform=lambda p: restrict(p, set(labels.values()))
    )
    result["dataset"] = Path(args.file).name
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_result(result)
    return 0


def add_parser(sub) -> None:  # argparse subparsers action
    h = "any JSONL of premise, hypothesis, label: accuracy, macro-F1, per-class F1, confusion"
    sp = sub.add_parser("pairs", help=h, description=h)
    sp.add_argument("file", help="the JSONL file")
    sp.add_argument(
        "--labels",
        required=True,
        metavar="MAP",
        help=f"a map name ({', '.join(NLI_MAPS)}) or their=ours,...",
    )
    sp.add_argument(
        "--claim",
        choices=("hypothesis", "premise"),
        default="hypothesis",
        help="which field is the claim (default: hypothesis, as in NLI)",
    )
    sp.add_argument("--json", action="store_true", help="print JSON instead of text")
    sp.add_argument("--model", help="a trained model folder (default: the shipped stance model)")
    sp.add_argument("--limit", type=int, help="a seeded sample of N pairs (faster)")
    sp.set_defaults(func=cmd)
