"""``StancePairs``: the one input every stance model reads, and what each kind reads of it.

Real models on a handful of pairs: the shipped cross-encoder and linear head, and a stacked head
fitted on seeded features. No score is asserted, only that the two ways in agree and that the
camps reach exactly the models that say they read them.
"""

from __future__ import annotations

import numpy as np
import pytest

from verify.stages.embed import Embedder
from verify.stance.base import StanceModel, StancePairs
from verify.stance.camps import OPPOSED, SAME, UNKNOWN
from verify.stance.cross_encoder import CrossEncoderStanceModel
from verify.stance.stacked import StackedStanceModel

A = ["The bridge reopened on Monday.", "Troops are withdrawing.", "The port is closed."]
B = ["The bridge did not reopen.", "Troops are massing at the border.", "The port is open."]


def test_pairs_check_their_lengths_and_slice_with_their_camps() -> None:
    pairs = StancePairs(A, B, [OPPOSED, SAME, UNKNOWN])
    assert len(pairs) == 3
    part = pairs[1:3]
    assert (list(part.a), list(part.b), list(part.camps or [])) == (A[1:], B[1:], [SAME, UNKNOWN])
    assert StancePairs(A, B)[:1].camps is None
    with pytest.raises(ValueError, match="len"):
        StancePairs(A, B[:2])
    with pytest.raises(ValueError, match="camp relations"):
        StancePairs(A, B, [OPPOSED])


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder()


@pytest.fixture(scope="module")
def cross() -> CrossEncoderStanceModel:
    return CrossEncoderStanceModel.load(symmetric=True, backend="torch")


def _stacked(cross: CrossEncoderStanceModel, embedder: Embedder, camps: bool) -> StackedStanceModel:
    head = StackedStanceModel(cross, encoder=embedder, camps=camps)
    width = head.features(head.inputs(A[:1], B[:1]), camps=[SAME]).shape[1]
    rng = np.random.default_rng(3)
    F = rng.normal(size=(200, width)).astype(np.float32)
    if camps:
        F[:, -2:] = rng.integers(0, 2, size=(200, 2))
    labels = ["contradiction", "agreement", "neutral", "unrelated"]
    y = [labels[(i + (2 * int(F[i, -1]) if camps else 0)) % 4] for i in range(200)]
    return head.fit_features(F, y)


def test_models_without_camps_ignore_them(
    cross: CrossEncoderStanceModel, embedder: Embedder
) -> None:
    from verify.stance.sklearn_model import SklearnStanceModel, default_model_dir

    for model in (
        cross,
        SklearnStanceModel.load(default_model_dir(), encoder=embedder),
        _stacked(cross, embedder, camps=False),
    ):
        assert isinstance(model, StanceModel) and not model.uses_camps
        texts = model.predict_proba(A, B)
        assert texts.shape == (3, 4)
        for camps in (None, [OPPOSED] * 3, [SAME] * 3):
            assert np.array_equal(model.predict_pairs(StancePairs(A, B, camps)), texts)


def test_a_model_that_reads_camps_gets_them_from_the_pairs(
    cross: CrossEncoderStanceModel, embedder: Embedder
) -> None:
    head = _stacked(cross, embedder, camps=True)
    assert isinstance(head, StanceModel) and head.uses_camps
    opposed = head.predict_pairs(StancePairs(A, B, [OPPOSED] * 3))
    same = head.predict_pairs(StancePairs(A, B, [SAME] * 3))
    assert not np.allclose(opposed, same)  # the camp flags carry weight in this head
    unknown = head.predict_pairs(StancePairs(A, B, [UNKNOWN] * 3))
    assert np.array_equal(head.predict_proba(A, B), unknown)  # texts alone: camps unknown
    mixed = head.predict_pairs(StancePairs(A, B, [OPPOSED, SAME, UNKNOWN]))
    assert np.array_equal(mixed, np.vstack([opposed[0], same[1], unknown[2]]))
    assert head.predict_pairs(StancePairs([], [], [])).shape == (0, 4)
