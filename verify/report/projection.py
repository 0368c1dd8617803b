"""The topic map's coordinates: a 2-D PCA of the cached claim embeddings (no re-embedding)."""

from __future__ import annotations

from typing import Any

import numpy as np

from verify.store.database import Store


def pca_2d(vectors: np.ndarray) -> np.ndarray:
    """Rows projected on the two main axes; signs fixed (as sklearn's svd_flip) so reruns agree."""
    centred = vectors - vectors.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    axes = vt[:2]
    signs = np.sign(axes[np.arange(len(axes)), np.abs(axes).argmax(axis=1)])
    axes = axes * np.where(signs == 0, 1.0, signs)[:, None]
    out = centred @ axes.T
    if out.shape[1] < 2:  # a single direction of spread: put everything on one line
        out = np.hstack([out, np.zeros((len(out), 2 - out.shape[1]))])
    return out


def claim_points(
    store: Store, claims: list[dict[str, Any]], model: str
) -> dict[int, tuple[float, float]]:
    """claim id -> (x, y) for the claims whose embedding is cached under ``model``."""
    if not model:
        return {}
    hashes = list(dict.fromkeys(c["text_hash"] for c in claims))
    cached = store.load_embeddings(model, hashes)
    have = [c for c in claims if c["text_hash"] in cached]
    if len(have) < 2:
        return {}
    xy = pca_2d(np.stack([cached[c["text_hash"]] for c in have]).astype(np.float64))
    return {c["id"]: (float(x), float(y)) for c, (x, y) in zip(have, xy, strict=True)}
