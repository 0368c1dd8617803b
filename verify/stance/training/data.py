"""Loaders for the public stance datasets in ``shared/data`` (see its README.md).

Every loader returns ``Record(a, b, label, group)``: ``label`` is one of ``STANCE_LABELS``
(mapped only through the maps in ``verify.labels`` or, for ClaimDiff, ``CLAIMDIFF_MAP`` below)
and ``group`` is the split key, prefixed with the dataset name, so that a held-out split never
shares a body / claim / sentence with the training split.

FNC-1 and ARC pair a headline with a whole article body. Instead of blind truncation, ``b`` is
the ``k`` body sentences closest to the headline by embedding (``SentenceSelector``).
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from verify.labels import (
    AGREEMENT,
    CONTRADICTION,
    EMERGENT_MAP,
    FNC1_MAP,
    NEUTRAL,
    SICK_MAP,
    check_label,
)
from verify.settings import Settings, resolve

if TYPE_CHECKING:  # sklearn is heavy: a CLI command that reads no model never imports it
    from verify.stance.features import Encoder


#: ClaimDiff ships two binary files over the same pairs: ``weak`` (claim B weakens claim A) and
#: ``strength`` (B strengthens A). Keyed by (strength, weak). Weakening is the closest thing to a
#: contradiction; "strengthen" is often loose topical support, so it maps to agreement only when
#: the pair is not also "weaken"; pairs that do neither are same-topic, cross-outlet: neutral.
CLAIMDIFF_MAP: dict[tuple[int, int], str] = {
    (0, 1): CONTRADICTION,
    (1, 1): CONTRADICTION,
    (1, 0): AGREEMENT,
    (0, 0): NEUTRAL,
}

DATASETS = ("fnc1", "arc", "emergent", "sick", "claimdiff")

# After terminal punctuation, with or without one closing quote/bracket (kept in the sentence).
_SENT_SPLIT = re.compile(r"(?<=[.!?…][\"”’')\]])\s+|(?<=[.!?…])\s+|\n+")


class Record(NamedTuple):
    a: str
    b: str
    label: str
    group: str


def default_data_dir(settings: Settings | None = None) -> Path:
    """``$COUNTERCLAIM_DATA`` or ``<repo>/../shared/data`` (``Settings.data_dir``)."""
    return resolve(settings).data_dir


def dataset_files(name: str, data_dir: Path | None = None) -> list[Path]:
    """The files a dataset is read from (their hashes key the feature cache)."""
    d = Path(data_dir or default_data_dir())
    return {
        "fnc1": [d / "fnc1" / "train_stances.csv", d / "fnc1" / "train_bodies.csv"],
        "arc": [d / "arc" / "arc_stances_train.csv", d / "arc" / "arc_bodies.csv"],
        "emergent": [d / "emergent" / "url-versions-2015-06-14-clean-train.csv"],
        "sick": [d / "sick" / "SICK_train_trial.txt"],
        "claimdiff": [
            d / "claimdiff" / "ClaimDiff-strength-train.json",
            d / "claimdiff" / "ClaimDiff-weak-train.json",
        ],
    }[name]


# --------------------------------------------------------------------------- sentence selection


def split_sentences(text: str, max_sentences: int = 30, max_chars: int = 400) -> list[str]:
    """Sentences of an article body; tiny fragments dropped, very long ones cut (encoder cost)."""
    out = []
    for s in _SENT_SPLIT.split(text):
        s = " ".join(s.split())
        if len(s) > max_chars:
            s = s[:max_chars].rsplit(" ", 1)[0]  # cut at a word boundary
        if len(s) >= 15:
            out.append(s)
        if len(out) >= max_sentences:
            break
    return out


class MemoEncoder:
    """Encoder with a text -> vector memo; ``remember`` stores vectors computed another way."""

    def __init__(self, inner: Encoder) -> None:
        self.inner = inner
        self.memo: dict[str, np.ndarray] = {}
        self.name = getattr(inner, "name", type(inner).__name__)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self.memo))
        if missing:
            # Longest first: batches of similar length waste less padding.
            missing.sort(key=len, reverse=True)
            self.memo.update(zip(missing, self.inner.encode(missing), strict=True))
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self.memo[t] for t in texts]).astype(np.float32)

    def remember(self, text: str, vec: np.ndarray) -> None:
        self.memo.setdefault(text, vec.astype(np.float32))


class SentenceSelector:
    """Picks the ``k`` body sentences most similar to the headline, kept in body order.

    The joined sentences become ``b``. Its vector is remembered as the normalised mean of the
    chosen sentence vectors, so training never re-embeds the joined text (a 3x cost on 2 cores).
    """

    def __init__(self, encoder: MemoEncoder, k: int = 3, max_sentences: int = 30) -> None:
        self.encoder, self.k, self.max_sentences = encoder, k, max_sentences

    def select(self, pairs: Sequence[tuple[str, str]]) -> list[str]:
        """``pairs`` are (headline, body); returns one ``b`` text per pair."""
        sents = {body: split_sentences(body, self.max_sentences) for _, body in pairs}
        all_sents = [s for ss in sents.values() for s in ss]
        self.encoder.encode(all_sents + [h for h, _ in pairs])
        return [self._pick(h, sents[body]) for h, body in pairs]

    def _pick(self, headline: str, sents: list[str]) -> str:
        if not sents:
            return ""
        h = self.encoder.memo[headline]
        m = np.stack([self.encoder.memo[s] for s in sents])
        top = np.sort(np.argsort(-(m @ h), kind="stable")[: self.k])
        text = " ".join(sents[i] for i in top)
        mean = m[top].mean(axis=0)
        self.encoder.remember(text, mean / max(float(np.linalg.norm(mean)), 1e-9))
        return text


def _default_selector() -> SentenceSelector:
    from verify.stages.embed import Embedder

    return SentenceSelector(MemoEncoder(Embedder()))


# --------------------------------------------------------------------------- helpers


def _read_csv(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    # Bodies are quoted fields spanning lines: only a CSV parser reads them right.
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter=delimiter))


def _sample(rows: list, n: int | None, seed: int) -> list:
    if n is None or len(rows) <= n:
        return rows
    return random.Random(seed).sample(rows, n)


def _cap_label(
    rows: list, label_of: Callable[[Any], str], label: str, n: int | None, seed: int
) -> list:
    """Keep at most ``n`` rows of ``label`` (the FNC/ARC "unrelated" majority), order kept."""
    if n is None:
        return rows
    idx = [i for i, r in enumerate(rows) if label_of(r) == label]
    drop = set(idx) - set(_sample(idx, n, seed))
    return [r for i, r in enumerate(rows) if i not in drop]


def file_hash(paths: Iterable[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(Path(p).read_bytes())
    return h.hexdigest()[:16]


# --------------------------------------------------------------------------- loaders


def load_fnc_format(
    name: str,
    stances: Path,
    bodies: Path,
    selector: SentenceSelector | None,
    max_unrelated: int | None,
    max_rows: int | None,
    seed: int,
) -> list[Record]:
    body = {r["Body ID"]: r["articleBody"] for r in _read_csv(bodies)}
    rows = list(
        dict.fromkeys((r["Headline"], r["Body ID"], r["Stance"]) for r in _read_csv(stances))
    )
    rows = _cap_label(rows, lambda r: r[2], "unrelated", max_unrelated, seed)
    rows = _sample(rows, max_rows, seed)
    selector = selector or _default_selector()
    bs = selector.select([(h, body[bid]) for h, bid, _ in rows])
    return [
        Record(h, b, check_label(FNC1_MAP[s]), f"{name}:{bid}")
        for (h, bid, s), b in zip(rows, bs, strict=True)
        if b
    ]


def load_fnc1(
    data_dir: Path | None = None,
    selector: SentenceSelector | None = None,
    max_unrelated: int | None = None,
    max_rows: int | None = None,
    seed: int = 0,
) -> list[Record]:
    """FNC-1 headline vs body, grouped by body ID; exact duplicate rows dropped."""
    stances, bodies = dataset_files("fnc1", data_dir)
    return load_fnc_format("fnc1", stances, bodies, selector, max_unrelated, max_rows, seed)


def load_arc(
    data_dir: Path | None = None,
    selector: SentenceSelector | None = None,
    max_unrelated: int | None = None,
    max_rows: int | None = None,
    seed: int = 0,
) -> list[Record]:
    """ARC (FNC-1 format, same label map), grouped by body ID."""
    stances, bodies = dataset_files("arc", data_dir)
    return load_fnc_format("arc", stances, bodies, selector, max_unrelated, max_rows, seed)


def load_emergent(
    data_dir: Path | None = None,
    max_rows: int | None = None,
    seed: int = 0,
    path: Path | None = None,
) -> list[Record]:
    """Emergent claim vs article headline, grouped by claim ID; ``path`` reads another file."""
    if path is None:
        (path,) = dataset_files("emergent", data_dir)
    rows = _sample(_read_csv(path), max_rows, seed)
    return [
        Record(
            r["claimHeadline"],
            r["articleHeadline"],
            check_label(EMERGENT_MAP[r["articleHeadlineStance"]]),
            f"emergent:{r['claimId']}",
        )
        for r in rows
    ]


def _components(rows: list[dict[str, str]], keys: Sequence[str]) -> list[str]:
    """Union-find over shared texts: rows that share any sentence land in one group."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for r in rows:
        for k in keys[1:]:
            parent[find(r[k])] = find(r[keys[0]])
    return [find(r[keys[0]]) for r in rows]


