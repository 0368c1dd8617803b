"""The project's fault campaign: store faults, signals at stage boundaries, hostile text in
every field, paths, registries and Ray addresses (bench/fault_cases.py), each case the real CLI
in a subprocess on its own copy of a store that holds analyst records.

A case fails on: a Python traceback; a raw control, escape, bidi or line-breaking character in
its output (stdout or stderr: JSON must escape them too); a nonzero exit without a message; a
hang past its timeout. Separately, every analyst record of the case's store (tags and their
retractions, corrections, analyst propositions and their retractions, stance tags) must still
be there after it, unless the case broke the store on purpose.

    .venv/bin/python bench/fault_campaign.py                    # every case (~350)
    .venv/bin/python bench/fault_campaign.py --sample 40 --seed 3 [--kinds hostile,registry]

It prints each failure, then tried / failures (by reason) / analyst records lost, per kind.
``run_campaign`` is what tests/test_fault_campaign.py samples.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))
from fault_cases import Case, all_cases  # noqa: E402 - the paths above first

# Analyst input: what a fault must never lose (table, the rows that are the analysts').
ANALYST_ROWS = {
    "tags": "",
    "tag_retractions": "",
    "claim_corrections": "",
    "propositions": "WHERE origin = 'analyst'",
    "proposition_retractions": "",
    "stance_tags": "",
    "stance_tag_retractions": "",
}
_HIDDEN = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
SMALL = "The mayor of Lakeside said the new bridge will reopen next week, officials confirmed.\n"
CORPUS = [
    {
        "text": "Ivan Petrov said that the dam on the river is safe and will hold. Officials in "
        "Kyiv said the bridge will reopen next week.",
        "outlet": "Daily",
    },
    {
        "text": "Maria Ivanova said that the dam on the river is not safe and will break. The "
        "mayor said the bridge will stay closed for a month.",
        "outlet": "Weekly",
    },
]


def _env(folder: Path | None = None) -> dict[str, str]:
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", PYTHONPATH=str(REPO))
    env.pop("COUNTERCLAIM_DB", None)
    env["COUNTERCLAIM_ANALYST"] = "campaign"
    if folder is not None:
        env["XDG_CONFIG_HOME"] = str(folder / "config")
    return env


def build_base(folder: Path, from_db: Path | None = None) -> Path:
    """A store with engine output and one analyst record of every kind."""
    import json

    from verify.propositions.edit import pin_claim, tag_stance
    from verify.store.database import Store

    db = folder / "base.db"
    if from_db is not None:
        shutil.copyfile(from_db, db)
    else:
        corpus = folder / "corpus.jsonl"
        corpus.write_text("\n".join(json.dumps(r) for r in CORPUS))
        cmd = [sys.executable, "-m", "verify.cli", "run", "--db", str(db), str(corpus)]
        subprocess.run(cmd, cwd=REPO, env=_env(), check=True, capture_output=True)
    store = Store(db)
    pair = store.db.execute("SELECT MIN(id) FROM pairs").fetchone()[0]
    claims = [r[0] for r in store.db.execute("SELECT id FROM claims ORDER BY id LIMIT 3")]
    store.add_tag(pair, "contradiction", "ann", "kept")
    store.add_tag(pair, "unrelated", "bob", "also kept")
    store.correct_claim(claims[0], "ann", side="West")
    pid = pin_claim(store, claims[1], "ann")
    tag_stance(store, pid, claims[0], "supports", "ann", "kept")
    store.close()
    return db


def analyst_rows(db: Path) -> set[tuple[str, int]] | None:
    """(table, rowid) of every analyst record; None when the file is no readable store."""
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=60)
        try:
            return {
                (table, rowid)
                for table, where in ANALYST_ROWS.items()
                for (rowid,) in con.execute(f"SELECT rowid FROM {table} {where}")
            }
        finally:
            con.close()
    except sqlite3.Error:
        return None


def raw_characters(text: str) -> list[str]:
    return sorted(
        {f"U+{ord(c):04X}" for c in text if c != "\n" and unicodedata.category(c) in _HIDDEN}
    )


@dataclass
class Outcome:
    case: Case
    failures: list[str] = field(default_factory=list)
    lost: int = 0
    seconds: float = 0.0


def _format(argv: list[str], folder: Path, db: str, small: Path) -> list[str]:
    values = {"db": db, "dir": str(folder), "small": str(small), "dir_name": folder.name}
    out = []
    for arg in argv:  # not str.format: hostile values hold braces of their own
        for key, value in values.items():
            arg = arg.replace("{" + key + "}", value)
        out.append(arg)
    return out


def _signalled(cmd: list[str], cwd: Path, env: dict, sig: int, pattern: str, timeout: float):
    """Run ``cmd``; send ``sig`` when a stderr line matches ``pattern`` ("" : at start-up)."""
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stderr is not None and proc.stdout is not None
    err: list[bytes] = []
    if not pattern:
        time.sleep(0.3)
        proc.send_signal(sig)
    else:
        regex = re.compile(pattern)
        for line in iter(proc.stderr.readline, b""):
            err.append(line)
            if regex.search(line.decode("utf-8", "replace")):
                proc.send_signal(sig)
                break
    try:
        out, rest = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, rest = proc.communicate()
        return None, out, b"".join(err) + rest
    return proc.returncode, out, b"".join(err) + rest


def run_case(case: Case, base: Path, root: Path, index: int) -> Outcome:
    t0 = time.perf_counter()
    folder = root / f"case{index:04d}"
    folder.mkdir()
    store = folder / "store.db"
    shutil.copyfile(base, store)
    small = folder / "small.txt"
    small.write_text(SMALL.replace("Lakeside", f"Lakeside{index}"))
    for name, body in case.files.items():
        if body is None:
            (folder / name).mkdir()
        else:
            (folder / name).write_bytes(body.encode() if isinstance(body, str) else body)
    if case.config is not None:
        (folder / "config" / "counterclaim").mkdir(parents=True)
        (folder / "config" / "counterclaim" / "config.toml").write_text(case.config)
    db = case.setup(folder, store) if case.setup else str(store)
    before = analyst_rows(store) if case.keeps_store else None
    outcome = Outcome(case)
    env = _env(folder)
    commands = [case.argv, *case.then]
    for n, argv in enumerate(commands):
        cmd = [sys.executable, "-m", "verify.cli", argv[0], "--db", db]
        cmd += _format(argv[1:], folder, db, small)
        if n == 0 and case.signal_at is not None:
            rc, out, err = _signalled(cmd, folder, env, *case.signal_at, case.timeout)
        else:
            try:
                done = subprocess.run(  # in its folder: a relative output stays there
                    cmd, cwd=folder, env=env, capture_output=True, timeout=case.timeout
                )
                rc, out, err = done.returncode, done.stdout, done.stderr
            except subprocess.TimeoutExpired as exc:
                rc, out, err = None, exc.stdout or b"", exc.stderr or b""
        outcome.failures += judge(argv[0], rc, out, err)
    if before is not None:
        after = analyst_rows(store) or set()
        outcome.lost = len(before - after)
    outcome.seconds = time.perf_counter() - t0
    _release(folder)
    return outcome


def judge(command: str, rc: int | None, out: bytes, err: bytes) -> list[str]:
    """What is wrong with one command's outcome (nothing: [])."""
    text_out, text_err = out.decode("utf-8", "replace"), err.decode("utf-8", "replace")
    found = []
    if rc is None:
        found.append(f"{command}: hang (killed after its timeout)")
    if "Traceback (most recent call last)" in text_out + text_err:
        last = [line for line in text_err.splitlines() if line.strip()][-1:] or ["?"]
        found.append(f"{command}: traceback ({last[0][:120]})")
    raw = raw_characters(text_out + text_err)
    if raw:
        found.append(f"{command}: raw {', '.join(raw[:6])} in its output")
    if rc not in (None, 0) and not text_err.strip():
        found.append(f"{command}: exit {rc} without a message")
    return found


