"""How analysts' tags on one pair add up: each analyst's latest tag counts; agreeing tags give a
verdict; disagreeing tags are a conflict until a reviewer's settling tag decides.

A settling tag is its own kind (``kind = 'settle'`` in the tags table), written only through
``verify.analysts.settle`` by a reviewer who is not one of the disagreeing analysts. It is never inferred
from note text. Training uses verdicts only: settled and undisputed pairs, never an open conflict."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol, TypeVar

TAG, SETTLE = "tag", "settle"
KINDS = (TAG, SETTLE)

K = TypeVar("K")

UNTAGGED, TAGGED, CONFLICT, SETTLED = "untagged", "tagged", "conflict", "settled"
STATUSES = (UNTAGGED, TAGGED, CONFLICT, SETTLED)


class TagLike(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def analyst(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def note(self) -> str: ...
    @property
    def kind(self) -> str: ...


class TagFields:
    """A tag as the review rule sees it, from any mapping (an SQLite row or a report dict)."""

    __slots__ = ("id", "analyst", "label", "note", "kind")

    def __init__(self, tag: Mapping[str, Any]) -> None:
        self.id, self.analyst, self.label, self.note = (
            tag["id"],
            tag["analyst"],
            tag["label"],
            tag["note"],
        )
        # Rows made before settling was its own kind have no column: they are ordinary tags.
        self.kind = (
            tag["kind"] if "kind" in tag.keys() else TAG
        )  # keys(): `in` on a sqlite3.Row looks at values


def kind_of(tag: object) -> str:
    return getattr(tag, "kind", TAG)


def latest_by_analyst(tags: Iterable[TagLike]) -> dict[str, TagLike]:
    """Each analyst's latest ordinary tag (``tags`` in any order; ids grow with time).
    Settling tags are left out: a reviewer's settlement is not a vote."""
    out: dict[str, TagLike] = {}
    for tag in sorted(tags, key=lambda t: t.id):
        if kind_of(tag) == TAG:
            out[tag.analyst] = tag
    return out


def latest_settlement(tags: Iterable[TagLike]) -> TagLike | None:
    settles = [t for t in tags if kind_of(t) == SETTLE]
    return max(settles, key=lambda t: t.id) if settles else None


def status(tags: Iterable[TagLike]) -> str:
    tags = list(tags)
    latest = latest_by_analyst(tags)
    if not latest:
        return UNTAGGED
    if len({t.label for t in latest.values()}) == 1:
        return TAGGED
    settled = latest_settlement(tags)
    # A tag newer than the settlement reopens the conflict: the reviewer did not see it.
    if settled is not None and settled.id > max(t.id for t in latest.values()):
        return SETTLED
    return CONFLICT


def verdict(tags: Iterable[TagLike]) -> str | None:
    """The analysts' label when they agree or a reviewer settled; ``None`` otherwise."""
    tags = list(tags)
    latest = latest_by_analyst(tags)
    state = status(tags)
    if state == TAGGED:
        return next(iter(latest.values())).label
    if state == SETTLED:
        settled = latest_settlement(tags)
        return settled.label if settled is not None else None
    return None


def verdicts_by(tags: Iterable[Any], key: Callable[[Any], K]) -> dict[K, str]:
    """Tag rows (SQLite rows or dicts) grouped by ``key`` (a pair), each group's ``verdict``; a
    group with none (an open conflict) is left out."""
    groups: dict[K, list[TagFields]] = {}
    for row in tags:
        groups.setdefault(key(row), []).append(TagFields(row))
    found = {k: verdict(group) for k, group in groups.items()}
    return {k: label for k, label in found.items() if label is not None}


def conflicting_analysts(tags: Iterable[TagLike]) -> set[str]:
    """The analysts whose latest tags disagree (empty when they agree)."""
    latest = latest_by_analyst(tags)
    return set(latest) if len({t.label for t in latest.values()}) > 1 else set()
