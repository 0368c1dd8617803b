"""Relatedness before polarity: does claim B speak to the *same fact* as claim A?

The engine asks its stance model about nearest neighbours: claims on one topic, most of them
about another fact of the same story, or about another story that shares its words. A 4-way
model trained on random unrelated pairs learns "same topic + a polarity word = contradiction"
(issue 18). So, as the FNC-1 leaders did, relatedness is decided apart from polarity, by a small
calibrated logistic regression over cheap, reliable features (bi-encoder cosine, word and name
overlap, shared and clashing numbers) and the cross-encoder's own related/neutral/unrelated mass,
trained on hard pairs: each text's nearest neighbours from *other* stories, mined with the
engine's own candidate generator (``training.hard_negatives``).

The one decision rule (``combine``): P(contradiction) = P(related) x P(contradiction | related),
where P(contradiction | related) is the cross-encoder's contradiction share of its related mass,
recalibrated on related pairs (``Polarity``). Its output keeps the 4-way ``STANCE_LABELS`` shape,
so every consumer (rankings, propositions, exports) reads one calibrated number per pair.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from verify.atomic import write_text
from verify.labels import AGREEMENT, CONTRADICTION, NEUTRAL

#: The relatedness file sits inside the cross-encoder's directory: one directory, one model.
FILE = "relatedness.json"
#: How the engine reads with this model, part of its version: the screen decides what the
#: cross-encoder reads (``stance.gated``), and a claim pair is read in its texts' order
#: (``StancePairs.unordered``), so its number does not depend on which claim was stored first.
RULE = "screen-first;text-order"
EPS = 1e-6

FEATURES: tuple[str, ...] = (
    "cosine",
    "cosine_sq",
    "word_jaccard",
    "word_containment",
    "name_jaccard",
    "names_unshared",
    "number_shared",
    "number_clash",
    "length_ratio",
    "log_related_mass",
    "log_neutral",
    "log_unrelated",
)
#: Features that need no cross-encoder read: the screen that decides what the cross-encoder reads.
CHEAP = FEATURES[:9]

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][\w'-]+)")
_STOP = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been being
    it its this that these those he she they we you i his her their our your them him us me
    has have had do does did will would can could may might must shall should not no so than
    then there here which who whom whose what when where why how all any both each few more most
    other some such only own same too very just also said says say according about into over
    after before under again further once up down out off new""".split()
)


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 1}


def _names(text: str) -> set[str]:
    """Capitalised words not at a sentence start: a cheap stand-in for named entities."""
    return {m.lower() for m in _NAME.findall(text) if m.lower() not in _STOP}


def _numbers(text: str) -> set[str]:
    return {n.replace(",", ".") for n in _NUMBER.findall(text)}


def _jaccard(x: set[str], y: set[str]) -> float:
    return len(x & y) / len(x | y) if x or y else 0.0


def lexical_features(a: Sequence[str], b: Sequence[str]) -> np.ndarray:
    """(n, 7): the cheap features after the two cosine columns, symmetric in (a, b)."""
    out = np.zeros((len(a), 7), dtype=np.float32)
    for i, (x, y) in enumerate(zip(a, b, strict=True)):
        wx, wy = _words(x), _words(y)
        nx, ny = _names(x), _names(y)
        mx, my = _numbers(x), _numbers(y)
        small = min(len(wx), len(wy))
        out[i] = (
            _jaccard(wx, wy),
            len(wx & wy) / small if small else 0.0,
            _jaccard(nx, ny),
            float(bool(nx) and bool(ny) and not (nx & ny)),
            float(bool(mx & my)),
            float(bool(mx) and bool(my) and not (mx & my)),
            min(len(x), len(y)) / max(len(x), len(y), 1),
        )
    return out


def cosines(emb_a: np.ndarray, emb_b: np.ndarray) -> np.ndarray:
    """Row-wise cosine of unit-length (or not) vectors."""
    na = np.linalg.norm(emb_a, axis=1) * np.linalg.norm(emb_b, axis=1)
    return (np.einsum("ij,ij->i", emb_a, emb_b) / np.maximum(na, EPS)).astype(np.float32)


