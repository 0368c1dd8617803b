"""ONNX Runtime backend of the cross-encoder: same logits and labels as torch, cached export.

The shipped model is exported into a per-module temporary cache (``$XDG_CACHE_HOME``), never the
user's; one export (~5 s) serves every test here.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

pytest.importorskip("onnxruntime")

from verify.settings import BACKEND_ENV
from verify.stance import onnx_backend
from verify.stance.cross_encoder import WEIGHTS, CrossEncoderStanceModel, default_model_dir
from verify.stance.versions import weights_hash

# Seed-style claim pairs (quotes from the seed articles) and SICK pairs (sentence_A, sentence_B).
SEED_LIKE = [
    (
        "We will not back down and stand at attention, listening to the threats of US sanctions.",
        "It is Washington, not Moscow, that is generating tension.",
    ),
    (
        "The presence of Russian troops near Ukraine is a clear and present danger.",
        "Russia has begun withdrawing troops from the Ukrainian border.",
    ),
    (
        "Lavrov gave no indication of upcoming plans for a de-escalation in Ukraine.",
        "Moscow announced a partial de-escalation along the Ukrainian border.",
    ),
    (
        "The ways of diplomacy are by no means exhausted.",
        "An attack by Russia on Ukraine would be a political, humanitarian and military disaster.",
    ),
]
SICK = [
    (
        "A group of people is standing together and looking at the camera",
        "There is no group of people standing together and looking at the camera",
    ),
    ("A woman is chopping up an octopus", "A woman is cutting an octopus"),
    ("Some cheese is being put on a pizza by a man", "A man is putting some cheese on a pizza"),
    ("The cats are not playing with each other", "Two cats are fighting each other"),
    ("A baby is crying", "A man is exercising"),
    (
        "An old woman is carrying a lot of colorful scarves on the beach",
        "A young woman is carrying a lot of colorful scarves on the beach",
    ),
]
A = [a for a, _ in SEED_LIKE + SICK]
B = [b for _, b in SEED_LIKE + SICK]


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("xdg-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(root))
        mp.delenv("COUNTERCLAIM_CACHE", raising=False)
        mp.delenv(BACKEND_ENV, raising=False)
        yield root / "counterclaim" / "onnx"


@pytest.fixture(scope="module")
def torch_model() -> CrossEncoderStanceModel:
    return CrossEncoderStanceModel.load(symmetric=True, backend="torch")


@pytest.fixture(scope="module")
def onnx_model(cache: Path) -> CrossEncoderStanceModel:
    return CrossEncoderStanceModel.load(symmetric=True, backend="onnx")


def test_export_lands_in_the_cache(
    cache: Path, onnx_model: CrossEncoderStanceModel, torch_model: CrossEncoderStanceModel
) -> None:
    assert onnx_model.backend == "onnx" and torch_model.backend == "torch"
    assert onnx_model.version == torch_model.version  # the same weights, the same version
    path = onnx_model._onnx.path
    assert path.parent == cache and path.is_file()
    import onnxruntime as ort

    # Keyed by the weights alone: the decision layer (temperature, biases) is not in the graph.
    weights = "cross-" + weights_hash(default_model_dir() / WEIGHTS)
    assert path.name == f"{weights}-ort{ort.__version__}.onnx"
    assert [p.name for p in cache.iterdir()] == [path.name]  # no temp files left behind
    sess = onnx_model._onnx.session
    assert [i.name for i in sess.get_inputs()] == list(onnx_backend.INPUTS)
    assert [o.name for o in sess.get_outputs()] == ["logits"]


@pytest.mark.parametrize("symmetric", [True, False])
def test_onnx_matches_torch(
    onnx_model: CrossEncoderStanceModel, torch_model: CrossEncoderStanceModel, symmetric: bool
) -> None:
    onnx_model.symmetric = torch_model.symmetric = symmetric
    try:
        z_onnx, z_torch = onnx_model.logits(A, B), torch_model.logits(A, B)
    finally:
        onnx_model.symmetric = torch_model.symmetric = True
    assert z_onnx.shape == (len(A), 4)
    np.testing.assert_allclose(z_onnx, z_torch, atol=1e-3, rtol=0)
    assert np.array_equal(z_onnx.argmax(1), z_torch.argmax(1))


def test_onnx_contract(
    onnx_model: CrossEncoderStanceModel, torch_model: CrossEncoderStanceModel
) -> None:
    p = onnx_model.predict_proba(A, B)
    assert np.allclose(p.sum(axis=1), 1.0)
    assert np.allclose(p, torch_model.predict_proba(A, B), atol=1e-4)
    assert np.allclose(p, onnx_model.predict_proba(B, A), atol=1e-6)  # symmetric
    assert onnx_model.predict_proba([], []).shape == (0, 4)
    single = np.vstack(
        [onnx_model.predict_proba([a], [b]) for a, b in zip(A[:3], B[:3], strict=True)]
    )
    assert np.allclose(p[:3], single, atol=1e-5)  # padding must not change a pair's score


def test_cached_graph_is_reused_and_a_bad_one_replaced(
    cache: Path, onnx_model: CrossEncoderStanceModel
) -> None:
    path = onnx_model._onnx.path
    inode = path.stat().st_ino  # an export would os.replace() it with a new file
    again = CrossEncoderStanceModel.load(symmetric=True, backend="onnx")
    assert again.backend == "onnx" and path.stat().st_ino == inode  # reused, not re-exported
    path.write_bytes(b"not an onnx graph")
    fixed = CrossEncoderStanceModel.load(symmetric=True, backend="onnx")
    assert fixed.backend == "onnx" and path.stat().st_size > 10**6
    assert np.allclose(fixed.logits(A, B), onnx_model.logits(A, B), atol=1e-6)


def test_backend_setting(
    cache: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv(BACKEND_ENV, "torch")
    assert CrossEncoderStanceModel.load().backend == "torch"
    assert CrossEncoderStanceModel.load(backend="onnx").backend == "onnx"  # argument beats env

    def unavailable(*_a, **_k) -> None:
        raise ImportError("No module named 'onnxruntime'")

    monkeypatch.setenv(BACKEND_ENV, "onnx")
    monkeypatch.setattr(onnx_backend, "open_logits", unavailable)
    model = CrossEncoderStanceModel.load(symmetric=True)
    assert model.backend == "torch"  # falls back, does not fail
    assert "runs on torch" in caplog.text  # one warning, through the engine's logger
    assert model.predict_proba(A[:2], B[:2]).shape == (2, 4)


def test_prune_keeps_the_most_recently_used_graphs(tmp_path: Path) -> None:
    graphs = [tmp_path / f"cross-{i:012d}-ort1.onnx" for i in range(6)]
    for age, g in enumerate(reversed(graphs)):  # graphs[0] is the oldest
        g.write_bytes(b"x")
        os.utime(g, (1e9 - age * 100, 1e9 - age * 100))
    (tmp_path / "notes.txt").write_text("kept")
    onnx_backend.prune(keep=graphs[0], max_graphs=3)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [graphs[0].name, graphs[4].name, graphs[5].name, "notes.txt"]
    )


@pytest.fixture(scope="module")
def int8_model(cache: Path, onnx_model: CrossEncoderStanceModel) -> CrossEncoderStanceModel:
    return CrossEncoderStanceModel.load(symmetric=True, backend="onnx", int8=True)


def test_the_int8_graph_is_cached_beside_the_fp32_one(
    cache: Path, int8_model: CrossEncoderStanceModel, onnx_model: CrossEncoderStanceModel
) -> None:
    path = int8_model._onnx.path
    assert int8_model.int8 and not onnx_model.int8
    assert path.parent == cache and path.name.startswith(f"{onnx_model.weights_version}-int8-")
    assert path.stat().st_size < onnx_model._onnx.path.stat().st_size / 2  # int8 weights
    assert not [p for p in cache.iterdir() if p.name.startswith(".")]  # no temp files


def test_int8_reads_a_pair_the_same_alone_or_in_a_batch(
    int8_model: CrossEncoderStanceModel, torch_model: CrossEncoderStanceModel
) -> None:
    """Dynamic quantization scales activations per tensor: read one pair per run, a pair's
    reading does not depend on the pairs beside it in its batch."""
    together = int8_model.logits(A, B)
    alone = np.vstack([int8_model.logits([a], [b]) for a, b in zip(A, B, strict=True)])
    np.testing.assert_allclose(together, alone, atol=1e-5, rtol=0)
    np.testing.assert_allclose(together, torch_model.logits(A, B), atol=onnx_backend.INT8_ATOL)


def test_a_damaged_int8_graph_is_made_again(
    cache: Path, int8_model: CrossEncoderStanceModel
) -> None:
    path = int8_model._onnx.path
    path.write_bytes(b"not a graph")
    again = CrossEncoderStanceModel.load(symmetric=True, backend="onnx", int8=True)
    assert again.int8 and again._onnx.path == path and path.stat().st_size > 1000
    np.testing.assert_allclose(again.logits(A, B), int8_model.logits(A, B), atol=1e-5, rtol=0)


def test_a_damaged_fp32_graph_is_made_again_before_the_int8_one(
    cache: Path, int8_model: CrossEncoderStanceModel, onnx_model: CrossEncoderStanceModel
) -> None:
    fp32, int8 = onnx_model._onnx.path, int8_model._onnx.path
    fp32.write_bytes(b"not a graph")
    int8.unlink()  # the int8 graph must be quantized again, from the fp32 one
    again = CrossEncoderStanceModel.load(symmetric=True, backend="onnx", int8=True)
    assert again.int8 and again._onnx.path == int8 and fp32.stat().st_size > 10**6
    np.testing.assert_allclose(again.logits(A, B), int8_model.logits(A, B), atol=1e-5, rtol=0)
