"""Score the claim extractor against PolNeAR-style brat attributions (Source, Cue, Content).

Layout: ``DIR/text/<article>.txt`` and ``DIR/attributions/<article>[_<annotator>].ann``.
Metrics (see docs/attribution.md): gold and predicted attributions are paired one-to-one by
content-token overlap; content P/R/F1 counts tokens over all attributions; source and cue
P/R/F1 count tokens (and exact source spans) over the paired attributions only. An article
annotated by several annotators is scored against each file and its counts averaged.
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import json
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path

Span = tuple[int, int]  # character offsets, end exclusive

_TOKEN = re.compile(r"\w+")
_ANN_LINE = re.compile(r"^(?:[TERAMN]\d+|#\d*)\t")  # anything else continues the line before
_ANNOTATOR = re.compile(r"^(?P<article>.+)_(?P<annotator>[0-9a-f]{4})$")
SPLIT_SEED = "polnear-split-v1"
HELDOUT_TENTHS = 3  # 30% of articles are held out


# ---------------------------------------------------------------------------------- reading


@dataclass
class Attribution:
    """One attribution: each role is a list of character spans (brat allows gaps)."""

    content: list[Span] = field(default_factory=list)
    source: list[Span] = field(default_factory=list)
    cue: list[Span] = field(default_factory=list)


@dataclass
class GoldFile:
    annotator: str  # file-name suffix; "" when the article has a single unsuffixed file
    attributions: list[Attribution]


@dataclass
class GoldArticle:
    name: str
    text: str
    files: list[GoldFile]


def _spans(field_text: str) -> tuple[str, list[Span]]:
    """'Content 2103 2168;2170 2425' -> ('Content', [(2103, 2168), (2170, 2425)])."""
    kind, _, ranges = field_text.partition(" ")
    spans = []
    for piece in ranges.split(";"):
        a, b = piece.split()
        spans.append((int(a), int(b)))
    return kind, spans


def parse_ann(ann: str) -> list[Attribution]:
    """Attribution events of one brat file. Lines that do not start with an annotation id
    continue the span text of the line before (the span held a newline): they are skipped."""
    spans: dict[str, tuple[str, list[Span]]] = {}
    events: list[list[tuple[str, str]]] = []
    for line in ann.splitlines():
        if not _ANN_LINE.match(line):
            continue
        ident, _, rest = line.partition("\t")
        if ident.startswith("T"):
            spans[ident] = _spans(rest.split("\t", 1)[0])
        elif ident.startswith("E"):
            fields = [a.split(":", 1) for a in rest.split()]
            events.append([(role, ref) for role, ref in fields if ref])
    out = []
    for args in events:
        if not args or not args[0][0].startswith("Attribution"):
            continue
        attr = Attribution()
        for role, ref in args[1:]:
            role = role.rstrip("0123456789").lower()  # Content2 is more content
            if ref in spans and role in {"content", "source", "cue"}:
                getattr(attr, role).extend(spans[ref][1])
        if attr.content:
            out.append(attr)
    return out


def _article_of(stem: str, texts: set[str]) -> tuple[str, str]:
    m = _ANNOTATOR.match(stem)
    if m and m["article"] in texts:
        return m["article"], m["annotator"]
    return stem, ""


def read_corpus(root: Path, names: Iterable[str] | None = None) -> list[GoldArticle]:
    """Articles under ``root`` (optionally only ``names``), each with every annotator's file."""
    root = Path(root)
    texts = {p.stem for p in (root / "text").glob("*.txt")}
    wanted = set(names) if names is not None else None
    files: dict[str, list[GoldFile]] = {}
    for ann in sorted((root / "attributions").glob("*.ann")):
        article, annotator = _article_of(ann.stem, texts)
        if article not in texts or (wanted is not None and article not in wanted):
            continue
        attrs = parse_ann(ann.read_text(encoding="utf-8"))
        files.setdefault(article, []).append(GoldFile(annotator, attrs))
    return [
        GoldArticle(name, (root / "text" / f"{name}.txt").read_text(encoding="utf-8"), fs)
        for name, fs in sorted(files.items())
    ]


def portion(article: str) -> str:
    """'heldout' for a fixed 30% of articles (hash of the name with a fixed seed), else 'dev'.
    A hash, not a shuffle: an article's portion never depends on which other files exist."""
    h = int(hashlib.sha256(f"{SPLIT_SEED}:{article}".encode()).hexdigest(), 16)
    return "heldout" if h % 10 < HELDOUT_TENTHS else "dev"


