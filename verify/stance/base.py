"""The one interface every stance model sits behind, and what it is handed (``loading`` picks
and loads one)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np


def in_text_order(a: str, b: str) -> tuple[str, str]:
    """The one order a claim pair is read in (``StancePairs.unordered``, analysts' tags)."""
    return (b, a) if a > b else (a, b)


@dataclass(frozen=True)
class StancePairs:
    """What a stance model may read of n pairs: the two texts of each, and, where the caller
    knows the speakers' camps, each pair's relation (``camps.camp_relation``: opposed, same or
    unknown). A model reads what it uses (``StanceModel.uses_camps``) and ignores the rest, so a
    caller hands over all it knows and never asks which model it holds."""

    a: Sequence[str]
    b: Sequence[str]
    camps: Sequence[str] | None = None
    #: Each pair's two languages (``verify.language`` codes) where the caller knows them:
    #: ``verify.multilingual.router`` sends a pair that is not English-English to its reader.
    langs: Sequence[tuple[str, str]] | None = None

    def __post_init__(self) -> None:
        if len(self.a) != len(self.b):
            raise ValueError(f"len(a)={len(self.a)} != len(b)={len(self.b)}")
        if self.camps is not None and len(self.camps) != len(self.a):
            raise ValueError(f"{len(self.camps)} camp relations for {len(self.a)} pairs")

    @classmethod
    def unordered(
        cls,
        a: Sequence[str],
        b: Sequence[str],
        camps: Sequence[str] | None = None,
        langs: Sequence[tuple[str, str]] | None = None,
    ) -> StancePairs:
        """Pairs with no natural order (two claims), each put in one order, its texts' own: a
        model that reads one way then gives a pair one number, whichever claim was stored first
        (camp relations are symmetric: they stay; each pair's languages swap with its texts)."""
        swap = [in_text_order(x, y) != (x, y) for x, y in zip(a, b, strict=True)]
        if langs is not None:
            langs = [(lb, la) if s else (la, lb) for (la, lb), s in zip(langs, swap, strict=True)]
        return cls(
            [y if s else x for x, y, s in zip(a, b, swap, strict=True)],
            [x if s else y for x, y, s in zip(a, b, swap, strict=True)],
            camps,
            langs,
        )

    def __len__(self) -> int:
        return len(self.a)

    def __getitem__(self, part: slice) -> StancePairs:
        """The pairs in ``part`` (a batch), with their camps."""
        camps = None if self.camps is None else self.camps[part]
        langs = None if self.langs is None else self.langs[part]
        return StancePairs(self.a[part], self.b[part], camps, langs)

    def take(self, rows: Sequence[int]) -> StancePairs:
        """The pairs at ``rows`` (those a screen lets through), with their camps and languages."""
        camps = None if self.camps is None else [self.camps[i] for i in rows]
        langs = None if self.langs is None else [self.langs[i] for i in rows]
        return StancePairs([self.a[i] for i in rows], [self.b[i] for i in rows], camps, langs)


@runtime_checkable
class StanceModel(Protocol):
    """``predict_pairs(pairs)`` returns shape (n, 4), columns in ``STANCE_LABELS`` order;
    ``predict_proba(a, b)`` is the same for callers that have only the texts.

    Symmetric: (a, b) and (b, a) score the same, since candidate pairs have no natural order.
    ``version`` identifies the weights so the store can tell which scores are stale;
    ``uses_camps`` says whether ``StancePairs.camps`` moves the scores (so they are stored under
    the registry the camps came from too).
    """

    @property
    def version(self) -> str: ...

    @property
    def uses_camps(self) -> bool: ...

    def predict_pairs(self, pairs: StancePairs) -> np.ndarray: ...

    def predict_proba(self, a: Sequence[str], b: Sequence[str]) -> np.ndarray: ...
