"""Fuzzing campaign for ingestion: hostile files of every input format through the real CLI.

Writes seeded hostile inputs (.txt with and without .meta.yaml sidecars, .md with front
matter, .html, .jsonl, .csv, folders and symlinks), runs `python -m verify.cli run` on them in
batches against a database that a good run filled first, and checks: no traceback on stderr,
every refusal one line naming a file that was given and a reason, every stderr line a known
kind, every stored row of the good run still there, every run marked finished. One batch is
killed mid-run (SIGKILL): the next run must mark it interrupted and lose nothing.

    .venv/bin/python bench/fuzz_inputs.py [--files 1200] [--batches 4] [--seed 7]

``generate`` is also what tests/test_fuzz_inputs.py samples (smaller, in-process).
"""

from __future__ import annotations

import argparse
import codecs
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from verify.printable import printable  # noqa: E402 - after the repo is on the path

# Pieces of hostile file names: terminal escapes, line breaks, bidi and zero-width marks,
# markup, shell syntax, quotes, a byte that is not UTF-8 (surrogate-escaped), wide text.
NAME_BITS = [
    "\x1b[31m",
    "\x1b]0;pwned\x07",
    "\n",
    "\r",
    "\t",
    "\x7f",
    "\x08",
    "\u202e",
    "\u200b",
    "\u2028",
    "[bold]",
    "[/]",
    "<script>",
    "$(id)",
    "; ls",
    "'",
    '"',
    "*",
    " ",
    "…",
    "日本",
    "\udcff",
    "\udc80",
    "-",
    "--db",
    "%s",
    "{0}",
    "\\",
    "\u0301",
]
GOOD = [
    "Officials in {town} said that the dam on the river is safe and will hold.",
    "The mayor of {town} said the bridge will reopen next week.",
    '"We will not leave {town}," the commander said on Tuesday.',
]
NARRATIVE = "Rain fell on {town} again today, and the market opened late. "
MARKUP = (
    "[bold red]x[/] <script>alert(1)</script> <img src=x onerror=alert(1)> \x1b[2J\x1b[31mred"
    "\x1b[0m \x07 \u202eevil\u202c *md* &amp; ${{jndi:x}} {{{{7*7}}}} %n%s"
)


