"""Retraining from analysts' tags on the seed database: the real cross-encoder, the shipped public
features, pair tags and stance tags toward propositions; cancellable, and the store switches model
only at the end."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from verify.analysts.retrain import Cancelled, proposition_examples, retrain
from verify.multilingual.reader import reader_version
from verify.stance.cross_encoder import CrossEncoderStanceModel, default_model_dir
from verify.stance.training import public_features
from verify.store.database import Store
from verify.store.propositions import PropositionTables

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


@pytest.fixture
def consistent(seed_db: Path, tmp_path: Path) -> Store:
    """Twenty verdicts that agree with the shipped reading, more sharply than it does: the most
    related pairs tagged with their polarity, the least related tagged unrelated."""
    path = tmp_path / "seeds.db"
    shutil.copy(seed_db, path)
    store = Store(path)
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
    return store


def test_shipped_public_features_match_the_shipped_cross_encoder() -> None:
    version = CrossEncoderStanceModel.load().version
    assert public_features.find(version, default_model_dir()) is not None


def test_stance_tags_become_examples_with_the_proposition_first(tagged: Store) -> None:
    ex = proposition_examples(tagged)
    assert [e[2] for e in ex] == ["contradiction"]  # the disputed one gives no verdict
    prop = PropositionTables(tagged).active()[0]
    assert ex[0][0] == prop["text"]


def test_a_cancelled_retrain_leaves_the_store_as_it_was(consistent: Store) -> None:
    tagged = consistent
    before = (
        tagged.meta.stance_model_dir,
        tagged.meta.stance_model,
        tagged.db.execute("SELECT COUNT(*) FROM suggestions").fetchone()[0],
    )
    calls = []

    def stop() -> bool:
        calls.append(1)
        return len(calls) > 2  # after two stages

    with pytest.raises(Cancelled):
        retrain(tagged, lambda _m: None, should_stop=stop)
    after = (
        tagged.meta.stance_model_dir,
        tagged.meta.stance_model,
        tagged.db.execute("SELECT COUNT(*) FROM suggestions").fetchone()[0],
    )
    assert after == before


def test_too_few_verdicts_leave_the_model_as_it_was(tagged: Store) -> None:
    before = (tagged.meta.stance_model_dir, tagged.meta.stance_model)
    metrics = retrain(tagged, lambda _m: None)
    assert metrics["switched"] is False and "at least" in metrics["reason"]
    assert (tagged.meta.stance_model_dir, tagged.meta.stance_model) == before


def test_retrain_switches_the_model_and_rescores_pairs_and_stances(consistent: Store) -> None:
    lines: list[str] = []
    before = consistent.meta.stance_model
    metrics = retrain(consistent, lines.append)
    assert metrics["switched"] is True and metrics["analyst_verdicts"] == 20
    fit = metrics["tag_fit"]
    assert fit["weight"] > 0
    assert fit["held_back_nll"]["retrained"] < fit["held_back_nll"]["shipped"]
    key = consistent.meta.stance_model
    # The retrained English model behind the language router (``verify.multilingual.router``).
    assert key != before and key == f"{metrics['version']}+{reader_version()}"
    assert Path(consistent.meta.stance_model_dir).is_dir()
    n_pairs = consistent.db.execute("SELECT COUNT(*) FROM pairs").fetchone()[0]
    scored = consistent.db.execute(
        "SELECT COUNT(*) FROM suggestions WHERE model=?", (key,)
    ).fetchone()[0]
    assert scored == n_pairs
    assert PropositionTables(consistent).suggestions(key)
    assert any(line.startswith("[1] ") for line in lines)  # progress, stage by stage
