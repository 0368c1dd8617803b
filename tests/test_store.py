import sqlite3
from pathlib import Path

import numpy as np
import pytest

from verify.analysts.retrain import training_examples
from verify.analysts.settle import settle
from verify.labels import STANCE_LABELS
from verify.store.database import Store
from verify.types import Article, Claim


def _store_with_pair(tmp_path: Path) -> tuple[Store, int]:
    store = Store(tmp_path / "t.db")
    store.add_article(
        Article("A said x. B said y.", "a.txt"),
        [Claim("A said x.", "x", 0, 9, "A", "said"), Claim("B said y.", "y", 10, 19, "B", "said")],
    )
    ids = [r["id"] for r in store.claim_rows()]
    store.upsert_pairs([(ids[0], ids[1], 0.9)])
    pair_id = store.db.execute("SELECT id FROM pairs").fetchone()[0]
    store.save_suggestions("m1", [(pair_id, [0.7, 0.1, 0.1, 0.1])])
    return store, pair_id


def test_wal_mode_and_label_columns(tmp_path: Path) -> None:
    store, _ = _store_with_pair(tmp_path)
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    cols = [r[1] for r in store.db.execute("PRAGMA table_info(suggestions)")]
    assert [c for c in cols if c.startswith("p_")] == [f"p_{label}" for label in STANCE_LABELS]


def test_tag_is_committed_at_once_and_kept_apart_from_suggestions(tmp_path: Path) -> None:
    store, pair_id = _store_with_pair(tmp_path)
    store.add_tag(pair_id, "agreement", "ana", "checked")
    # Another connection (as after a crash) sees the tag; the model's suggestion is untouched.
    other = sqlite3.connect(tmp_path / "t.db")
    assert other.execute("SELECT analyst, label FROM tags").fetchall() == [("ana", "agreement")]
    assert other.execute("SELECT p_contradiction FROM suggestions").fetchone()[0] == pytest.approx(
        0.7
    )


def test_bad_tag_label_and_pair_are_refused(tmp_path: Path) -> None:
    store, pair_id = _store_with_pair(tmp_path)
    with pytest.raises(ValueError):
        store.add_tag(pair_id, "maybe", "ana")
    with pytest.raises(KeyError):
        store.add_tag(pair_id + 99, "agreement", "ana")
    assert store.tags() == []


def test_training_uses_latest_undisputed_or_settled_tags(tmp_path: Path) -> None:
    store, pair_id = _store_with_pair(tmp_path)
    store.add_tag(pair_id, "agreement", "ana")
    store.add_tag(pair_id, "contradiction", "ana")
    assert training_examples(store) == [("x", "y", "contradiction")]
    store.add_tag(pair_id, "neutral", "bo")  # analysts disagree: an open conflict trains nothing
    assert training_examples(store) == []
    # A note is only a note: "settles conflict" typed as one settles nothing.
    store.add_tag(pair_id, "neutral", "rev", "settles conflict")
    assert training_examples(store) == []
    store.retract_latest("rev")
    settle(store, pair_id, "neutral", "rev", reviewers=("rev",))  # a reviewer's settlement
    assert training_examples(store) == [("x", "y", "neutral")]


def test_undo_retracts_without_deleting(tmp_path: Path) -> None:
    store, pair_id = _store_with_pair(tmp_path)
    first = store.add_tag(pair_id, "agreement", "ana")
    second = store.add_tag(pair_id, "contradiction", "ana")
    assert store.retract_latest("ana")["id"] == second
    assert [t["id"] for t in store.tags()] == [first]
    assert len(store.tags(include_retracted=True)) == 2
    assert training_examples(store) == [("x", "y", "agreement")]
    assert store.retract_latest("ana")["id"] == first and store.retract_latest("ana") is None


def test_embedding_cache_round_trip(tmp_path: Path) -> None:
    store = Store(tmp_path / "t.db")
    vec = np.arange(384, dtype=np.float32)
    store.save_embeddings("m", {"h1": vec})
    got = store.load_embeddings("m", ["h1", "h2"])
    assert list(got) == ["h1"] and np.array_equal(got["h1"], vec)


def test_failed_unit_of_work_leaves_nothing(tmp_path: Path) -> None:
    store, _ = _store_with_pair(tmp_path)
    before = len(store.claim_rows())
    with pytest.raises(sqlite3.IntegrityError):
        # Same article twice: the unique hash fails the whole unit, claims included.
        store.add_article(Article("A said x. B said y.", "a.txt"), [Claim("s", "t", 0, 1)])
    assert len(store.claim_rows()) == before


def test_sync_topics_keeps_ids_by_overlap_and_refers_new_topics_anew(tmp_path: Path) -> None:
    store = Store(tmp_path / "topics.db")
    texts = [f"c{i}" for i in range(6)]
    store.add_article(
        Article(" ".join(texts), "a.txt"), [Claim(t, t, 0, 2, "A", "said") for t in texts]
    )
    ids = [r["id"] for r in store.claim_rows()]
    first = store.sync_topics(["war", "gas"], {c: int(i >= 3) for i, c in enumerate(ids)})
    # Relabelled the other way round, one claim moved, a third topic: ids follow the claims.
    second = store.sync_topics(
        ["gas2", "war2", "dam"], {ids[0]: 1, ids[1]: 1, ids[2]: 2, ids[3]: 0, ids[4]: 0, ids[5]: 0}
    )
    assert second[:2] == [first[1], first[0]] and second[2] not in first
    assert {t["id"]: t["title"] for t in store.topics()} == {
        first[0]: "war2",
        first[1]: "gas2",
        second[2]: "dam",
    }
    third = store.sync_topics(["all"], dict.fromkeys(ids, 0))
    assert third == [first[1]] and [t["id"] for t in store.topics()] == third  # the rest deleted


def test_prune_pairs_keeps_current_and_tagged_pairs(tmp_path: Path) -> None:
    store, pair_id = _store_with_pair(tmp_path)
    store.add_tag(pair_id, "agreement", "ana")
    assert store.prune_pairs([]) == 0 and store.pair(pair_id) is not None
    (tmp_path / "x").mkdir()
    other, other_pair = _store_with_pair(tmp_path / "x")
    a, b = other.pair(other_pair)["a_id"], other.pair(other_pair)["b_id"]
    assert other.prune_pairs([(b, a)]) == 0  # current, either way round
    assert other.prune_pairs([]) == 1 and other.pair(other_pair) is None
    assert other.db.execute("SELECT COUNT(*) FROM suggestions").fetchone()[0] == 0
