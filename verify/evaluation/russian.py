"""`counterclaim eval russian`: the Russian extractor on the hand-labelled Russian gold
(``tests/data/ru_gold.json``): speaker precision, recall and F1, and relay accuracy.

A gold claim is found by a predicted claim of its article whose content holds the gold key
phrase; the speaker is right when both name the same actor in the registry (or, for speakers it
does not know, the same last word, case aside: "Лаврова" in the text, "Лавров" in the gold both
resolve to Sergei Lavrov). Precision counts every predicted claim of the gold articles (one that
matches no gold claim is wrong); recall every gold claim."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

GOLD = Path(__file__).resolve().parents[2] / "tests" / "data" / "ru_gold.json"


def _same(registry, a: str, b: str) -> bool:
    ra, rb = registry.resolve(a), registry.resolve(b)
    if ra.side != "unknown" or rb.side != "unknown":
        return ra.name == rb.name
    last = lambda s: s.casefold().split()[-1][:5] if s.split() else ""  # noqa: E731 (stems)
    return last(a) == last(b)


def score(gold: dict, extractor=None, registry=None) -> dict:
    from verify.claims.russian import RussianExtractor
    from verify.registry.actors import Registry

    extractor = extractor or RussianExtractor()
    registry = registry or Registry.load()
    predicted = right = found = relay_right = n_gold = 0
    misses: list[dict] = []
    for art in gold["articles"]:
        claims = extractor.extract(art["text"], art["outlet"])
        predicted += len(claims)
        used: set[int] = set()
        for g in art["claims"]:
            n_gold += 1
            hit = next(
                (i for i, c in enumerate(claims) if g["key"] in c.text and i not in used), None
            )
            if hit is None:
                misses.append({"key": g["key"], "why": "no claim holds it"})
                continue
            used.add(hit)
            found += 1
            c = claims[hit]
            if _same(registry, c.speaker, g["speaker"]):
                right += 1
            else:
                misses.append(
                    {"key": g["key"], "why": f"speaker {c.speaker!r}, gold {g['speaker']!r}"}
                )
            if len(c.relay) == len(g["relay"]) and all(
                _same(registry, x, y) for x, y in zip(c.relay, g["relay"], strict=True)
            ):
                relay_right += 1
    p = right / predicted if predicted else 0.0
    r = right / n_gold if n_gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "gold_claims": n_gold,
        "predicted_claims": predicted,
        "found": found,
        "speaker_right": right,
        "speaker_precision": round(p, 3),
        "speaker_recall": round(r, 3),
        "speaker_f1": round(f1, 3),
        "relay_accuracy": round(relay_right / max(found, 1), 3),
        "misses": misses,
    }


def add_parser(sub) -> None:  # argparse subparsers action
    sp = sub.add_parser("russian", help="the Russian extractor on the Russian gold: speaker P/R/F1")
    sp.add_argument(
        "--gold", type=Path, default=GOLD, help="a gold file (default: tests/data/ru_gold.json)"
    )
    sp.add_argument("--json", action="store_true", help="print JSON instead of text")
    sp.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    rep = score(json.loads(Path(args.gold).read_text(encoding="utf-8")))
    if args.json:
        print(json.dumps(rep, indent=2, ensure_ascii=False))
        return 0
    print(f"$ counterclaim eval russian --gold {args.gold}")
    print(
        f"{rep['gold_claims']} gold claims, {rep['predicted_claims']} predicted, {rep['found']} found"
    )
    print(
        f"speaker precision {rep['speaker_precision']:.3f} recall {rep['speaker_recall']:.3f} "
        f"F1 {rep['speaker_f1']:.3f}; relay accuracy {rep['relay_accuracy']:.3f}"
    )
    for m in rep["misses"]:
        print(f"  miss: {m['key']}: {m['why']}")
    return 0