class Fuzz:
    """Writes hostile inputs under ``root``; ``made`` counts the files written."""

    def __init__(self, root: Path, seed: int, scale: float = 1.0) -> None:
        self.root, self.rng, self.scale, self.made = root, random.Random(seed), scale, 0
        self.n = 0

    # -- helpers ---------------------------------------------------------------------------
    def size(self, n: int) -> int:
        return max(1, int(n * self.scale))

    def town(self) -> str:
        self.n += 1
        return f"Town{self.n}x{self.rng.randrange(10**6)}"  # unique: no article is a duplicate

    def good(self) -> str:
        return self.rng.choice(GOOD).format(town=self.town())

    def name(self, ext: str) -> str:
        bits = "".join(self.rng.choice(NAME_BITS) for _ in range(self.rng.randint(0, 3)))
        stem = f"f{self.n:05d}{bits}"
        self.n += 1
        return stem.replace("/", "_") + ext

    def write(self, folder: Path, name: str, data: bytes | str) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
        with open(os.fsencode(path), "wb") as f:
            f.write(raw)
        self.made += 1
        return path

    # -- bodies ----------------------------------------------------------------------------
    def body(self) -> bytes:
        """A hostile article body as bytes: one of many kinds, some of them good."""
        r, text = self.rng, self.good()
        kinds: list[Callable[[], bytes]] = [
            lambda: text.encode(),
            lambda: b"",
            lambda: b" \n\t\r\n \x0b\x0c",
            lambda: bytes(r.randrange(256) for _ in range(r.randint(1, 400))),
            lambda: text.encode()[:10] + b"\x00" + text.encode()[10:],
            lambda: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
            lambda: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
            lambda: text.encode("utf-16-le"),  # no BOM: NUL bytes
            lambda: codecs.BOM_UTF16_LE + text.encode("utf-16-le")[:-1],  # odd length
            lambda: (text + " café naïve").encode("latin-1"),
            lambda: codecs.BOM_UTF8 + text.encode(),
            lambda: codecs.BOM_UTF8 + codecs.BOM_UTF8 + text.encode(),
            lambda: (text + " 日本語").encode()[:-1],  # truncated UTF-8
            lambda: text.encode() + b"\xed\xa0\x80",  # an encoded surrogate
            lambda: text.encode() + b"\xc0\xaf",  # overlong "/"
            lambda: (text + " " + MARKUP).encode(),
            lambda: (text + "\r\n" + "\r".join(GOOD[:2]).format(town="X")).encode(),
            lambda: (text + " " + " ".join(f"rain{i}" for i in range(self.size(6000)))).encode(),
            lambda: ("x" * self.size(150_000)).encode(),  # one huge token
            lambda: ("\n" * self.size(50_000) + text).encode(),
            lambda: (text + "\n\n" + "\u200b\u202e\ufeff" * 200).encode(),
            lambda: (
                "".join(
                    chr(r.choice([0x7, 0x1B, 0x85, 0x2028, 0xFFFE, 0x10FFFF])) for _ in range(50)
                ).encode("utf-8", "surrogatepass")
                + text.encode()
            ),
        ]
        return r.choice(kinds)()

    def yaml_meta(self) -> bytes:
        """A sidecar or front matter: good, garbage, nested, bombs, bad dates, wrong types."""
        r = self.rng
        kinds = [
            "title: Fine\noutlet: TASS\ndate: 2022-02-15\n",
            "date: 9999-99-99\n",
            "date: 2022-02-30\n",
            "date: 31 February 2022\n",
            "date: 45/13/2022\n",
            "date: tomorrow-ish\n",
            "date: 2022-13-01 10:00:00\n",
            "date: [2022\n",
            "title: {a: 1}\n",
            "author: [[1, 2], 3]\n",
            "- a\n- b\n",
            "just a string\n",
            "title: " + "[" * 3000 + "\n",
            "title: " + "[" * 500 + "]" * 500,
            "a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
            "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\ntitle: [*c, *c, *c, *c, *c]\n",
            "title: !!python/object/apply:os.system ['echo pwned']\n",
            "? [a, b]\n: c\n",
            "title: \x1b[31mred\x07\n",
            "\t\ttitle: tab\n",
            "outlet: 12\ndate: 20220215\nurl: true\nauthor: null\n",
            "title: " + "long " * self.size(20_000) + "\n",
            "%YAML 9.9\n---\ntitle: x\n",
            "title: x\n---\ntitle: y\n",
            'title: "unclosed\n',
            "date: !!timestamp nope\n",
        ]
        out = r.choice(kinds).encode("utf-8")
        if r.random() < 0.1:
            out = r.choice([out.decode().encode("utf-16"), b"title: caf\xe9\n", b"\x00\x01"])
        return out

    # -- formats ---------------------------------------------------------------------------
    def txt(self, d: Path) -> None:
        path = self.write(d, self.name(".txt"), self.body())
        if self.rng.random() < 0.5:
            sidecar = path.name + ".meta.yaml" if self.rng.random() < 0.7 else None
            sidecar = sidecar or path.name[: -len(".txt")] + ".meta.yaml"
            self.write(d, sidecar, self.yaml_meta())

    def md(self, d: Path) -> None:
        r, body = self.rng, self.body()
        front = self.yaml_meta()
        shape = r.choice(["ok", "unclosed", "dots", "empty", "only", "crlf", "bom"])
        data = {
            "ok": b"---\n" + front + b"\n---\n" + body,
            "unclosed": b"---\n" + front + body,
            "dots": b"---\n" + front + b"\n...\n" + body,
            "empty": b"---\n---\n" + body,
            "only": b"---\n" + front + b"\n---\n",
            "crlf": (b"---\n" + front + b"\n---\n" + body).replace(b"\n", b"\r\n"),
            "bom": codecs.BOM_UTF8 + b"---\n" + front + b"\n---\n" + body,
        }[shape]
        self.write(d, self.name(".md"), data)

    def html(self, d: Path) -> None:
        r, text = self.rng, self.good()
        deep = self.size(5000)
        kinds = [
            f"<html><head><title>T</title></head><body><article><p>{text}</p></article></body></html>",
            f"<p>{text}",
            "<html><body><script>alert(1)</script><style>p{}</style></body></html>",
            "<div>" * deep + f"<p>{text}</p>" + "</div>" * deep,
            f'<?xml version="1.0" encoding="utf-8"?><html><body><p>{text}</p></body></html>',
            f'<meta charset="klingon"><p>{text} caf\u00e9</p>',
            f'<meta charset="utf-16"><p>{text}</p>',
            f"<p>{text} &#0; &#xD800; &#x110000; &bogus; &#99999999999;</p>",
            f"<p title='{'x' * self.size(100_000)}'>{text}</p>",
            f"<![CDATA[<p>{text}</p>]]><!-- <p>hidden</p>",
            f"<html><body><p>{text} {MARKUP}</p></body></html>",
            f'<html><head><meta property="article:published_time" content="9999-99-99">'
            f'<meta name="author" content="\x1b[31mEvil"></head><body><p>{text}</p></body></html>',
            "",
            "<" * self.size(10_000),
        ]
        data = r.choice(kinds).encode("utf-8", "surrogatepass")
        if r.random() < 0.15:
            data = r.choice(
                [
                    data.decode("utf-8", "replace").encode("cp1252", "replace"),
                    codecs.BOM_UTF16_LE + data.decode("utf-8", "replace").encode("utf-16-le"),
                    self.body(),
                ]
            )
        self.write(d, self.name(r.choice([".html", ".htm", ".HTML"])), data)

    def jsonl(self, d: Path) -> None:
        r = self.rng
        rows = []
        for _ in range(r.randint(1, 8)):
            text = self.good()
            rows.append(
                r.choice(
                    [
                        json.dumps({"text": text, "outlet": "TASS", "date": "2022-02-15"}),
                        json.dumps(
                            {"text": text, "date": r.choice(["9999-99-99", "2022-02-30", 12, None])}
                        ),
                        json.dumps({"text": r.choice([42, None, [text], {"a": text}, True, ""])}),
                        json.dumps({"TEXT": text, "Text": "shadowed"}),
                        json.dumps({"text": text, "title": {"nested": [1, {"a": 2}]}}),
                        json.dumps({"text": text, "author": ["a", "b", 3]}),
                        json.dumps([text]),
                        "null",
                        "42",
                        '"a string"',
                        "{not json",
                        "{",
                        "",
                        '{"text": "' + text + '\\ud800 lone"}',
                        '{"text": "' + text + '\\u0000\\u001b[31m"}',
                        "[" * self.size(50_000) + "]" * self.size(50_000),
                        '{"text": ' + "1" * 5000 + "}",
                        '{"text": "' + text + '", "outlet": 1e999999}',
                        '{"text": "' + text + '"} trailing',
                        json.dumps({"text": text + " " + MARKUP}, ensure_ascii=r.random() < 0.5),
                        '{"text": "' + text + '", "text": 5}',
                    ]
                )
            )
        data = "\n".join(rows).encode()
        if r.random() < 0.15:
            data = r.choice(
                [data.decode().encode("utf-16"), data + b"\x00", data[:-3] + b"\xe2\x82"]
            )
        self.write(d, self.name(".jsonl"), data)

    def csv(self, d: Path) -> None:
        r = self.rng
        head = r.choice(
            [
                "text,outlet,date",
                "outlet;text;date",
                "date\ttext",
                "body,outlet",
                "TEXT , Outlet",
                "",
                "text,text,date",
                '"te""xt",outlet',
            ]
        )
        lines = [head]
        for _ in range(r.randint(0, 8)):
            text = self.good()
            lines.append(
                r.choice(
                    [
                        f'"{text}",CNN,2022-02-15',
                        f'CNN;"{text}";2022-02-15',
                        f"2022-02-15\t{text}",
                        f'"{text}",CNN,9999-99-99',
                        f'"{text}",CNN,31 February 2022',
                        f'"{text}",,',
                        f'"{text}',
                        f'"{text}"x,CNN',
                        f"{text},{'x,' * 500}",
                        "",
                        ",,,,",
                        '"',
                        f'"{text}\n{MARKUP}",CNN,',
                        f'"{text}",\x1b[31mCNN,2022',
                        "\ufeff" + text,
                        f'"{"y" * self.size(200_000)}",CNN,',
                    ]
                )
            )
        data = "\r\n".join(lines).encode() if r.random() < 0.3 else "\n".join(lines).encode()
        if r.random() < 0.15:
            data = r.choice(
                [
                    codecs.BOM_UTF8 + data,
                    data.decode().encode("utf-16"),
                    data.replace(b",", b"\x00", 1),
                    data.decode().encode("latin-1", "replace"),
                ]
            )
        self.write(d, self.name(".csv"), data)

    def oddities(self, d: Path) -> None:
        """Folders, symlinks, special files and names that are not what they seem."""
        r = self.rng
        d.mkdir(parents=True, exist_ok=True)
        kind = r.choice(
            [
                "loop",
                "dangling",
                "devnull",
                "devzero",
                "dir_txt",
                "deep",
                "empty",
                "hidden",
                "unknown",
                "sidecar_dir",
                "fifo",
                "self_link",
                "noperm",
            ]
        )
        n = self.name("")
        if kind == "loop":
            (d / n).mkdir()
            os.symlink("..", d / n / "up")
            self.txt(d / n)
        elif kind == "dangling":
            os.symlink(d / "nowhere.txt", os.fsencode(d / (n + ".txt")))
        elif kind == "devnull":
            os.symlink("/dev/null", os.fsencode(d / (n + ".txt")))
        elif kind == "devzero":
            os.symlink("/dev/zero", os.fsencode(d / (n + ".md")))
        elif kind == "dir_txt":
            self.txt(d / (n + ".txt"))
        elif kind == "deep":
            deep = d / n
            for i in range(40):
                deep = deep / f"d{i}"
            self.md(deep)
        elif kind == "empty":
            (d / n / "empty").mkdir(parents=True)
        elif kind == "hidden":
            self.write(d, "." + n + ".txt", self.good())
        elif kind == "unknown":
            self.write(d, n + r.choice([".pdf", ".docx", "", ".txt~", ".yaml"]), self.body())
        elif kind == "sidecar_dir":
            path = self.write(d, n + ".txt", self.good())
            (d / (path.name + ".meta.yaml")).mkdir()
        elif kind == "fifo":
            os.mkfifo(os.fsencode(d / (n + ".txt")))
        elif kind == "self_link":
            os.symlink(os.fsencode(n + ".txt"), os.fsencode(d / (n + ".txt")))
        elif kind == "noperm":
            path = self.write(d, n + ".txt", self.good())
            path.chmod(0)
        self.made += 1

    def batch(self, folder: Path, files: int) -> None:
        makers = [
            self.txt,
            self.txt,
            self.md,
            self.md,
            self.html,
            self.jsonl,
            self.csv,
            self.oddities,
        ]
        start = self.made
        while self.made - start < files:
            sub = folder / self.rng.choice(["a", "b", "c\x1b[1m", "d\nnew", "e/f"])
            self.rng.choice(makers)(sub)

    def big_article(self, folder: Path, chars: int = 1_050_000) -> Path:
        """One article over spaCy's 1,000,000-character limit: narrative, claims at both ends."""
        paras = [self.good()]
        total = 0
        while total < chars:
            para = NARRATIVE.format(town=f"Village{len(paras)}") * 8
            paras.append(para)
            total += len(para) + 2
        paras.append(self.good())
        return self.write(folder, "big.txt", "\n\n".join(paras))


