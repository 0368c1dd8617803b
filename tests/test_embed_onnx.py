"""The ONNX Runtime embedder gives the torch path's vectors (cosine >= 0.999) on real sentences
of unequal length, in input order although it runs them sorted by length."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from verify.stages.embed import Embedder
from verify.stages.embed_onnx import MIN_COSINE, OnnxEmbedder

SENTENCES = [
    "Moscow says the troop withdrawal from the Ukrainian border has begun.",
    "No.",
    "CNN reports that, contrary to what was announced by Moscow, the massing of Russian troops "
    "and military devices on the border with Ukraine is continuing, according to satellite images.",
    "Blinken urged Moscow to pursue the diplomatic path.",
    "",
]


def test_onnx_vectors_are_the_torch_ones(tmp_path: Path) -> None:
    onnx = OnnxEmbedder(directory=tmp_path, batch_size=2)  # batches cross the length order
    got = onnx.encode(SENTENCES)
    assert onnx.path is not None and onnx.path.parent == tmp_path  # the graph, not the fallback
    want = Embedder().encode(SENTENCES)
    assert got.shape == want.shape == (len(SENTENCES), 384) and got.dtype == np.float32
    cosines = (got * want).sum(axis=1)
    assert cosines.min() >= MIN_COSINE, cosines
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    again = OnnxEmbedder(directory=tmp_path).encode(SENTENCES[:2])  # the cached graph
    assert np.allclose(again, got[:2], atol=1e-6)
