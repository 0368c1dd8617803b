"""A model switch is one transaction: a `train` stopped at any stage boundary, or by a real SIGINT
or SIGTERM while it rescores, leaves a store that answers `disputes --pairs --json`,
`propositions --json` and the JSON export with one model's numbers (its previous model's, the
same as before); a finished one, with the new model's, everywhere. A `run` whose model a `train`
switched meanwhile ends ranked by the new model. The real seed store, the real cross-encoder and
the real CLI."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from verify.analysts.retrain import Cancelled, retrain
from verify.cli.faults import EXIT_INTERRUPTED, EXIT_TERMINATED
from verify.cli.main import main
from verify.stages.pipeline import Pipeline
from verify.stance.cross_encoder import default_model_dir
from verify.stance.training import public_features
from verify.store.database import Store

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"

pytestmark = pytest.mark.skipif(
    not (default_model_dir() / public_features.FILE).exists(),
    reason="the shipped cross-encoder has no public_features.npz",
)


def _cli_json(*argv: str) -> object:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(list(argv)) == 0
    return json.loads(out.getvalue())


def answers(db: Path, tmp: Path) -> dict:
    """What the store answers: its model key, every ranked pair, every proposition, the export."""
    store = Store(db)
    key = store.meta.stance_model
    unscored = len(store.unscored_pairs(key))
    n_pairs = store.pair_count()
    store.close()
    report = tmp / "answer.json"
    assert main(["export", "--format", "json", "--all", "-o", str(report), "--db", str(db)]) == 0
    export = json.loads(report.read_text(encoding="utf-8"))
    for volatile in ("generated_at",):
        export.pop(volatile)
    return {
        "key": key,
        "unscored": unscored,
        "n_pairs": n_pairs,
        "pairs": _cli_json("disputes", "--pairs", "--json", "--top", "100000", "--db", str(db)),
        "propositions": _cli_json("propositions", "--json", "--db", str(db)),
        "export": export,
    }


def _to4(probs: dict[str, float]) -> dict[str, float]:
    """As the JSON report writes them (``verify.report.fmt_json.DECIMALS``)."""
    return {k: round(v, 4) for k, v in probs.items()}


def assert_one_model(a: dict) -> None:
    """Every pair scored under the key the store names; the ranking, the propositions and the
    export read the same numbers from it."""
    assert a["key"] and a["unscored"] == 0
    assert a["export"]["stance_model"] == a["key"]
    scored = [p for p in a["pairs"] if p["id"] is not None]
    assert len(scored) == a["n_pairs"] > 0  # the bug: [] or 339 of 625
    ranked = {(p["a"]["id"], p["b"]["id"]): _to4(p["probs"]) for p in a["pairs"]}
    exported = {(p["a"], p["b"]): p["probs"] for p in a["export"]["pairs"]}  # 4 decimals
    assert ranked == exported
    assert any(p["supporters"] or p["refuters"] for p in a["propositions"])


@pytest.fixture
def tagged_db(seed_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "seeds.db"
    shutil.copy(seed_db, path)
    store = Store(path)
    # Twenty verdicts sharper than the shipped reading (as tests/test_retrain.py's): enough for
    # the retrain to switch the model rather than refuse.
    rows = store.db.execute(
        "SELECT pair_id, p_contradiction, p_agreement FROM suggestions WHERE model = ?"
        " AND pair_id IN (SELECT id FROM pairs)",
        (store.meta.stance_model,),
    ).fetchall()
    rows.sort(key=lambda r: -(r[1] + r[2]))
    for pid, c, a in rows[:10]:
        store.add_tag(pid, "contradiction" if c >= a else "agreement", "ana")
    for pid, _c, _a in rows[-10:]:
        store.add_tag(pid, "unrelated", "ana")
    store.close()
    return path


def _stop_at(stage: int):
    """A ``should_stop`` that answers yes at its ``stage``-th poll (stage boundary)."""
    polls = [0]

    def stop() -> bool:
        polls[0] += 1
        return polls[0] >= stage

    return stop


@pytest.mark.slow
def test_a_retrain_stopped_at_every_stage_boundary_answers_with_the_previous_model(
    tagged_db: Path, tmp_path: Path
) -> None:
    before = answers(tagged_db, tmp_path)
    assert_one_model(before)
    stage = 1
    while True:  # stop at the first boundary, then the second, ... until a retrain finishes
        store = Store(tagged_db)
        try:
            retrain(store, lambda _m: None, should_stop=_stop_at(stage))
        except Cancelled:
            store.close()
            assert answers(tagged_db, tmp_path) == before, f"stopped before stage {stage}"
            stage += 1
            continue
        store.close()
        break
    assert stage >= 3  # loading ..., rescoring, switching: each boundary was stopped at once
    after = answers(tagged_db, tmp_path)
    assert_one_model(after)
    assert after["key"] != before["key"]


def _train_stopped_while_rescoring(db: Path, sig: int) -> tuple[int, str]:
    """A real `counterclaim train` stopped by ``sig`` once the new model's first pair scores are
    in the store (the window where the store used to name a half-scored model already)."""
    old = Store(db).meta.stance_model
    proc = subprocess.Popen(
        [sys.executable, "-m", "verify.cli", "train", "--db", str(db)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if "rescoring pairs and proposition stances" in line:
            break
    con = sqlite3.connect(db, timeout=30)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        new = con.execute("SELECT COUNT(*) FROM suggestions WHERE model != ?", (old,)).fetchone()
        if new[0]:
            break
        time.sleep(0.05)
    con.close()
    proc.send_signal(sig)
    rest = proc.stderr.read()
    return proc.wait(timeout=300), "".join(seen) + rest


@pytest.mark.parametrize(
    "sig, code",
    [
        (signal.SIGINT, EXIT_INTERRUPTED),
        pytest.param(signal.SIGTERM, EXIT_TERMINATED, marks=pytest.mark.slow),
    ],
)
def test_a_train_killed_while_rescoring_leaves_the_previous_model_whole(
    tagged_db: Path, tmp_path: Path, sig: int, code: int
) -> None:
    before = answers(tagged_db, tmp_path)
    rc, err = _train_stopped_while_rescoring(tagged_db, sig)
    assert rc == code, err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == (
        "counterclaim: retrain cancelled; the store still uses its previous model"
    )
    after = answers(tagged_db, tmp_path)
    assert after == before  # the same model's numbers, every one of them
    assert_one_model(after)


def test_a_run_whose_model_a_train_switched_meanwhile_ends_ranked_by_the_new_model(
    tagged_db: Path, tmp_path: Path
) -> None:
    store = Store(tagged_db)
    lines: list[str] = []
    run = Pipeline(store, log=lines.append)  # takes the store's model as it is now
    old = store.meta.stance_model
    retrain(Store(tagged_db), lambda _m: None)  # a train beside, switching the model
    new = store.meta.stance_model
    assert new != old
    extra = tmp_path / "extra.txt"
    extra.write_text(
        "Moscow said on Tuesday that the troops were returning to their bases. "
        "NATO said it had seen no sign of a withdrawal.\n",
        encoding="utf-8",
    )
    run.run([extra])
    assert any("changed while this run scored" in line for line in lines)
    store.close()
    after = answers(tagged_db, tmp_path)
    assert after["key"] == new
    assert_one_model(after)


def _pair_ids(answer: dict) -> set[int]:
    return {p["id"] for p in answer["pairs"] if p["id"] is not None}


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_run_killed_while_it_rescores_with_another_model_keeps_every_scored_pair_listed(
    seed_db: Path, tmp_path: Path, sig: int
) -> None:
    """Another stance model (the linear head) makes the run rescore every pair; stopped once its
    first scores are stored, the store lists every pair it listed before, with one model's
    numbers in the ranking and the export; the next run finishes the switch."""
    db = tmp_path / "seeds.db"
    shutil.copy(seed_db, db)
    before = answers(db, tmp_path)
    env = {**os.environ, "COUNTERCLAIM_STANCE": "sklearn"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "verify.cli", "run", str(SEEDS), "--db", str(db)],
        cwd=REPO,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    con = sqlite3.connect(db, timeout=30)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        new = con.execute(
            "SELECT (SELECT COUNT(*) FROM suggestions WHERE model != ?) + (SELECT"
            " COUNT(*) FROM proposition_suggestions WHERE model != ?)",
            (before["key"], before["key"]),
        ).fetchone()
        if new[0]:
            break
        time.sleep(0.02)
    con.close()
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=300)
    assert "Traceback" not in err and proc.returncode in (0, 130, 143), err
    after = answers(db, tmp_path)
    assert after["export"]["stance_model"] == after["key"]
    ranked = {(p["a"]["id"], p["b"]["id"]): _to4(p["probs"]) for p in after["pairs"]}
    assert ranked == {(p["a"], p["b"]): p["probs"] for p in after["export"]["pairs"]}
    store = Store(db)
    still = {r[0] for r in store.db.execute("SELECT id FROM pairs")}
    store.close()
    assert _pair_ids(before) & still <= _pair_ids(after)  # none dropped from the listing
    done = subprocess.run(
        [sys.executable, "-m", "verify.cli", "run", str(SEEDS), "--db", str(db)],
        cwd=REPO,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    final = answers(db, tmp_path)
    assert final["key"] != before["key"]
    assert_one_model(final)
