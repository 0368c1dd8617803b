"""The relatedness stage: features, the one decision rule, the model file, the gated reader, hard
negatives, the second NLI batch's label maps, and refitting from analysts' tags."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from verify.labels import LABEL_INDEX, NLI_DROPPED, NLI_MAPS, UNRELATED
from verify.stance.relatedness import (
    CHEAP,
    FEATURES,
    FILE,
    STORY,
    Logistic,
    Polarity,
    Relatedness,
    combine,
    lexical_features,
    pair_features,
)
from verify.stance.training.hard_negatives import mine
from verify.stance.training.nli import load_nli
from verify.stance.training.tag_fit import (
    MAX_TAG_SHARE,
    Anchor,
    TagFitRefused,
    fit_from_tags,
    nll,
    refit,
)

SHIPPED = Path(__file__).resolve().parents[1] / "models" / "stance-cross"
needs_shipped = pytest.mark.skipif(not (SHIPPED / FILE).exists(), reason="no relatedness shipped")


def _logistic(features: tuple[str, ...], coef: list[float], intercept: float = 0.0) -> Logistic:
    k = len(features)
    return Logistic(features, np.zeros(k), np.ones(k), np.array(coef, float), intercept)


def test_combine_is_a_distribution_and_gates_contradiction_by_relatedness() -> None:
    cross = np.array([[0.7, 0.1, 0.1, 0.1], [0.7, 0.1, 0.1, 0.1], [0.1, 0.7, 0.15, 0.05]])
    out = combine(cross, np.array([0.9, 0.05, 0.9]), np.array([0.8, 0.8, 0.1]))
    assert np.allclose(out.sum(1), 1.0)
    assert out[0, 0] > out[1, 0]  # same polarity, less related: less contradiction
    assert out[1, 2] + out[1, 3] > 0.9  # unrelated mass goes to neutral and unrelated
    assert out[1, 2] / out[1, 3] == pytest.approx(1.0)  # split as the cross-encoder splits it
    assert out[2].argmax() == LABEL_INDEX["agreement"]
    story = combine(cross, np.array([0.9, 0.05, 0.9]), np.array([0.8, 0.8, 0.1]), STORY)
    assert np.allclose(story.sum(1), 1.0)
    assert np.allclose(story[:, 3], [0.1, 0.95, 0.1])  # story scope: unrelated is 1 - P(related)
    assert story[0, 0] > story[1, 0]


def test_lexical_features_are_symmetric_and_see_names_and_numbers() -> None:
    a = ["Russia moved 100 tanks to the Ukrainian border.", "The cat sat on the mat."]
    b = ["Moscow says 100 tanks left the Ukrainian border.", "Stocks fell sharply in Tokyo."]
    f_ab, f_ba = lexical_features(a, b), lexical_features(b, a)
    assert np.allclose(f_ab, f_ba)
    cheap = dict(zip(CHEAP[2:], f_ab[0], strict=True))
    assert cheap["number_shared"] == 1.0 and cheap["number_clash"] == 0.0
    assert f_ab[0, 0] > f_ab[1, 0]  # more shared words in the first pair
    assert pair_features(np.array([0.5, 0.1]), a, b, None).shape == (2, len(CHEAP))
    full = pair_features(np.array([0.5, 0.1]), a, b, np.full((2, 4), 0.25))
    assert full.shape == (2, len(FEATURES))


def test_model_file_round_trips_and_a_broken_one_names_the_file(tmp_path: Path) -> None:
    model = Relatedness(
        _logistic(FEATURES, [0.5] * len(FEATURES)),
        _logistic(CHEAP, [1.0] * len(CHEAP)),
        Polarity(1.2, -0.1),
        0.2,
    )
    model.save(tmp_path, extra={"cross_version": "x"})
    back = Relatedness.load(tmp_path)
    assert back.version == model.version
    X = np.random.default_rng(0).normal(size=(5, len(FEATURES)))
    assert np.allclose(back.related(X), model.related(X))
    (tmp_path / FILE).write_text(json.dumps({"full": {"features": ["nope"]}}))
    with pytest.raises(ValueError, match=str(tmp_path / FILE)):
        Relatedness.load(tmp_path)


def test_hard_negatives_join_other_groups_only_within_one_split_role() -> None:
    from verify.stages.embed import Embedder
    from verify.stance.training.data import split_role

    texts = [
        "Troops are withdrawing from the border.",
        "Troops are leaving the border area.",
        "The army pulls back from the frontier.",
        "A new phone was released today.",
        "Apple launched a new smartphone.",
        "The border troops remain in place.",
    ]
    groups = ["g:1", "g:1", "g:2", "g:3", "g:4", "g:5"]
    recs = mine(texts, groups, Embedder().encode(texts), k=2, min_cosine=0.0)
    assert recs
    by_text = dict(zip(texts, groups, strict=True))
    for r in recs:
        assert r.label == UNRELATED
        assert by_text[r.a] != by_text[r.b]
        assert split_role(by_text[r.a]) == split_role(by_text[r.b])
    assert len({frozenset((r.a, r.b)) for r in recs}) == len(recs)  # each pair once


def test_every_nli_label_in_the_data_is_mapped_or_dropped_by_name(tmp_path: Path) -> None:
    data = Path(__file__).resolve().parents[2] / "shared" / "data"
    if not (data / "nli2").exists():
        pytest.skip("shared/data/nli2 not present")
    for name in ("mnli_dev", "fever_symmetric", "rumoureval2019", "wice_oracle", "scitail_dev"):
        recs = load_nli([name], data, unrelated_fraction=0)[name]
        assert recs and {r.label for r in recs} <= set(NLI_MAPS[name].values())
    bad = tmp_path / "nli" / "snli"
    bad.mkdir(parents=True)
    rows = [
        {"premise": "p", "hypothesis": "h", "label": "entailment"},
        {"premise": "p", "hypothesis": "h", "label": "maybe"},
    ]
    (bad / "snli.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    with pytest.raises(ValueError, match=r"snli\.jsonl:2: label 'maybe'"):
        load_nli(["snli"], tmp_path)
    (bad / "snli.jsonl").write_text(json.dumps({"premise": "p", "label": "entailment"}) + "\n")
    with pytest.raises(ValueError, match=r"snli\.jsonl:1: missing .*hypothesis"):
        load_nli(["snli"], tmp_path)
    assert "not_entailment" in NLI_DROPPED["rte"]


def _anchor(n: int = 400, seed: int = 0) -> Anchor:
    """A public anchor where relatedness follows feature 0 and polarity follows log(c/a)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, len(FEATURES)))
    related = X[:, 0] > 0
    contra = rng.random(n) < 0.5
    cross = np.full((n, 4), 0.1)
    cross[np.arange(n), np.where(contra, 0, 1)] = 0.7
    labels = np.where(related, np.where(contra, 0, 1), 3)
    dev = np.arange(n) % 5 == 0
    return Anchor(X, cross, labels, np.ones(n), dev, 1.0)


