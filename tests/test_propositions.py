"""Propositions on the seeds: the real pipeline (spaCy, MiniLM, the shipped stance model), SQLite."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO, SEEDS

from verify.labels import PROPOSITION_LABELS, STANCE_LABELS
from verify.propositions.disputes import implied
from verify.propositions.edit import PropositionError, check_text, propose_text
from verify.propositions.views import PROPOSITION_KEYS, proposition_views, source_of
from verify.stages.pipeline import Pipeline
from verify.store.database import Store
from verify.store.propositions import PropositionTables
from verify.views import listings as views


@pytest.fixture
def db(seed_db: Path, tmp_path: Path) -> Path:
    """A private copy of the session's seed database (tests here write to it)."""
    path = tmp_path / "seeds.db"
    shutil.copy(seed_db, path)
    return path


def _cli(db: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "verify.cli", *args, "--db", str(db)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
    )


def test_every_claim_of_a_topic_is_scored_or_stored_unread_against_each_of_its_propositions(
    seed_db: Path,
) -> None:
    store = Store(seed_db)
    tables = PropositionTables(store)
    props = tables.active()
    assert props and all(p["origin"] == "engine" for p in props)
    model = store.meta.stance_model
    scored = {(r["proposition_id"], r["claim_id"]) for r in tables.suggestions(model, unread=True)}
    for p in props:
        members = [r["id"] for r in store.claim_rows() if r["topic_id"] == p["topic_id"]]
        assert {(p["id"], c) for c in members} <= scored
    # Engine proposals are claims of their own topic, deduplicated: no two share a text.
    assert len({p["text"] for p in props}) == len(props)


def test_no_cross_source_pair_of_a_topic_is_missing_from_both_views(seed_db: Path) -> None:
    store = Store(seed_db)
    by_id = {c["id"]: c for c in views.claims(store)}
    ranked = {frozenset((d["a"]["id"], d["b"]["id"])) for d in views.disputes(store)}
    boards = proposition_views(store, by_id)
    on_board = {}
    for p in boards:
        for key in ("supporters", "refuters", "others"):
            for s in p[key]:
                on_board.setdefault(s["claim"]["id"], set()).add(p["id"])
    for a, b in combinations(by_id.values(), 2):
        if a["topic"] != b["topic"] or source_of(a) == source_of(b):
            continue
        # Either the ranking holds the pair, or both claims stand on a shared proposition's board.
        assert frozenset((a["id"], b["id"])) in ranked or (
            on_board.get(a["id"], set()) & on_board.get(b["id"], set())
        ), (a["text"], b["text"])


def test_a_rerun_rescores_nothing_and_keeps_analyst_propositions(db: Path) -> None:
    store = Store(db)
    topic = store.topics()[0]["id"]
    pipe = Pipeline(store, log=lambda _m: None)
    pid = propose_text(store, "The troop withdrawal has begun.", topic, "ana", pipe.encoder.encode)
    tables = PropositionTables(store)
    model = store.meta.stance_model
    assert not any(r["proposition_id"] == pid for r in tables.suggestions(model))
    report = pipe.run([SEEDS])
    assert report.pairs_scored == 0  # nothing new but the proposition: no pair is re-read
    assert any(r["proposition_id"] == pid for r in tables.suggestions(model))
    assert tables.is_active(pid) and tables.get(pid)["origin"] == "analyst"
    before = {p["id"] for p in tables.active() if p["origin"] == "engine"}
    pipe.refresh()  # a forced refresh proposes again: the same engine ids
    assert {p["id"] for p in tables.active() if p["origin"] == "engine"} == before


def test_scores_read_the_proposition_as_the_claim_and_the_claim_as_the_evidence(
    seed_db: Path,
) -> None:
    store = Store(seed_db)
    tables = PropositionTables(store)
    model_key = store.meta.stance_model
    row = next(r for r in tables.suggestions(model_key) if r["p_unrelated"] < 1)  # one read
    prop = tables.get(row["proposition_id"])
    claim = store.db.execute("SELECT text FROM claims WHERE id=?", (row["claim_id"],)).fetchone()
    pipe = Pipeline(store, log=lambda _m: None)
    probs = pipe.stance.predict_proba([prop["text"]], [claim["text"]])[0]
    stored = [row[f"p_{lab}"] for lab in PROPOSITION_LABELS]
    assert np.allclose(stored, probs, atol=1e-5)


def test_stance_tags_are_append_only_and_override_the_suggestion(db: Path) -> None:
    store = Store(db)
    tables = PropositionTables(store)
    p = tables.active()[0]
    claim = next(r["id"] for r in store.claim_rows() if r["topic_id"] == p["topic_id"])
    first = tables.add_tag(p["id"], claim, "refutes", "ana")
    tables.add_tag(p["id"], claim, "refutes", "ben")
    by_id = {c["id"]: c for c in views.claims(store)}
    board = next(v for v in proposition_views(store, by_id) if v["id"] == p["id"])
    tagged = [s for s in board["refuters"] if s["claim"]["id"] == claim]
    assert tagged and tagged[0]["tagged"] and tagged[0]["probs"]["refutes"] == 1.0
    assert tables.retract_latest_tag("ben")["analyst"] == "ben"
    assert [t["id"] for t in tables.tags(p["id"])] == [first]
    rows = store.db.execute("SELECT COUNT(*) FROM stance_tags").fetchone()[0]
    assert rows == 2  # undo is a retraction row, nothing deleted


