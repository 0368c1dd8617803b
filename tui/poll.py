"""Cheap polling for other analysts' work: tags and undos made meanwhile from another board or
the CLI. ``PRAGMA data_version`` changes only when another connection commits, so an idle
poll is one pragma; only then are the tags and retractions after the last seen ids read.

One ``Poller`` is used by one poll worker at a time (the app holds a lock around it)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from .data import max_correction
from .model import TagItem, tag_items


@dataclass
class Changes:
    tags: list[TagItem] = field(default_factory=list)  # new tags, oldest first
    retracted: list[int] = field(default_factory=list)  # ids of tags undone meanwhile
    max_tag_id: int = 0
    model: str = ""  # the store's stance model now: a change means a full reload
    max_correction: int = 0  # newer than the board's: a claim changed, a full reload


class Poller:
    def __init__(self, db_path: str | Path) -> None:
        # Used from poll worker threads, one at a time (the app's lock), never concurrently.
        self.db = sqlite3.connect(db_path, timeout=5, check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        self.version: int | None = None

    def close(self) -> None:
        self.db.close()

    def changed(self) -> bool:
        version = int(self.db.execute("PRAGMA data_version").fetchone()[0])
        changed = self.version is None or version != self.version  # first poll: read once
        self.version = version
        return changed

    def read(self, after_tag: int, known_retractions: frozenset[int]) -> Changes:
        """Tags after ``after_tag``; undos not in ``known_retractions`` (an undo may retract
        any older tag, so there is no watermark: the undo table is small and read whole)."""
        tags = tag_items(self.db.execute("SELECT * FROM tags WHERE id>? ORDER BY id", (after_tag,)))
        undone = {r[0] for r in self.db.execute("SELECT tag_id FROM tag_retractions")}
        model = self.db.execute("SELECT value FROM meta WHERE key='stance_model'").fetchone()
        return Changes(
            tags,
            sorted(undone - known_retractions),
            max([after_tag, *(t.id for t in tags)]),
            model[0] if model else "",
            max_correction(self.db),
        )
