"""What the board's poll for other analysts' tags costs on a large store: an idle poll (nothing
changed: one PRAGMA), a poll after another connection wrote N tags, and the agreement figures
over every tag. Figures only: nothing here asserts a time.

    .venv/bin/python bench/bench_poll.py                 # 10,000 pairs, 500 tags
    .venv/bin/python bench/bench_poll.py --pairs 50000 --claims 10000 --tags 5000"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the sample boards

from samples.board import build_large_db

from verify.analysts.agreement import agreement
from verify.labels import STANCE_LABELS
from verify.store.database import Store
from verify.views.poll import Poller


def ms(samples: list[float]) -> str:
    return f"median {statistics.median(samples) * 1e3:.3f} ms, max {max(samples) * 1e3:.3f} ms"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=10_000)
    ap.add_argument("--claims", type=int, default=2_500)
    ap.add_argument("--tags", type=int, default=500)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "poll.db"
        build_large_db(path, n_pairs=args.pairs, n_claims=args.claims)
        poller = Poller(path)
        poller.changed()  # the first poll always reads
        idle = []
        for _ in range(200):
            t = time.perf_counter()
            poller.changed()
            idle.append(time.perf_counter() - t)
        print(f"idle poll ({args.pairs} pairs): {ms(idle)}")
        store = Store(path)
        pair_ids = store.pair_ids()
        rng = random.Random(0)
        with store.transaction() as db:
            db.executemany(
                "INSERT INTO tags(pair_id, analyst, label, note, at) VALUES (?,?,?,'','x')",
                [
                    (
                        rng.choice(pair_ids),
                        rng.choice(("ana", "bo", "cy")),
                        rng.choice(STANCE_LABELS),
                    )
                    for _ in range(args.tags)
                ],
            )
        t = time.perf_counter()
        assert poller.changed()
        changes = poller.read(0, frozenset())
        busy = time.perf_counter() - t
        print(
            f"poll after {args.tags} new tags from another connection: {busy * 1e3:.1f} ms "
            f"({len(changes.tags)} read)"
        )
        t = time.perf_counter()
        result = agreement(store.tags())
        print(
            f"agreement over {args.tags} tags, 3 analysts: {(time.perf_counter() - t) * 1e3:.1f}"
            f" ms (alpha {result['overall']})"
        )
        store.close()
        poller.close()


if __name__ == "__main__":
    main()
