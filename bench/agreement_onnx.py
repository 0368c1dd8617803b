"""Label agreement of the cross-encoder's ONNX Runtime and torch backends on ~1,300 real pairs.

    .venv/bin/python bench/agreement_onnx.py [--data ../shared/data] [--sick 600] [--emergent 300]
    .venv/bin/python bench/agreement_onnx.py --int8 --sick 1500 --emergent 1500

``--int8``: the int8 graph (the engine's reader) against the fp32 ONNX graph instead, each in
the engine's one-way reading, with the AP of P(contradiction) for the gold contradictions (SICK
CONTRADICTION, Emergent "against") under each, and pairs per second.

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


def _chosen(n_rows: int, n: int, seed: int = 0) -> list[int]:
    rng = np.random.default_rng(seed)
    return sorted(rng.choice(n_rows, size=min(n, n_rows), replace=False).tolist())


def sample(pairs: list[tuple[str, str]], n: int, seed: int = 0) -> Pairs:
    idx = _chosen(len(pairs), n, seed)
    return [pairs[i][0] for i in idx], [pairs[i][1] for i in idx]


def _sick_rows(data: Path) -> list[dict]:
    with open(data / "sick" / "SICK_train_trial.txt", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def _emergent_rows(data: Path) -> list[dict]:
    path = data / "emergent" / "url-versions-2015-06-14-clean-train.csv"
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def sick_pairs(data: Path, n: int) -> Pairs:
    return sample([(r["sentence_A"], r["sentence_B"]) for r in _sick_rows(data)], n)


def emergent_pairs(data: Path, n: int) -> Pairs:
    return sample([(r["claimHeadline"], r["articleHeadline"]) for r in _emergent_rows(data)], n)


def contradicts(data: Path, name: str, n: int) -> np.ndarray:
    """Gold contradiction flags of ``sick_pairs`` / ``emergent_pairs``' sample (same rows)."""
    if name == "sick":
        rows = _sick_rows(data)
        flag = [r["entailment_label"] == "CONTRADICTION" for r in rows]
    else:
        rows = _emergent_rows(data)
        flag = [r["articleHeadlineStance"] == "against" for r in rows]
    return np.array([flag[i] for i in _chosen(len(rows), n)])


def compare_int8(args: argparse.Namespace) -> None:
    """fp32 ONNX against int8 ONNX, one-way (the engine's reading): labels, AP, speed."""
    from sklearn.metrics import average_precision_score

    from verify.stance.cross_encoder import CrossEncoderStanceModel

    print(
        f".venv/bin/python bench/agreement_onnx.py --int8 --sick {args.sick} "
        f"--emergent {args.emergent}"
    )
    models = {
        tag: CrossEncoderStanceModel.load(backend="onnx", int8=tag == "int8")
        for tag in ("fp32", "int8")
    }
    sizes = {"sick": args.sick, "emergent": args.emergent}
    for name, (a, b) in {
        "sick": sick_pairs(args.data, args.sick),
        "emergent": emergent_pairs(args.data, args.emergent),
    }.items():
        gold, probs, rate = contradicts(args.data, name, sizes[name]), {}, {}
        for tag, model in models.items():
            t = time.perf_counter()
            probs[tag] = model.predict_proba(a, b)
            rate[tag] = len(a) / (time.perf_counter() - t)
        p, q = probs["fp32"], probs["int8"]
        ap = {k: average_precision_score(gold, v[:, 0]) for k, v in probs.items()}
        print(
            f"{name:9s} {len(a):5d} pairs ({gold.sum()} contradictions)  labels agree "
            f"{(p.argmax(1) == q.argmax(1)).mean() * 100:.1f}%  AP fp32 {ap['fp32']:.3f} "
            f"int8 {ap['int8']:.3f}  pairs/s fp32 {rate['fp32']:.0f} int8 {rate['int8']:.0f}"
        )


def main() -> None:
    from verify.offline import go_offline

    go_offline()  # before any hub library is imported: they read the flags once
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    ap.add_argument("--sick", type=int, default=600)
    ap.add_argument("--emergent", type=int, default=300)
    ap.add_argument("--int8", action="store_true", help="int8 against fp32 ONNX (see above)")
    args = ap.parse_args()
    if args.int8:
        return compare_int8(args)
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
