"""Scale figures: the pipeline on N news bodies, and topics + candidates on synthetic vectors.

Corpus part: N articles of ``bench/build_corpus.py`` (FNC-1, ARC, PolNeAR, ClaimDiff, Emergent;
past the real ones, reworded copies), JSONL files of at most 500 rows. Prints per stage:
seconds, items/s, peak RSS so far; the database size; a warm re-run with nothing new and a run
with one article added (each a fresh `counterclaim run`
process, as an analyst waits for it); and the overlap of the approximate candidate index with the
exact candidates on the corpus's own claim vectors.

Then the reads an analyst waits for, each a fresh process: `counterclaim disputes --top 20`
(propositions) and `disputes --pairs --top 20`, the board's start-up (headless, until the topics
table is filled), and `export --format html` (seconds and size; JSON size beside it).

Synthetic part (``--synthetic N``): the same figures on N synthetic articles from
``bench/synthetic_store.py`` (17 claims each, vectors cached: no spaCy, no MiniLM), so the
10,000-article figures can be taken without extracting and embedding 170,000 claims; the one
added article is synthetic too. Set $COUNTERCLAIM_STANCE=sklearn unless hours of cross-encoder
scoring are at hand.

Vectors part: topics and candidate pairs only, on V synthetic unit vectors (384-d, clustered,
3,000 sources): seconds and peak RSS, in a process of its own; overlap with the exact
candidates on a 20,000-vector subset.

    .venv/bin/python bench/bench_scale.py --articles 1000 --vectors 100000
    .venv/bin/python bench/bench_scale.py --articles 0 --vectors 100000   # vectors only
    COUNTERCLAIM_STANCE=sklearn .venv/bin/python bench/bench_scale.py --articles 0 --vectors 0 --synthetic 10000
"""

from __future__ import annotations

import argparse
import json
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kB


def build_corpus(n: int, folder: Path, seed: int = 0) -> Path:
    """The bench corpus (``bench/build_corpus.py``: real news first, then reworded copies)."""
    sys.path.insert(0, str(REPO / "bench"))
    from build_corpus import build

    print(f"corpus: {json.dumps(build(n, folder, seed)['by_source'])}", flush=True)
    return folder


MEMORY_CAP = 8 << 30  # address space of a measured command: a shared machine must not swap


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def cli(db: Path, *args: str, check: bool = True) -> tuple[float, str]:
    """(seconds, stderr) of one `counterclaim` command in a fresh process (at most
    ``MEMORY_CAP`` of memory); with ``check=False`` a failure is returned, not raised."""
    t = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "verify.cli", *args, "--db", str(db)],
        capture_output=True,
        cwd=REPO,
        text=True,
        preexec_fn=_capped,
    )
    if out.returncode not in (0, 1) and check:  # 1: some input refused (an empty folder)
        raise RuntimeError(f"counterclaim {' '.join(args)}: exit {out.returncode}\n{out.stderr}")
    if out.returncode not in (0, 1):
        return -1.0, out.stderr.strip().splitlines()[
            -1
        ] if out.stderr.strip() else f"exit {out.returncode}"
    return time.perf_counter() - t, out.stderr


def cli_run(db: Path, *paths: Path) -> float:
    return cli(db, "run", *map(str, paths))[0]


BOARD = """
import asyncio, sys, time
t0 = time.perf_counter()
sys.path.insert(0, "tests")  # the Pilot helpers (cwd: the repository)
from tui.app import BoardApp
from samples.pilot import settle
async def main():
    app = BoardApp(sys.argv[1], "bench", poll_seconds=3600)
    async with app.run_test(size=(160, 48)) as pilot:
        while app.data is None or not app.screen.query_one("#topics").row_count:
            await asyncio.sleep(0.005)
        drawn = asyncio.Event()  # Pilot's pause would wait for the second read too
        app.call_after_refresh(drawn.set)
        await drawn.wait()
        first = time.perf_counter() - t0
        await settle(pilot)  # the most likely contradictions too
        print(first, time.perf_counter() - t0, len(app.data.pairs), app.data.totals is not None)
asyncio.run(main())
"""


