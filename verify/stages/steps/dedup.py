"""Claim deduplication: a claim text one source states again is kept once, with its count.

An outlet that runs one wire story twice, or repeats a quote in three articles, makes one claim
of that source, not three: the copies would fill the board with pairs that say nothing new and
count one voice three times. The first claim (lowest id) of each (outlet, speaker, text) stands
for the rest; each copy is recorded (``verify.store.copies``: its article and claim row stay)
and leaves the run before any other stage reads it.

The stage that shows what adding one costs: this module, its line in ``pipeline.STAGES``, and
its schema step (``verify.store.migrations``: ``claim_copies``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from verify.stages.record import RunClaims, StageContext


def copy_key(row: Any) -> tuple[str, str, str]:
    """What makes two claims one: the outlet, the speaker as written, the text up to case and
    spacing."""
    return (row["outlet"] or "", row["speaker"], " ".join(row["text"].casefold().split()))


def find_copies(rows: Sequence[Any], positions: Iterable[int]) -> list[tuple[int, int]]:
    """(copy, first) positions: each of ``positions`` whose claim repeats an earlier row's, with
    that row (rows are in id order)."""
    first: dict[tuple[str, str, str], int] = {}
    for n, row in enumerate(rows):
        first.setdefault(copy_key(row), n)
    return [(n, f) for n in positions if (f := first[copy_key(rows[n])]) != n]


class Dedup:
    name = "dedup"

    def full(self, ctx: StageContext, claims: RunClaims) -> None:
        self._drop(ctx, claims, find_copies(claims.rows, range(len(claims.rows))), replace=True)

    def incremental(self, ctx: StageContext, claims: RunClaims) -> None:
        self._drop(ctx, claims, find_copies(claims.rows, claims.new), replace=False)

    @staticmethod
    def _drop(
        ctx: StageContext, claims: RunClaims, copies: list[tuple[int, int]], replace: bool
    ) -> None:
        ctx.store.save_copies([(claims.ids[n], claims.ids[f]) for n, f in copies], replace)
        claims.drop([n for n, _ in copies])
        if copies:
            ctx.log(f"set aside {len(copies)} repeated claims (one source, one text)")
