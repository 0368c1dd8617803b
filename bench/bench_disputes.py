"""The disputes benches of issue 18 in one command, for the shipped model and the model before.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_disputes.py [--before DIR] [--only NAME ...]

- ``emergent``: every Emergent train headline as a one-sentence article of its own outlet, all
  stories in one corpus (``bench_propositions_e2e --split all``); AP and P@20 of the
  contradiction ranking per held-out role (dev: tuned on; test: looked at once), and the share of
  the top 100 pairs that join different stories.
- ``fnc1``: whole articles: FNC-1 dev-split headlines as one-sentence articles, and every body
  labelled against them (agree, disagree, discuss) as a full article of another outlet; AP and
  P@20 of the (headline, body) pairs that disagree, ranked by the pipeline's pair listing (a
  body's best claim pair with the headline). Random order gives the share of disagreeing bodies.
- ``loop``: the analyst loop on the Emergent dev corpus: tag the top 40 pairs with their gold
  relation, `train`, and the AP of the pairs nobody tagged, before and after.
- ``seeds``: ranks of the gold seed pairs in `disputes --pairs` and their labels.

``--before DIR``: a models folder holding the model before (e.g. a copy of ``models/`` without
``stance-cross/relatedness.json``); each bench then runs twice and prints both.
``--unscreened``: each bench also runs with ``COUNTERCLAIM_SCREEN=0`` (the cross-encoder reads
every pair): what the relatedness screen costs, and the reads it spares (issue 22).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from itertools import combinations
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import bench_propositions_e2e as e2e  # noqa: E402

from verify.stance.training.data import split_role  # noqa: E402

DATA = REPO.parent / "shared" / "data"


def screened_share(store) -> float:
    """Share of the stored readings the screen made without the cross-encoder (no stance mass)."""
    q = "SELECT AVG(p_contradiction = 0 AND p_agreement = 0) FROM suggestions"
    return round(float(store.db.execute(q).fetchone()[0] or 0.0), 3)


def _article_ranking(store) -> list[tuple[int, int]]:
    return e2e.article_ranking(store, None)


def bench_emergent(data: Path) -> dict:
    out = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "bench_propositions_e2e.py"),
            "--split",
            "all",
            "--json",
            "--data",
            str(data),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    res = json.loads(out.stdout)["results"]
    return {
        role: {k: round(v, 3) if isinstance(v, float) else v for k, v in r.items()}
        for role, r in res.items()
    }


def fnc1_corpus(data: Path, out: Path, n_headlines: int = 30, seed: int = 0) -> dict:
    """Headlines of the dev split with at least one disagreeing body; returns the gold map
    {(headline index, body id): stance} and writes one JSONL article per text."""
    bodies = {
        r["Body ID"]: r["articleBody"]
        for r in csv.DictReader((data / "fnc1" / "train_bodies.csv").open(encoding="utf-8"))
    }
    by_head: dict[str, list[tuple[str, str]]] = {}
    for r in csv.DictReader((data / "fnc1" / "train_stances.csv").open(encoding="utf-8")):
        if r["Stance"] != "unrelated" and split_role(f"fnc1:{r['Body ID']}") == "dev":
            by_head.setdefault(r["Headline"], []).append((r["Body ID"], r["Stance"]))
    heads = sorted(h for h, bs in by_head.items() if any(s == "disagree" for _, s in bs))
    random.Random(seed).shuffle(heads)
    heads = heads[:n_headlines]
    used = sorted({b for h in heads for b, _ in by_head[h]})
    with out.open("w", encoding="utf-8") as f:
        for i, h in enumerate(heads):
            f.write(json.dumps({"text": h, "outlet": f"head-{i:03d}", "title": ""}) + "\n")
        for b in used:
            f.write(json.dumps({"text": bodies[b], "outlet": f"body-{b}", "title": ""}) + "\n")
    return {"heads": heads, "gold": {(i, b): s for i, h in enumerate(heads) for b, s in by_head[h]}}


def bench_fnc1(data: Path) -> dict:
    from verify.stages.pipeline import Pipeline
    from verify.store.database import Store

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "fnc1.jsonl"
        info = fnc1_corpus(data, corpus)
        store = Store(Path(tmp) / "fnc1.db")
        t = time.perf_counter()
        Pipeline(store, log=lambda m: None).run([corpus])
        seconds = time.perf_counter() - t
        spared = screened_share(store)
        who = {a["id"]: a["outlet"] for a in store.articles()}
        ranked = []
        for a, b in _article_ranking(store):
            oa, ob = who[a], who[b]
            if oa.startswith("body-"):
                oa, ob = ob, oa
            if oa.startswith("head-") and ob.startswith("body-"):
                key = (int(oa.split("-")[1]), ob.split("-", 1)[1])
                if key in info["gold"]:
                    ranked.append(key)
        store.close()
    gold = {k for k, s in info["gold"].items() if s == "disagree"}
    r = e2e.score(ranked, gold)
    return {
        "headlines": len(info["heads"]),
        "pairs": len(info["gold"]),
        "random_ap": round(len(gold) / len(info["gold"]), 3),
        "average_precision": round(r["average_precision"], 3),
        "precision_at_20": round(r["precision_at_20"], 2),
        "candidate_recall": round(r["candidate_recall"], 3),
        "seconds": round(seconds, 1),
        "screened_share": spared,
    }


def bench_loop(data: Path, n_tags: int = 40) -> dict:
    """Tag the top ``n_tags`` pairs of the Emergent dev corpus with gold, retrain, AP of the rest."""
    from verify.analysts.retrain import retrain
    from verify.stages.pipeline import Pipeline
    from verify.store.database import Store
    from verify.views import listings as views

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "emergent-dev.jsonl"
        rows = e2e.build_corpus(data, "dev", corpus)
        store = Store(Path(tmp) / "loop.db")
        Pipeline(store, log=lambda m: None).run([corpus])
        by_article = {a["id"]: rows[int(a["outlet"].split("-")[1])] for a in store.articles()}
        art = {r["id"]: r["article_id"] for r in store.claim_rows()}

        def relation(d: dict) -> str:
            x, y = by_article[art[d["a"]["id"]]], by_article[art[d["b"]["id"]]]
            return e2e.gold_relation(x, y) or "neutral"

        listing = [d for d in views.disputes(store) if d.get("id") is not None]
        tagged = listing[:n_tags]
        skip = {
            (min(art[d["a"]["id"]], art[d["b"]["id"]]), max(art[d["a"]["id"]], art[d["b"]["id"]]))
            for d in tagged
        }
        ids = sorted(by_article)
        gold = {
            (a, b)
            for a, b in combinations(ids, 2)
            if (a, b) not in skip
            and e2e.gold_relation(by_article[a], by_article[b]) == "contradiction"
        }

        def ap() -> dict:
            ranked = [p for p in e2e.article_ranking(store, None) if p not in skip]
            return e2e.score(ranked, gold)

        before = ap()
        for d in tagged:
            store.add_tag(d["id"], relation(d), "bench")
        taught = ap()  # the tags reach their neighbours at once (verify.stages.tag_reach)
        t = time.perf_counter()
        metrics = retrain(store, lambda m: None)
        seconds = time.perf_counter() - t
        after = ap()
        store.close()
    return {
        "tags": len(tagged),
        "tag_labels": {
            k: sum(relation(d) == k for d in tagged)
            for k in ("contradiction", "agreement", "neutral", "unrelated")
        },
        "ap_untagged_before": round(before["average_precision"], 3),
        "ap_untagged_tagged": round(taught["average_precision"], 3),
        "ap_untagged_after": round(after["average_precision"], 3),
        "switched": metrics.get("switched", True),
        "reason": metrics.get("reason"),
        "tag_fit": metrics.get("tag_fit"),
        "retrain_seconds": round(seconds, 1),
    }


def bench_seeds(data: Path) -> dict:
    from verify.stages.pipeline import Pipeline
    from verify.store.database import Store
    from verify.views import listings as views

    gold = [
        json.loads(x)
        for x in (REPO.parent / "shared" / "gold" / "seeds_pairs.jsonl")
        .read_text(encoding="utf-8")
        .splitlines()
        if x.strip()
    ]
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "seeds.db")
        Pipeline(store, log=lambda m: None).run([REPO / "seeds"])
        items = views.disputes(store)
        spared = screened_share(store)
        store.close()
    out: dict = {"screened_share": spared}
    for g in gold:
        a, b = g["a"]["contains"], g["b"]["contains"]
        hit = next(
            (
                (r, d["label"], round(d["probs"]["contradiction"], 3) if "probs" in d else None)
                for r, d in enumerate(items, 1)
                if (a in d["a"]["text"] and b in d["b"]["text"])
                or (a in d["b"]["text"] and b in d["a"]["text"])
            ),
            None,
        )
        out[g["id"]] = {"gold": g["relation"], "rank_label": hit}
    found = [v for v in out.values() if isinstance(v, dict)]
    contra = [v for v in found if v["gold"] == "contradiction"]
    others = [v for v in found if v["gold"] != "contradiction"]
    out["summary"] = {
        "gold_contradictions_top15": sum(
            1 for v in contra if v["rank_label"] and v["rank_label"][0] <= 15
        ),
        "of": len(contra),
        "non_contradictions_labelled_contradiction": sum(
            1 for v in others if v["rank_label"] and v["rank_label"][1] == "contradiction"
        ),
        "of_non": len(others),
    }
    return out


BENCHES: dict[str, Callable[[Path], dict]] = {
    "emergent": bench_emergent,
    "fnc1": bench_fnc1,
    "loop": bench_loop,
    "seeds": bench_seeds,
}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--data", type=Path, default=DATA)
    p.add_argument("--before", type=Path, help="a models folder with the model before")
    p.add_argument("--unscreened", action="store_true", help="also run without the screen")
    p.add_argument("--only", nargs="+", choices=sorted(BENCHES), help="run only these benches")
    p.add_argument("--child", help=argparse.SUPPRESS)  # one bench in a child process
    args = p.parse_args(argv)
    if args.child:
        print(json.dumps(BENCHES[args.child](args.data), default=str))
        return 0
    print("python bench/bench_disputes.py " + " ".join(argv if argv is not None else sys.argv[1:]))
    runs: dict[str, dict[str, str]] = {"shipped": {}}
    if args.unscreened:
        runs["unscreened"] = {"COUNTERCLAIM_SCREEN": "0"}
    if args.before:
        runs["before"] = {"COUNTERCLAIM_MODELS": str(Path(args.before).resolve())}
    for name in args.only or BENCHES:
        for label, extra in runs.items():
            env = dict(os.environ) | extra
            # Each bench in its own process: the model folder is read once per process.
            t = time.perf_counter()
            res = subprocess.run(
                [sys.executable, __file__, "--child", name, "--data", str(args.data)],
                capture_output=True,
                text=True,
                env=env,
            )
            if res.returncode:
                print(f"{name} [{label}]: failed: {res.stderr.strip().splitlines()[-1:]}")
                continue
            print(f"{name} [{label}] ({time.perf_counter() - t:.0f}s): {res.stdout.strip()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