def reads(db: Path, tmp: Path) -> None:
    """The reads an analyst waits for on this store, each in a fresh process."""
    top, _ = cli(db, "disputes", "--top", "20")
    pairs, _ = cli(db, "disputes", "--pairs", "--top", "20")
    t = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", BOARD, str(db)], check=True, capture_output=True, cwd=REPO, text=True
    ).stdout.split()
    board = time.perf_counter() - t
    print(f"disputes --top 20 (propositions, new process):   {top:.2f} s")
    print(f"disputes --pairs --top 20 (new process):         {pairs:.2f} s")
    print(
        f"board start-up to a drawn topics table:          "
        f"{board - float(out[1]) + float(out[0]):.2f} s (process; {float(out[0]):.2f} s inside it)"
    )
    print(
        f"  and to every pair it loads:                    {board:.2f} s "
        f"({out[2]} pairs loaded, partial={out[3]})"
    )
    for fmt in ("html", "json"):
        path = tmp / f"report.{fmt}"
        took, err = cli(db, "export", "--format", fmt, "-o", str(path), check=False)
        done = (
            f"{took:.1f} s, {path.stat().st_size / 1e6:.2f} MB"
            if took >= 0
            else (f"not done within {MEMORY_CAP >> 30} GB ({err})")
        )
        print(f"export {fmt}: {done}")


def corpus_part(n: int, tmp: Path) -> None:
    from verify.registry.actors import source_key
    from verify.stages import pipeline as pl
    from verify.stages.pairs import candidate_pairs
    from verify.store.database import Store

    corpus = build_corpus(n, tmp / "corpus")
    db = tmp / "scale.db"
    store = Store(db)
    pipe = pl.Pipeline(store, log=lambda _m: None)
    t = time.perf_counter()
    report = pipe.run([corpus])
    total = time.perf_counter() - t
    claims = len(store.claim_rows())
    n_topics = len(store.topics())
    pairs = report.pairs_total
    size = sum(p.stat().st_size for p in tmp.glob("scale.db*")) / 1e6
    print(
        f"corpus: {n} articles ({report.articles_added} added), {claims} claims, "
        f"{n_topics} topics, {pairs} candidate pairs"
    )
    # The pipeline times its own stages (``RunReport.seconds``, one entry per stage).
    sec = report.seconds
    stages = [
        ("extract (spaCy nlp.pipe)", "ingest+extract", n, "articles"),
        ("embed (MiniLM)", "embed", claims, "claims"),
        ("check-worthiness", "check-worthiness", claims, "claims"),
        ("topics", "topics", claims, "claims"),
        ("propositions", "propositions", claims, "claims"),
        ("candidate pairs", "candidates", claims, "claims"),
        ("stance scoring", "score", report.pairs_scored, "pairs"),
        ("rankings", "rank", claims, "claims"),
    ]
    print(f"{'stage':<26}{'seconds':>9}{'items/s':>10}")
    for label, key, items, unit in stages:
        s = sec.get(key, 0.0)
        print(f"{label:<26}{s:>9.1f}{items / max(s, 1e-9):>10.0f} {unit}")
    print(
        f"{'cold run, total':<26}{total:>9.1f}   stance share {100 * sec.get('score', 0) / total:.0f}%"
        f"   peak RSS {peak_mb():.0f} MB   DB {size:.1f} MB"
    )

    rows = store.claim_rows()
    vecs = pipe.encoder.encode([r["text"] for r in rows])
    sources = [source_key(r["actor"] or r["speaker"], r["outlet"] or "") for r in rows]
    exact = {(i, j) for i, j, _ in candidate_pairs(vecs, sources, k=pipe.k, exact=True)}
    t = time.perf_counter()
    approx = {(i, j) for i, j, _ in candidate_pairs(vecs, sources, k=pipe.k, exact=False)}
    print(
        f"approximate index on these claims: {time.perf_counter() - t:.1f} s, finds "
        f"{100 * len(exact & approx) / max(len(exact), 1):.2f}% of the {len(exact)} exact "
        f"candidates ({len(approx - exact)} others)"
    )
    store.close()

    warm = cli_run(db, corpus)
    extra = tmp / "extra.jsonl"
    extra.write_text(
        json.dumps(
            {
                "text": "Officials in Kyiv said that Russian tanks are still "
                "moving towards the border, the ministry said on Monday.",
                "outlet": "Outlet 99",
            }
        )
        + "\n"
    )
    one, log = cli(db, "run", str(corpus), str(extra))
    incremental_figures(warm, one, log)
    watch_figure(db, tmp)
    reads(db, tmp)


