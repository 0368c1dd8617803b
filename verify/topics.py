"""Topics: agglomerative clustering of claim embeddings (cosine), titled by c-TF-IDF keywords."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import CountVectorizer


class TopicClusterer:
    """``fit(embeddings, texts)`` -> ``labels_`` (one topic per claim) and ``titles_``."""

    def __init__(self, distance_threshold: float = 0.75, n_keywords: int = 3) -> None:
        self.distance_threshold = distance_threshold
        self.n_keywords = n_keywords

    def fit(self, embeddings: np.ndarray, texts: Sequence[str]) -> TopicClusterer:
        n = len(texts)
        if n < 2:
            self.labels_ = np.zeros(n, dtype=int)
        else:
            model = AgglomerativeClustering(
                n_clusters=None,
                metric="cosine",
                linkage="average",
                distance_threshold=self.distance_threshold,
            )
            self.labels_ = model.fit_predict(embeddings)
        self.labels_ = self._renumber(self.labels_)
        self.titles_ = self._titles(texts, self.labels_)
        return self

    @staticmethod
    def _renumber(labels: np.ndarray) -> np.ndarray:
        """Largest topic first, so topic 0 is the biggest story (stable, readable ids)."""
        counts = np.bincount(labels) if len(labels) else np.array([], dtype=int)
        order = sorted(range(len(counts)), key=lambda t: (-counts[t], t))
        remap = {old: new for new, old in enumerate(order)}
        return np.array([remap[x] for x in labels], dtype=int)

    def _titles(self, texts: Sequence[str], labels: np.ndarray) -> list[str]:
        k = int(labels.max()) + 1 if len(labels) else 0
        docs = [
            " ".join(t for t, lab in zip(texts, labels, strict=True) if lab == i) for i in range(k)
        ]
        if not any(d.strip() for d in docs):
            return [f"topic {i + 1}" for i in range(k)]
        vec = CountVectorizer(stop_words="english", token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z-]{2,}\b")
        try:
            counts = vec.fit_transform(docs).toarray().astype(float)
        except ValueError:  # nothing but stop words
            return [f"topic {i + 1}" for i in range(k)]
        # c-TF-IDF: term frequency within a topic, weighted by rarity across topics.
        tf = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
        idf = np.log(1 + counts.sum(axis=1).mean() / np.maximum(counts.sum(axis=0), 1))
        scores = tf * idf
        vocab = np.array(vec.get_feature_names_out())
        titles = []
        for i in range(k):
            top = [vocab[j] for j in np.argsort(-scores[i]) if scores[i, j] > 0][: self.n_keywords]
            titles.append(" · ".join(top) if top else f"topic {i + 1}")
        return titles