def generate(root: Path, files: int, seed: int, scale: float = 1.0) -> int:
    """Write about ``files`` hostile inputs under ``root``; how many were written."""
    fuzz = Fuzz(root, seed, scale)
    fuzz.batch(root, files)
    return fuzz.made


# -- the campaign: the real CLI ----------------------------------------------------------

_KNOWN = re.compile(
    r"^(refused .+: .+|ingested .+: \d+ claims( \(.*\))?|embedded .*|\d+ topics|\d+ candidate pairs.*"
    r"|scored \d+ pairs.*|nothing new.*|no check-worthiness model.*|\d+ articles added.*"
    r"|counterclaim: stance model runs on torch.*)$"
)


def cli_run(db: Path, paths: list[Path], timeout: float = 1800) -> subprocess.CompletedProcess:
    args = [os.fsencode(p) for p in paths]
    cmd = [sys.executable, "-m", "verify.cli", "run", "--db", str(db), "--", *args]
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    return subprocess.run(cmd, capture_output=True, cwd=REPO, env=env, timeout=timeout)


def counts(db: Path, *tables: str) -> dict[str, int]:
    con = sqlite3.connect(db)
    try:
        return {
            t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in tables or ("articles", "claims", "pairs", "suggestions", "tags")
        }
    finally:
        con.close()


