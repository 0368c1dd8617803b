"""The relatedness screen's threshold, chosen on the disputes dev bench (issue 22).

The screen keeps the cross-encoder off pairs whose embedding cosine is below a threshold (their
reading is "unrelated" without reading them). Chosen here on Emergent's dev claims (the split
of ``bench_disputes``/``bench_propositions_e2e``: ``split_role("emergent:<claimId>") == "dev"``):
gold contradictions are a ``for`` and an ``against`` headline of one claim; of those, the ones the
full reading finds (the shipped model labels them contradiction) must keep at least 95% above the
threshold. Printed: that recall, the threshold, and the share of hard negatives (each dev
headline's 8 nearest headlines of other claims: what the engine's candidate generator pairs)
that the screen spares the cross-encoder; then the same on the test claims, looked at once.

    .venv/bin/python bench/bench_screen.py
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from itertools import product
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
TARGET = 0.95


def headlines(role: str) -> list[tuple[str, str, str]]:
    from verify.stance.training.data import split_role

    path = DATA / "emergent" / "url-versions-2015-06-14-clean-train.csv"
    with open(path, encoding="utf-8", newline="") as f:
        rows = [(r["claimId"], r["articleHeadlineStance"], r["articleHeadline"].strip())
                for r in csv.DictReader(f)
                if split_role(f"emergent:{r['claimId']}") == role]  # fmt: skip
    return list(dict.fromkeys(rows))


def measure(role: str, model, embed, threshold: float | None) -> float:
    from verify.labels import STANCE_LABELS
    from verify.stance.base import StancePairs

    rows = headlines(role)
    by_claim: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for claim, stance, text in rows:
        by_claim[claim][stance].append(text)
    gold = [(a, b) for c in by_claim.values() for a, b in product(c["for"], c["against"])]
    texts = [t for _, _, t in rows]
    vec = embed(texts)
    index = {t: i for i, t in enumerate(texts)}
    probs = model.predict_pairs(StancePairs([a for a, _ in gold], [b for _, b in gold]))
    found = probs.argmax(axis=1) == STANCE_LABELS.index("contradiction")
    cos = np.array([float(vec[index[a]] @ vec[index[b]]) for a, b in gold])
    claims = np.array([c for c, _, _ in rows])
    sims = vec @ vec.T
    sims[claims[:, None] == claims[None, :]] = -2  # other claims only
    hard = np.sort(sims, axis=1)[:, -8:].ravel()
    if threshold is None:  # the highest threshold keeping TARGET of what the full reading finds
        kept = np.sort(cos[found])
        threshold = float(kept[int(np.floor((1 - TARGET) * len(kept)))]) - 1e-6
    recall = float((cos[found] >= threshold).mean()) if found.any() else float("nan")
    print(f"{role}: {len(by_claim)} claims, {len(gold)} gold contradiction pairs, "
          f"{int(found.sum())} found by the full reading; threshold cosine {threshold:.3f} keeps "
          f"{100 * recall:.1f}% of those; screens out {100 * float((hard < threshold).mean()):.1f}% "
          f"of {len(hard)} hard negative pairs (nearest headlines of other claims)")  # fmt: skip
    for t in (0.2, 0.3, 0.4, threshold):
        print(
            f"  cosine >= {t:.3f}: keeps {100 * float((cos[found] >= t).mean()):.1f}% of what the "
            f"full reading finds, screens out {100 * float((hard < t).mean()):.1f}% of hard negatives"
        )
    return threshold


def main() -> int:
    from header import print_header

    from verify.offline import go_offline

    go_offline()
    from verify.stages.embed_onnx import OnnxEmbedder
    from verify.stance.loading import load_default_model

    print_header()
    embedder = OnnxEmbedder()
    model = load_default_model(encoder=embedder, symmetric=None)
    threshold = measure("dev", model, embedder.encode, None)
    measure("test", model, embedder.encode, threshold)
    return 0


if __name__ == "__main__":
    sys.exit(main())
