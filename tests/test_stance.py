"""Stance model: label order, safe persistence, dataset label maps, training, seed gold pairs."""

from __future__ import annotations

import csv
import json
import os
import pickle
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from verify.labels import (
    EMERGENT_MAP,
    FNC1_MAP,
    SICK_MAP,
    STANCE_LABELS,
    UNRELATED,
)
from verify.stance.base import StanceModel
from verify.stance.sklearn_model import SklearnStanceModel
from verify.stance.training import data
from verify.stance.training.train_sklearn import train_stance

DATA = data.default_data_dir()
needs_data = pytest.mark.skipif(not DATA.exists(), reason=f"public data not at {DATA}")


class CountingEncoder:
    """The real embedder, counting how many texts it was asked to embed."""

    name = "all-MiniLM-L6-v2"

    def __init__(self, inner) -> None:
        self.inner, self.calls = inner, 0

    def encode(self, texts):
        self.calls += len(texts)
        return self.inner.encode(texts)


@pytest.fixture(scope="module")
def embedder():
    from verify.stages.embed import Embedder

    return Embedder()


TINY = [
    ("The bridge reopened on Monday.", "The bridge did not reopen on Monday.", "contradiction"),
    (
        "The minister resigned today.",
        "Reports that the minister resigned are false.",
        "contradiction",
    ),
    ("The dam burst overnight.", "Officials deny that the dam burst.", "contradiction"),
    ("The bridge reopened on Monday.", "On Monday the bridge opened again.", "agreement"),
    ("The minister resigned today.", "The minister quit her post today.", "agreement"),
    ("The dam burst overnight.", "The dam broke during the night.", "agreement"),
    ("The bridge reopened on Monday.", "Engineers discussed the bridge design.", "neutral"),
    ("The minister resigned today.", "The minister's party met to discuss the news.", "neutral"),
    ("The dam burst overnight.", "The dam was built in 1962.", "neutral"),
]


def test_predict_proba_columns_follow_stance_labels_with_missing_class(embedder) -> None:
    a, b, y = zip(*TINY, strict=True)
    model = SklearnStanceModel(encoder=embedder, C=100.0).fit(a, b, y)
    assert isinstance(model, StanceModel)
    p = model.predict_proba(a, b)
    assert p.shape == (len(TINY), len(STANCE_LABELS))
    assert np.allclose(p.sum(axis=1), 1.0)
    assert np.all(p[:, STANCE_LABELS.index(UNRELATED)] == 0.0)  # never seen: zero, not shifted
    assert [STANCE_LABELS[i] for i in p.argmax(axis=1)] == list(y)  # memorised, right columns
    assert model.predict_proba([], []).shape == (0, 4)


def test_save_load_round_trip_is_exact_and_pickle_free(embedder, tmp_path, monkeypatch) -> None:
    a, b, y = zip(*TINY, strict=True)
    model = SklearnStanceModel(encoder=embedder).fit(a, b, y)
    model.save(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.json", "weights.npz"]

    def no_pickle(*args, **kwargs):
        raise AssertionError("pickle used while loading the model")

    monkeypatch.setattr(pickle, "load", no_pickle)
    monkeypatch.setattr(pickle, "loads", no_pickle)
    loaded = SklearnStanceModel.load(tmp_path, encoder=embedder)
    monkeypatch.undo()
    assert loaded.version == model.version and loaded.version.startswith("sklearn-")
    assert np.array_equal(loaded.predict_proba(a, b), model.predict_proba(a, b))
    with np.load(tmp_path / "weights.npz", allow_pickle=False) as w:
        assert all(w[k].dtype == np.float32 for k in w.files)


def _fake_selector() -> data.SentenceSelector:
    class Hash:
        name = "hash"

        def encode(self, texts):
            rng = [np.random.default_rng(abs(hash(t)) % 2**32).normal(size=8) for t in texts]
            v = np.array(rng, dtype=np.float32).reshape(len(texts), 8)
            return v / np.linalg.norm(v, axis=1, keepdims=True)

    return data.SentenceSelector(data.MemoEncoder(Hash()), k=2)


def _raw(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter=delimiter))