def pair_features(
    cos: np.ndarray, a: Sequence[str], b: Sequence[str], cross_proba: np.ndarray | None
) -> np.ndarray:
    """(n, len(FEATURES)) features in ``FEATURES`` order; without ``cross_proba`` only ``CHEAP``."""
    cos = np.asarray(cos, np.float32).reshape(-1, 1)
    cols = [cos, cos**2, lexical_features(a, b)]
    if cross_proba is not None:
        cols.append(cross_features(cross_proba))
    return np.hstack(cols).astype(np.float32)


def cross_features(cross_proba: np.ndarray) -> np.ndarray:
    """The features past ``CHEAP``: the cross-encoder's related, neutral and unrelated mass."""
    p = np.clip(np.asarray(cross_proba, np.float64), EPS, 1.0)
    return np.hstack([np.log(p[:, :2].sum(1, keepdims=True)), np.log(p[:, 2:4])]).astype(np.float32)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))


@dataclass(frozen=True)
class Logistic:
    """A standardised logistic regression: P = sigmoid(((x - mean) / scale) . coef + intercept)."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def predict(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, np.float64)[:, : len(self.features)]
        return _sigmoid(((X - self.mean) / self.scale) @ self.coef + self.intercept)

    def to_json(self) -> dict:
        return {
            "features": list(self.features),
            "mean": [round(float(x), 8) for x in self.mean],
            "scale": [round(float(x), 8) for x in self.scale],
            "coef": [round(float(x), 8) for x in self.coef],
            "intercept": round(float(self.intercept), 8),
        }

    @classmethod
    def from_json(cls, d: dict) -> Logistic:
        feats = tuple(d["features"])
        if feats != FEATURES[: len(feats)]:
            raise ValueError(f"relatedness features {feats} are not a prefix of {FEATURES}")
        mean, scale, coef = (np.asarray(d[k], np.float64) for k in ("mean", "scale", "coef"))
        if not len(mean) == len(scale) == len(coef) == len(feats):
            raise ValueError("relatedness arrays do not match its feature list")
        return cls(feats, mean, scale, coef, float(d["intercept"]))


@dataclass(frozen=True)
class Polarity:
    """P(contradiction | related) = sigmoid(slope * log(c / a) + offset), c and a the
    cross-encoder's contradiction and agreement probabilities (fitted on related pairs only)."""

    slope: float = 1.0
    offset: float = 0.0

    def predict(self, cross_proba: np.ndarray) -> np.ndarray:
        p = np.clip(np.asarray(cross_proba, np.float64), EPS, 1.0)
        return _sigmoid(self.slope * (np.log(p[:, 0]) - np.log(p[:, 1])) + self.offset)


#: What "related" means: the same fact (the pair contradicts or agrees), or the same story (it
#: also may discuss without a stance: FNC-1's relatedness, where only *unrelated* is cut).
FACT, STORY = "fact", "story"
RELATED_LABELS: dict[str, tuple[str, ...]] = {
    FACT: (CONTRADICTION, AGREEMENT),
    STORY: (CONTRADICTION, AGREEMENT, NEUTRAL),
}


