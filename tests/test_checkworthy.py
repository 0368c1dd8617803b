"""The check-worthiness model: safe weights, a sane ranking, the metrics and the eval command."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pytest

from verify.checkworthy.model import CONFIG_FILE, WEIGHTS_FILE, CheckWorthiness, default_model_dir
from verify.checkworthy.training import Example, metrics, split
from verify.evaluation import checkworthy as evalcw

MODEL = default_model_dir()
pytestmark = pytest.mark.skipif(
    not (MODEL / WEIGHTS_FILE).exists(), reason="run python -m verify.checkworthy.training first"
)


@pytest.fixture(scope="module")
def model() -> CheckWorthiness:
    return CheckWorthiness.load(MODEL)


def test_weights_are_plain_arrays_and_json() -> None:
    assert {p.name for p in MODEL.iterdir()} <= {WEIGHTS_FILE, CONFIG_FILE, "MODEL_CARD.md"}
    with np.load(MODEL / WEIGHTS_FILE, allow_pickle=False) as w:  # raises on object arrays
        assert w["coef"].dtype == np.float64 and w["coef"].shape == (384,)
    config = json.loads((MODEL / CONFIG_FILE).read_text())
    assert 0.0 < config["threshold"] < 1.0 and config["embedder"] == "all-MiniLM-L6-v2"


def test_ranks_a_checkable_fact_above_pleasantries(model: CheckWorthiness) -> None:
    fact, thanks = model.score(
        ["Unemployment fell to 3.5 percent last year.", "Thank you all for coming tonight."]
    )
    assert 0.0 <= thanks < fact <= 1.0
    assert fact >= model.threshold > thanks
    assert model.score([]).shape == (0,)


def test_vectors_and_texts_give_the_same_scores(model: CheckWorthiness) -> None:
    texts = ["The deficit doubled under this administration.", "Good evening."]
    vecs = model.encoder.encode(texts)
    assert np.allclose(model.score_vectors(vecs), model.score(texts))


def test_metrics_by_hand() -> None:
    m = metrics(np.array([1, 1, 0, 0, 1]), np.array([1, 0, 1, 0, 1]))
    assert m == {"n": 5, "accuracy": 0.6, "precision": 0.6667, "recall": 0.6667, "f1": 0.6667}
    assert metrics(np.array([0, 0]), np.array([0, 0]))["f1"] == 0.0


def test_split_keeps_texts_on_one_side() -> None:
    examples = [Example(f"sentence {i % 50}", i % 2, "claimbuster", str(i)) for i in range(400)]
    examples.append(Example("a tweet", 1, "clef20-dev", "t1"))
    train, held = split(examples)
    assert held and train and Example("a tweet", 1, "clef20-dev", "t1") in held
    assert not {e.text for e in train} & {e.text for e in held}


def test_eval_command_on_claimbuster_json(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    rows = [
        {"sentence_id": 1, "label": 1, "text": "Unemployment fell to 3.5 percent last year."},
        {"sentence_id": 2, "label": 0, "text": "Thank you all for coming tonight."},
        {"sentence_id": 3, "label": 1, "text": "Crime rose by 12 percent in the city since 2019."},
    ]
    path = tmp_path / "cb.json"
    path.write_text(json.dumps(rows))
    sub = argparse.ArgumentParser().add_subparsers()
    evalcw.add_parser(sub)
    args = sub.choices["checkworthy"].parse_args([str(path), "--json"])
    assert args.func(args) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["n"] == 3 and report["accuracy"] == 1.0 and report["f1"] == 1.0