def _base() -> Relatedness:
    full = _logistic(FEATURES, [2.0] + [0.0] * (len(FEATURES) - 1))
    return Relatedness(full, None, Polarity(1.0, 0.0))


def test_tags_that_agree_with_a_new_cue_move_the_model_and_pass_both_checks() -> None:
    rng = np.random.default_rng(1)
    X = rng.normal(size=(60, len(FEATURES)))
    related = X[:, 0] + 2 * X[:, 1] > 0  # in this dispute feature 1 matters too
    cross = np.tile([0.7, 0.1, 0.1, 0.1], (60, 1))
    labels = np.where(related, 0, 3)
    # A public anchor large enough for 60 tags to weigh in under MAX_TAG_SHARE, and a model
    # fitted on it, as the shipped one is on its own.
    anchor = _anchor(n=8000)
    base = refit(_base(), anchor, X[:1], cross[:1], labels[:1], 1e-6)
    model, report = fit_from_tags(base, anchor, X, cross, labels)
    assert report["weight"] > 0 and report["tag_share"] <= MAX_TAG_SHARE
    assert nll(model, X, cross, labels) < nll(base, X, cross, labels)
    assert report["public_nll"]["retrained"] <= report["public_nll"]["shipped"] + 0.02


def test_tags_that_would_break_the_public_check_are_refused() -> None:
    rng = np.random.default_rng(1)
    X = rng.normal(size=(60, len(FEATURES)))
    X[:, 0] = -3.0  # the base reads all of these as unrelated, and the public data agrees...
    labels = np.where(X[:, 1] > 0, 0, 3)  # ...the tags would teach the opposite on feature 0
    cross = np.tile([0.7, 0.1, 0.1, 0.1], (60, 1))
    with pytest.raises(TagFitRefused, match="public NLL"):
        fit_from_tags(_base(), _anchor(), X, cross, labels)