@pytest.mark.parametrize("text", ["", "   ", "?!…", "x. " * 5 + "y" * 500])
def test_bad_typed_propositions_are_refused(text: str) -> None:
    with pytest.raises(PropositionError):
        check_text(text)


def test_cli_propose_unpropose_and_bad_input(db: Path) -> None:
    store = Store(db)
    count = store.db.execute("SELECT COUNT(*) FROM propositions").fetchone()[0]
    for args in (
        ["propose", "!!!", "--topic", "1"],
        ["propose", "ok text here", "--topic", "999"],
        ["unpropose", "999"],
        ["stance", "999", "1", "refutes"],
    ):
        proc = _cli(db, *args, "--analyst", "ana")
        assert proc.returncode == 2, proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1 and proc.stderr.startswith(
            "counterclaim: "
        )
    assert store.db.execute("SELECT COUNT(*) FROM propositions").fetchone()[0] == count
    claim = store.claim_rows()[0]["id"]
    proc = _cli(db, "propose", "--claim", str(claim), "--analyst", "ana", "--no-score")
    assert proc.returncode == 0, proc.stderr
    pid = int(proc.stdout.split()[1].lstrip("P"))
    assert PropositionTables(Store(db)).get(pid)["pinned"] == 1
    assert _cli(db, "unpropose", str(pid), "--analyst", "ana").returncode == 0
    assert not PropositionTables(Store(db)).is_active(pid)


def test_disputes_json_contracts(db: Path) -> None:
    props = json.loads(_cli(db, "disputes", "--json").stdout)
    assert props and all(tuple(p) == PROPOSITION_KEYS and p["is_dispute"] for p in props)
    pairs = json.loads(_cli(db, "disputes", "--pairs", "--json", "--top", "5").stdout)
    assert all(tuple(d) == views.DISPUTE_KEYS for d in pairs)


def test_hostile_proposition_text_is_stored_and_listed_literally(db: Path) -> None:
    store = Store(db)
    topic = store.topics()[0]["id"]
    pipe = Pipeline(store, log=lambda _m: None)
    text = "[bold red]Withdrawal[/] <script>alert(1)</script> \x1b[31m begun"
    pid = propose_text(store, text, topic, "ana", pipe.encoder.encode)
    listed = json.loads(_cli(db, "propositions", "--json").stdout)
    assert next(p for p in listed if p["id"] == pid)["text"] == " ".join(text.split())


def _reference(x: dict[str, float], y: dict[str, float]) -> list[float]:
    """The implied reading as the module docstring writes it, one pair in plain floats (a copy
    kept here to check the engine's one array version against)."""
    c = x["supports"] * y["refutes"] + x["refutes"] * y["supports"]
    a = x["supports"] * y["supports"] + x["refutes"] * y["refutes"]
    u = x["unrelated"] + y["unrelated"] - x["unrelated"] * y["unrelated"]
    n = max(0.0, 1.0 - c - a - u)
    total = c + a + n + u
    return [c / total, a / total, n / total, u / total]


def _implied(x: dict[str, float], y: dict[str, float]) -> np.ndarray:
    cols = [np.array([d[k]]) for d in (x, y) for k in ("supports", "refutes", "unrelated")]
    return implied(*cols)[0]


def test_implied_relation_of_two_stances() -> None:
    sup = {"supports": 0.9, "refutes": 0.05, "discusses": 0.05, "unrelated": 0.0}
    ref = {"supports": 0.05, "refutes": 0.9, "discusses": 0.05, "unrelated": 0.0}
    off = {"supports": 0.0, "refutes": 0.0, "discusses": 0.0, "unrelated": 1.0}
    c, a, _n, u = (STANCE_LABELS.index(x) for x in STANCE_LABELS)
    assert _implied(sup, ref).argmax() == c
    assert _implied(sup, sup).argmax() == a
    assert _implied(ref, ref).argmax() == a
    assert _implied(sup, off).argmax() == u
    assert np.isclose(_implied(sup, ref).sum(), 1.0)


def test_the_one_implied_formula_matches_the_reference() -> None:
    rng = np.random.default_rng(7)
    stances = [dict(zip(PROPOSITION_LABELS, p, strict=True)) for p in rng.dirichlet([1] * 4, 200)]
    stances += [{**stances[0], "unrelated": 0.0, "supports": 0.7, "refutes": 0.6}]  # sums over 1
    for x, y in zip(stances, stances[::-1], strict=True):
        assert np.allclose(_implied(x, y), _reference(x, y), rtol=0, atol=1e-15)
