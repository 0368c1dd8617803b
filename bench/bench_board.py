"""How the board feels on a large store: time to load, to open the board of every pair, and to
move, tag, jump and filter, driven headless through Textual's Pilot.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_board.py            # 10,000 pairs
    HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_board.py --pairs 50000 --claims 10000

Wall times include Pilot's own wait for the screen to settle after each key (an upper bound of
what an analyst waits); CPU times are the work done. Figures only: nothing here asserts a time."""

from __future__ import annotations

import argparse
import asyncio
import platform
import shlex
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))  # the sample boards

from samples.board import build_large_db
from samples.pilot import settle

from tui.app import BoardApp
from tui.board import BoardScreen
from tui.records import Filters


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def spread(samples: list[tuple[float, float]]) -> str:
    """Wall time per key (includes Pilot's idle waits) and CPU time (the work actually done)."""
    wall = [w for w, _ in samples]
    cpu = [c for _, c in samples]
    q = statistics.quantiles(wall, n=20, method="inclusive") if len(wall) > 1 else wall * 19
    return (
        f"wall median {ms(statistics.median(wall))}, p95 {ms(q[18])}, max {ms(max(wall))};"
        f" CPU median {ms(statistics.median(cpu))}"
    )


async def timed(pilot, key: str) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    await pilot.press(key)
    return time.perf_counter() - wall, time.process_time() - cpu


async def until(pilot, done) -> None:
    while not done():
        await pilot.pause(0.005)


async def measure(db: Path, moves: int, tags: int) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    app = BoardApp(db, "bench")
    t0 = time.perf_counter()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        out.append(("start + load (worker) + topics screen", ms(time.perf_counter() - t0)))
        n = len(app.data.pairs)

        t = time.perf_counter()
        await pilot.press("enter")  # the "All topics" row: every pair on one board
        await until(
            pilot, lambda: isinstance(app.screen, BoardScreen) and app.screen.table.row_count == n
        )
        await pilot.pause()
        out.append((f"open the board of all {n} pairs", ms(time.perf_counter() - t)))
        board = app.screen
        assert isinstance(board, BoardScreen)

        steps = [await timed(pilot, "j") for _ in range(moves)]
        out.append((f"move to the next pair (j, {moves}x)", spread(steps)))

        steps = []
        for _ in range(tags):
            steps.append(await timed(pilot, "c"))
            await pilot.press("j")
        out.append((f"tag a pair (c, committed, {tags}x)", spread(steps)))

        jumps = (
            ("right_square_bracket", "next untagged (])"),
            ("question_mark", "most uncertain (?)"),
            ("end", "last row (end; there already: Pilot's own overhead)"),
        )
        for key, what in jumps:
            steps = [await timed(pilot, key) for _ in range(10)]
            out.append((f"{what}, 10x", spread(steps)))

        t = time.perf_counter()
        board.filters = Filters(status="untagged", label="contradiction")
        await pilot.pause()
        await until(pilot, lambda: board.table.row_count < n)
        out.append(
            (
                f"filter to untagged contradictions ({board.table.row_count} rows)",
                ms(time.perf_counter() - t),
            )
        )

        t = time.perf_counter()
        await pilot.press("x")
        await until(pilot, lambda: board.table.row_count == n)
        out.append(("clear the filter (all rows back)", ms(time.perf_counter() - t)))

        await pilot.press("escape")  # back to the topics
        await pilot.pause()
        t = time.perf_counter()
        await pilot.press("j", "enter")  # the most disputed topic
        topic = app.data.summaries()[1]
        await until(
            pilot,
            lambda: (
                isinstance(app.screen, BoardScreen)
                and app.screen is not board
                and app.screen.table.row_count == topic.pairs
            ),
        )
        await pilot.pause()
        out.append(
            (
                f"open one topic's board ({topic.pairs} pairs, {topic.claims} claims)",
                ms(time.perf_counter() - t),
            )
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=10_000)
    parser.add_argument("--claims", type=int, default=2_500)
    parser.add_argument("--topics", type=int, default=25)
    parser.add_argument("--moves", type=int, default=200)
    parser.add_argument("--tags", type=int, default=50)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        t = time.perf_counter()
        build_large_db(db, n_pairs=args.pairs, n_claims=args.claims, n_topics=args.topics)
        built = time.perf_counter() - t
        rows = asyncio.run(measure(db, args.moves, args.tags))
    command = "HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_board.py " + shlex.join(
        sys.argv[1:] if argv is None else argv
    )
    print(f"$ {command.strip()}")
    print(
        f"{args.pairs} pairs, {args.claims} claims, {args.topics} topics "
        f"(synthetic store built in {built:.1f} s); terminal 160x48 headless;"
        f" Python {platform.python_version()} on {platform.machine()}"
    )
    width = max(len(k) for k, _ in rows)
    for what, figure in rows:
        print(f"  {what:<{width}}  {figure}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
