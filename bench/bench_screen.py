"""What the relatedness screen costs and spares (issue 22), on Emergent's headlines.

The screen (``stance.gated``: the relatedness regression over the cheap features, its threshold
fixed when the relatedness stage was fitted, at 97% recall of dev's related pairs) decides which
pairs the cross-encoder reads. Measured per split role of the stance data
(``split_role("emergent:<claimId>")``; dev was tuned on, test is looked at once):

- gold contradictions: a ``for`` and an ``against`` headline of one claim. Of those the full
  reading finds (labelled contradiction with every pair read), the share the screen lets through;
- hard negatives: each headline's 8 nearest headlines of *other* claims (what the engine's
  candidate generator pairs): the share the screen spares the cross-encoder.

    .venv/bin/python bench/bench_screen.py [--roles dev test] [--choose]

``--choose`` writes the highest swept threshold that keeps 95% of the contradictions the full
reading finds on dev into the shipped model (``make train-stance3`` runs it after fitting the
relatedness stage).
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from itertools import product
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"


def headlines(role: str) -> list[tuple[str, str, str]]:
    from verify.stance.training.data import split_role

    path = DATA / "emergent" / "url-versions-2015-06-14-clean-train.csv"
    with open(path, encoding="utf-8", newline="") as f:
        rows = [
            (r["claimId"], r["articleHeadlineStance"], r["articleHeadline"].strip())
            for r in csv.DictReader(f)
            if split_role(f"emergent:{r['claimId']}") == role
        ]
    return list(dict.fromkeys(rows))


def measure(role: str, screened, unscreened, embed) -> float:
    from verify.labels import STANCE_LABELS
    from verify.stance.base import StancePairs

    rows = headlines(role)
    by_claim: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for claim, stance, text in rows:
        by_claim[claim][stance].append(text)
    gold = [(a, b) for c in by_claim.values() for a, b in product(c["for"], c["against"])]
    full = unscreened.predict_pairs(
        StancePairs.unordered([a for a, _ in gold], [b for _, b in gold])
    )
    found = full.argmax(axis=1) == STANCE_LABELS.index("contradiction")
    passed = screened.read(StancePairs.unordered([a for a, _ in gold], [b for _, b in gold])).read
    texts = [t for _, _, t in rows]
    vec = embed(texts)
    claims = np.array([c for c, _, _ in rows])
    sims = vec @ vec.T
    sims[claims[:, None] == claims[None, :]] = -2  # other claims only
    near = np.argsort(sims, axis=1)[:, -8:]
    hard = StancePairs.unordered(
        [texts[i] for i in range(len(texts)) for _ in range(8)],
        [texts[j] for row in near for j in row],
    )
    spared = ~screened.read(hard).read
    best = sweep(screened, gold, found, hard)
    print(
        f"{role}: {len(by_claim)} claims, {len(gold)} gold contradiction pairs, "
        f"{int(found.sum())} found by the full reading; the screen lets through "
        f"{100 * float(passed[found].mean()):.1f}% of those ({100 * float(passed.mean()):.1f}% "
        f"of all gold pairs) and spares the cross-encoder {100 * float(spared.mean()):.1f}% of "
        f"{len(spared)} hard negative pairs (nearest headlines of other claims)"
    )
    return best


THRESHOLDS = (0.25, 0.35, 0.45, 0.55, 0.65)
#: Of the contradictions the full reading finds on dev, the share the screen must let through.
TARGET = 0.95


def sweep(model, gold: list[tuple[str, str]], found: np.ndarray, hard) -> float:
    """Other thresholds on the screen's P(related): what each keeps and spares; returns the
    highest that keeps ``TARGET``."""
    from verify.stance.base import StancePairs
    from verify.stance.relatedness import pair_features

    def screen_p(pairs: StancePairs) -> np.ndarray:
        cheap = pair_features(model.cosines(pairs.a, pairs.b), pairs.a, pairs.b, None)
        return model.relatedness.screen_related(cheap)

    g = screen_p(StancePairs.unordered([a for a, _ in gold], [b for _, b in gold]))[found]
    h = screen_p(hard)
    for t in THRESHOLDS:
        print(
            f"  threshold {t:.2f}: lets through {100 * float((g >= t).mean()):.1f}% of the "
            f"found contradictions, spares {100 * float((h < t).mean()):.1f}% of hard negatives"
        )
    return max((t for t in THRESHOLDS if (g >= t).mean() >= TARGET), default=THRESHOLDS[0])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--roles", nargs="+", default=["dev", "test"])
    p.add_argument(
        "--choose",
        action="store_true",
        help="write the highest threshold keeping 95%% of dev's found contradictions "
        "into the shipped model's relatedness.json",
    )
    args = p.parse_args(argv)
    from header import print_header

    from verify.offline import go_offline

    go_offline()
    from verify.stages.embed_onnx import OnnxEmbedder
    from verify.stance.gated import GatedStanceModel
    from verify.stance.loading import load_default_model

    print_header()
    embedder = OnnxEmbedder()
    model = load_default_model(encoder=embedder, symmetric=None)
    if not isinstance(model, GatedStanceModel) or not model.screening:
        print("the shipped model has no relatedness screen")
        return 1
    everything = GatedStanceModel(model.cross, model.relatedness, embedder, screening=False)
    print(
        f"screen threshold {model.relatedness.screen_threshold} (P(related) from the cheap features)"
    )
    chosen = {role: measure(role, model, everything, embedder.encode) for role in args.roles}
    if args.choose and "dev" in chosen:
        from dataclasses import replace

        from verify.stance.loading import default_model_path
        from verify.stance.relatedness import Relatedness, file_info

        path = default_model_path()
        rel = replace(Relatedness.load(path), screen_threshold=chosen["dev"])
        rel.save(
            path,
            extra=file_info(path) | {"screen_chosen_by": "python bench/bench_screen.py --choose"},
        )
        print(f"screen threshold {chosen['dev']} written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
