"""Pair features over frozen sentence embeddings plus cheap, generic lexical cues.

Features are symmetric in (a, b) by default: a dispute between two claims does not depend on
which one the pipeline lists first, and the public data puts the refuting side on ``b`` (FNC-1
bodies, Emergent headlines) while real claim pairs come in any order.

The cue lists are generic English (negation, refutation, hedging, confirmation); no rule names an
actor, place or phrase of any particular story.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple, Protocol

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin


class Encoder(Protocol):
    """A sentence encoder: texts -> (n, d) embeddings (``verify.stages.embed.Embedder`` in the engine)."""

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class PairInputs(NamedTuple):
    """What the featurizer sees: row-aligned embeddings and the texts they came from."""

    emb_a: np.ndarray
    emb_b: np.ndarray
    text_a: Sequence[str]
    text_b: Sequence[str]


def pair_inputs(encoder: Encoder, a: Sequence[str], b: Sequence[str]) -> PairInputs:
    """``PairInputs`` of n pairs, each distinct text embedded once."""
    texts = list(dict.fromkeys([*a, *b]))
    vecs = np.asarray(encoder.encode(texts), np.float32)
    row = {t: i for i, t in enumerate(texts)}
    return PairInputs(vecs[[row[t] for t in a]], vecs[[row[t] for t in b]], list(a), list(b))


#: Cue categories. Multi-word entries match as phrases on the token stream.
CUES: dict[str, tuple[str, ...]] = {
    "negation": (
        "no",
        "not",
        "never",
        "none",
        "nobody",
        "nothing",
        "neither",
        "nor",
        "without",
        "cannot",
        "no longer",
        "nowhere",
        "hardly",
        "by no means",
        "far from",
    ),
    "refutation": (
        "deny",
        "denies",
        "denied",
        "denial",
        "false",
        "falsely",
        "untrue",
        "not true",
        "hoax",
        "fake",
        "debunk",
        "debunked",
        "debunks",
        "refute",
        "refutes",
        "refuted",
        "reject",
        "rejects",
        "rejected",
        "dismiss",
        "dismisses",
        "dismissed",
        "baseless",
        "unfounded",
        "groundless",
        "fabricated",
        "fabrication",
        "misleading",
        "myth",
        "lie",
        "lies",
        "lied",
        "propaganda",
        "disinformation",
        "misinformation",
        "hysteria",
        "nonsense",
        "absurd",
        "no evidence",
        "no proof",
        "no sign",
        "no signs",
        "no indication",
        "contrary to",
        "contradict",
        "contradicts",
        "contradicted",
        "disputed",
        "disputes",
        "satire",
        "prank",
        "scam",
        "conspiracy",
        "smear",
        "retracted",
        "not verified",
        "not confirmed",
        "not the case",
        "on the contrary",
    ),
    "hedging": (
        "may",
        "might",
        "could",
        "reportedly",
        "allegedly",
        "alleged",
        "unconfirmed",
        "unverified",
        "rumor",
        "rumors",
        "rumour",
        "rumours",
        "rumored",
        "possibly",
        "possible",
        "perhaps",
        "apparently",
        "appears",
        "seems",
        "likely",
        "unlikely",
        "unclear",
        "speculation",
        "suggests",
        "suggest",
        "claims",
        "claimed",
        "according to",
        "believed",
        "expected",
        "would",
    ),
    "confirmation": (
        "confirm",
        "confirms",
        "confirmed",
        "confirmation",
        "verified",
        "proven",
        "proved",
        "true",
        "indeed",
        "acknowledged",
        "admitted",
        "admits",
        "officially",
        "announced",
        "evidence shows",
        "shows",
        "showed",
    ),
}

STOPWORDS = frozenset(
    """a an the and or but if of to in on at by for with from as is are was were be been being
    it its this that these those there here he she they we you i his her their our your my me him
    them us who whom which what when where why how than then so such very also just about into
    over under after before while has have had do does did will would can could should may might
    must said says say according""".split()
)

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_COS_CENTERS = np.linspace(0.0, 0.9, 10)


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens; curly apostrophes folded so "don’t" is one token."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    return _TOKEN.findall(text)


@lru_cache(maxsize=1)
def _cue_index() -> tuple[dict[str, frozenset[str]], dict[str, tuple[str, ...]]]:
    words = {c: frozenset(w for w in ws if " " not in w) for c, ws in CUES.items()}
    phrases = {c: tuple(f" {w} " for w in ws if " " in w) for c, ws in CUES.items()}
    return words, phrases


def cue_counts(toks: Sequence[str]) -> dict[str, int]:
    """How many cue words/phrases of each category occur (``n't`` counts as negation)."""
    words, phrases = _cue_index()
    joined = f" {' '.join(toks)} "
    out = {}
    for c in CUES:
        n = sum(t in words[c] for t in toks) + sum(joined.count(p) for p in phrases[c])
        if c == "negation":
            n += sum(t.endswith("n't") for t in toks)
        out[c] = n
    return out


def _stem(t: str) -> str:
    # Crude, but enough for overlap: "troops"/"troop", "moving"/"move".
    for suf in ("'s", "ing", "ed", "es", "s"):
        if t.endswith(suf) and len(t) - len(suf) >= 3:
            return t[: -len(suf)]
    return t


def content_set(toks: Sequence[str]) -> frozenset[str]:
    return frozenset(_stem(t) for t in toks if t not in STOPWORDS and len(t) > 2)


class _Side(NamedTuple):
    cues: dict[str, float]  # category -> presence 0/1
    content: frozenset[str]


def _side(text: str) -> _Side:
    toks = tokens(text)
    cues = {c: float(n > 0) for c, n in cue_counts(toks).items()}
    return _Side(cues, content_set(toks))


def _lexical_row(a: _Side, b: _Side, cos: float) -> np.ndarray:
    inter = len(a.content & b.content)
    union = len(a.content | b.content) or 1
    overlap = inter / max(min(len(a.content), len(b.content)), 1)
    # Polarity: a side negates or refutes. One polar side against a plain one is the classic
    # contradiction shape; both polar (two denials) is usually agreement.
    pol_a = max(a.cues["negation"], a.cues["refutation"])
    pol_b = max(b.cues["negation"], b.cues["refutation"])
    hedge_a, hedge_b = a.cues["hedging"], b.cues["hedging"]
    core = np.array([abs(pol_a - pol_b), pol_a * pol_b, abs(hedge_a - hedge_b)])
    return np.concatenate(
        [
            core,
            core * cos,  # cue contrasts only matter between related claims
            core * overlap,
            core[0] * _cos_basis(np.array([cos]))[0],  # polarity clash, per relatedness band
            [
                max(hedge_a, hedge_b),
                max(a.cues["confirmation"], b.cues["confirmation"]),
                inter / union,
                overlap,
                float(inter),
            ],
        ]
    )


def _cos_basis(cos: np.ndarray) -> np.ndarray:
    """Smooth bumps over cosine so a linear model can learn a non-monotone relatedness curve."""
    return np.exp(-(((cos[:, None] - _COS_CENTERS[None, :]) / 0.1) ** 2))


class PairFeaturizer(TransformerMixin, BaseEstimator):
    """(emb_a, emb_b, text_a, text_b) -> feature matrix.

    ``embedding``: "products" (u*v, |u-v|: symmetric), "full" (u, v, u*v, |u-v|) or "none".
    ``lexical``: add the cue / overlap features.
    """

    def __init__(self, embedding: str = "none", lexical: bool = True) -> None:
        self.embedding = embedding
        self.lexical = lexical

    def fit(self, X: PairInputs, y: object = None) -> PairFeaturizer:
        self.n_features_out_ = self.transform(_probe(X)).shape[1]
        return self

    def transform(self, X: PairInputs) -> np.ndarray:
        u = np.asarray(X.emb_a, dtype=np.float32)
        v = np.asarray(X.emb_b, dtype=np.float32)
        if len(u) != len(v) or len(u) != len(X.text_a) or len(u) != len(X.text_b):
            raise ValueError("emb_a, emb_b, text_a, text_b must be row-aligned")
        cos = np.sum(u * v, axis=1)
        blocks = [cos[:, None], (cos**2)[:, None], _cos_basis(cos)]
        if self.embedding in ("products", "full"):
            blocks += [u * v, np.abs(u - v)]
        if self.embedding == "full":
            blocks += [u, v]
        elif self.embedding not in ("products", "none"):
            raise ValueError(f"unknown embedding mode {self.embedding!r}")
        if self.lexical:
            blocks.append(lexical_features(X.text_a, X.text_b, cos))
        return np.hstack(blocks).astype(np.float32)


def lexical_features(text_a: Sequence[str], text_b: Sequence[str], cos: np.ndarray) -> np.ndarray:
    """The cue / overlap block alone, one row per pair."""
    if not len(text_a):
        return np.zeros((0, len(_lexical_row(_side(""), _side(""), 0.0))), dtype=np.float32)
    rows = [
        _lexical_row(_side(a), _side(b), float(c))
        for a, b, c in zip(text_a, text_b, cos, strict=True)
    ]
    return np.asarray(rows, dtype=np.float32)


def _probe(X: PairInputs) -> PairInputs:
    """One row of ``X`` (or a dummy row), to learn the output width."""
    if len(X.text_a):
        return PairInputs(X.emb_a[:1], X.emb_b[:1], list(X.text_a[:1]), list(X.text_b[:1]))
    dim = np.asarray(X.emb_a).shape[1] if np.asarray(X.emb_a).ndim == 2 else 384
    z = np.zeros((1, dim), dtype=np.float32)
    return PairInputs(z, z, [""], [""])