def article_names(root: Path, split: str = "all") -> list[str]:
    names = sorted(p.stem for p in (Path(root) / "text").glob("*.txt"))
    return names if split == "all" else [n for n in names if portion(n) == split]


# ---------------------------------------------------------------------------------- predictions


def _minus(spans: list[Span], holes: list[Span]) -> list[Span]:
    out = list(spans)
    for ha, hb in holes:
        nxt = []
        for a, b in out:
            if hb <= a or ha >= b:
                nxt.append((a, b))
                continue
            if a < ha:
                nxt.append((a, ha))
            if hb < b:
                nxt.append((hb, b))
        out = nxt
    return out


def from_claim(claim) -> Attribution:  # verify.types.Claim
    """A claim as an attribution: content is start..end less the speaker and cue written in it."""
    source = _span(claim.speaker_start, claim.speaker_end)
    cue = _span(claim.cue_start, claim.cue_end)
    return Attribution(_minus([(claim.start, claim.end)], source + cue), source, cue)


def from_claims(claims: Sequence) -> list[Attribution]:
    """Claims sharing a written speaker and cue are pieces of one attribution
    ('“A,” she said. “B.”' gives two claims): their content is pooled."""
    out: list[Attribution] = []
    by_key: dict[tuple, Attribution] = {}
    for claim in claims:
        attr = from_claim(claim)
        key = (claim.speaker_start, claim.speaker_end, claim.cue_start, claim.cue_end)
        if claim.cue_start is None or key not in by_key:
            out.append(attr)
            if claim.cue_start is not None:
                by_key[key] = attr
            continue
        by_key[key].content = _minus(
            by_key[key].content + attr.content, by_key[key].source + by_key[key].cue
        )
    return out


def _span(a: int | None, b: int | None) -> list[Span]:
    return [(a, b)] if a is not None and b is not None and b > a else []


# ---------------------------------------------------------------------------------- scoring


class Tokens:
    """Word tokens of one text; a span's tokens are those overlapping it (by start offset)."""

    def __init__(self, text: str) -> None:
        self.bounds = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
        self.ends = [b for _, b in self.bounds]

    def of(self, spans: Sequence[Span]) -> frozenset[int]:
        out: set[int] = set()
        for a, b in spans:
            i = bisect.bisect_right(self.ends, a)
            while i < len(self.bounds) and self.bounds[i][0] < b:
                out.add(self.bounds[i][0])
                i += 1
        return frozenset(out)


@dataclass
class Counts:
    """Token and attribution counts; floats because multi-annotator articles are averaged."""

    n_gold: float = 0.0
    n_pred: float = 0.0
    n_matched: float = 0.0
    content_tp: float = 0.0
    content_pred: float = 0.0
    content_gold: float = 0.0
    source_tp: float = 0.0
    source_pred: float = 0.0
    source_gold: float = 0.0
    source_exact: float = 0.0
    source_pred_n: float = 0.0
    source_gold_n: float = 0.0
    cue_tp: float = 0.0
    cue_pred: float = 0.0
    cue_gold: float = 0.0

    def add(self, other: Counts, weight: float = 1.0) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + weight * getattr(other, f.name))


