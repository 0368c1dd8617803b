import numpy as np

from verify.labels import EMERGENT_MAP, FNC1_MAP, SICK_MAP, STANCE_LABELS
from verify.stages.pairs import candidate_pairs
from verify.stages.topics import TopicClusterer


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


def _clustered(n: int, dim: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(n // 20, dim))
    return _unit(centres[rng.integers(0, len(centres), n)] + 0.5 * rng.normal(size=(n, dim)))


def test_approximate_index_finds_nearly_the_exact_candidates() -> None:
    """The faiss IVF path keeps the k-NN-from-other-sources rule and misses almost nothing."""
    emb = _clustered(3000, 64)
    sources = [f"s{i % 300}" for i in range(3000)]
    exact = {(i, j) for i, j, _ in candidate_pairs(emb, sources, k=8, exact=True)}
    approx = candidate_pairs(emb, sources, k=8, exact=False)
    assert all(sources[i] != sources[j] and i < j for i, j, _ in approx)
    found = {(i, j) for i, j, _ in approx}
    assert len(exact & found) / len(exact) > 0.98 and len(found) <= 1.02 * len(exact)


def test_exact_path_keeps_k_other_source_neighbours_per_claim() -> None:
    emb = _clustered(400, 16, seed=1)
    sources = [f"s{i % 3}" for i in range(400)]
    pairs = candidate_pairs(emb, sources, k=4, min_similarity=-1)
    sims = emb @ emb.T
    for i in (0, 17, 399):
        other = [j for j in range(400) if sources[j] != sources[i]]
        best = sorted(other, key=lambda j: -sims[i, j])[:4]
        linked = {j for a, b, _ in pairs for j in (a, b) if i in (a, b) and j != i}
        assert set(best) <= linked


def test_average_linkage_over_groups_equals_sklearn_over_claims() -> None:
    """verify.stages.linkage with one group per claim is sklearn's average linkage, cut the same way."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.metrics import adjusted_rand_score

    from verify.stages.linkage import average_linkage

    emb = _clustered(600, 32, seed=2)
    ours = average_linkage(emb, np.ones(len(emb)), 0.75)
    ref = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=0.75
    ).fit_predict(emb)
    assert len(set(ours)) == len(set(ref)) > 5 and adjusted_rand_score(ref, ours) == 1.0


def test_large_corpora_cluster_micro_groups_close_to_exact(monkeypatch) -> None:
    from sklearn.metrics import adjusted_rand_score

    from verify.stages import topics

    emb = _clustered(4000, 48, seed=3).astype(np.float32)
    exact = TopicClusterer()._cluster(emb)
    monkeypatch.setattr(topics, "EXACT_MAX", 1000)  # the path corpora above 5,000 claims take
    grouped = TopicClusterer()._cluster(emb)
    assert adjusted_rand_score(exact, grouped) > 0.95


def test_new_claims_join_existing_topics_or_start_their_own() -> None:
    emb = _unit(
        np.array(
            [[1, 0, 0], [0.98, 0.05, 0], [0, 1, 0], [0.02, 0.97, 0], [0.97, 0.02, 0.01], [0, 0, 1]],
            dtype=float,
        )
    )
    texts = [
        "troops leave",
        "troops return",
        "gas prices",
        "gas supply",
        "troops mass",
        "dam burst",
    ]
    topics = TopicClusterer(distance_threshold=0.5).assign(
        emb, texts, np.array([1, 1, 0, 0, -1, -1])
    )
    assert list(topics.labels_) == [1, 1, 0, 0, 1, 2]
    assert len(topics.titles_) == 3 and "dam" in topics.titles_[2]
