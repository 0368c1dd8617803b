"""Label agreement of the cross-encoder's ONNX Runtime and torch backends on ~1,300 real pairs.

    .venv/bin/python bench/agreement_onnx.py [--data ../shared/data] [--sick 600] [--emergent 300]

Pairs: all cross-source seed claim pairs (``bench_stance.seed_pairs``, 382), ``--sick`` SICK
sentence pairs (``sick/SICK_train_trial.txt``) and ``--emergent`` Emergent claim/article headline
pairs (``emergent/url-versions-2015-06-14-clean-train.csv``), sampled with a fixed seed. Both
backends score them in symmetric mode (the pipeline's); prints, per set and overall, the share of
pairs with the same argmax label and the largest absolute difference in probability and logit.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

Pairs = tuple[list[str], list[str]]


def sample(pairs: list[tuple[str, str]], n: int, seed: int = 0) -> Pairs:
    idx = np.random.default_rng(seed).choice(len(pairs), size=min(n, len(pairs)), replace=False)
    return [pairs[i][0] for i in sorted(idx)], [pairs[i][1] for i in sorted(idx)]


def sick_pairs(data: Path, n: int) -> Pairs:
    with open(data / "sick" / "SICK_train_trial.txt", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return sample([(r["sentence_A"], r["sentence_B"]) for r in rows], n)


def emergent_pairs(data: Path, n: int) -> Pairs:
    path = data / "emergent" / "url-versions-2015-06-14-clean-train.csv"
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return sample([(r["claimHeadline"], r["articleHeadline"]) for r in rows], n)


def main() -> None:
    from verify.offline import go_offline

    go_offline()  # before any hub library is imported: they read the flags once
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--sick", type=int, default=600)
    ap.add_argument("--emergent", type=int, default=300)
    args = ap.parse_args()
    from bench_stance import seed_pairs

    from verify.stance.cross_encoder import CrossEncoderStanceModel

    sets = {
        "seed": seed_pairs(382),
        "sick": sick_pairs(args.data, args.sick),
        "emergent": emergent_pairs(args.data, args.emergent),
    }
    models = {
        be: CrossEncoderStanceModel.load(symmetric=True, backend=be) for be in ("torch", "onnx")
    }
    if models["onnx"].backend != "onnx":
        sys.exit("the ONNX backend is unavailable (see the line above)")
    print(
        f".venv/bin/python bench/agreement_onnx.py --data {args.data} --sick {args.sick} "
        f"--emergent {args.emergent}"
    )
    print(
        f"model {models['onnx'].version}, symmetric, T={models['onnx'].temperature:.3f}, "
        f"graph {models['onnx']._onnx.path}"
    )
    total: dict[str, list[np.ndarray]] = {"z": [], "p": [], "zt": [], "pt": []}
    for name, (a, b) in sets.items():
        t = time.perf_counter()
        z_torch = models["torch"].logits(a, b)
        t_torch, t = time.perf_counter() - t, time.perf_counter()
        z_onnx = models["onnx"].logits(a, b)
        t_onnx = time.perf_counter() - t
        p_torch, p_onnx = (models[k].predict_proba(a, b) for k in ("torch", "onnx"))
        _report(name, z_onnx, z_torch, p_onnx, p_torch, f"torch {t_torch:.1f}s onnx {t_onnx:.1f}s")
        for k, v in zip(total, (z_onnx, p_onnx, z_torch, p_torch), strict=True):
            total[k].append(v)
    _report("all", *(np.vstack(total[k]) for k in ("z", "zt", "p", "pt")), "")


def _report(
    name: str, z: np.ndarray, zt: np.ndarray, p: np.ndarray, pt: np.ndarray, extra: str
) -> None:
    same = (p.argmax(1) == pt.argmax(1)).mean() * 100
    print(
        f"{name:9s} {len(p):5d} pairs  labels agree {same:6.2f}%  "
        f"max|dprob| {np.abs(p - pt).max():.2e}  max|dlogit| {np.abs(z - zt).max():.2e}  "
        f"{extra}".rstrip()
    )


if __name__ == "__main__":
    main()
