"""What analysts' tags buy on the seeds: tag half of the gold pairs, retrain, look at the other half.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/bench_analyst_loop.py

The seed gold is never training data for a shipped model; here it stands in for an analyst who
has tagged some pairs of this dispute (the "tagged" half, gold labels as tags), and the question
is how the retrained head (stacked over the cross-encoder, with camp features) ranks the pairs
nobody tagged (the "held" half). Runs the real pipeline and the real `retrain` on a temporary
database. Figures only.
"""

from __future__ import annotations

import json
import shlex
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
TAGGED = {"S01", "S03", "S05", "S07", "S09", "S11", "S13"}  # the rest is held out


def _rank(items: list[dict], gold: dict) -> tuple[int, str] | None:
    a, b = gold["a"]["contains"], gold["b"]["contains"]
    for r, d in enumerate(items, 1):
        ta, tb = d["a"]["text"], d["b"]["text"]
        if (a in ta and b in tb) or (a in tb and b in ta):
            return r, d["label"]
    return None


def main() -> None:
    from verify.analysts.retrain import retrain
    from verify.stages.pipeline import Pipeline
    from verify.store.database import Store
    from verify.views import listings as views

    gold = [json.loads(x) for x in (REPO / "tests" / "gold" / "seeds_pairs.jsonl").open()]
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "loop.db")
        Pipeline(store, log=lambda _m: None).run([REPO / "seeds"])
        before = views.disputes(store)
        tagged = 0
        for g in gold:
            hit = _rank(before, g)
            if g["id"] in TAGGED and hit is not None:
                store.add_tag(before[hit[0] - 1]["id"], g["relation"], "bench")
                tagged += 1
        t = time.perf_counter()
        metrics = retrain(store, log=lambda _m: None)
        seconds = time.perf_counter() - t
        after = views.disputes(store)
    print(f"command: {shlex.join(['python', 'bench/bench_analyst_loop.py'])}")
    print(
        f"{tagged} gold pairs tagged ({', '.join(sorted(TAGGED))}); retrain {seconds:.0f}s; "
        f"model {metrics['version']}"
    )
    print("pair  gold           tagged  before (rank, label)     after (rank, label)")
    for g in gold:
        b, a = _rank(before, g), _rank(after, g)
        print(
            f"{g['id']}   {g['relation']:<14} {'yes' if g['id'] in TAGGED else 'no ':<7} "
            f"{str(b):<24} {a}"
        )
    held = [g for g in gold if g["id"] not in TAGGED and g["relation"] == "contradiction"]
    untagged = [g for g in gold if g["id"] not in TAGGED]
    for name, items in (("before", before), ("after", after)):
        right = sum(1 for g in untagged if (h := _rank(items, g)) and h[1] == g["relation"])
        found = sum(1 for g in untagged if _rank(items, g))
        calls = sum(d["label"] == "contradiction" for d in items)
        print(
            f"{name}: held-out gold pairs labelled as gold {right} / {found} candidates; "
            f"pairs labelled contradiction {calls} / {len(items)}"
        )
        n = sum(
            1 for g in held if (h := _rank(items, g)) and h[0] <= 15 and h[1] == "contradiction"
        )
        print(
            f"held-out gold contradictions in the top 15 labelled contradiction, {name}: "
            f"{n} / {len(held)}"
        )


if __name__ == "__main__":
    main()