WATCHED = (
    "Officials in Kyiv said that the convoy had turned back "
    "at the border, the ministry said on Tuesday.\n"
)


def watch_figure(db: Path, tmp: Path, text: str = WATCHED) -> None:
    """One article (``text``: one the store does not hold) dropped into a folder under
    `counterclaim watch` (models already loaded): seconds from the drop to the end of its run
    (the board's poller shows it from then)."""
    inbox = tmp / "inbox"
    inbox.mkdir(exist_ok=True)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "verify.cli",
            "watch",
            str(inbox),
            "--db",
            str(db),
            "--interval",
            "0.5",
        ],
        cwd=REPO,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    try:
        for line in proc.stderr:
            if line.startswith("watching "):
                break
        t = time.perf_counter()
        (inbox / "new.txt").write_text(text)
        for line in proc.stderr:
            if line.startswith("1 files: "):
                print(
                    f"one article under watch (drop to stored):  {time.perf_counter() - t:.1f} s"
                    f"  [{line.strip()}]"
                )
                break
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait()


def incremental_figures(warm: float, one: float, log: str) -> None:
    """The warm re-run and one-article-added times, with the run's own summary of what it did."""
    print(f"warm re-run, nothing new (new process): {warm:.1f} s")
    print(f"one article added (new process):        {one:.1f} s")
    print(
        "  "
        + "\n  ".join(line for line in log.splitlines() if "taken in" in line or "full" in line)
    )


