import numpy as np

from verify.labels import EMERGENT_MAP, FNC1_MAP, SICK_MAP, STANCE_LABELS
from verify.pairs import candidate_pairs
from verify.topics import TopicClusterer


def test_label_order_is_fixed() -> None:
    assert STANCE_LABELS == ("contradiction", "agreement", "neutral", "unrelated")
    assert set(FNC1_MAP.values()) == set(STANCE_LABELS)
    assert (
        FNC1_MAP["disagree"]
        == EMERGENT_MAP["against"]
        == SICK_MAP["CONTRADICTION"]
        == "contradiction"
    )


def _unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_pairs_cross_sources_only_and_stay_below_n_squared() -> None:
    rng = np.random.default_rng(0)
    emb = _unit(rng.normal(size=(200, 16)))
    sources = [f"s{i % 7}" for i in range(200)]
    pairs = candidate_pairs(emb, sources, k=5, min_similarity=-1)
    assert pairs and all(sources[i] != sources[j] and i < j for i, j, _ in pairs)
    assert len(pairs) <= 200 * 5 < 200 * 199 // 2


def test_nearest_neighbour_is_found() -> None:
    emb = _unit(np.array([[1, 0], [0.99, 0.1], [0, 1], [0.1, 0.99]], dtype=float))
    pairs = candidate_pairs(emb, ["a", "b", "a", "b"], k=1, min_similarity=0.5)
    assert {(i, j) for i, j, _ in pairs} == {(0, 1), (2, 3)}


def test_topics_cluster_and_get_keyword_titles() -> None:
    emb = _unit(np.array([[1, 0, 0], [0.98, 0.05, 0], [0, 1, 0], [0.02, 0.97, 0]], dtype=float))
    texts = [
        "troops leave the border",
        "troops return from border",
        "gas prices rise",
        "gas supply cut",
    ]
    topics = TopicClusterer(distance_threshold=0.5).fit(emb, texts)
    assert topics.labels_[0] == topics.labels_[1] != topics.labels_[2] == topics.labels_[3]
    assert any("troops" in t for t in topics.titles_) and any("gas" in t for t in topics.titles_)
