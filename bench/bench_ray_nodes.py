"""One Ray node against two on this machine (issue 22): the same small corpus run cold by
`counterclaim run --ray ADDRESS` on a local cluster of one node of one CPU, then of two nodes of
one CPU each (two raylets, as two machines would be), and locally for reference; each on a fresh
store, in a fresh process. Prints wall seconds and the run's own stage lines (embedding and
scoring seconds), with the load.

    .venv/bin/python bench/bench_ray_nodes.py --articles 40
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))


def run(corpus: Path, db: Path, *extra: str) -> tuple[float, list[str]]:
    t = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "verify.cli", "run", str(corpus), "--db", str(db), *extra],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    took = time.perf_counter() - t
    if out.returncode not in (0, 1):
        raise RuntimeError(out.stderr[-2000:])
    keep = ("embedded", "scored", "articles added")
    return took, [x for x in out.stderr.splitlines() if any(k in x for k in keep)]


def on_cluster(nodes: int, corpus: Path, tmp: Path) -> tuple[float, list[str]]:
    from ray.cluster_utils import Cluster

    cluster = Cluster(
        initialize_head=True, head_node_args={"num_cpus": 1, "include_dashboard": False}
    )
    try:
        for _ in range(nodes - 1):
            cluster.add_node(num_cpus=1)
        cluster.wait_for_nodes()
        return run(corpus, tmp / f"ray{nodes}.db", "--ray", cluster.address)
    finally:
        cluster.shutdown()


def main() -> int:
    from build_corpus import build
    from header import load, print_header

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=40)
    args = ap.parse_args()
    print_header({"articles": args.articles})
    with tempfile.TemporaryDirectory(prefix="ccray") as name:
        tmp = Path(name)
        corpus = tmp / "corpus"
        build(args.articles, corpus)
        for label, job in (
            ("local (this process)", lambda: run(corpus, tmp / "local.db")),
            ("Ray, 1 node x 1 CPU", lambda: on_cluster(1, corpus, tmp)),
            ("Ray, 2 nodes x 1 CPU", lambda: on_cluster(2, corpus, tmp)),
        ):
            took, lines = job()
            print(f"{label:<24} {took:7.1f} s   load {load()}")
            for line in lines:
                print(f"    {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
