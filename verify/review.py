"""How analysts' tags on one pair add up: each analyst's latest tag counts; agreeing tags give a
verdict; disagreeing tags are a conflict until a reviewer's settling tag (the newest) decides.

Training uses verdicts only: settled and undisputed pairs, never an open conflict."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

#: A settling tag is an ordinary tag with this note, so every reader still counts it as a tag.
SETTLE_NOTE = "settles conflict"

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


class TagFields:
    """A tag as the review rule sees it, from any mapping (an SQLite row or a report dict)."""

    __slots__ = ("id", "analyst", "label", "note")

    def __init__(self, tag: Mapping[str, Any]) -> None:
        self.id, self.analyst, self.label, self.note = (
            tag["id"],
            tag["analyst"],
            tag["label"],
            tag["note"],
        )


def latest_by_analyst(tags: Iterable[TagLike]) -> dict[str, TagLike]:
    """Each analyst's latest tag (``tags`` in any order; ids grow with time)."""
    out: dict[str, TagLike] = {}
    for tag in sorted(tags, key=lambda t: t.id):
        out[tag.analyst] = tag
    return out


def status(tags: Iterable[TagLike]) -> str:
    latest = latest_by_analyst(tags)
    if not latest:
        return UNTAGGED
    if len({t.label for t in latest.values()}) == 1:
        return TAGGED
    newest = max(latest.values(), key=lambda t: t.id)
    return SETTLED if newest.note == SETTLE_NOTE else CONFLICT


def verdict(tags: Iterable[TagLike]) -> str | None:
    """The analysts' label when they agree or a reviewer settled; ``None`` otherwise."""
    latest = latest_by_analyst(tags)
    state = status(latest.values())
    if state == TAGGED:
        return next(iter(latest.values())).label
    if state == SETTLED:
        return max(latest.values(), key=lambda t: t.id).label
    return None
