"""Which claim-proposition pairs the stance model reads (``verify.propositions.reads``), on the
real pipeline's seed store: each claim against its nearest engine propositions of its topic and
every proposition whose own nearest claims hold it; analyst propositions against everything."""

from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
from conftest import SEEDS

from verify.propositions.edit import propose_text
from verify.propositions.reads import NEAREST
from verify.stages.pipeline import Pipeline
from verify.store.database import Store
from verify.store.propositions import UNREAD, PropositionTables


def _unread(row) -> bool:
    return (row["p_refutes"], row["p_supports"], row["p_discusses"], row["p_unrelated"]) == UNREAD


@pytest.fixture
def db(seed_db: Path, tmp_path: Path) -> Path:
    shutil.copy(seed_db, tmp_path / "seeds.db")
    return tmp_path / "seeds.db"


def test_each_claim_is_read_against_its_nearest_engine_propositions(seed_db: Path) -> None:
    store = Store(seed_db)
    tables = PropositionTables(store)
    props = {p["id"]: p for p in tables.active()}
    engine = defaultdict(list)
    for p in props.values():
        if p["origin"] == "engine":
            engine[p["topic_id"]].append(p["id"])
    assert max(len(v) for v in engine.values()) > NEAREST  # the seeds exercise the rule
    scope = tables.scope()
    rows = tables.suggestions(store.meta.stance_model, unread=True)
    unread = [r for r in rows if _unread(r)]
    assert unread and len(unread) < len(rows)
    pipe = Pipeline(store, log=lambda _m: None)
    text = {r["id"]: r["text"] for r in store.claim_rows()}
    read_by: dict[int, set[int]] = defaultdict(set)
    for r in rows:
        if not _unread(r):
            read_by[r["claim_id"]].add(r["proposition_id"])
    for r in unread:
        p = props[r["proposition_id"]]
        assert p["origin"] == "engine" and len(engine[p["topic_id"]]) > NEAREST
        assert r["claim_id"] not in scope.get(p["id"], [])
        # Read against NEAREST engine propositions of the topic, each nearer than this one.
        mine = [q for q in engine[p["topic_id"]] if q in read_by[r["claim_id"]]]
        assert len(mine) >= NEAREST
        vecs = pipe.encoder.encode(
            [text[r["claim_id"]]] + [text[props[q]["claim_id"]] for q in mine]
        )
        skipped = pipe.encoder.encode([text[p["claim_id"]]])[0]
        near = np.sort(vecs[1:] @ vecs[0])[-NEAREST:]
        assert (near >= float(skipped @ vecs[0]) - 1e-6).all()


def test_an_analyst_proposition_reads_its_whole_topic(db: Path) -> None:
    store = Store(db)
    tables = PropositionTables(store)
    topic = max(store.topics(), key=lambda t: len(tables.active(t["id"])))["id"]
    pipe = Pipeline(store, log=lambda _m: None)
    pid = propose_text(store, "The troop withdrawal has begun.", topic, "ana", pipe.encoder.encode)
    pipe.run([SEEDS])  # scores what the analyst added
    mine = [
        r
        for r in tables.suggestions(store.meta.stance_model, unread=True)
        if r["proposition_id"] == pid
    ]
    members = {r["id"] for r in store.claim_rows() if r["topic_id"] == topic}
    assert members <= {r["claim_id"] for r in mine}
    assert not any(_unread(r) for r in mine)


def test_pairs_stored_unread_are_not_listed_as_stances(seed_db: Path) -> None:
    store = Store(seed_db)
    tables = PropositionTables(store)
    key = store.meta.stance_model
    listed = tables.suggestions(key)
    assert listed and not any(_unread(r) for r in listed)
    assert len(tables.suggestions(key, unread=True)) > len(listed)
