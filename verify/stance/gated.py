"""The engine's stance reader: the cross-encoder behind the relatedness stage.

``predict_pairs`` returns the 4-way distribution of ``relatedness.combine``: P(contradiction) =
P(related) x P(contradiction | related). ``read`` gives the separate parts (the cross-encoder's
reading, relatedness, polarity) for screens and benches that show them.

The screen comes first (issue 22): the relatedness model's cheap half (cosine, word, name and
number overlap; no cross-encoder) decides which pairs the cross-encoder reads at all. A pair it
spares is read as "not the same fact": its screen P(related) goes to neutral, the rest to
unrelated, and it carries no stance (P(contradiction) = 0), so it sits below every read pair.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from verify.stance.base import StancePairs
from verify.stance.cross_encoder import CrossEncoderStanceModel
from verify.stance.features import Encoder, pair_inputs
from verify.stance.relatedness import (
    Relatedness,
    combine,
    cosines,
    cross_features,
    pair_features,
    reader_version,
)


@dataclass(frozen=True)
class Reading:
    """The parts of one batch's reading: what ``predict_pairs`` combines."""

    cross: np.ndarray  # (n, 4) the cross-encoder's own distribution (NaN where not read)
    related: np.ndarray  # (n,) P(related) in the model's scope; the screen's where not read
    contra_given_related: np.ndarray  # (n,) P(contradiction | related) (NaN where not read)
    scope: str
    read: np.ndarray  # (n,) bool: the screen let the pair through to the cross-encoder

    @property
    def combined(self) -> np.ndarray:
        out = np.zeros((len(self.read), 4))
        r = self.read
        if r.any():
            out[r] = combine(
                self.cross[r], self.related[r], self.contra_given_related[r], self.scope
            )
        out[~r, 2], out[~r, 3] = self.related[~r], 1 - self.related[~r]
        return out


class GatedStanceModel:
    """``StanceModel``: the cross-encoder gated by relatedness. Reads no camps.

    ``screening=False`` reads every pair (retraining from tags, and benches measuring what the
    screen costs)."""

    uses_camps = False

    def __init__(
        self,
        cross: CrossEncoderStanceModel,
        relatedness: Relatedness,
        encoder: Encoder | None = None,
        screening: bool = True,
    ) -> None:
        self.cross, self.relatedness, self._encoder = cross, relatedness, encoder
        self.screening = screening and relatedness.screen is not None

    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:
            from verify.stages.embed import Embedder

            self._encoder = Embedder()
        return self._encoder

    @property
    def version(self) -> str:
        return reader_version(self.cross.version, self.relatedness, self.screening, self.cross.int8)

    @property
    def symmetric(self) -> bool:
        return self.cross.symmetric

    def cosines(self, a: Sequence[str], b: Sequence[str]) -> np.ndarray:
        X = pair_inputs(self.encoder, a, b)
        return cosines(X.emb_a, X.emb_b)

    def read(self, pairs: StancePairs, cross: np.ndarray | None = None) -> Reading:
        """The parts of the reading (``cross``: the cross-encoder's output when already known;
        then every pair counts as read)."""
        rel, n = self.relatedness, len(pairs)
        cheap = pair_features(self.cosines(pairs.a, pairs.b), pairs.a, pairs.b, None)
        related = rel.screen_related(cheap) if self.screening else np.ones(n)
        if cross is not None or not self.screening:
            passed = np.ones(n, bool)
        else:
            passed = related >= rel.screen_threshold
        if cross is None:
            cross = np.full((n, 4), np.nan)
            rows = np.flatnonzero(passed)
            if len(rows):
                cross[rows] = self.cross.predict_pairs(pairs.take(rows.tolist()))
        polarity = np.full(n, np.nan)
        if passed.any():
            F = np.hstack([cheap[passed], cross_features(cross[passed])])
            related[passed] = rel.related(F)
            polarity[passed] = rel.polarity.predict(cross[passed])
        return Reading(cross, related, polarity, rel.scope, passed)

    def predict_pairs(self, pairs: StancePairs) -> np.ndarray:
        if not len(pairs):
            return np.zeros((0, 4))
        return self.read(pairs).combined

    def predict_proba(self, a: Sequence[str], b: Sequence[str]) -> np.ndarray:
        return self.predict_pairs(StancePairs(a, b))


def load_gated(
    path: Path,
    cross: CrossEncoderStanceModel,
    encoder: Encoder | None = None,
    screening: bool = True,
) -> GatedStanceModel:
    return GatedStanceModel(cross, Relatedness.load(path), encoder, screening)