@needs_data
@pytest.mark.parametrize("name", ["fnc1", "arc"])
def test_fnc_format_loaders_map_labels(name: str) -> None:
    stances, bodies = data.dataset_files(name)
    gold = {(r["Headline"], r["Body ID"]): r["Stance"] for r in _raw(stances)}
    recs = data.load_dataset(name, selector=_fake_selector(), max_rows=40, seed=1)
    assert len(recs) >= 35
    body_words = {r["Body ID"]: set(r["articleBody"].split()) for r in _raw(bodies)}
    for r in recs:
        bid = r.group.removeprefix(f"{name}:")
        assert r.label == FNC1_MAP[gold[(r.a, bid)]]
        assert set(r.b.split()) <= body_words[bid]  # b is drawn from that body's sentences


@needs_data
def test_emergent_sick_claimdiff_loaders_map_labels() -> None:
    em = {
        (r["claimHeadline"], r["articleHeadline"]): r["articleHeadlineStance"]
        for r in _raw(data.dataset_files("emergent")[0])
    }
    for r in data.load_emergent(max_rows=30):
        assert r.label == EMERGENT_MAP[em[(r.a, r.b)]] and r.group.startswith("emergent:")
    sick_rows = _raw(data.dataset_files("sick")[0], delimiter="\t")
    sick = {(r["sentence_A"], r["sentence_B"]): r["entailment_label"] for r in sick_rows}
    recs = data.load_sick()
    assert len(recs) == len(sick_rows)
    for r in recs[:50]:
        assert r.label == SICK_MAP[sick[(r.a, r.b)]]
    # groups are closed under shared sentences: no sentence in two groups
    owner: dict[str, str] = {}
    for r in recs:
        for t in (r.a, r.b):
            assert owner.setdefault(t, r.group) == r.group
    strength, weak = data.dataset_files("claimdiff")
    s = {r["pair_id"]: r for r in json.loads(strength.read_text("utf-8"))["data"]}
    w = {r["pair_id"]: r["relation"] for r in json.loads(weak.read_text("utf-8"))["data"]}
    by_text = {(r["claim_a"], r["claim_b"]): (r["relation"], w[k]) for k, r in s.items()}
    for r in data.load_claimdiff(max_rows=40):
        assert r.label == data.CLAIMDIFF_MAP[by_text[(r.a, r.b)]]


@pytest.mark.models
@needs_data
def test_tiny_train_stance_runs_and_caches(embedder, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("COUNTERCLAIM_CACHE", str(tmp_path / "cache"))
    enc = CountingEncoder(embedder)
    extra = [("The port is closed.", "The port is open as usual.", "contradiction")]
    kw = {"max_per_dataset": 60, "encoder": enc, "seed_check": False, "log": lambda *_: None}
    m1 = train_stance(tmp_path / "m", extra=extra, **kw)
    first = enc.calls
    m2 = train_stance(tmp_path / "m2", extra=extra, **kw)
    assert enc.calls - first == 2  # only the analyst pair is embedded again
    assert m1["version"] == m2["version"]  # reproducible
    held = m1["heldout"]["all"]
    assert m1["n_extra"] == 1 and held["n"] > 0 and len(held["confusion"]) == 4
    # The reported figures are those of the reported confusion matrix (rows = truth).
    c = np.array(held["confusion"], dtype=float)
    assert c.sum() == held["n"] and held["accuracy"] == pytest.approx(np.trace(c) / c.sum())
    present = c.sum(axis=1) > 0
    tp, pred, true = np.diag(c), c.sum(axis=0), c.sum(axis=1)
    f1 = np.divide(2 * tp, pred + true, out=np.zeros(4), where=(pred + true) > 0)
    assert held["macro_f1"] == pytest.approx(f1[present].mean())
    assert held["per_class_f1"] == pytest.approx(
        {STANCE_LABELS[i]: f1[i] for i in np.flatnonzero(present)}
    )
    assert set(m1["heldout"]["all"]["per_class_f1"]) <= set(STANCE_LABELS)
    assert (tmp_path / "m" / "MODEL_CARD.md").exists()
    assert SklearnStanceModel.load(tmp_path / "m", encoder=embedder).version == m1["version"]


def test_seed_gold_path_is_beside_the_checkout() -> None:
    from verify.stance.training.seeds import default_gold_path

    shared = Path(__file__).resolve().parents[1].parent / "shared"
    assert default_gold_path() == shared / "gold" / "seeds_pairs.jsonl"
