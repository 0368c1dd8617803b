"""Same outputs or not: the seed corpus through the real pipeline, every score dumped exactly.

    python bench/check_same_outputs.py --out /tmp/after.json                  # this checkout
    /other/.venv/bin/python bench/check_same_outputs.py --repo /other --out /tmp/before.json
    python bench/check_same_outputs.py --compare /tmp/before.json /tmp/after.json

Builds a temporary SQLite store from ``<repo>/seeds`` with ``<repo>``'s own engine (``--repo``
puts that checkout first on the import path), then rescores every pair with two more stance
models through ``Pipeline.rescore``: the shipped linear head, and a stacked head that reads the
camps (fitted on fixed seeded features, so its scores depend on the camp inputs it is handed).
Dumps the claims, pairs, propositions and every suggestion's four probabilities (floats as JSON, exact), per
model version. ``--compare`` exits 1 at the first difference, naming it.

Only the engine's public entry points are used (``Pipeline``, ``Store``, the model classes'
``load``/``fit_features``), so one script measures a checkout before and after a refactor.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import tempfile
from pathlib import Path

CLAIM_COLUMNS = "id, article_id, idx, text, speaker, cue, relay, actor, side, topic_id"
PAIR_COLUMNS = "id, a_id, b_id, similarity"
SUGGESTION_COLUMNS = "pair_id, model, p_contradiction, p_agreement, p_neutral, p_unrelated"
PROPOSITION_COLUMNS = "id, origin, text, claim_id, score"
PROPOSITION_SUGGESTION_COLUMNS = (
    "proposition_id, claim_id, model, p_refutes, p_supports, p_discusses, p_unrelated"
)


def _rows(con: sqlite3.Connection, sql: str) -> list[list]:
    return [list(r) for r in con.execute(sql)]


def dump(db: Path) -> dict:
    con = sqlite3.connect(db)
    out = {
        "claims": _rows(con, f"SELECT {CLAIM_COLUMNS} FROM claims ORDER BY id"),
        "pairs": _rows(con, f"SELECT {PAIR_COLUMNS} FROM pairs ORDER BY id"),
        "suggestions": _rows(
            con, f"SELECT {SUGGESTION_COLUMNS} FROM suggestions ORDER BY model, pair_id"
        ),
        "propositions": _rows(con, f"SELECT {PROPOSITION_COLUMNS} FROM propositions ORDER BY id"),
        "proposition_suggestions": _rows(
            con,
            f"SELECT {PROPOSITION_SUGGESTION_COLUMNS} FROM proposition_suggestions"
            " ORDER BY model, proposition_id, claim_id",
        ),
    }
    con.close()
    return out


def stacked_with_camps(cross, encoder):  # the checkout's own classes
    """A stacked head reading camps, fitted on seeded random features of the head's width."""
    import numpy as np

    from verify.stance.stacked import StackedStanceModel

    head = StackedStanceModel(cross, encoder=encoder, camps=True)
    width = head.features(head.inputs(["a claim"], ["a reply"]), camps=["same"]).shape[1]
    rng = np.random.default_rng(13)
    n = 400
    labels = ["contradiction", "agreement", "neutral", "unrelated"]
    F = rng.normal(size=(n, width)).astype(np.float32)
    F[:, -2:] = rng.integers(0, 2, size=(n, 2))  # the camp flags: weights the scores depend on
    y = [labels[(i + int(F[i, -2]) * 2) % 4] for i in range(n)]
    return head.fit_features(F, y).calibrate_features(F, y)


def build(repo: Path, db: Path) -> None:
    from verify.registry.actors import Registry
    from verify.stages.pipeline import Pipeline
    from verify.stance.cross_encoder import CrossEncoderStanceModel
    from verify.stance.sklearn_model import SklearnStanceModel, default_model_dir
    from verify.store.database import Store

    store = Store(str(db))
    pipe = Pipeline(store, Registry.load(None), log=lambda _line: None)
    pipe.run([str(repo / "seeds")])
    cross = CrossEncoderStanceModel.load(symmetric=True)
    for model in (
        SklearnStanceModel.load(default_model_dir(), encoder=pipe.encoder),
        stacked_with_camps(cross, pipe.encoder),
    ):
        other = Pipeline(store, Registry.load(None), stance=model, log=lambda _line: None)
        other.rescore()
        other._complete_scores()  # the propositions' reads too, under this model's key
    store.close()


def first_difference(a: object, b: object, where: str = "") -> str | None:
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            found = first_difference(a.get(k), b.get(k), f"{where}.{k}")
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{where}: {len(a)} rows != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found = first_difference(x, y, f"{where}[{i}]")
            if found:
                return found
        return None
    return None if a == b else f"{where}: {a!r} != {b!r}"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--repo", type=Path, default=Path(__file__).resolve().parents[1])
    p.add_argument("--out", type=Path, help="write the dump (JSON) here")
    p.add_argument("--compare", type=Path, nargs=2, metavar=("BEFORE", "AFTER"))
    args = p.parse_args(argv)
    if args.compare:
        before, after = (json.loads(f.read_text(encoding="utf-8")) for f in args.compare)
        diff = first_difference(before, after)
        counts = {k: len(v) for k, v in after.items()}
        print(f"DIFFERENT at {diff}" if diff else f"identical: {counts}")
        return 1 if diff else 0
    repo = args.repo.resolve()
    sys.path.insert(0, str(repo))
    import verify

    if Path(verify.__file__).resolve().parents[1] != repo:
        p.error(f"imported verify from {verify.__file__}, not {repo}")
    # Before any hub library is imported (they read these once); the checkout under test may
    # predate verify.offline, so set here.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "seeds.db"
        build(repo, db)
        result = dump(db)
    text = json.dumps(result, indent=0)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    models = sorted({row[1] for row in result["suggestions"]})
    print(
        f"{len(result['claims'])} claims, {len(result['pairs'])} pairs, "
        f"{len(result['suggestions'])} suggestions from {models}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
