"""Held-out evaluation of a cross-encoder: temperature and scoring mode chosen on dev, then
per-dataset test metrics with the readouts each public set is known by (FNC-1's score, 3-way or
2-way accuracy on the set's own classes).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

import numpy as np

from verify.labels import AGREEMENT, CONTRADICTION, LABEL_INDEX, NEUTRAL, UNRELATED
from verify.stance.calibration import expected_calibration_error, fit_temperature, softmax
from verify.stance.cross_encoder import CrossEncoderStanceModel
from verify.stance.training.data import Record
from verify.stance.training.metrics import classification_metrics, fnc_score

log = logging.getLogger("train_cross")


def cross_metrics(proba: np.ndarray, labels: np.ndarray, name: str) -> dict:
    """``classification_metrics`` plus the readouts of set ``name`` (``READOUTS``)."""
    m = classification_metrics(proba, labels)
    y = np.array([LABEL_INDEX[x] for x in labels])
    pred = proba.argmax(axis=1)
    if name in ("fnc1", "arc"):
        m["fnc_score"] = fnc_score(y, pred)
    native = NATIVE_CLASSES.get(name)
    own = y != LABEL_INDEX[UNRELATED]  # the set's own rows (not the synthetic unrelated pairs)
    if native == 3 and own.any():  # no "unrelated" of its own: a predicted unrelated is neutral
        merge = np.where(pred == LABEL_INDEX[UNRELATED], LABEL_INDEX[NEUTRAL], pred)
        m["accuracy_3way"] = float((merge[own] == y[own]).mean())
    if native == 2 and own.any():  # support/refute only: the argmax over those two
        two = proba[:, [LABEL_INDEX[CONTRADICTION], LABEL_INDEX[AGREEMENT]]].argmax(axis=1)
        gold = np.where(y == LABEL_INDEX[CONTRADICTION], 0, 1)
        keep = own & np.isin(y, [LABEL_INDEX[CONTRADICTION], LABEL_INDEX[AGREEMENT]])
        m["accuracy_2way"] = float((two[keep] == gold[keep]).mean())
    return m


#: The per-set readouts beside macro-F1 (FNC-1's score; 3-way or 2-way accuracy on native rows).
READOUTS = ("fnc_score", "accuracy_3way", "accuracy_2way")

#: How many of our classes each set has natively (held-out readouts fold or restrict to them).
NATIVE_CLASSES = {
    "sick": 3,
    "emergent": 3,
    "snli": 3,
    "anli": 3,
    "breaking_nli": 3,
    "climate_fever": 3,
    "healthver": 3,
    "semeval2016_stance": 3,
    "perspectrum": 2,
    "covidfact": 2,
}


def dev_sample(roles: np.ndarray, dev_max: int, seed: int) -> np.ndarray:
    """Sorted indices of at most ``dev_max`` dev pairs, the same draw for the same seed."""
    dev = np.flatnonzero(roles == "dev")
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(dev, size=min(dev_max, len(dev)), replace=False))


def evaluate(
    model: CrossEncoderStanceModel,
    recs: Sequence[Record],
    names: np.ndarray,
    roles: np.ndarray,
    labels: np.ndarray,
    dev_max: int,
    seed: int,
) -> dict:
    """Temperature on (a subsample of) dev; one-way vs symmetric chosen on dev macro-F1;
    held-out test metrics per dataset with ECE before/after calibration."""
    dev = dev_sample(roles, dev_max, seed)
    test = np.flatnonzero(roles == "test")

    def two_way(idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        a, b = [recs[i].a for i in idx], [recs[i].b for i in idx]
        return model.logits_one_way(a, b), model.logits_one_way(b, a)

    t = time.perf_counter()
    d_ab, d_ba = two_way(dev)
    y_dev = np.array([LABEL_INDEX[labels[i]] for i in dev])
    log.info("dev logits (%d pairs, both orders) in %.0fs", len(dev), time.perf_counter() - t)
    choice: dict[str, dict] = {}
    for sym, z in (("one-way", d_ab), ("symmetric", (d_ab + d_ba) / 2)):
        temp = fit_temperature(z, y_dev)
        choice[sym] = {
            "temperature": temp,
            "dev": classification_metrics(softmax(z / temp), labels[dev]),
            "dev_ece_before": expected_calibration_error(softmax(z), y_dev),
        }
    sym = max(choice, key=lambda k: choice[k]["dev"]["macro_f1"])
    model.symmetric, model.temperature = sym == "symmetric", choice[sym]["temperature"]
    log.info("dev: %s", {k: round(v["dev"]["macro_f1"], 4) for k, v in choice.items()})

    t = time.perf_counter()
    t_ab, t_ba = two_way(test)
    log.info("test logits (%d pairs, both orders) in %.0fs", len(test), time.perf_counter() - t)
    z = (t_ab + t_ba) / 2 if model.symmetric else t_ab
    held: dict = {}
    held_raw: dict = {}
    for name in ["all", *sorted(set(names[test]))]:
        m = np.ones(len(test), bool) if name == "all" else names[test] == name
        held[name] = cross_metrics(softmax(z[m] / model.temperature), labels[test][m], name)
        y = labels[test][m]
        held_raw[name] = {
            "ece_uncalibrated": cross_metrics(softmax(z[m]), y, name)["ece"],
            "macro_f1_one_way": cross_metrics(softmax(t_ab[m]), y, name)["macro_f1"],
        }
    flip = t_ab.argmax(1) != t_ba.argmax(1)
    order_free = np.isin(labels[test], [CONTRADICTION, UNRELATED])
    flips = {
        "all": float(flip.mean()),
        "contradiction_or_unrelated": float(flip[order_free].mean()),
    }
    log.info("label flips between the two orders on test: %s", flips)
    return {
        "heldout": held,
        "heldout_extra": held_raw,
        "dev_choice": choice,
        "symmetric": sym,
        "order_flips": flips,
        "temperature": model.temperature,
        "n_dev_used": len(dev),
    }
