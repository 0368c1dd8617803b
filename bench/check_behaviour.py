"""Behaviour fingerprint: the seed DB built by the real pipeline, plus the stance models' versions.

    .venv/bin/python bench/check_behaviour.py --out before.json        # on one checkout
    .venv/bin/python bench/check_behaviour.py --compare before.json    # on another: same or not

Builds a fresh SQLite store from ``seeds/`` with ``Pipeline`` (the shipped registry and models),
then dumps every table's rows (timestamps dropped, embedding vectors as SHA-256 of their bytes,
the checkout's path as ``<repo>``)
and the versions of the shipped cross-encoder and sklearn head. The linear heads' fitting code is
checked too: an sklearn head and a stacked head fitted on fixed, seeded data give their versions
(a version is a hash of the weights and temperature, so any numeric change shows). Exit 1 when
``--compare`` finds a difference, with the first differing keys named.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

#: Columns that record when, not what: left out of the fingerprint.
TIME_COLUMNS = {"at", "created_at", "ingested_at", "started_at", "finished_at"}


def _normal(v: object) -> object:
    """Blobs as a short hash; the checkout's own path as ``<repo>`` (two checkouts compare)."""
    if isinstance(v, bytes):
        return hashlib.sha256(v).hexdigest()[:16]
    return v.replace(str(REPO), "<repo>") if isinstance(v, str) else v


def dump_db(path: Path) -> dict[str, dict]:
    """Every table's rows, sorted, timestamps dropped, blobs hashed."""
    con = sqlite3.connect(path)
    tables = [
        r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
    ]
    out: dict[str, dict] = {}
    for t in tables:
        cur = con.execute(f'SELECT * FROM "{t}"')  # table names come from sqlite_master
        cols = [d[0] for d in cur.description]
        keep = [i for i, c in enumerate(cols) if c not in TIME_COLUMNS]
        rows = []
        for row in cur:
            vals = [row[i] for i in keep]
            rows.append([_normal(v) for v in vals])
        out[t] = {"columns": [cols[i] for i in keep], "rows": sorted(rows, key=repr)}
    con.close()
    return out


def build_seed_db(db: Path) -> None:
    from verify.registry.actors import Registry
    from verify.stages.pipeline import Pipeline
    from verify.store.database import Store

    Pipeline(Store(str(db)), Registry.load(None)).run([str(REPO / "seeds")])


def model_versions() -> dict[str, str]:
    import numpy as np

    from verify.stance.cross_encoder import CrossEncoderStanceModel
    from verify.stance.features import PairInputs
    from verify.stance.sklearn_model import SklearnStanceModel, default_model_dir
    from verify.stance.stacked import StackedStanceModel

    cross = CrossEncoderStanceModel.load()
    out = {
        "cross": cross.version,
        "cross_one_way": CrossEncoderStanceModel.load(symmetric=False).version,
        "sklearn_shipped": SklearnStanceModel.load(default_model_dir()).version,
    }
    labels = ["contradiction", "agreement", "neutral", "unrelated"]
    rng = np.random.default_rng(7)
    n = 200
    y = [labels[i % 4] for i in range(n)]
    texts_a = [f"claim number {i} is {'not ' if i % 4 == 0 else ''}true" for i in range(n)]
    texts_b = [f"claim number {i} is true, officials said" for i in range(n)]
    X = PairInputs(
        rng.normal(size=(n, 384)).astype(np.float32),
        rng.normal(size=(n, 384)).astype(np.float32),
        texts_a,
        texts_b,
    )
    sk = SklearnStanceModel(encoder=None).fit_inputs(X, y)
    sk.calibrate_inputs(X, y)
    out["sklearn_synthetic"] = sk.version
    out["sklearn_synthetic_p"] = hashlib.sha256(sk.predict_proba_inputs(X).tobytes()).hexdigest()[
        :16
    ]
    st = StackedStanceModel(cross, encoder=None)
    F = rng.normal(size=(n, 12)).astype(np.float32)  # a feature matrix
    st.fit_features(F, y, np.linspace(0.5, 2.0, n)).calibrate_features(F, y)
    out["stacked_synthetic"] = st.version
    out["stacked_synthetic_p"] = hashlib.sha256(st.predict_proba_features(F).tobytes()).hexdigest()[
        :16
    ]
    return out


def fingerprint() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "seeds.db"
        build_seed_db(db)
        tables = dump_db(db)
    return {"models": model_versions(), "tables": tables}


def first_differences(a: dict, b: dict, prefix: str = "", limit: int = 10) -> list[str]:
    diffs: list[str] = []
    for k in sorted(set(a) | set(b)):
        if len(diffs) >= limit:
            break
        x, y = a.get(k), b.get(k)
        if isinstance(x, dict) and isinstance(y, dict):
            diffs += first_differences(x, y, f"{prefix}{k}.", limit - len(diffs))
        elif x != y:
            diffs.append(f"{prefix}{k}")
    return diffs


def main(argv: list[str] | None = None) -> int:
    from verify.offline import go_offline

    go_offline()  # before any hub library is imported: they read the flags once
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--out", type=Path, help="write the fingerprint (JSON) here")
    p.add_argument("--compare", type=Path, help="compare with a fingerprint written by --out")
    args = p.parse_args(argv)
    fp = json.loads(json.dumps(fingerprint()))  # JSON round trip: compare like with like
    for name, v in fp["models"].items():
        print(f"{name:22s} {v}")
    for t, d in fp["tables"].items():
        digest = hashlib.sha256(json.dumps(d, sort_keys=True).encode()).hexdigest()[:16]
        print(f"table {t:22s} {len(d['rows']):6d} rows  {digest}")
    if args.out:
        args.out.write_text(json.dumps(fp, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    if args.compare:
        diffs = first_differences(json.loads(args.compare.read_text(encoding="utf-8")), fp)
        if diffs:
            print("DIFFERENT: " + ", ".join(diffs))
            return 1
        print(f"identical to {args.compare}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
