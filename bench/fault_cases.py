"""The fault campaign's cases (bench/fault_campaign.py runs them): six kinds, each a list of
``Case``s that run the real CLI in a subprocess, in a folder of their own.

- store: a broken ``--db`` (not SQLite, truncated, corrupt, a directory, /dev/full, another
  application's SQLite file, a typo, read-only, garbage WAL) under every command;
- signals: SIGINT and SIGTERM to ``run``, ``train``, ``recluster``, ``export`` and the listings at
  each stage boundary (the moment a stage's stderr line appears) and at start-up;
- hostile: analyst fields (names, notes, propositions, corrections, stance tags) and article
  fields (text, outlet, title) set to terminal escapes, bidi overrides, line breaks, markup,
  then every listing read back;
- paths: ``export -o`` onto the store and its WAL, folders, /dev/full, missing folders, long and
  hostile names, in every format; ``run`` on missing and hostile paths;
- registry (bench/fault_registries.py): wrong types, alias bombs, deep nesting, duplicates,
  huge, not UTF-8, and seeded random mutations of a good registry, under ``run`` and ``export``;
- ray: ``run --ray`` at addresses that are invalid, closed, not Ray, or hostile.

A case's ``argv`` may name ``{db}`` (the case's copy of the base store), ``{dir}`` (its folder)
and ``{small}`` (a small article file made for it)."""

from __future__ import annotations

import json
import random
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fuzz_inputs import MARKUP, NAME_BITS

Setup = Callable[[Path, Path], str]  # (case folder, its store copy) -> the --db to use


@dataclass
class Case:
    kind: str
    name: str
    argv: list[str]
    setup: Setup | None = None  # a store fault: makes the --db the case uses
    signal_at: tuple[int, str] | None = None  # (signal, stderr regex: "" = at start-up)
    keeps_store: bool = True  # the store is whole: its analyst records must all survive
    timeout: float = 120.0
    then: list[list[str]] = field(default_factory=list)  # more commands on the same store
    config: str | None = None  # config.toml text for this case
    files: dict[str, str | bytes | None] = field(default_factory=dict)  # None: a folder


HOSTILE = (
    "\x1b[41mRED\x1b[0m \x1b]0;pwned\x07 \x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\ "
    "\x9b31mCSI \u202eevil\u202c \u2066iso\u2069 \u200e\u200f\u061c \u2028\u2029\x85\r"
    "\nfake: tag 999 = contradiction"
)

# -- store faults --------------------------------------------------------------------------


def _write(path: Path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)


def _damage(offset: int, size: int, seed: int) -> Setup:
    def setup(folder: Path, db: Path) -> str:
        raw = bytearray(db.read_bytes())
        at = offset if offset >= 0 else len(raw) // 2
        rng = random.Random(seed)
        raw[at : at + size] = bytes(rng.randrange(256) for _ in range(size))
        return _write(db, bytes(raw))

    return setup


