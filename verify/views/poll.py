"""Cheap polling for other analysts' work: tags and undos made meanwhile from another board or
the CLI. ``PRAGMA data_version`` changes only when another connection commits, so an idle poll is
one pragma; only then are the tags after the last seen id and the retractions read.

One ``Poller`` is used by one poll worker at a time (the board holds a lock around it), from
whichever thread that worker runs on."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from verify.store.database import Store
from verify.views.board import tag_record


@dataclass
class Changes:
    tags: list[dict[str, Any]] = field(default_factory=list)  # tag_record, oldest first
    retracted: list[int] = field(default_factory=list)  # ids of tags undone meanwhile
    max_tag_id: int = 0
    model: str = ""  # the store's stance model now: a change means a full reload
    max_correction: int = 0  # newer than the board's: a claim changed, a full reload


class Poller:
    def __init__(self, db_path: str | Path) -> None:
        self._store = Store(db_path, any_thread=True)  # one poll at a time, any worker thread
        self.version: int | None = None

    def close(self) -> None:
        self._store.close()

    def changed(self) -> bool:
        """Whether another connection committed since the last call (the first call: yes)."""
        version = self._store.data_version()
        changed = self.version is None or version != self.version
        self.version = version
        return changed

    def read(self, after_tag: int, known_retractions: frozenset[int]) -> Changes:
        """Tags after ``after_tag`` (undone ones too: the retractions say which); undos not in
        ``known_retractions`` (an undo may retract any older tag, so there is no watermark: the
        undo table is small and read whole)."""
        tags = [tag_record(r) for r in self._store.tags(after=after_tag, include_retracted=True)]
        _max_tag, retracted, fixes = self._store.marks()
        return Changes(
            tags,
            sorted(retracted - known_retractions),
            max([after_tag, *(t["id"] for t in tags)]),
            self._store.meta.stance_model,
            fixes,
        )
