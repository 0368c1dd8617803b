"""Model versions read from files agree with the loaded models' own ``version``, for each kind."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO

from verify.stance.versions import model_version

CROSS = REPO / "models" / "stance-cross"
SKLEARN = REPO / "models" / "stance-sklearn"
needs_cross = pytest.mark.skipif(not (CROSS / "model.safetensors").exists(), reason="no cross")


@needs_cross
@pytest.mark.parametrize("symmetric", [True, False, None])
def test_cross_encoder_version_from_files_matches_the_loaded_model(symmetric: bool | None) -> None:
    from verify.stance.loading import load_model_dir

    model = load_model_dir(CROSS, symmetric=symmetric)
    assert model_version(CROSS, symmetric) == (model.version, False)


@needs_cross
def test_the_int8_reader_has_a_version_of_its_own(tmp_path: Path) -> None:
    """Asked for, the int8 graph reads: its version (from files and loaded) says so, so its
    scores never mix with the fp32 reader's in a store."""
    from verify.settings import INT8, Settings
    from verify.stance.loading import load_model_dir

    base = {"HOME": str(tmp_path), "COUNTERCLAIM_CACHE": str(tmp_path / "cache")}
    fp32 = Settings.from_env(base)
    int8 = Settings.from_env(base | {"COUNTERCLAIM_STANCE_BACKEND": INT8})
    model = load_model_dir(CROSS, symmetric=None, settings=int8)
    assert model_version(CROSS, None, int8) == (model.version, False)
    assert model.version == model_version(CROSS, None, fp32)[0] + "+int8"


@needs_cross
def test_cross_encoder_version_moves_with_the_decision_layer(tmp_path: Path) -> None:
    """Same weights, another bias in stance.json: another version (old scores are stale)."""
    d = tmp_path / "cross"
    d.mkdir()
    (d / "model.safetensors").symlink_to(CROSS / "model.safetensors")
    cfg = json.loads((CROSS / "stance.json").read_text())
    (d / "stance.json").write_text(json.dumps(cfg))
    before = model_version(d)[0]
    cfg["biases"]["symmetric"] = [0.0, 0.0, 0.0, 0.0]
    (d / "stance.json").write_text(json.dumps(cfg))
    after = model_version(d)[0]
    assert before != after and before.split(".")[0] == after.split(".")[0]


@pytest.mark.skipif(not SKLEARN.is_dir(), reason="no sklearn head")
def test_sklearn_version_from_files_matches_the_loaded_model() -> None:
    from verify.stance.sklearn_model import SklearnStanceModel

    assert model_version(SKLEARN) == (SklearnStanceModel.load(SKLEARN).version, False)


@needs_cross
def test_stacked_version_from_files_matches_the_loaded_model(tmp_path: Path) -> None:
    from verify.stance.cross_encoder import CrossEncoderStanceModel
    from verify.stance.linear_head import LinearHead
    from verify.stance.loading import load_model_dir
    from verify.stance.stacked import StackedStanceModel

    head = StackedStanceModel(CrossEncoderStanceModel.load(symmetric=True), camps=True)
    rng = np.random.default_rng(0)
    n_features = 12
    head.head = LinearHead(
        rng.normal(size=n_features),
        rng.uniform(0.5, 2, n_features),
        rng.normal(size=(4, n_features)),
        rng.normal(size=4),
    )
    head.temperature_ = 1.37
    head.save(tmp_path / "stacked")
    loaded = load_model_dir(tmp_path / "stacked")
    assert model_version(tmp_path / "stacked") == (loaded.version, True) == (head.version, True)

    cfg = json.loads((tmp_path / "stacked" / "model.json").read_text())
    cfg["cross_version"] = "cross-000000000000.abcdef"  # fitted on another cross-encoder
    (tmp_path / "stacked" / "model.json").write_text(json.dumps(cfg))
    with pytest.raises(ValueError, match="fitted on"):
        model_version(tmp_path / "stacked")
