"""How the engine does on the seed gold (shared/gold): a check of the shipped models, printed by
``counterclaim eval seeds`` (and ``make eval``), never a unit test (a legitimate retrain may move
these figures; the tests keep behaviour).

Reads a database built by the real pipeline from seeds/ (or builds one in a temporary folder) and
reports, for S01-S14, the rank and label of each gold pair in the one pair ranking
(``counterclaim disputes --pairs``) and whether the central proposition is among the engine's
own, with Moscow's claims supporting it and CNN's and Bellingcat's refuting it.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from typing import Any

TOP = 15
CENTRAL = "withdrawal of troops deployed on the border"  # gold S01's Moscow claim
REFUTERS = ("CNN", "Bellingcat")


def _find(items: list[dict], a: str, b: str) -> tuple[int, dict] | None:
    for rank, d in enumerate(items):
        ta, tb = d["a"]["text"], d["b"]["text"]
        if (a in ta and b in tb) or (a in tb and b in ta):
            return rank, d
    return None


def seed_report(db: Path, gold: list[dict[str, Any]]) -> dict[str, Any]:
    from verify.propositions.views import proposition_views
    from verify.store.database import Store
    from verify.views import listings as views

    store = Store(db)
    items = views.disputes(store)
    pairs = {}
    for g in gold:
        hit = _find(items, g["a"]["contains"], g["b"]["contains"])
        pairs[g["id"]] = {
            "gold": g["relation"],
            "rank": hit[0] + 1 if hit else None,
            "label": hit[1]["label"] if hit else None,
            "p_contradiction": round(hit[1]["confidence"], 3) if hit else None,
        }
    contra = [k for k, v in pairs.items() if v["gold"] == "contradiction"]
    top = [
        k
        for k in contra
        if pairs[k]["rank"] and pairs[k]["rank"] <= TOP and pairs[k]["label"] == "contradiction"
    ]
    wrong = [
        k
        for k, v in pairs.items()
        if v["gold"] != "contradiction" and v["label"] == "contradiction"
    ]
    by_id = {c["id"]: c for c in views.claims(store)}
    central = None
    for p in proposition_views(store, by_id):
        texts = [s["claim"]["text"] for s in p["supporters"]] + [p["text"]]
        if p["origin"] == "engine" and any(CENTRAL in t for t in texts):
            ref = {s["claim"]["outlet"] for s in p["refuters"]} | {
                s["claim"]["actor"] for s in p["refuters"]
            }
            sup = {s["claim"]["side"] for s in p["supporters"]}
            central = {
                "id": p["id"],
                "text": p["text"],
                "supporter_sides": sorted(sup),
                "refuted_by": sorted(x for x in ref if any(r in x for r in REFUTERS)),
                "n_supporters": len(p["supporters"]),
                "n_refuters": len(p["refuters"]),
            }
            break
    return {
        "pairs": pairs,
        f"contradictions_in_top{TOP}": len(top),
        "of": len(contra),
        "non_contradictions_labelled_contradiction": wrong,
        "central_proposition": central,
        "n_pairs_ranked": len(items),
    }


def build_seed_db(folder: Path) -> Path:
    from verify.stages.pipeline import Pipeline
    from verify.store.database import Store

    db = folder / "seeds.db"
    store = Store(db)
    Pipeline(store, log=lambda _m: None).run([Path(__file__).resolve().parents[2] / "seeds"])
    store.close()
    return db


def add_parser(sub) -> None:  # argparse subparsers action
    sp = sub.add_parser(
        "seeds", help="the engine on the seed gold: ranks of S01-S14, the central proposition"
    )
    sp.add_argument("--db", type=Path, help="a database built from seeds/ (default: build one)")
    sp.add_argument("--gold", type=Path, help="seeds_pairs.jsonl (default: ../shared/gold)")
    sp.add_argument("--json", action="store_true", help="print JSON instead of text")
    sp.set_defaults(func=run)


def _gold_path() -> Path:
    repo = Path(__file__).resolve().parents[2]
    for c in (repo.parent / "shared" / "gold", repo / "tests" / "gold"):
        if (c / "seeds_pairs.jsonl").exists():
            return c / "seeds_pairs.jsonl"
    raise FileNotFoundError("seeds_pairs.jsonl not found (pass --gold)")


def run(args: argparse.Namespace) -> int:
    path = args.gold or _gold_path()
    gold = [json.loads(x) for x in Path(path).read_text(encoding="utf-8").splitlines() if x.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or build_seed_db(Path(tmp))
        rep = seed_report(db, gold)
    if args.json:
        print(json.dumps(rep, indent=2))
        return 0
    for gid, p in rep["pairs"].items():
        print(
            f"{gid} gold={p['gold']:<13} rank={p['rank'] or '-':>4} label={p['label'] or '-':<13}"
            f" P(contradiction)={p['p_contradiction'] if p['p_contradiction'] is not None else '-'}"
        )
    print(
        f"gold contradictions in the top {TOP}, labelled contradiction: "
        f"{rep[f'contradictions_in_top{TOP}']} of {rep['of']}"
    )
    print(
        f"non-contradictions labelled contradiction: {rep['non_contradictions_labelled_contradiction']}"
    )
    print(f"central proposition: {json.dumps(rep['central_proposition'])}")
    return 0
