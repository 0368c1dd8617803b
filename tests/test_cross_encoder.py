"""Cross-encoder stance model: shipped weights load offline, output contract, training + resume."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from verify.labels import STANCE_LABELS
from verify.stance.base import StanceModel
from verify.stance.cross_encoder import (
    STANCE_CONFIG,
    CrossEncoderStanceModel,
    default_model_dir,
)

A = ["The bridge reopened on Monday.", "The minister resigned today.", "Troops are withdrawing."]
B = [
    "The bridge did not reopen on Monday.",
    "The minister resigned on Tuesday.",
    "The cat sat on the mat.",
]


@pytest.fixture(scope="module")
def model() -> CrossEncoderStanceModel:
    return CrossEncoderStanceModel.load()


def test_shipped_model_contract(model: CrossEncoderStanceModel) -> None:
    cfg = json.loads((default_model_dir() / STANCE_CONFIG).read_text())
    assert tuple(cfg["labels"]) == STANCE_LABELS
    assert isinstance(model, StanceModel)
    # weights hash . decision-layer hash: new biases or a new mode mean new scores in the store
    weights, rule = model.version.split(".")
    assert weights.startswith("cross-") and len(weights) == len("cross-") + 12 and len(rule) == 6
    p = model.predict_proba(A, B)
    assert p.shape == (3, 4)
    assert np.all(p >= 0) and np.allclose(p.sum(axis=1), 1.0)
    assert model.predict_proba([], []).shape == (0, 4)
    size = sum(f.stat().st_size for f in default_model_dir().iterdir() if f.is_file())
    assert size < 100 * 2**20


def test_deterministic_and_batch_independent(model: CrossEncoderStanceModel) -> None:
    p1 = model.predict_proba(A, B)
    assert np.array_equal(p1, model.predict_proba(A, B))
    single = np.vstack([model.predict_proba([a], [b]) for a, b in zip(A, B, strict=True)])
    assert np.allclose(p1, single, atol=1e-5)  # padding must not change a pair's score


def test_symmetric_mode(model: CrossEncoderStanceModel) -> None:
    sym = CrossEncoderStanceModel.load(symmetric=True)
    assert sym.temperature != model.temperature  # one T per mode
    assert sym.version != model.version and sym.weights_version == model.weights_version
    assert np.allclose(sym.predict_proba(A, B), sym.predict_proba(B, A), atol=1e-6)


def test_decision_layer_from_stance_json(model: CrossEncoderStanceModel) -> None:
    """Probabilities are softmax(logits / T + class biases), both as written in stance.json."""
    from verify.stance.calibration import softmax

    cfg = json.loads((default_model_dir() / STANCE_CONFIG).read_text())
    mode = "symmetric" if model.symmetric else "one-way"
    assert model.temperature == cfg["temperatures"][mode]
    assert model.bias.tolist() == cfg["biases"][mode]
    want = softmax(model.logits(A, B) / model.temperature + np.array(cfg["biases"][mode]))
    assert np.allclose(model.predict_proba(A, B), want, atol=1e-6)
    moved = CrossEncoderStanceModel.load(bias=[b + (k == 1) for k, b in enumerate(model.bias)])
    assert moved.version != model.version and moved.weights_version == model.weights_version


def test_class_bias_recovers_an_under_called_class() -> None:
    """Threshold moving: a class the argmax under-calls gets a positive bias, macro-F1 rises."""
    from verify.stance.decision import fit_class_bias, macro_f1

    rng = np.random.default_rng(0)
    y = rng.choice(4, size=2000, p=[0.1, 0.3, 0.4, 0.2])
    logp = rng.normal(0, 1, (2000, 4))
    logp[np.arange(2000), y] += 1.5
    logp[:, 0] -= 1.2  # the rare class reads as less likely than it is
    bias = fit_class_bias(logp, y)
    assert bias[0] == 0.0 and np.all(bias[1:] < 0)  # others pulled down = class 0 pushed up
    assert macro_f1(y, (logp + bias).argmax(1)) > macro_f1(y, logp.argmax(1)) + 0.02


def test_obvious_pairs(model: CrossEncoderStanceModel) -> None:
    p = model.predict_proba(A, B)
    assert STANCE_LABELS[int(p[0].argmax())] == "contradiction"
    # An off-topic pair must not read as a dispute (how confidently is a figure of the model's,
    # measured by the eval commands, not pinned here).
    assert STANCE_LABELS[int(p[2].argmax())] in ("neutral", "unrelated")


def _digest(path: Path) -> str:
    return hashlib.sha256((path / "model.safetensors").read_bytes()).hexdigest()


@pytest.mark.models
def test_tiny_training_resumes_to_the_same_weights(tmp_path: Path) -> None:
    from verify.stance.training.train_cross import main

    rows = [
        {"a": a, "b": b, "label": lab}
        for a, b, lab in (
            ("The dam burst overnight.", "Officials deny that the dam burst.", "contradiction"),
            ("The dam burst overnight.", "Overnight the dam gave way.", "agreement"),
            ("The dam burst overnight.", "Engineers are studying the dam.", "neutral"),
            ("The dam burst overnight.", "The team won the cup final.", "unrelated"),
        )
    ] * 8
    records = tmp_path / "rows.jsonl"
    records.write_text("".join(json.dumps(r) + "\n" for r in rows))
    common = [
        "--records",
        str(records),
        "--max-steps",
        "4",
        "--batch-size",
        "4",
        "--max-len",
        "32",
        "--ckpt-every",
        "2",
    ]
    assert main([*common, "--out", str(tmp_path / "a"), "--ckpt-dir", str(tmp_path / "ca")]) == 0
    b = ["--out", str(tmp_path / "b"), "--ckpt-dir", str(tmp_path / "cb")]
    assert main([*common, *b, "--stop-after", "2"]) == 0  # "killed" after step 2
    assert main([*common, *b, "--resume"]) == 0
    assert "resumed from" in (tmp_path / "cb" / "train.log").read_text()
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    m = CrossEncoderStanceModel.load(tmp_path / "a", backend="torch")  # no export of a toy
    assert m.predict_proba(A[:1], B[:1]).shape == (1, 4)


# Seed gold ranks are a check of the shipped model, not a unit test: `counterclaim eval seeds`
# (or `make eval`) prints them; a legitimate retrain must not break the suite.
