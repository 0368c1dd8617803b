"""The shared calibration module and linear head: temperatures recovered, arrays round-trip."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from verify.stance.calibration import (
    expected_calibration_error,
    fit_temperature,
    fit_temperature_bounded,
    softmax,
)
from verify.stance.linear_head import WEIGHTS_FILE, LinearHead


def _tempered_sample(t_true: float, n: int = 4000) -> tuple[np.ndarray, np.ndarray]:
    """Logits whose labels are drawn from softmax(logits / t_true): the right T is t_true."""
    rng = np.random.default_rng(3)
    z = rng.normal(scale=3.0, size=(n, 4))
    p = softmax(z / t_true)
    y = np.array([rng.choice(4, p=row) for row in p])
    return z, y


def test_both_temperature_fits_recover_the_temperature() -> None:
    z, y = _tempered_sample(2.0)
    assert abs(fit_temperature(z, y) - 2.0) < 0.2
    assert abs(fit_temperature_bounded(z, y) - 2.0) < 0.2
    assert np.allclose(softmax(z).sum(axis=1), 1.0) and softmax(z).dtype == np.float64


def test_ece_is_small_when_calibrated_and_large_when_overconfident() -> None:
    z, y = _tempered_sample(2.0)
    assert expected_calibration_error(softmax(z / 2.0), y) < 0.03
    assert expected_calibration_error(softmax(z), y) > 0.1  # T=1 is over-confident here


def test_linear_head_fits_saves_and_loads(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    F = rng.normal(size=(300, 5)).astype(np.float32)  # a feature matrix
    F[:, 4] = 1.0  # a constant column must not become NaN
    y = (F[:, 0] > 0).astype(int) * 2  # two classes present (0 and 2): softmax needs two rows
    head, present = LinearHead.fit(F, y, C=1.0)
    assert present.tolist() == [0, 2] and head.coef_.shape == (2, 5)
    assert not np.isnan(head.logits(F)).any()
    assert (head.logits(F).argmax(axis=1) * 2 == y).mean() > 0.95
    head.save(tmp_path)
    with np.load(tmp_path / WEIGHTS_FILE, allow_pickle=False) as w:
        assert sorted(w.files) == ["coef_", "intercept_", "mean_", "scale_"]
    back = LinearHead.load(tmp_path)
    assert back.fingerprint() == head.fingerprint()
    assert np.array_equal(back.logits(F), head.logits(F))
    one, only = LinearHead.fit(F, np.ones(300, int), C=1.0)
    assert only.tolist() == [1] and not one.logits(F).any()