def match(gold: list[frozenset[int]], pred: list[frozenset[int]]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, pred index), greedily by largest content-token overlap."""
    cands = [
        (len(g & p), gi, pi) for gi, g in enumerate(gold) for pi, p in enumerate(pred) if g & p
    ]
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, gi, pi in sorted(cands, key=lambda c: (-c[0], c[1], c[2])):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return pairs


def score_file(text: str, gold: list[Attribution], pred: list[Attribution]) -> Counts:
    tok = Tokens(text)
    g_content = [tok.of(a.content) for a in gold]
    p_content = [tok.of(a.content) for a in pred]
    c = Counts(n_gold=len(gold), n_pred=len(pred))
    c.content_gold = sum(map(len, g_content))
    c.content_pred = sum(map(len, p_content))
    for gi, pi in match(g_content, p_content):
        c.n_matched += 1
        c.content_tp += len(g_content[gi] & p_content[pi])
        gs, ps = tok.of(gold[gi].source), tok.of(pred[pi].source)
        c.source_tp += len(gs & ps)
        c.source_gold += len(gs)
        c.source_pred += len(ps)
        c.source_gold_n += bool(gs)
        c.source_pred_n += bool(ps)
        c.source_exact += bool(gs) and gs == ps
        gc, pc = tok.of(gold[gi].cue), tok.of(pred[pi].cue)
        c.cue_tp += len(gc & pc)
        c.cue_gold += len(gc)
        c.cue_pred += len(pc)
    return c


def _prf(tp: float, pred: float, gold: float) -> dict[str, float]:
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4)}


def summary(c: Counts, n_articles: int) -> dict:
    exact = _prf(c.source_exact, c.source_pred_n, c.source_gold_n)
    overlap = _prf(c.source_tp, c.source_pred, c.source_gold)
    return {
        "n_articles": n_articles,
        "n_gold": round(c.n_gold, 2),
        "n_pred": round(c.n_pred, 2),
        "n_matched": round(c.n_matched, 2),
        "content": _prf(c.content_tp, c.content_pred, c.content_gold),
        "source": {
            "exact_f1": exact["f1"],
            "overlap_f1": overlap["f1"],
            "exact_p": exact["p"],
            "exact_r": exact["r"],
            "overlap_p": overlap["p"],
            "overlap_r": overlap["r"],
        },
        "cue": _prf(c.cue_tp, c.cue_pred, c.cue_gold),
    }


Predict = Callable[[str], list[Attribution]]


def extractor_predict(extractor=None) -> Predict:  # anything with .extract
    if extractor is None:
        from verify.claims import ClaimExtractor

        extractor = ClaimExtractor()
    # No outlet: unattributed narrative is the article's own voice, not an attribution.
    return lambda text: from_claims(extractor.extract(text, ""))


def evaluate(
    articles: Iterable[GoldArticle],
    predict: Predict | None = None,
    progress: Callable[[int, str], None] | None = None,
) -> dict:
    predict = predict or extractor_predict()
    total = Counts()
    n = 0
    for n, art in enumerate(articles, 1):
        pred = predict(art.text)
        for f in art.files:  # each annotator counts 1/k: the mean over annotators
            total.add(score_file(art.text, f.attributions, pred), 1 / len(art.files))
        if progress:
            progress(n, art.name)
    return summary(total, n)


# ---------------------------------------------------------------------------------- CLI


def format_report(r: dict) -> str:
    s, c, q = r["source"], r["content"], r["cue"]
    return "\n".join(
        [
            f"articles {r['n_articles']}  gold {r['n_gold']:g}  predicted {r['n_pred']:g}"
            f"  matched {r['n_matched']:g}",
            f"content  P {c['p']:.3f}  R {c['r']:.3f}  F1 {c['f1']:.3f}   (token overlap)",
            f"source   exact F1 {s['exact_f1']:.3f}  overlap F1 {s['overlap_f1']:.3f}"
            "   (on matched attributions)",
            f"cue      P {q['p']:.3f}  R {q['r']:.3f}  F1 {q['f1']:.3f}   (on matched attributions)",
        ]
    )


def cmd(args: argparse.Namespace) -> int:
    root = Path(args.dir)
    if not (root / "text").is_dir() or not (root / "attributions").is_dir():
        print(f"counterclaim: {root} needs text/ and attributions/ folders", file=sys.stderr)
        return 2
    names = article_names(root, args.split)[: args.limit or None]
    report = evaluate(read_corpus(root, names))
    report["split"] = args.split
    if args.json:
        json.dump(report, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(format_report(report))
    return 0


def add_parser(sub) -> argparse.ArgumentParser:  # argparse subparsers action
    """``counterclaim eval attribution DIR [--json] [--split all|dev|heldout] [--limit N]``."""
    sp = sub.add_parser(
        "attribution",
        help="score claim attribution against PolNeAR-style brat files",
        description="Score the claim extractor on DIR/text + DIR/attributions (brat).",
    )
    sp.add_argument("dir", help="folder holding text/ and attributions/")
    sp.add_argument("--json", action="store_true", help="print JSON instead of text")
    sp.add_argument(
        "--split",
        choices=("all", "dev", "heldout"),
        default="all",
        help="score only one portion of the fixed 70/30 article split (default: all)",
    )
    sp.add_argument("--limit", type=int, default=0, help="score the first N articles only")
    sp.set_defaults(func=cmd)
    return sp


def main(argv: list[str] | None = None) -> int:
    """Standalone form of ``counterclaim eval ...``, until the CLI wires ``add_parser``."""
    parser = add_parser(argparse.ArgumentParser().add_subparsers())
    parser.prog = "python -m verify.evaluation.attribution"
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
