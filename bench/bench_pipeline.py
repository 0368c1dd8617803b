"""Pipeline figures on the seeds: cold and warm `run`, extraction and embedding throughput,
pairs scored against n^2. Prints the figures and the command that made them.

    .venv/bin/python bench/bench_pipeline.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"


def _timed_cli_run(db: Path) -> float:
    """A whole `counterclaim run seeds/` in a fresh process: what an analyst waits for."""
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "verify.cli", "run", str(SEEDS), "--db", str(db)],
        check=True,
        capture_output=True,
        cwd=REPO,
    )
    return time.perf_counter() - t


def main() -> None:
    from verify.offline import go_offline

    go_offline()  # before any hub library is imported: they read the flags once
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    from verify.claims import ClaimExtractor
    from verify.stages.embed import Embedder
    from verify.store.database import Store

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        cold = _timed_cli_run(db)
        warm = min(_timed_cli_run(db) for _ in range(args.repeat))
        store = Store(db)
        n_claims = len(store.claim_rows())
        n_pairs = store.db.execute("SELECT COUNT(*) FROM pairs").fetchone()[0]

    texts = [p.read_text() for p in sorted(SEEDS.glob("*.txt"))]
    ex = ClaimExtractor()
    ex.extract(texts[0])  # load spaCy outside the timing
    t = time.perf_counter()
    claims = [c for _ in range(args.repeat) for text in texts for c in ex.extract(text)]
    extract_rate = len(claims) / (time.perf_counter() - t)

    emb = Embedder()
    emb.encode(["warm up"])
    claim_texts = [c.text for c in claims]
    t = time.perf_counter()
    emb.encode(claim_texts)
    embed_rate = len(claim_texts) / (time.perf_counter() - t)

    all_pairs = n_claims * (n_claims - 1) // 2
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    cpu = platform.processor() or platform.machine()
    print(f"machine: {cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"corpus: seeds/ ({len(texts)} articles, {n_claims} claims)")
    print(f"run, cold (fresh DB, new process, models loaded): {cold:.1f} s")
    print(f"run, warm (nothing new, best of {args.repeat}):      {warm:.1f} s")
    print(f"claim extraction: {extract_rate:.0f} claims/s")
    print(f"embedding (all-MiniLM-L6-v2, CPU): {embed_rate:.0f} claims/s")
    print(
        f"pairs scored: {n_pairs} of n^2/2 = {all_pairs} ({100 * n_pairs / max(all_pairs, 1):.0f}%)"
    )


if __name__ == "__main__":
    main()