def _release(folder: Path) -> None:
    for p in folder.rglob("*"):  # read-only folders: make them removable
        if p.is_dir() and not p.is_symlink():
            p.chmod(0o755)
    shutil.rmtree(folder, ignore_errors=True)


def run_campaign(
    cases: list[Case], base_db: Path | None = None, echo=print
) -> tuple[list[Outcome], Counter]:
    """Run ``cases``; their outcomes and the totals (tried, failures, lost, per kind)."""
    root = Path(tempfile.mkdtemp(prefix="fault_campaign_"))
    try:
        base = build_base(root, base_db)
        outcomes = []
        for i, case in enumerate(cases):
            outcome = run_case(case, base, root, i)
            outcomes.append(outcome)
            for failure in outcome.failures:
                echo(f"FAIL {case.kind}/{case.name!r}: {failure}")
            if outcome.lost:
                echo(f"LOST {case.kind}/{case.name!r}: {outcome.lost} analyst records")
    finally:
        _release(root)
    totals: Counter = Counter()
    for o in outcomes:
        totals["tried"] += 1
        totals[f"tried {o.case.kind}"] += 1
        totals["failures"] += bool(o.failures)
        totals[f"failures {o.case.kind}"] += bool(o.failures)
        totals["lost"] += o.lost
        for f in o.failures:
            reason = f.split(": ", 1)[1].split(" (")[0].split(" in its")[0]
            totals[f"reason {re.sub(r'U[+][0-9A-F]+.*', 'U+…', reason)}"] += 1
    return outcomes, totals


def pick(cases: list[Case], sample: int | None, seed: int, kinds: set[str] | None) -> list[Case]:
    chosen = [c for c in cases if kinds is None or c.kind in kinds]
    if sample is not None and sample < len(chosen):
        chosen = random.Random(seed).sample(chosen, sample)
    return chosen


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sample", type=int, help="run this many cases, drawn with --seed")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--kinds", help="comma-separated: store,signals,hostile,paths,registry,ray")
    ap.add_argument("--base", type=Path, help="start from a copy of this store (default: build)")
    args = ap.parse_args()
    kinds = set(args.kinds.split(",")) if args.kinds else None
    cases = pick(all_cases(args.seed), args.sample, args.seed, kinds)
    t0 = time.perf_counter()
    _, totals = run_campaign(cases, args.base)
    print()
    print(f"command: {' '.join(sys.argv)}")
    for kind in sorted({c.kind for c in cases}):
        print(
            f"  {kind:9s} tried {totals[f'tried {kind}']:4d}  failures {totals[f'failures {kind}']}"
        )
    for key, n in sorted(totals.items()):
        if key.startswith("reason "):
            print(f"  {n:4d} x {key[len('reason ') :]}")
    print(
        f"tried {totals['tried']} / failures {totals['failures']} / analyst records lost "
        f"{totals['lost']}  ({time.perf_counter() - t0:.0f}s)"
    )
    return 1 if totals["failures"] or totals["lost"] else 0


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.default_int_handler)
    sys.exit(main())
