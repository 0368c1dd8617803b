"""The engine's stance reader: the cross-encoder behind the relatedness stage.

``predict_pairs`` returns the 4-way distribution of ``relatedness.combine``: P(contradiction) =
P(related) x P(contradiction | related). ``read`` gives the separate parts (the cross-encoder's
reading, relatedness, polarity) for screens and benches that show them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from verify.stance.base import StancePairs
from verify.stance.cross_encoder import CrossEncoderStanceModel
from verify.stance.features import Encoder, pair_inputs
from verify.stance.relatedness import Relatedness, combine, cosines, pair_features


@dataclass(frozen=True)
class Reading:
    """The parts of one batch's reading: what ``predict_pairs`` combines."""

    cross: np.ndarray  # (n, 4) the cross-encoder's own distribution
    related: np.ndarray  # (n,) P(related), in the model's scope (same fact or same story)
    contra_given_related: np.ndarray  # (n,) P(contradiction | related)
    scope: str

    @property
    def combined(self) -> np.ndarray:
        return combine(self.cross, self.related, self.contra_given_related, self.scope)


class GatedStanceModel:
    """``StanceModel``: the cross-encoder gated by relatedness. Reads no camps."""

    uses_camps = False

    def __init__(self, cross: CrossEncoderStanceModel, relatedness: Relatedness,
                 encoder: Encoder | None = None) -> None:  # fmt: skip
        self.cross, self.relatedness, self._encoder = cross, relatedness, encoder

    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:
            from verify.stages.embed import Embedder

            self._encoder = Embedder()
        return self._encoder

    @property
    def version(self) -> str:
        return f"{self.cross.version}+{self.relatedness.version}"

    @property
    def symmetric(self) -> bool:
        return self.cross.symmetric

    def cosines(self, a: Sequence[str], b: Sequence[str]) -> np.ndarray:
        X = pair_inputs(self.encoder, a, b)
        return cosines(X.emb_a, X.emb_b)

    def read(self, pairs: StancePairs, cross: np.ndarray | None = None) -> Reading:
        """The parts of the reading (``cross``: the cross-encoder's output when already known)."""
        if cross is None:
            cross = self.cross.predict_pairs(pairs)
        cos = self.cosines(pairs.a, pairs.b)
        F = pair_features(cos, pairs.a, pairs.b, cross)
        rel = self.relatedness
        return Reading(cross, rel.related(F), rel.polarity.predict(cross), rel.scope)

    def predict_pairs(self, pairs: StancePairs) -> np.ndarray:
        if not len(pairs):
            return np.zeros((0, 4))
        return self.read(pairs).combined

    def predict_proba(self, a: Sequence[str], b: Sequence[str]) -> np.ndarray:
        return self.predict_pairs(StancePairs(a, b))


def load_gated(path: Path, cross: CrossEncoderStanceModel,
               encoder: Encoder | None = None) -> GatedStanceModel:  # fmt: skip
    return GatedStanceModel(cross, Relatedness.load(path), encoder)
