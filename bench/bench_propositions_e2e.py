"""End to end on held-out Emergent claims: does the dispute ranking find the real disputes?

    python bench/bench_propositions_e2e.py [--split test|dev] [--data ../shared/data] [--json]
    python bench/bench_propositions_e2e.py --split dev --tune     # choose IMPLIED_WEIGHT on dev

Builds a corpus from the Emergent train headlines of the claims in one split of the stance
model's own grouping (``data.split_role`` on ``emergent:<claimId>``; the shipped model never
trained on the *test* claims): one article per headline, each its own outlet, all in one JSONL
file. Runs the whole pipeline on it, then scores the one pair ranking (``disputes --pairs``)
against gold made from the labels alone: a ``for`` and an ``against`` headline of one claim
contradict, two ``for`` agree, headlines of different claims are unrelated. Prints:

- average precision of the contradiction ranking (gold pairs never ranked count as misses);
- precision at 20;
- candidate recall: the share of gold contradicting pairs the ranking covers at all;
- cost: stance reads (pair reads + claim-proposition reads) per claim.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from verify.stance.training.data import split_role  # noqa: E402


def build_corpus(data: Path, split: str, out: Path, seed: int = 0) -> list[dict]:
    """One JSONL article per headline of the claims in ``split``; returns the rows."""
    path = data / "emergent" / "url-versions-2015-06-14-clean-train.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = [
            r | {"role": split_role(f"emergent:{r['claimId']}", seed)}
            for r in csv.DictReader(f)
            if split == "all" or split_role(f"emergent:{r['claimId']}", seed) == split
        ]
    seen, kept = set(), []
    for r in rows:
        key = " ".join(r["articleHeadline"].lower().split())
        if key in seen:  # the same headline twice would be one article (content hash)
            continue
        seen.add(key)
        kept.append(r)
    with out.open("w", encoding="utf-8") as f:
        for i, r in enumerate(kept):
            f.write(
                json.dumps(
                    {
                        "text": r["articleHeadline"],
                        "outlet": f"outlet-{i:04d}",
                        "title": "",
                        "url": f"https://example.org/emergent/{r['articleId']}",
                    }
                )
                + "\n"
            )
    return kept


def gold_relation(x: dict, y: dict) -> str | None:
    if x["claimId"] != y["claimId"]:
        return "unrelated"
    s = {x["articleHeadlineStance"], y["articleHeadlineStance"]}
    if s == {"for", "against"}:
        return "contradiction"
    if s == {"for"} or s == {"against"}:
        return "agreement"
    return None  # an observing headline: no gold relation


def score(ranking: list[tuple[int, int]], gold: set[tuple[int, int]], at: int = 20) -> dict:
    """AP over the ranking (article pairs, first occurrence), P@at, recall of ``gold``."""
    seen, hits, ap, top = set(), 0, 0.0, []
    for pair in ranking:
        if pair in seen:
            continue
        seen.add(pair)
        hit = pair in gold
        if len(top) < at:
            top.append(hit)
        if hit:
            hits += 1
            ap += hits / len(seen)
    return {
        "average_precision": ap / max(1, len(gold)),
        f"precision_at_{at}": sum(top) / at,
        "candidate_recall": hits / max(1, len(gold)),
        "n_gold_contradictions": len(gold),
        "n_ranked_article_pairs": len(seen),
    }


def _role_filter(by_article: dict, role: str):
    """Pairs with a side in ``role`` and none in the other held-out role."""
    other = {"dev": "test", "test": "dev"}[role]

    def keep(pair: tuple[int, int]) -> bool:
        roles = {by_article[pair[0]]["role"], by_article[pair[1]]["role"]}
        return role in roles and other not in roles

    return keep


def _cross_story(ranked: list[tuple[int, int]], by_article: dict, top: int = 100) -> float:
    """Share of the top ``top`` pairs that join headlines of different stories."""
    head = list(dict.fromkeys(ranked))[:top]
    return sum(by_article[a]["claimId"] != by_article[b]["claimId"] for a, b in head) / max(
        1, len(head)
    )


def article_ranking(store, weight: float | None) -> list[tuple[int, int]]:
    from verify.views import listings as views

    art = {r["id"]: r["article_id"] for r in store.claim_rows()}
    out = []
    for d in views.disputes(store, implied_weight=weight):
        a, b = art[d["a"]["id"]], art[d["b"]["id"]]
        if a != b:
            out.append((min(a, b), max(a, b)))
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    p.add_argument(
        "--split",
        choices=("test", "dev", "all"),
        default="test",
        help="all: every story in one corpus (the harder case: many distractors), "
        "figures per role (dev, test), each over the pairs that touch no other held-out role",
    )
    p.add_argument("--db", type=Path, help="keep the database here (default: a temporary file)")
    p.add_argument("--tune", action="store_true", help="also rank with other implied weights")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)

    from verify.stages.pair_value import IMPLIED_WEIGHT
    from verify.stages.pipeline import Pipeline
    from verify.store.database import Store

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / f"emergent-{args.split}.jsonl"
        rows = build_corpus(args.data, args.split, corpus)
        db = args.db or Path(tmp) / "e2e.db"
        store = Store(db)
        t = time.perf_counter()
        report = Pipeline(store, log=lambda m: None).run([corpus])
        seconds = time.perf_counter() - t
        # Article ids follow the JSONL order (one article per line, ingested in order).
        by_article = {a["id"]: rows[int(a["outlet"].split("-")[1])] for a in store.articles()}
        ids = sorted(by_article)
        gold = {
            (a, b)
            for a, b in combinations(ids, 2)
            if gold_relation(by_article[a], by_article[b]) == "contradiction"
        }
        weights = [IMPLIED_WEIGHT] + ([0.0, 0.3, 0.5, 0.7, 0.85, 1.0] if args.tune else [])
        if args.split == "all":
            results = {}
            for role in ("dev", "test"):
                keep = _role_filter(by_article, role)
                ranked = [p for p in article_ranking(store, IMPLIED_WEIGHT) if keep(p)]
                results[role] = score(ranked, {p for p in gold if keep(p)})
                results[role]["cross_story_share_top"] = _cross_story(ranked, by_article)
        else:
            results = {f"{w:g}": score(article_ranking(store, w), gold) for w in weights}
        n_claims = len(store.claim_rows())
        n_props = store.db.execute("SELECT COUNT(*) FROM proposition_suggestions").fetchone()[0]
        n_pairs = store.db.execute("SELECT COUNT(*) FROM suggestions").fetchone()[0]
        out = {
            "command": "python bench/bench_propositions_e2e.py " + " ".join(argv or sys.argv[1:]),
            "split": args.split,
            "claims_emergent": len({r["claimId"] for r in rows}),
            "articles": len(rows),
            "claims": n_claims,
            "pair_reads": n_pairs,
            "claim_proposition_reads": n_props,
            "reads_per_claim": round((n_pairs + n_props) / max(1, n_claims), 2),
            "refused": len(report.refused),
            "seconds": round(seconds, 1),
            "implied_weight": IMPLIED_WEIGHT,
            "results": results,
        }
        store.close()
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    print(out["command"])
    print(
        f"{out['claims_emergent']} held-out Emergent claims ({args.split}), {out['articles']} headlines"
        f" -> {n_claims} claims; {n_pairs} pair reads + {n_props} claim-proposition reads ="
        f" {out['reads_per_claim']} per claim; {out['seconds']} s"
    )
    if args.split == "all":
        for role, r in results.items():
            print(
                f"{role}: AP {r['average_precision']:.3f}  P@20 {r['precision_at_20']:.2f}"
                f"  candidate recall {r['candidate_recall']:.3f} of {r['n_gold_contradictions']}"
                f" gold; top-100 pairs joining different stories {r['cross_story_share_top']:.0%}"
            )
        return 0
    for w, r in results.items():
        mark = " (shipped)" if float(w) == IMPLIED_WEIGHT else ""
        print(
            f"implied weight {w}{mark}: AP {r['average_precision']:.3f}  P@20 {r['precision_at_20']:.2f}"
            f"  candidate recall {r['candidate_recall']:.3f} of {r['n_gold_contradictions']} gold"
            f" contradictions ({r['n_ranked_article_pairs']} article pairs ranked)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
