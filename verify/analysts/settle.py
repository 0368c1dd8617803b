"""Settling a conflict: a reviewer's distinct kind of tag, with the rules that make it one.

Only a reviewer (``reviewers = [...]`` in the analyst config, see ``verify.config``) may settle,
only a pair whose analysts disagree, and never a conflict the reviewer is part of."""

from __future__ import annotations

from collections.abc import Iterable

from verify.analysts.review import SETTLE, TagFields, conflicting_analysts
from verify.labels import check_label
from verify.store.database import Store


class SettleError(ValueError):
    """Why this settlement is refused, in one line."""


def check_settle(tags: Iterable[object], reviewer: str, reviewers: Iterable[str]) -> None:
    """Raise ``SettleError`` unless ``reviewer`` may settle a pair with these tags."""
    if reviewer not in set(reviewers):
        raise SettleError(
            f"{reviewer} is not a reviewer; add them to `reviewers` in the analyst config"
        )
    parties = conflicting_analysts(tags)  # type: ignore[arg-type]
    if not parties:
        raise SettleError("the analysts do not disagree on this pair: nothing to settle")
    if reviewer in parties:
        raise SettleError(f"{reviewer} is part of this conflict and cannot settle it")


def settle(
    store: Store, pair_id: int, label: str, reviewer: str, reviewers: Iterable[str], note: str = ""
) -> int:
    """Store the settling tag (committed when this returns) and return its id."""
    check_label(label)
    if store.pair(pair_id) is None:
        raise KeyError(f"no pair with id {pair_id}")
    check_settle([TagFields(dict(r)) for r in store.tags(pair_id)], reviewer, reviewers)
    return store.add_tag(pair_id, label, reviewer, note, kind=SETTLE)