def _truncated(folder: Path, db: Path) -> str:
    return _write(db, db.read_bytes()[: db.stat().st_size // 2])


def _foreign(folder: Path, db: Path) -> str:
    import sqlite3

    path = folder / "other_app.sqlite"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT)")
    con.execute("INSERT INTO notes(body) VALUES ('keep me')")
    con.commit()
    con.close()
    return str(path)


def _readonly_dir(folder: Path, db: Path) -> str:
    ro = folder / "ro"
    ro.mkdir()
    target = ro / "store.db"
    db.rename(target)
    ro.chmod(0o555)
    return str(target)


def _wal_garbage(folder: Path, db: Path) -> str:
    Path(f"{db}-wal").write_bytes(b"\x37\x7f\x06\x82" + bytes(range(256)) * 20)
    return str(db)


def _directory(folder: Path, db: Path) -> str:
    (folder / "a_dir.db").mkdir()
    return str(folder / "a_dir.db")


STORE_FAULTS: dict[str, tuple[Setup, bool]] = {  # name -> (setup, is the store still whole?)
    "not_sqlite": (lambda f, d: _write(f / "notes.db", b"hello, not a database\n" * 40), False),
    "empty_file": (lambda f, d: _write(f / "empty.db", b""), False),
    "truncated": (_truncated, False),
    "corrupt_middle": (_damage(-1, 4096, 1), False),
    "zeroed_header": (_damage(0, 100, 2), False),
    "directory": (_directory, False),
    "dev_full": (lambda f, d: "/dev/full", False),
    "dev_null": (lambda f, d: "/dev/null", False),
    "missing_typo": (lambda f, d: str(f / "countreclaim.db"), False),
    "foreign_sqlite": (_foreign, False),
    "readonly_file": (lambda f, d: (d.chmod(0o444), str(d))[1], True),
    "readonly_dir": (_readonly_dir, True),
    "wal_garbage": (_wal_garbage, True),
}
STORE_COMMANDS = [
    line.split(" ")
    for line in (
        "claims",
        "claims --json",
        "disputes",
        "disputes --pairs --top 84",
        "propositions --json",
        "agreement",
        "export -o {dir}/report.md",
        "tag 1 contradiction --analyst ann",
        "correct 1 --side West --analyst ann",
        "propose --claim 2 --analyst ann --no-score",
        "run {small}",
    )
]


def store_cases() -> list[Case]:
    out = []
    for fault, (setup, whole) in STORE_FAULTS.items():
        for argv in STORE_COMMANDS:
            name = f"{fault}/{' '.join(argv[:2])}"
            out.append(Case("store", name, argv, setup=setup, keeps_store=whole))
    return out


# -- signals at stage boundaries -----------------------------------------------------------

RUN_STAGES = [
    "",
    r"^ingested ",
    r"^embedded ",
    r"^\d+ topics",
    r"stances with",
    r"propositions,",
    r"^scored \d+ pairs",
    r"candidate pairs",
]
TRAIN_STAGES = ["", r"^training with", r"^\[1\]", r"^\[2\]", r"^\[3\]", r"^\[4\]", r"^\[5\]"]


def signal_cases() -> list[Case]:
    out = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        tag = sig.name
        for stage in RUN_STAGES:
            out.append(
                Case(
                    "signals",
                    f"run@{stage or 'start'}/{tag}",
                    ["run", "{small}"],
                    signal_at=(sig, stage),
                    then=[["disputes", "--json"]],
                )
            )
        for stage in TRAIN_STAGES:
            out.append(
                Case(
                    "signals",
                    f"train@{stage or 'start'}/{tag}",
                    ["train"],
                    signal_at=(sig, stage),
                    then=[["disputes", "--pairs", "--json"]],
                )
            )
        for argv, stage in (
            (["recluster"], ""),
            (["recluster"], r"topics"),
            (["export", "-o", "{dir}/r.html", "--format", "html"], ""),
            (["export", "-o", "{dir}/r.json", "--format", "json"], ""),
            (["disputes"], ""),
            (["claims"], ""),
            (["propositions"], ""),
        ):
            out.append(
                Case("signals", f"{argv[0]}@{stage or 'start'}/{tag}", argv, signal_at=(sig, stage))
            )
    return out


# -- hostile text in every field -----------------------------------------------------------


def hostile_strings(rng: random.Random, n: int) -> list[str]:
    """``HOSTILE``, ``MARKUP`` and ``n`` seeded mixes of fuzz_inputs' hostile name pieces."""
    mixes = ["".join(rng.choice(NAME_BITS) for _ in range(6)) + " x" for _ in range(n)]
    return [HOSTILE, MARKUP, *mixes]


LISTINGS = [
    line.split(" ")
    for line in (
        "claims",
        "claims --json",
        "disputes",
        "disputes --json",
        "disputes --pairs --top 84",
        "disputes --pairs --json",
        "propositions",
        "propositions --json",
        "agreement",
        "agreement --json",
    )
]


def hostile_cases(rng: random.Random) -> list[Case]:
    out = []
    for i, h in enumerate(hostile_strings(rng, 6)):
        writes = {
            "tag": ["tag", "1", "contradiction", "--analyst", h, "--note", h],
            "tag2": ["tag", "1", "unrelated", "--analyst", f"{h}2", "--note", h],
            "propose": [
                "propose",
                f"the dam will hold {h}",
                "--topic",
                "1",
                "--analyst",
                h,
                "--no-score",
            ],
            "correct": ["correct", "1", "--speaker", h, "--actor", h, "--side", h, "--analyst", h],
            "stance": ["stance", "1", "1", "supports", "--analyst", h, "--note", h],
            "settle": ["settle", "1", "contradiction", "--analyst", "rita", "--note", h],
        }
        for what, argv in writes.items():
            out.append(
                Case(
                    "hostile",
                    f"{what}#{i}",
                    argv,
                    then=[rng.choice(LISTINGS)],
                    config='reviewers = ["rita"]\n',
                )
            )
        out.append(
            Case(
                "hostile",
                f"analyst-config#{i}",
                ["tag", "2", "neutral"],
                config=f"analyst = {json.dumps(h)}\n",
                then=[["agreement"]],
            )
        )
    for i, h in enumerate(hostile_strings(rng, 1)):
        out.append(
            Case(
                "hostile",
                f"article#{i}",
                ["run", "{dir}/hostile.jsonl"],
                then=[["claims"], ["disputes"], ["disputes", "--pairs"], ["propositions"]],
                files={"hostile.jsonl": hostile_article(h)},
            )
        )
    return out


def hostile_article(h: str) -> str:
    rows = [
        {
            "text": f"Ivan Petrov said that the dam is safe {h}. Officials said the road is open.",
            "outlet": f"Daily {h}",
            "title": f"Dam {h}",
        },
        {"text": f"Maria Ivanova said that the dam is not safe {h}.", "outlet": f"Weekly {h}"},
    ]
    return "\n".join(json.dumps(r) for r in rows)


# -- paths ---------------------------------------------------------------------------------

OUTPUTS = {
    "the_store": "{db}",
    "the_wal": "{db}-wal",
    "the_shm": "{db}-shm",
    "missing_folder": "{dir}/no/such/folder/r.out",
    "a_folder": "{dir}",
    "dev_full": "/dev/full",
    "empty": "",
    "hostile_name": "{dir}/r\x1b[31m\u202e\nfake.out",
    "long_name": "{dir}/" + "n" * 300 + ".out",
    "through_a_file": "{small}/r.out",
    "dotdot_store": "{dir}/../{dir_name}/store.db",
}
FORMATS = ["md", "html", "json", "csv", "claimreview"]


def path_cases() -> list[Case]:
    out = []
    for name, target in OUTPUTS.items():
        for fmt in FORMATS:
            argv = ["export", "--format", fmt, "-o", target]
            out.append(Case("paths", f"export {fmt} -> {name}", argv))
    for name, target in {
        "missing": "{dir}/missing.txt",
        "hostile_missing": "{dir}/\x1b[31mred\u202e\n.txt",
        "a_device": "/dev/null",
        "empty": "",
        "the_store_as_article": "{db}",
    }.items():
        out.append(Case("paths", f"run {name}", ["run", target]))
    return out


# -- Ray addresses -------------------------------------------------------------------------

RAY_ADDRESSES = [
    "host[1:6379",
    "localhost:1",
    "127.0.0.1:9",
    "auto",
    "",
    "http://x:1",
    "[::1]:99999",
    "a" * 300,
    "host\x1b[31m:1",
    "256.1.1.1:6379",
    "localhost:-1",
    ":6379",
    "127.0.0.1:22",
]


def ray_cases() -> list[Case]:
    return [
        Case(
            "ray", f"run --ray {address[:40]!r}", ["run", "{small}", "--ray", address], timeout=150
        )
        for address in RAY_ADDRESSES
    ]


def all_cases(seed: int) -> list[Case]:
    from fault_registries import registry_cases  # it builds on this module's Case

    rng = random.Random(seed)
    cases = hostile_cases(rng) + registry_cases(rng)
    return store_cases() + signal_cases() + cases + path_cases() + ray_cases()