def synthetic_part(n: int, tmp: Path) -> None:
    """The stages and reads on ``n`` synthetic articles (``bench/synthetic_store.py``)."""
    sys.path.insert(0, str(REPO / "bench"))
    from synthetic_store import Corpus, add_articles

    from verify.stages import pipeline as pl
    from verify.store.database import Store

    db = tmp / "synthetic.db"
    store = Store(db)
    corpus = Corpus(max(1, n // 8))
    t = time.perf_counter()
    add_articles(store, corpus, 0, n)
    built = time.perf_counter() - t
    lines: list[str] = []
    t = time.perf_counter()
    pl.Pipeline(
        store, log=lambda m: lines.append(f"{time.perf_counter() - t:8.1f} s  {m}")
    ).refresh()
    store.meta.refresh_pending = False
    full = time.perf_counter() - t
    claims = store.db.execute("SELECT COUNT(*) FROM claims").fetchone()[0]
    pairs = store.db.execute("SELECT COUNT(*) FROM pairs").fetchone()[0]
    size = sum(p.stat().st_size for p in tmp.glob("synthetic.db*")) / 1e6
    print(f"synthetic: {n} articles, {claims} claims, {pairs} pairs; built in {built:.0f} s")
    print("full refresh, by stage (cumulative):\n  " + "\n  ".join(lines))
    print(f"full refresh: {full:.0f} s, peak RSS {peak_mb():.0f} MB, DB {size:.0f} MB")
    empty = tmp / "nothing"
    empty.mkdir()
    store.close()
    warm = cli_run(db, empty)
    store = Store(db)
    add_articles(store, corpus, n, 1)
    store.close()
    one, log = cli(db, "run", str(empty))
    incremental_figures(warm, one, log)
    reads(db, tmp)


def vectors_part(n: int, dim: int = 384, seed: int = 0) -> None:
    import numpy as np

    from verify.stages.pairs import candidate_pairs
    from verify.stages.topics import TopicClusterer

    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(max(1, n // 50), dim)).astype(np.float32)
    which = rng.integers(0, len(centres), n)
    vecs = centres[which] + 0.8 * rng.normal(size=(n, dim)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    words = [f"w{i}" for i in range(5000)]
    texts = [" ".join(words[(c * 7 + j) % 5000] for j in range(6)) for c in which]
    sources = [f"s{i}" for i in rng.integers(0, 3000, n)]
    base = peak_mb()
    t = time.perf_counter()
    topics = TopicClusterer().fit(vecs, texts)
    t_topics = time.perf_counter() - t
    t = time.perf_counter()
    pairs = candidate_pairs(vecs, sources, k=8)
    t_pairs = time.perf_counter() - t
    print(f"vectors: {n} synthetic claims (384-d, {len(centres)} centres, 3000 sources)")
    print(
        f"topics: {t_topics:.1f} s, {len(topics.titles_)} topics; candidate pairs: "
        f"{t_pairs:.1f} s, {len(pairs)} pairs; peak RSS {peak_mb():.0f} MB "
        f"({base:.0f} MB before)"
    )
    sub = np.sort(rng.choice(n, size=min(n, 20_000), replace=False))
    src = [sources[i] for i in sub]
    exact = {(i, j) for i, j, _ in candidate_pairs(vecs[sub], src, k=8, exact=True)}
    t = time.perf_counter()
    approx = {(i, j) for i, j, _ in candidate_pairs(vecs[sub], src, k=8, exact=False)}
    print(
        f"approximate index on a {len(sub)}-vector subset: {time.perf_counter() - t:.1f} s, "
        f"finds {100 * len(exact & approx) / max(len(exact), 1):.2f}% of {len(exact)} exact"
    )


def main() -> None:
    from verify.offline import go_offline

    go_offline()  # before any hub library is imported: they read the flags once
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--vectors", type=int, default=100_000)
    ap.add_argument(
        "--synthetic",
        type=int,
        default=0,
        metavar="N",
        help="also the stages and reads on N synthetic articles",
    )
    ap.add_argument("--only", choices=("corpus", "vectors", "synthetic"), help=argparse.SUPPRESS)
    # $COUNTERCLAIM_STANCE=sklearn measures every other stage when cross-encoder scoring of
    # ~100k pairs would not fit the time at hand (its rate: bench/bench_stance.py).
    args = ap.parse_args()
    if args.only == "vectors":
        return vectors_part(args.vectors)
    if args.only in ("corpus", "synthetic"):
        with tempfile.TemporaryDirectory() as tmp:
            part = corpus_part if args.only == "corpus" else synthetic_part
            return part(args.articles if args.only == "corpus" else args.synthetic, Path(tmp))
    from header import print_header

    from verify.settings import Settings

    print_header()
    print(f"stance model: {Settings.from_env().stance_kind} (COUNTERCLAIM_STANCE)")
    for part, n in (
        ("vectors", args.vectors),
        ("corpus", args.articles),
        ("synthetic", args.synthetic),
    ):
        if n:  # each part in its own process, so each peak RSS is its own
            flag = {"vectors": "--vectors", "corpus": "--articles", "synthetic": "--synthetic"}[
                part
            ]
            subprocess.run(
                [sys.executable, __file__, "--only", part, flag, str(n)], check=True, cwd=REPO
            )


if __name__ == "__main__":
    main()
