"""Which reader scores a pair: the English stance model when both claims are English, the
multilingual reader (``reader.MultilingualReader``) when either is not. Both give the four
labels in ``STANCE_LABELS`` order under the same decision rule, so the rankings mix them.
A claim in a language no model reads never reaches here (``rejected_claims``); if one is handed
over anyway it goes to the multilingual reader, never to the English model.

Languages come with the pairs (``StancePairs.langs``: the stored language, an analyst's
correction first) or, for callers that have only texts, from ``verify.language.detect``."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from verify.language import ENGLISH, detect
from verify.stance.base import StanceModel, StancePairs

ENGLISH_READER, MULTILINGUAL_READER = "english", "multilingual"


def readers_of(pairs: StancePairs) -> list[str]:
    langs = pairs.langs
    if langs is None:
        langs = [(detect(a).code, detect(b).code) for a, b in zip(pairs.a, pairs.b, strict=True)]
    return [
        ENGLISH_READER if la == ENGLISH and lb == ENGLISH else MULTILINGUAL_READER
        for la, lb in langs
    ]


class LanguageRouter:
    """A ``StanceModel`` over two: ``english`` (any StanceModel) and the multilingual reader
    (loaded on the first pair that needs it)."""

    def __init__(self, english: StanceModel, multilingual=None, multilingual_version: str = ""):
        from verify.multilingual.reader import reader_version

        self.english = english
        self._multilingual = multilingual
        self._ml_version = multilingual_version or (
            multilingual.version if multilingual is not None else reader_version()
        )

    @property
    def multilingual(self):
        if self._multilingual is None:
            from verify.multilingual.reader import MultilingualReader

            self._multilingual = MultilingualReader()
        return self._multilingual

    @property
    def version(self) -> str:
        return f"{self.english.version}+{self._ml_version}"

    @property
    def uses_camps(self) -> bool:
        return self.english.uses_camps

    def readers(self, pairs: StancePairs) -> list[str]:
        return readers_of(pairs)

    def predict_pairs(self, pairs: StancePairs) -> np.ndarray:
        who = readers_of(pairs)
        out = np.zeros((len(pairs), 4), dtype=np.float64)
        en = [i for i, r in enumerate(who) if r == ENGLISH_READER]
        ml = [i for i, r in enumerate(who) if r != ENGLISH_READER]
        if en:
            out[en] = self.english.predict_pairs(pairs.take(en))
        if ml:
            out[ml] = self.multilingual.predict_pairs(pairs.take(ml))
        return out

    def predict_proba(self, a: Sequence[str], b: Sequence[str]) -> np.ndarray:
        return self.predict_pairs(StancePairs(a, b))

    def __getattr__(self, name: str):  # what else callers read of the English model
        if name in ("english", "_multilingual", "_ml_version"):
            raise AttributeError(name)
        return getattr(self.english, name)
