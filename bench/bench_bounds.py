"""Each stage's throughput beside a bound measured on this machine (issue 22), on the bench corpus:

- the machine: float32 matmul GFLOP/s at MiniLM's layer shapes (numpy, all cores): the peak the
  transformer stages can reach;
- embedding: claims/s on ONNX Runtime (the engine's path) and on torch, beside the bound
  peak / (FLOPs per token x tokens per claim), MiniLM-L6 at 2 x 10.6 M multiply-adds per token;
- stance: cross-encoder pairs/s, the engine's int8 graph (one pair per run) and the fp32 graph
  (length-sorted batches), beside the float32 bound for a pair's tokens (the cross-encoder is
  MiniLM-sized: 6 layers, 384 wide; int8 arithmetic is not bounded by the float32 peak);
- extraction: articles/s of the extractor in this process (spaCy ``nlp.pipe`` + attribution)
  beside spaCy's parse alone on the same articles (the bound attribution cannot beat), and over
  the engine's worker processes (``backends.processes``) beside that parse rate times the
  processes.

    .venv/bin/python bench/bench_bounds.py --articles 150
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
MACS_PER_TOKEN = 6 * (4 * 384 * 384 + 2 * 384 * 1536)  # 6 layers: attention projections + FFN


def matmul_gflops(seconds: float = 3.0) -> float:
    a = np.random.default_rng(0).normal(size=(2048, 384)).astype(np.float32)
    w = np.random.default_rng(1).normal(size=(384, 1536)).astype(np.float32)
    a @ w
    n, t = 0, time.perf_counter()
    while time.perf_counter() - t < seconds:
        a @ w
        n += 1
    return 2 * 2048 * 384 * 1536 * n / (time.perf_counter() - t) / 1e9


def rate(fn, items: int) -> float:
    t = time.perf_counter()
    fn()
    return items / (time.perf_counter() - t)


def main() -> int:
    from build_corpus import build
    from header import load, print_header

    from verify.offline import go_offline

    go_offline()
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=150)
    args = ap.parse_args()
    print_header({"articles": args.articles})
    with tempfile.TemporaryDirectory() as tmp:
        build(args.articles, Path(tmp))
        rows = [json.loads(x) for f in sorted(Path(tmp).glob("*.jsonl")) for x in f.open()]
    texts = [r["text"] for r in rows]

    from verify.backends.processes import ProcessExtractor
    from verify.claims.extractor import ClaimExtractor, nlp
    from verify.claims.languages import ByLanguage
    from verify.settings import Settings
    from verify.stages.embed import Embedder
    from verify.stages.embed_onnx import OnnxEmbedder
    from verify.stance.base import StancePairs
    from verify.stance.loading import load_default_model

    ex = ClaimExtractor()
    ex.extract_batch([(texts[0], "")])  # loaded
    parse = rate(lambda: list(nlp().pipe(texts, batch_size=16)), len(texts))
    found: list = []
    extract = rate(lambda: found.extend(ex.extract_batch([(t, "") for t in texts])), len(texts))
    claims = [c.text for got in found if isinstance(got, list) for c in got]
    processes = max(2, Settings.from_env().extract_processes)
    workers = ProcessExtractor(ByLanguage, processes)
    workers.extract_batch([(t, "") for t in texts[:16]])  # the workers started and loaded
    many = rate(lambda: workers.extract_batch([(t, "") for t in texts]), len(texts))
    workers.close()
    peak = matmul_gflops()
    onnx, torch_path = OnnxEmbedder(), Embedder()
    onnx.encode(claims[:8]), torch_path.encode(claims[:8])
    tokens = np.mean([len(x) for x in onnx._tokenizer(claims)["input_ids"]])
    vecs: list = []
    e_onnx = rate(lambda: vecs.append(onnx.encode(claims)), len(claims))
    e_torch = rate(lambda: torch_path.encode(claims), len(claims))
    v = vecs[0]
    sims = v @ v.T
    np.fill_diagonal(sims, -2)
    near = np.argsort(-sims, axis=1)[:, :2]
    pairs = [(claims[i], claims[j]) for i in range(min(len(claims), 400)) for j in near[i]]
    from verify.stance.cross_encoder import CrossEncoderStanceModel

    int8 = load_default_model(encoder=onnx).cross  # the gated reader's cross-encoder
    fp32 = CrossEncoderStanceModel.load(backend="onnx", symmetric=int8.symmetric)
    both = StancePairs(*zip(*pairs, strict=True))
    int8.predict_pairs(both.take([0])), fp32.predict_pairs(both.take([0]))
    stance = rate(lambda: int8.predict_pairs(both), len(pairs))
    stance_fp32 = rate(lambda: fp32.predict_pairs(both), len(pairs))
    embed_bound = peak * 1e9 / (2 * MACS_PER_TOKEN * tokens)
    pair_bound = peak * 1e9 / (2 * MACS_PER_TOKEN * (2 * tokens + 1))
    print(
        f"matmul peak (float32, MiniLM layer shape): {peak:.1f} GFLOP/s; "
        f"{len(texts)} articles, {len(claims)} claims, {tokens:.1f} tokens per claim"
    )
    print(f"{'stage':<34}{'measured':>12}{'bound':>12}  what bounds it")
    print(f"{'extraction (articles/s)':<34}{extract:>12.1f}{parse:>12.1f}  spaCy's parse alone")
    print(
        f"{f'extraction, {processes} processes':<34}{many:>12.1f}{parse * processes:>12.1f}"
        f"  the parse alone x {processes}"
    )
    print(
        f"{'embedding ONNX (claims/s)':<34}{e_onnx:>12.0f}{embed_bound:>12.0f}  matmul peak / FLOPs"
    )
    print(
        f"{'embedding torch, before (claims/s)':<34}{e_torch:>12.0f}{embed_bound:>12.0f}  matmul peak / FLOPs"
    )
    print(
        f"{'stance reads int8 (pairs/s)':<34}{stance:>12.0f}{pair_bound:>12.0f}  float32 matmul "
        f"peak / FLOPs (int8 may pass it)"
    )
    print(
        f"{'stance reads fp32 (pairs/s)':<34}{stance_fp32:>12.0f}{pair_bound:>12.0f}  matmul "
        f"peak / FLOPs"
    )
    print(f"load after: {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
