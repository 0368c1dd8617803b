"""How the proposition screen feels on a large store: time to open it and to tag a claim's stance
(each tag rereads the claims and the proposition views on the UI thread), driven through Pilot.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_propositions_board.py             # 2,500 claims
    HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_propositions_board.py --claims 10000

Each topic gets 3 analyst propositions, each scored (synthetic probabilities) against every claim
of its topic. Wall times include Pilot's wait for the screen to settle. Figures only."""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the sample boards

from samples.board import SAMPLE_MODEL, build_large_db
from samples.pilot import settle

from tui.app import BoardApp
from tui.propositions import PropositionScreen
from verify.store.database import Store
from verify.store.propositions import PropositionTables


def add_propositions(path: Path, per_topic: int = 3, seed: int = 0) -> int:
    rng = random.Random(seed)
    store = Store(path)
    try:
        tables = PropositionTables(store)
        by_topic: dict[int, list[int]] = {}
        for r in store.claim_rows():
            by_topic.setdefault(r["topic_id"], []).append(r["id"])
        rows = []
        for topic, cids in by_topic.items():
            for k in range(per_topic):
                pid = tables.add_analyst(
                    f"synthetic proposition {topic}.{k}", cids[k], "bench", pinned=False
                )
                for cid in cids:
                    raw = [rng.random() ** 2 for _ in range(4)]
                    rows.append((pid, cid, [x / sum(raw) for x in raw]))
        tables.save_suggestions(SAMPLE_MODEL, rows)
        return len(rows)
    finally:
        store.close()


async def drive(path: Path, tags: int) -> tuple[float, list[float]]:
    app = BoardApp(path, "bench")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("j")
        t0 = time.perf_counter()
        await pilot.press("p")
        await settle(pilot)
        opened = time.perf_counter() - t0
        assert isinstance(app.screen, PropositionScreen)
        times = []
        for i in range(tags):
            t0 = time.perf_counter()
            await pilot.press("sxdu"[i % 4])
            await pilot.pause()
            times.append(time.perf_counter() - t0)
        return opened, times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=2500)
    parser.add_argument("--tags", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "large.db"
        build_large_db(path, n_pairs=args.claims * 2, n_claims=args.claims)
        n = add_propositions(path)
        opened, times = asyncio.run(drive(path, args.tags))
    print(f"{args.claims} claims, {n} claim-proposition suggestions")
    print(f"open the proposition screen: {opened * 1000:.0f} ms")
    print(
        f"tag a stance (commit + reread + redraw): median {statistics.median(times) * 1000:.0f} ms,"
        f" max {max(times) * 1000:.0f} ms over {len(times)} tags"
    )


if __name__ == "__main__":
    main()