def combine(
    cross_proba: np.ndarray,
    related: np.ndarray,
    contra_given_related: np.ndarray,
    scope: str = FACT,
) -> np.ndarray:
    """The decision rule, in one place: (n, 4) in ``STANCE_LABELS`` order.

    ``FACT``: contradiction = P(related) x P(c | related), agreement = P(related) x (1 - P(c |
    related)); the rest splits between neutral and unrelated as the cross-encoder splits it.
    ``STORY``: the related mass splits into stance (c + a) and neutral as the cross-encoder
    splits it, the stance part by P(c | related); unrelated = 1 - P(related).
    """
    p = np.clip(np.asarray(cross_proba, np.float64), EPS, 1.0)
    r = np.asarray(related, np.float64)
    pc = np.asarray(contra_given_related, np.float64)
    if scope == STORY:
        stance = (p[:, 0] + p[:, 1]) / (p[:, 0] + p[:, 1] + p[:, 2])
        return np.stack([r * stance * pc, r * stance * (1 - pc), r * (1 - stance), 1 - r], axis=1)
    rest = p[:, 2] + p[:, 3]
    return np.stack(
        [r * pc, r * (1 - pc), (1 - r) * p[:, 2] / rest, (1 - r) * p[:, 3] / rest], axis=1
    )


@dataclass(frozen=True)
class Relatedness:
    """The full relatedness model, its cheap screen, and the polarity calibration."""

    full: Logistic
    screen: Logistic | None
    polarity: Polarity
    screen_threshold: float = 0.0
    scope: str = FACT

    def combine(self, cross_proba: np.ndarray, related: np.ndarray) -> np.ndarray:
        """``combine`` with this model's polarity and scope."""
        return combine(cross_proba, related, self.polarity.predict(cross_proba), self.scope)

    @property
    def version(self) -> str:
        # The reading rule is part of the version: screening first (``gated``) changed it.
        blob = json.dumps(self.to_json() | {"rule": RULE}, sort_keys=True).encode()
        return "rel-" + hashlib.sha256(blob).hexdigest()[:8]

    def related(self, features: np.ndarray) -> np.ndarray:
        return self.full.predict(features)

    def screen_related(self, cheap: np.ndarray) -> np.ndarray:
        """The screen's P(related) from the ``CHEAP`` features (1 everywhere without a screen)."""
        if self.screen is None:
            return np.ones(len(cheap))
        return self.screen.predict(cheap)

    def to_json(self) -> dict:
        return {
            "full": self.full.to_json(),
            "screen": None if self.screen is None else self.screen.to_json(),
            "polarity": {"slope": self.polarity.slope, "offset": self.polarity.offset},
            "screen_threshold": self.screen_threshold,
            "scope": self.scope,
        }

    def save(self, directory: Path, extra: dict | None = None) -> Path:
        path = Path(directory) / FILE  # atomic: a failed write leaves the previous model whole
        return write_text(path, json.dumps(self.to_json() | (extra or {}), indent=2) + "\n")

    @classmethod
    def load(cls, directory: Path) -> Relatedness:
        path = Path(directory) / FILE
        try:
            d = json.loads(path.read_text(encoding="utf-8"))
            pol = d.get("polarity") or {}
            return cls(
                Logistic.from_json(d["full"]),
                Logistic.from_json(d["screen"]) if d.get("screen") else None,
                Polarity(float(pol.get("slope", 1.0)), float(pol.get("offset", 0.0))),
                float(d.get("screen_threshold", 0.0)),
                str(d.get("scope", FACT)),
            )
        except (KeyError, TypeError, ValueError) as e:  # JSONDecodeError is a ValueError
            raise ValueError(f"{path}: not a relatedness model ({e})") from None


def file_info(directory: Path) -> dict:
    """The relatedness file's own keys beyond the model (``cross_version``, ``cross_symmetric``
    for a retrained one: the cross-encoder it was fitted over and how it was read)."""
    d = json.loads((Path(directory) / FILE).read_text(encoding="utf-8"))
    return {
        k: v for k, v in d.items() if k not in ("full", "screen", "polarity", "screen_threshold")
    }


def reader_version(
    cross_version: str, model: Relatedness, screening: bool, int8: bool = False
) -> str:
    """The gated reader's version (``stance.gated``), one rule for loaded and unloaded models;
    ``int8``: its cross-encoder runs on the int8 graph (other readings, other scores)."""
    unscreened = "+unscreened" if model.screen is not None and not screening else ""
    return f"{cross_version}+{model.version}{unscreened}{'+int8' if int8 else ''}"
