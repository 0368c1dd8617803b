"""Retraining from analysts' tags on the seed database: the real cross-encoder, the shipped public
features, pair tags and stance tags toward propositions; cancellable, and the store switches model
only at the end."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from verify.propositions.tables import PropositionTables
from verify.retrain import Cancelled, proposition_examples, retrain
from verify.stance.cross_encoder import CrossEncoderStanceModel, default_model_dir
from verify.stance.training import public_features
from verify.store import Store

pytestmark = pytest.mark.skipif(
    not (default_model_dir() / public_features.FILE).exists(),
    reason="the shipped cross-encoder has no public_features.npz",
)


@pytest.fixture
def tagged(seed_db: Path, tmp_path: Path) -> Store:
    path = tmp_path / "seeds.db"
    shutil.copy(seed_db, path)
    store = Store(path)
    pairs = [r["id"] for r in store.db.execute("SELECT id FROM pairs ORDER BY id LIMIT 4")]
    for pid, label in zip(
        pairs, ("contradiction", "agreement", "neutral", "unrelated"), strict=True
    ):
        store.add_tag(pid, label, "ana")
    tables = PropositionTables(store)
    prop = tables.active()[0]
    claims = [r["id"] for r in store.claim_rows() if r["topic_id"] == prop["topic_id"]][:2]
    tables.add_tag(prop["id"], claims[0], "refutes", "ana")
    tables.add_tag(prop["id"], claims[1], "supports", "ana")
    tables.add_tag(prop["id"], claims[1], "refutes", "ben")  # a disagreement: no verdict
    return store


def test_shipped_public_features_match_the_shipped_cross_encoder() -> None:
    version = CrossEncoderStanceModel.load().version
    assert public_features.find(version, default_model_dir()) is not None


def test_stance_tags_become_examples_with_the_proposition_first(tagged: Store) -> None:
    ex = proposition_examples(tagged)
    assert [e[2] for e in ex] == ["contradiction"]  # the disputed one gives no verdict
    prop = PropositionTables(tagged).active()[0]
    assert ex[0][0] == prop["text"]


def test_a_cancelled_retrain_leaves_the_store_as_it_was(tagged: Store) -> None:
    before = (tagged.meta.stance_model_dir, tagged.meta.stance_model,
              tagged.db.execute("SELECT COUNT(*) FROM suggestions").fetchone()[0])  # fmt: skip
    calls = []

    def stop() -> bool:
        calls.append(1)
        return len(calls) > 2  # after two stages

    with pytest.raises(Cancelled):
        retrain(tagged, lambda _m: None, should_stop=stop)
    after = (tagged.meta.stance_model_dir, tagged.meta.stance_model,
             tagged.db.execute("SELECT COUNT(*) FROM suggestions").fetchone()[0])  # fmt: skip
    assert after == before


def test_retrain_switches_the_model_and_rescores_pairs_and_stances(tagged: Store) -> None:
    lines: list[str] = []
    metrics = retrain(tagged, lines.append)
    assert metrics["analyst_verdicts"] == 5  # four pair tags and one agreed stance tag
    assert tagged.meta.stance_model_dir.endswith(Path(tagged.meta.stance_model_dir).name)
    key = tagged.meta.stance_model
    assert key.startswith("stacked-")
    n_pairs = tagged.db.execute("SELECT COUNT(*) FROM pairs").fetchone()[0]
    scored = tagged.db.execute("SELECT COUNT(*) FROM suggestions WHERE model=?", (key,)).fetchone()[
        0
    ]
    assert scored == n_pairs
    assert PropositionTables(tagged).suggestions(key)
    assert any(line.startswith("[1] ") for line in lines)  # progress, stage by stage
