"""Stance model throughput (pairs/s) on this CPU, on the seed claim pairs the pipeline scores.

    .venv/bin/python bench/bench_stance.py [--model cross|sklearn] [--backend onnx|torch]
        [--symmetric | --one-way] [--threads 2] [--repeat 3] [--n 382]

Pairs: all cross-source pairs of ``training.seeds.SEED_CLAIMS`` (the pipeline's real input size and text
length), repeated to ``--n`` pairs. Reports the best of ``--repeat`` timed passes after a warm-up;
model loading is timed separately (for ``--backend onnx`` it includes the one-off ONNX export
when the graph is not cached yet). ``--backend`` defaults to the model's own default
(``$COUNTERCLAIM_STANCE_BACKEND``, else onnx); the output line names the backend that ran, which
is torch if the ONNX backend was unavailable. ``--symmetric`` is the pipeline's mode; neither flag:
the model directory's ``stance.json`` setting.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def seed_pairs(n: int) -> tuple[list[str], list[str]]:
    from verify.stance.training.seeds import SEED_CLAIMS

    claims = list({text: src for _, src, text in SEED_CLAIMS}.items())
    pairs = [(x, y) for i, (x, sx) in enumerate(claims) for y, sy in claims[i + 1 :] if sx != sy]
    pairs = (pairs * (n // len(pairs) + 1))[:n]
    return [a for a, _ in pairs], [b for _, b in pairs]


def load(kind: str, threads: int, symmetric: bool | None, backend: str | None):
    if kind == "cross":
        from verify.stance.cross_encoder import CrossEncoderStanceModel

        kw = {"threads": threads} | ({} if symmetric is None else {"symmetric": symmetric})
        return CrossEncoderStanceModel.load(**kw | ({"backend": backend} if backend else {}))
    from verify.stance.sklearn_model import SklearnStanceModel, default_model_dir

    return SklearnStanceModel.load(default_model_dir())


def main() -> None:
    from verify.offline import go_offline

    go_offline()  # before any hub library is imported: they read the flags once
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", choices=("cross", "sklearn"), default="cross")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--n", type=int, default=382)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--one-way", action="store_true", help="cross: score (a, b) only")
    ap.add_argument("--symmetric", action="store_true", help="cross: average both orders")
    ap.add_argument("--backend", choices=("onnx", "torch"), help="cross: inference backend")
    args = ap.parse_args()
    import torch

    torch.set_num_threads(args.threads)
    t = time.perf_counter()
    symmetric = False if args.one_way else (True if args.symmetric else None)
    model = load(args.model, args.threads, symmetric, args.backend)
    t_load = time.perf_counter() - t
    a, b = seed_pairs(args.n)
    model.predict_proba(a[:32], b[:32])  # warm-up
    best = float("inf")
    for _ in range(args.repeat):
        t = time.perf_counter()
        model.predict_proba(a, b)
        best = min(best, time.perf_counter() - t)
    print(
        f"model {model.version} backend={getattr(model, 'backend', '-')} "
        f"symmetric={getattr(model, 'symmetric', '-')} threads={args.threads} "
        f"cpu={platform.processor() or platform.machine()} cores={os.cpu_count()}"
    )
    print(f"load {t_load:.2f}s; {args.n} pairs in {best:.2f}s: {args.n / best:.0f} pairs/s")


if __name__ == "__main__":
    main()