def load_sick(
    data_dir: Path | None = None,
    max_rows: int | None = None,
    seed: int = 0,
    path: Path | None = None,
) -> list[Record]:
    """SICK sentence pairs. TRAIN and TRIAL share most sentences, so the given split column is not
    a clean hold-out: pairs are grouped by connected components of shared sentences instead."""
    if path is None:
        (path,) = dataset_files("sick", data_dir)
    rows = _read_csv(path, delimiter="\t")
    roots = _components(rows, ["sentence_A", "sentence_B"])
    first_id: dict[str, str] = {}
    for r, root in zip(rows, roots, strict=True):
        first_id.setdefault(root, r["pair_ID"])
    recs = [
        Record(
            r["sentence_A"],
            r["sentence_B"],
            check_label(SICK_MAP[r["entailment_label"]]),
            f"sick:{first_id[root]}",
        )
        for r, root in zip(rows, roots, strict=True)
    ]
    return _sample(recs, max_rows, seed)


def load_claimdiff(
    data_dir: Path | None = None, max_rows: int | None = None, seed: int = 0
) -> list[Record]:
    """ClaimDiff train pairs (cross-outlet claims on one topic), grouped by topic."""
    strength_path, weak_path = dataset_files("claimdiff", data_dir)
    strength = {r["pair_id"]: r for r in json.loads(strength_path.read_text("utf-8"))["data"]}
    weak = {r["pair_id"]: r["relation"] for r in json.loads(weak_path.read_text("utf-8"))["data"]}
    recs = [
        Record(
            r["claim_a"],
            r["claim_b"],
            check_label(CLAIMDIFF_MAP[(int(r["relation"]), int(weak[pid]))]),
            f"claimdiff:{r['topic']}",
        )
        for pid, r in strength.items()
        if pid in weak
    ]
    return _sample(recs, max_rows, seed)


