"""A news corpus for the scale bench, from what ../shared/data holds, reproducibly (one command):

    .venv/bin/python bench/build_corpus.py --articles 10000 --out corpora/news10k

Real articles first, in this order, duplicates (same text) dropped: FNC-1 bodies (1,683), ARC
bodies, PolNeAR train and dev articles (US political news, 7 publishers, with their metadata),
ClaimDiff (its claims grouped into the articles they were quoted from, titled as there), then
Emergent headlines grouped by the article they head. Past the real ones, reworded copies of
them (synonym swaps and one sentence dropped, seeded): a new hash, the same story, as outlets
rewrite wire copy. Writes JSONL files of at most 500 rows (``text``, ``title``, ``outlet``,
``date`` where known) and MANIFEST.json (how many of each); prints the same. ``corpora/`` is
ignored by git.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"
SWAPS = {
    "said": "stated",
    "says": "states",
    "told": "informed",
    "reported": "said",
    "government": "authorities",
    "officials": "authorities",
    "Monday": "Tuesday",
    "large": "big",
    "small": "little",
    "people": "residents",
    "police": "officers",
}
ROWS_PER_FILE = 500

Row = dict[str, str]


def _bodies(name: str, path: Path) -> Iterator[tuple[str, Row]]:
    csv.field_size_limit(1 << 30)
    with open(path, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if r["articleBody"].strip():
                yield name, {"text": r["articleBody"], "title": f"{name} body {r['Body ID']}"}


def _polnear() -> Iterator[tuple[str, Row]]:
    root = DATA / "polnear" / "data"
    meta: dict[str, dict[str, str]] = {}
    with open(root / "metadata.tsv", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            meta[r["filename"]] = r
    for split in ("train", "dev"):
        for path in sorted((root / split / "text").glob("*.txt")):
            m = meta.get(path.stem, {})
            yield (
                "PolNeAR",
                {
                    "text": path.read_text(encoding="utf-8"),
                    "title": m.get("title") or path.stem,
                    "outlet": m.get("publisher", ""),
                    "date": m.get("publication_date", ""),
                },
            )


def _claimdiff() -> Iterator[tuple[str, Row]]:
    articles: dict[str, dict[str, str]] = {}  # title -> claims (ordered, once each)
    dates: dict[str, str] = {}
    for name in ("ClaimDiff-weak-train.json", "ClaimDiff-strength-train.json"):
        with open(DATA / "claimdiff" / name, encoding="utf-8") as f:
            for r in json.load(f)["data"]:
                for s in "ab":
                    articles.setdefault(r[f"article_{s}"], {})[r[f"claim_{s}"]] = ""
                    dates.setdefault(r[f"article_{s}"], r.get("date", ""))
    for title, claims in articles.items():
        yield "ClaimDiff", {"text": "\n\n".join(claims), "title": title, "date": dates[title]}


def _emergent() -> Iterator[tuple[str, Row]]:
    heads: dict[str, dict[str, str]] = {}
    with open(
        DATA / "emergent" / "url-versions-2015-06-14-clean-train.csv", encoding="utf-8", newline=""
    ) as f:
        for r in csv.DictReader(f):
            heads.setdefault(r["claimId"], {})[r["articleHeadline"]] = ""
    for claim, lines in heads.items():  # one story's headlines from many outlets: a round-up
        yield "Emergent", {"text": "\n\n".join(lines), "title": f"Emergent claim {claim}"}


def real_articles() -> list[tuple[str, Row]]:
    seen: set[str] = set()
    out = []
    for kind, row in (
        *_bodies("FNC-1", DATA / "fnc1" / "train_bodies.csv"),
        *_bodies("ARC", DATA / "arc" / "arc_bodies.csv"),
        *_polnear(),
        *_claimdiff(),
        *_emergent(),
    ):
        key = " ".join(row["text"].split())
        if key and key not in seen:
            seen.add(key)
            out.append((kind, row))
    return out


def reword(text: str, rng: random.Random) -> str:
    """Light rewording: some synonym swaps and one sentence dropped (a new hash, same story)."""
    words = [SWAPS.get(w, w) if rng.random() < 0.5 else w for w in text.split(" ")]
    sentences = re.split(r"(?<=[.!?])\s+", " ".join(words))
    if len(sentences) > 2:
        sentences.pop(rng.randrange(1, len(sentences)))
    return " ".join(sentences)


def build(n: int, out: Path, seed: int = 0) -> dict[str, int]:
    rng = random.Random(seed)
    real = real_articles()
    counts: dict[str, int] = {}
    rows: list[Row] = []
    for i in range(n):
        kind, row = real[i % len(real)]
        if i >= len(real):
            kind, row = f"reworded {kind}", {**row, "text": reword(row["text"], rng)}
        row = {**row, "outlet": row.get("outlet") or f"Outlet {i % 30}"}
        counts[kind] = counts.get(kind, 0) + 1
        rows.append(row)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("part*.jsonl"):
        old.unlink()
    for lo in range(0, n, ROWS_PER_FILE):
        with open(out / f"part{lo // ROWS_PER_FILE:03d}.jsonl", "w", encoding="utf-8") as f:
            f.writelines(
                json.dumps(r, ensure_ascii=False) + "\n" for r in rows[lo : lo + ROWS_PER_FILE]
            )
    manifest = {"articles": n, "real_available": len(real), "by_source": counts, "seed": seed}
    (out / "MANIFEST.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--out", type=Path, default=REPO / "corpora" / "news10k")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    m = build(args.articles, args.out, args.seed)
    print(f"$ python bench/build_corpus.py --articles {args.articles} --out {args.out}")
    print(f"{m['articles']} articles in {args.out} ({m['real_available']} real ones available):")
    for kind, k in m["by_source"].items():
        print(f"  {kind:<20} {k:>6}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
