"""The analysts' tags, a part of ``verify.store.database.Store``: append-only, several analysts per pair,
each committed the moment it is written; undo adds a retraction row and deletes nothing."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection

from verify.labels import check_label
from verify.types import now


class TagRows:
    """Mixed into ``Store``, whose connection (``db``) these methods use."""

    db: sqlite3.Connection

    def add_tag(
        self,
        pair_id: int,
        label: str,
        analyst: str,
        note: str = "",
        kind: str = "tag",
        at: str | None = None,
    ) -> int:
        """``kind='settle'`` only through ``verify.analysts.settle``, which checks the reviewer; ``at``
        stamps the tag (default: now; a fixed stamp keeps sample boards alike)."""
        check_label(label)
        if self.db.execute("SELECT 1 FROM pairs WHERE id=?", (pair_id,)).fetchone() is None:
            raise KeyError(f"no pair with id {pair_id}")
        # Autocommit mode: this single INSERT is durable when it returns.
        cur = self.db.execute(
            "INSERT INTO tags(pair_id, analyst, label, note, at, kind) VALUES (?,?,?,?,?,?)",
            (pair_id, analyst, label, note, at or now(), kind),
        )
        return int(cur.lastrowid or 0)

    def tag(self, tag_id: int) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM tags WHERE id=?", (tag_id,)).fetchone()

    def tags(
        self,
        pair_id: int | None = None,
        include_retracted: bool = False,
        after: int | None = None,
        pair_ids: Collection[int] | None = None,
    ) -> list[sqlite3.Row]:
        """Tags oldest first (of one pair, or of ``pair_ids``; only those after id ``after``, if
        given); undone (retracted) tags are left out unless asked for."""
        where: list[str] = []
        args: list[int | str] = []
        if pair_id is not None:
            where.append("pair_id=?")
            args.append(pair_id)
        if pair_ids is not None:
            where.append("pair_id IN (SELECT value FROM json_each(?))")
            args.append(json.dumps(sorted({int(i) for i in pair_ids})))
        if after is not None:
            where.append("id>?")
            args.append(after)
        if not include_retracted:
            where.append("id NOT IN (SELECT tag_id FROM tag_retractions)")
        sql = (
            "SELECT * FROM tags"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY id"
        )
        return self.db.execute(sql, args).fetchall()

    def marks(self) -> tuple[int, frozenset[int], int]:
        """(latest tag id, ids of the retracted tags, latest correction id): what a reader has
        seen, so that a poll reads only what came after it."""
        tag = self.db.execute("SELECT COALESCE(MAX(id), 0) FROM tags").fetchone()[0]
        undone = frozenset(r[0] for r in self.db.execute("SELECT tag_id FROM tag_retractions"))
        fix = self.db.execute("SELECT COALESCE(MAX(id), 0) FROM claim_corrections").fetchone()[0]
        return int(tag), undone, int(fix)

    def data_version(self) -> int:
        """Changes only when another connection commits: one cheap "anything new?" per poll."""
        return int(self.db.execute("PRAGMA data_version").fetchone()[0])

    def retract_latest(self, analyst: str) -> sqlite3.Row | None:
        """Undo ``analyst``'s latest active tag (across sessions); ``None`` when none is left."""
        row = self.db.execute(
            "SELECT * FROM tags WHERE analyst=? AND id NOT IN (SELECT tag_id FROM tag_retractions)"
            " ORDER BY id DESC LIMIT 1",
            (analyst,),
        ).fetchone()
        if row is not None:
            self.db.execute(
                "INSERT INTO tag_retractions(tag_id, analyst, at) VALUES (?,?,?)",
                (row["id"], analyst, now()),
            )
        return row

    def tags_with_claims(self) -> list[sqlite3.Row]:
        """Every active tag with its pair's two claim ids (``a_id``, ``b_id``), oldest first."""
        return self.db.execute(
            "SELECT t.*, p.a_id, p.b_id FROM tags t JOIN pairs p ON p.id = t.pair_id"
            " WHERE t.id NOT IN (SELECT tag_id FROM tag_retractions) ORDER BY t.id"
        ).fetchall()

    def tagged_claims_since(self, tag_id: int) -> set[int]:
        """The claims of the pairs tagged after ``tag_id`` and of every undone tag: the claims
        whose neighbours' readings a verdict may have changed (``verify.stages.tag_reach``)."""
        rows = self.db.execute(
            "SELECT p.a_id, p.b_id FROM tags t JOIN pairs p ON p.id = t.pair_id WHERE t.id > ?"
            " OR t.id IN (SELECT tag_id FROM tag_retractions)",
            (tag_id,),
        ).fetchall()
        return {int(c) for r in rows for c in r}
