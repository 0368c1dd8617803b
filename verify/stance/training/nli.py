"""The NLI, claim-verification and stance sets of ``shared/data/nli`` as stance ``Record``s.

Every set's labels map onto ``STANCE_LABELS`` through one explicit table (``NLI_MAPS``); a label
the table does not name is refused, never guessed. Orientation follows Emergent: ``a`` is the
claim (the proposition), ``b`` the text whose stance toward it is labelled (the evidence). Groups
are connected components of shared texts across *all* these sets, so no premise or claim sits on
both sides of a split. *Unrelated* pairs (none of these sets has the class) pair a set's claim
with evidence from another topic of the same set and the same split.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from verify.labels import NLI_DROPPED, NLI_MAPS, UNRELATED
from verify.stance.training.data import Record, default_data_dir, split_role

NLI_SETS: tuple[str, ...] = tuple(NLI_MAPS)

#: Sets whose ``premise`` is the claim (Perspectrum: a debate claim vs a perspective; SemEval: the
#: target vs a tweet is the other way round, the *hypothesis* is the target). Everywhere else the
#: premise is the evidence and the hypothesis the claim, as in NLI.
PREMISE_IS_CLAIM = frozenset({"perspectrum", "rumoureval2019"})

#: Sets whose hypothesis is a one-word target shared by thousands of rows, not a text: it must not
#: join rows into one group (five targets would make five groups and no test split).
TARGET_HYPOTHESIS = frozenset({"semeval2016_stance"})

#: Licences that forbid commercial use (README of shared/data and shared/data/nli). SICK is one of
#: the classic sets; ``--no-noncommercial`` drops all of them.
NONCOMMERCIAL = frozenset({"anli", "sick", "taxinli"})

#: Topic field per set: an unrelated pair takes evidence from another topic. Sets without a topic
#: field (SNLI, Breaking NLI, RTE: image captions and news snippets that often *are* related)
#: get no synthetic unrelated pairs.
TOPIC_FIELD = {
    "anli": "premise",
    "perspectrum": "premise",
    "covidfact": "hypothesis",
    "climate_fever": "hypothesis",
    "healthver": "question",
    "semeval2016_stance": "target",
    "fever_symmetric": "hypothesis",
    "fool_me_twice": "hypothesis",
    "rumoureval2019": "premise",
}
UNRELATED_FRACTION = 0.15


def nli_file(name: str, data_dir: Path | None = None) -> Path:
    """The set's JSONL under ``nli/`` or, for the second batch, ``nli2/``."""
    root = Path(data_dir or default_data_dir())
    first = root / "nli" / name / f"{name}.jsonl"
    second = root / "nli2" / name / f"{name}.jsonl"
    return second if not first.exists() and second.exists() else first


def iter_rows(path: Path) -> Iterator[tuple[int, dict]]:
    """(line number, row) of a JSONL file, blank lines skipped; a line that is not a JSON object
    raises ``ValueError`` naming file and line."""
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                raise ValueError(f"{path}:{n}: not JSON ({e.msg})") from None
            if not isinstance(row, dict):
                raise ValueError(f"{path}:{n}: not a JSON object")
            yield n, row


def check_row(path: Path, n: int, row: dict, known: Iterable[str], what: str) -> None:
    """``ValueError`` naming the file and line when a pair row lacks a text field or carries a
    label outside ``known`` (``what`` names the map); shared with ``counterclaim eval pairs``."""
    missing = [k for k in ("premise", "hypothesis", "label") if not isinstance(row.get(k), str)]
    if missing:
        raise ValueError(f"{path}:{n}: missing or non-text field {', '.join(missing)}")
    if row["label"] not in known:
        raise ValueError(
            f"{path}:{n}: label {row['label']!r} is not in {what} ({', '.join(sorted(known))})"
        )


def _checked_rows(name: str, path: Path) -> list[dict]:
    """Rows of set ``name``; a label neither mapped (``NLI_MAPS``) nor dropped by name
    (``NLI_DROPPED``) is an error (``check_row``)."""
    known = set(NLI_MAPS[name]) | NLI_DROPPED.get(name, frozenset())
    rows = []
    for n, row in iter_rows(path):
        check_row(path, n, row, known, f"the map for {name}")
        rows.append(row)
    return rows


def orient(name: str, premise: str, hypothesis: str) -> tuple[str, str]:
    """(claim, evidence) for one row of set ``name``."""
    return (premise, hypothesis) if name in PREMISE_IS_CLAIM else (hypothesis, premise)


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


class _Groups:
    """Union-find over normalised texts."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        while self.parent.setdefault(x, x) != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)  # order-free: the same roots every run


def load_nli(
    names: Iterable[str],
    data_dir: Path | None = None,
    seed: int = 0,
    unrelated_fraction: float = UNRELATED_FRACTION,
) -> dict[str, list[Record]]:
    """Records per set (rows whose label has no map entry are dropped, as RTE's not_entailment)."""
    names = list(names)
    unknown = set(names) - set(NLI_MAPS)
    if unknown:
        raise ValueError(f"unknown NLI sets: {sorted(unknown)}")
    raw = {n: _checked_rows(n, nli_file(n, data_dir)) for n in names}
    groups = _Groups()
    for n, rows in raw.items():
        for r in rows:
            groups.find(_norm(r["premise"]))
            if n not in TARGET_HYPOTHESIS:
                groups.union(_norm(r["premise"]), _norm(r["hypothesis"]))
    out: dict[str, list[Record]] = {}
    for n, rows in raw.items():
        table = NLI_MAPS[n]
        recs = []
        for r in rows:
            if r["label"] not in table:
                continue
            a, b = orient(n, r["premise"], r["hypothesis"])
            recs.append(Record(a, b, table[r["label"]], "nli:" + groups.find(_norm(r["premise"]))))
        if n in TOPIC_FIELD and unrelated_fraction > 0:
            recs += unrelated_pairs(n, rows, recs, unrelated_fraction, seed)
        out[n] = recs
    return out


def unrelated_pairs(
    name: str, rows: Sequence[dict], recs: Sequence[Record], fraction: float, seed: int
) -> list[Record]:
    """A claim with evidence from another topic of the same set, both from the same split role
    (so no text crosses the split); the pair keeps the claim's group."""
    mapped = [(row, rec) for row, rec in zip(_mapped_rows(name, rows), recs, strict=False)]
    rng = random.Random(f"{seed}:{name}:unrelated")
    by_role: dict[str, list[tuple[str, Record]]] = {}
    for row, rec in mapped:
        by_role.setdefault(split_role(rec.group, seed), []).append(
            (str(row[TOPIC_FIELD[name]]), rec)
        )
    out = []
    for items in by_role.values():
        if len({t for t, _ in items}) < 2:
            continue
        for _ in range(int(len(items) * fraction)):
            topic, rec = rng.choice(items)
            for _ in range(20):  # a few draws find another topic unless one topic dominates
                other_topic, other = rng.choice(items)
                if other_topic != topic and other.group != rec.group:
                    out.append(Record(rec.a, other.b, UNRELATED, rec.group))
                    break
    return out


def _mapped_rows(name: str, rows: Sequence[dict]) -> list[dict]:
    return [r for r in rows if r["label"] in NLI_MAPS[name]]
