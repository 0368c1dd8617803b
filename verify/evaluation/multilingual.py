"""`counterclaim eval multilingual`: the multilingual stance reader on its held-out split
(``verify.multilingual.data``: XNLI validation split by premise, 25 % held out, never fitted or
tuned on; MultiNLI dev rows split the same way): 3-class accuracy per language pairing."""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def add_parser(sub) -> None:  # argparse subparsers action
    sp = sub.add_parser(
        "multilingual",
        help="the multilingual stance reader on its held-out "
        "Russian/English split: 3-class accuracy",
    )
    sp.add_argument(
        "--data",
        type=Path,
        default=Path("../shared/data/nli2"),
        help="the nli2 folder (xnli_ru_en, mnli_dev, terra_ru)",
    )
    sp.add_argument(
        "--split",
        choices=("dev", "test"),
        default="test",
        help="test: the held-out quarter (default); dev: the split tuned on",
    )
    sp.add_argument("--json", action="store_true", help="print JSON instead of text")
    sp.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from verify.multilingual.data import corpus
    from verify.multilingual.encoder import MultilingualEncoder
    from verify.multilingual.reader import MultilingualReader
    from verify.multilingual.train_reader import accuracy_by_langs, features

    if not (args.data / "xnli_ru_en" / "xnli_ru_en.jsonl").exists():
        print(f"counterclaim: {args.data}: no xnli_ru_en/xnli_ru_en.jsonl there (give --data)")
        return 2
    enc = MultilingualEncoder()
    pairs = corpus(args.data)[args.split]
    u, v, y = features(pairs, enc)
    reader = MultilingualReader(encoder=enc)
    rep = {
        "reader": reader.version,
        "split": args.split,
        "pairs": len(pairs),
        "accuracy_3class": accuracy_by_langs(reader.probs_from_vectors(u, v), y, pairs),
    }
    if args.json:
        print(json.dumps(rep, indent=2))
        return 0
    print(f"$ counterclaim eval multilingual --data {args.data} --split {args.split}")
    print(f"reader {rep['reader']}, {rep['pairs']} pairs ({args.split} split, by premise)")
    for name, acc in rep["accuracy_3class"].items():
        print(f"  {name:<11} 3-class accuracy {acc:.3f}")
    return 0
