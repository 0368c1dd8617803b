"""The sentence pairs the multilingual reader and the claim space are fitted and checked on.

- XNLI validation, Russian with its aligned English (``nli2/xnli_ru_en``): split by premise into
  train / dev / test (60 / 15 / 25 %, a fixed hash of the English premise), so no sentence is on
  two sides. Each Russian pair gives four readings: ru-ru, en-en, ru-en and en-ru.
- MultiNLI dev (``nli2/mnli_dev``), English: a fixed sample, split by premise the same way.
- TERRa train (``nli2/terra_ru``), Russian: only its entailment rows (its not_entailment lumps
  contradiction with neutral), as agreement, train side only.
- Unrelated: each split's premises paired with a hypothesis of another premise of that split.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass
from pathlib import Path

from verify.labels import AGREEMENT, CONTRADICTION, NEUTRAL, UNRELATED

NLI3 = {"entailment": AGREEMENT, "contradiction": CONTRADICTION, "neutral": NEUTRAL}
SPLITS = ("train", "dev", "test")


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    label: str
    langs: str  # "ru-ru", "en-en", "ru-en", "en-ru"
    source: str


def split_of(key: str) -> str:
    """train / dev / test for a premise, from a hash of it: stable across runs and machines."""
    h = int(hashlib.sha256(key.encode("utf-8")).hexdigest()[:8], 16) % 100
    return "train" if h < 60 else "dev" if h < 75 else "test"


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def xnli(root: Path) -> dict[str, list[Pair]]:
    out: dict[str, list[Pair]] = {s: [] for s in SPLITS}
    for r in _rows(root / "xnli_ru_en" / "xnli_ru_en.jsonl"):
        if r.get("lang") != "ru":
            continue
        label = NLI3[r["label"]]
        split = split_of(r["premise_en"])
        ru, en = (r["premise"], r["hypothesis"]), (r["premise_en"], r["hypothesis_en"])
        for langs, a, b in (
            ("ru-ru", ru[0], ru[1]),
            ("en-en", en[0], en[1]),
            ("ru-en", ru[0], en[1]),
            ("en-ru", en[0], ru[1]),
        ):
            out[split].append(Pair(a, b, label, langs, "xnli"))
    return out


def mnli(root: Path, n: int = 20000, seed: int = 0) -> dict[str, list[Pair]]:
    rows = [r for r in _rows(root / "mnli_dev" / "mnli_dev.jsonl") if r["label"] in NLI3]
    random.Random(seed).shuffle(rows)
    out: dict[str, list[Pair]] = {s: [] for s in SPLITS}
    for r in rows[:n]:
        out[split_of(r["premise"])].append(
            Pair(r["premise"], r["hypothesis"], NLI3[r["label"]], "en-en", "mnli")
        )
    return out


def terra(root: Path) -> list[Pair]:
    return [
        Pair(r["premise"], r["hypothesis"], AGREEMENT, "ru-ru", "terra")
        for r in _rows(root / "terra_ru" / "terra_ru.jsonl")
        if r.get("split") == "train" and r["label"] == "entailment"
    ]


def unrelated(pairs: list[Pair], n: int, seed: int = 0) -> list[Pair]:
    """``n`` pairs of a premise and a hypothesis written for another premise."""
    rng = random.Random(seed)
    out: list[Pair] = []
    while len(out) < n and len(pairs) > 1:
        p, q = rng.sample(pairs, 2)
        if p.a != q.a and p.langs[:2] and q.langs[-2:]:
            out.append(Pair(p.a, q.b, UNRELATED, f"{p.langs[:2]}-{q.langs[-2:]}", "shuffled"))
    return out


def corpus(root: Path) -> dict[str, list[Pair]]:
    """Every split: XNLI (four readings) + MNLI (+ TERRa on train) + unrelated pairs (a quarter)."""
    x, m = xnli(root), mnli(root)
    out: dict[str, list[Pair]] = {}
    for i, s in enumerate(SPLITS):
        pairs = x[s] + m[s] + (terra(root) if s == "train" else [])
        out[s] = pairs + unrelated(pairs, len(pairs) // 4, seed=i)
    return out


def texts(pairs: list[Pair]) -> list[str]:
    return list(dict.fromkeys(t for p in pairs for t in (p.a, p.b)))