def load_dataset(
    name: str,
    data_dir: Path | None = None,
    selector: SentenceSelector | None = None,
    max_rows: int | None = None,
    max_unrelated: int | None = None,
    seed: int = 0,
) -> list[Record]:
    """Dispatch by name (one of ``DATASETS``)."""
    if name in ("fnc1", "arc"):
        fnc_format = load_fnc1 if name == "fnc1" else load_arc
        return fnc_format(data_dir, selector, max_unrelated, max_rows, seed)
    loader = {"emergent": load_emergent, "sick": load_sick, "claimdiff": load_claimdiff}[name]
    return loader(data_dir, max_rows, seed)


# --------------------------------------------------------------------------- derived pairs

#: Two texts that take a stance on the same claim relate by transitivity: one for and one
#: against it contradict each other; two for, or two against, agree ("both deny X" is agreement);
#: a neutral report next to a stance is neutral. Keyed by the sorted pair of stances.
CROSS_STANCE_MAP: dict[tuple[str, ...], str] = {
    tuple(sorted((AGREEMENT, CONTRADICTION))): CONTRADICTION,
    (AGREEMENT, AGREEMENT): AGREEMENT,
    (CONTRADICTION, CONTRADICTION): AGREEMENT,
    tuple(sorted((AGREEMENT, NEUTRAL))): NEUTRAL,
    tuple(sorted((CONTRADICTION, NEUTRAL))): NEUTRAL,
}


def cross_stance_pairs(
    records: Sequence[Record], cap_per_group: int = 60, seed: int = 0
) -> list[tuple[int, int, str]]:
    """Pairs (i, j, label) of ``b`` texts that share a claim ``a`` and a group.

    This turns Emergent's claim-vs-headline data into headline-vs-headline pairs: two outlets'
    claims about one event, the situation the pipeline scores. Contradictions are kept first
    when a claim has more than ``cap_per_group`` pairs. Same group, so splits stay clean.
    """
    by_claim: dict[tuple[str, str], list[int]] = {}
    for i, r in enumerate(records):
        by_claim.setdefault((r.group, r.a), []).append(i)
    rng = random.Random(seed)
    out = []
    for idx in by_claim.values():
        cand = [
            (i, j, CROSS_STANCE_MAP[key])
            for n, i in enumerate(idx)
            for j in idx[n + 1 :]
            if records[i].b != records[j].b
            and (key := tuple(sorted((records[i].label, records[j].label)))) in CROSS_STANCE_MAP
        ]
        rng.shuffle(cand)
        cand.sort(key=lambda c: c[2] != CONTRADICTION)  # stable: shuffled within each kind
        out += cand[:cap_per_group]
    return out


# --------------------------------------------------------------------------- splits


def split_role(group: str, seed: int = 0, test_frac: float = 0.15, dev_frac: float = 0.12) -> str:
    """'test' (held-out, looked at once), 'dev' (calibration) or 'fit', stable per group."""
    digest = hashlib.sha256(f"{seed}:{group}".encode()).digest()
    u = int.from_bytes(digest[:8], "big") / 2**64
    if u < test_frac:
        return "test"
    return "dev" if u < test_frac + dev_frac else "fit"