def missing(db: Path, before: set[tuple[str, int]]) -> int:
    """How many of ``before``'s (article hash, claim idx) rows are missing now."""
    con = sqlite3.connect(db)
    now = set(
        con.execute("SELECT a.hash, c.idx FROM claims c JOIN articles a ON a.id = c.article_id")
    )
    con.close()
    return len(before - now)


def check(stderr: str, given: list[Path]) -> Counter:
    """Figures for one run's stderr."""
    names = [printable(os.fsdecode(os.fsencode(p))) for p in given]
    c: Counter = Counter()
    c["tracebacks"] += stderr.count("Traceback (most recent call last)")
    for line in stderr.splitlines():
        if not _KNOWN.match(line):
            c["unknown lines"] += 1
            if c["unknown lines"] <= 5:
                print(f"  unknown stderr line: {line[:160]}")
        if line.startswith("refused "):
            c["refusals"] += 1
            rest = line[len("refused ") :]
            if not any(rest.startswith(n) for n in names) or not rest.split(": ", 1)[-1].strip():
                c["refusals not naming a given file"] += 1
                print(f"  refusal without a file: {line[:160]}")
        elif line.startswith("ingested "):
            c["ingested"] += 1
        if not line.isprintable():
            c["lines with raw control characters"] += 1
    return c


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=1200)
    ap.add_argument("--batches", type=int, default=4)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="fuzz_inputs_"))
    db = tmp / "fuzz.db"
    seeds = sorted((REPO / "seeds").glob("*.txt"))[:4]
    t0 = time.perf_counter()
    good = cli_run(db, seeds)
    if good.returncode != 0:
        print(good.stderr.decode(errors="replace")[-2000:])
        return 1
    con = sqlite3.connect(db)
    stored = set(
        con.execute("SELECT a.hash, c.idx FROM claims c JOIN articles a ON a.id = c.article_id")
    )
    con.close()
    base = counts(db)
    print(f"good run: {base}")

    total: Counter = Counter()
    fuzz = Fuzz(tmp / "in", args.seed)
    per = args.files // args.batches
    for b in range(args.batches):
        folder = tmp / "in" / f"batch{b}"
        made0 = fuzz.made
        fuzz.batch(folder, per)
        given = [folder]
        # Files named one by one too (names as arguments, not only found in folders).
        loose = sorted(p for p in folder.glob("a/*") if p.is_file())[:20]
        given += loose
        if b == args.batches - 1:
            given.append(fuzz.big_article(tmp / "in" / "big"))
        t = time.perf_counter()
        result = cli_run(db, given)
        stderr = result.stderr.decode("utf-8", "replace")
        figures = check(stderr, given)
        figures["files"] += fuzz.made - made0
        figures["exit not 0/1"] += result.returncode not in (0, 1)
        lost = missing(db, stored)
        figures["stored rows lost"] += lost
        total.update(figures)
        print(
            f"batch {b}: {fuzz.made - made0} files, rc={result.returncode}, "
            f"{time.perf_counter() - t:.0f}s, {dict(figures)}"
        )
        if figures["tracebacks"]:
            print(stderr[-3000:])

    # A run killed mid-way: marked interrupted by the next run, nothing stored lost.
    folder = tmp / "in" / "killed"
    fuzz.batch(folder, 40)
    args_k = [sys.executable, "-m", "verify.cli", "run", "--db", str(db), str(folder)]
    runs_before = counts(db, "runs")["runs"]
    proc = subprocess.Popen(args_k, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)  # kill once the run has begun (its row exists), mid-ingest
        if counts(db, "runs")["runs"] > runs_before:
            time.sleep(1.0)
            break
    proc.kill()
    proc.wait()
    after_kill = cli_run(db, seeds)
    con = sqlite3.connect(db)
    statuses = Counter(s for (s,) in con.execute("SELECT status FROM runs"))
    con.close()
    total["tracebacks"] += after_kill.stderr.decode(errors="replace").count("Traceback")
    total["stored rows lost"] = max(total["stored rows lost"], missing(db, stored))
    final = counts(db)

    print()
    print(f"command: {' '.join(sys.argv)}")
    print(
        f"files written: {total['files']} in {args.batches} batches (+40 in the killed run,"
        f" +1 article of {1_050_000:,}+ characters)"
    )
    print(
        f"refusals: {total['refusals']} (not naming a given file: "
        f"{total['refusals not naming a given file']})"
    )
    print(f"ingested: {total['ingested']}")
    print(f"tracebacks: {total['tracebacks']}")
    print(
        f"stderr lines of unknown kind: {total['unknown lines']}; with raw control characters: "
        f"{total['lines with raw control characters']}"
    )
    print(f"exit codes other than 0/1: {total['exit not 0/1']}")
    print(f"stored rows lost: {total['stored rows lost']} (good run: {base}; end: {final})")
    print(f"runs by status: {dict(statuses)}")
    print(f"total {time.perf_counter() - t0:.0f}s")
    if args.keep:
        print(f"kept {tmp}")
    else:
        for p in tmp.rglob("*"):  # chmod 0 files and folders: make them removable
            try:
                if not p.is_symlink():
                    p.chmod(0o700)
            except OSError:
                pass
        shutil.rmtree(tmp, ignore_errors=True)
    bad = (
        total["tracebacks"]
        or total["stored rows lost"]
        or total["refusals not naming a given file"]
        or total["unknown lines"]
        or total["lines with raw control characters"]
        or statuses.get("running")
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