def test_too_few_or_one_sided_or_useless_tags_leave_the_model_unchanged() -> None:
    base, anchor = _base(), _anchor()
    X = np.random.default_rng(2).normal(size=(30, len(FEATURES)))
    cross = np.tile([0.7, 0.1, 0.1, 0.1], (30, 1))
    with pytest.raises(TagFitRefused, match="at least"):
        fit_from_tags(base, anchor, X[:5], cross[:5], np.zeros(5, int))
    with pytest.raises(TagFitRefused, match="same label"):
        fit_from_tags(base, anchor, X, cross, np.zeros(30, int))
    noise = np.random.default_rng(3).choice([0, 3], size=30)  # tags unrelated to any feature
    with pytest.raises(TagFitRefused, match="model unchanged"):
        fit_from_tags(base, anchor, X, cross, noise)
    assert refit(base, anchor, X, cross, noise, 0.0) is base


@needs_shipped
def test_the_gated_reader_is_symmetric_in_shape_and_names_both_parts() -> None:
    from verify.stance.gated import GatedStanceModel
    from verify.stance.loading import load_default_model
    from verify.stance.versions import model_version

    model = load_default_model(symmetric=None)
    assert isinstance(model, GatedStanceModel)
    assert model.version.endswith(Relatedness.load(SHIPPED).version)
    assert model_version(SHIPPED, None)[0] == model.version  # from the files alone, the same
    a = ["Russian troops are withdrawing from the Ukrainian border."]
    b = ["The massing of Russian troops on the Ukrainian border is continuing."]
    reading = model.read(
        __import__("verify.stance.base", fromlist=["StancePairs"]).StancePairs(a, b)
    )
    assert np.allclose(reading.combined, model.predict_proba(a, b))
    assert 0 <= reading.related[0] <= 1 and np.allclose(reading.combined.sum(1), 1)


def test_the_screen_decides_what_the_cross_encoder_reads() -> None:
    """A pair the screen stops is not read: no stance, its screen relatedness goes to neutral.
    Thresholds at the extremes make the test about the gate, not about the model's scores."""
    from dataclasses import replace

    from verify.stance.base import StancePairs
    from verify.stance.gated import GatedStanceModel
    from verify.stance.loading import load_default_model
    from verify.stance.versions import model_version

    shipped = load_default_model(symmetric=None)
    assert isinstance(shipped, GatedStanceModel) and shipped.screening
    pairs = StancePairs(
        ["Russian troops are withdrawing from the Ukrainian border.", "Apple sold more phones."],
        ["The massing of Russian troops on the border is continuing.", "Troops left Crimea."],
    )
    unscreened = GatedStanceModel(shipped.cross, shipped.relatedness, shipped.encoder, False)
    assert unscreened.version == shipped.version + "+unscreened"
    everything = unscreened.predict_pairs(pairs)
    assert unscreened.read(pairs).read.all()

    open_gate = replace(shipped.relatedness, screen_threshold=-1.0)
    reading = GatedStanceModel(shipped.cross, open_gate, shipped.encoder).read(pairs)
    assert reading.read.all() and np.allclose(reading.combined, everything)

    shut = replace(shipped.relatedness, screen_threshold=2.0)
    reading = GatedStanceModel(shipped.cross, shut, shipped.encoder).read(pairs)
    assert not reading.read.any() and np.isnan(reading.cross).all()
    assert np.allclose(reading.combined[:, :2], 0) and np.allclose(reading.combined.sum(1), 1)
    assert np.allclose(reading.combined[:, 2], reading.related)

    # a screened store and an unscreened one keep their scores apart
    from verify.settings import Settings

    off = replace(Settings.from_env({}), screen=False)
    assert model_version(SHIPPED, None, off)[0] == shipped.version + "+unscreened"
