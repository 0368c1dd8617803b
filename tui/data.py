"""The board's data access: one read of the store into ``BoardData`` (in a worker thread) and the
few writes an analyst makes (on the UI thread: one autocommitted INSERT each, a few ms).

A SQLite connection belongs to the thread that opened it, so a worker opens its own ``Store``.

Undo is append-only: a tag is never deleted; ``Store.retract_latest`` lists it as retracted, and
every engine reader (board, export, train) leaves retracted tags out."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from verify.settle import settle
from verify.store import Store, probs_dict
from verify.totals import read as stored_totals
from verify.views import BOARD_PAIRS, board_pairs, claim_view, topic_totals

from .model import BoardData, ClaimItem, PairItem, TagItem, tag_items
from .render import claim_cell


def claim_item(row: sqlite3.Row) -> ClaimItem:
    view = claim_view(row)  # the engine's defaults: actor falls back to speaker, side to unknown
    return ClaimItem(
        id=view["id"],
        article_id=row["article_id"],
        article=view["article"],
        article_title=row["article_title"] or "",
        outlet=view["outlet"],
        date=row["date"] or "",
        sentence=view["sentence"],
        text=view["text"],
        speaker=view["speaker"],
        cue=view["cue"],
        relay=tuple(view["relay"]),
        actor=view["actor"] or "",
        side=view["side"],
        start=view["start"],
        end=view["end"],
        topic=view["topic"],
        checkworthy=row["checkworthy"],
        corrected=tuple(row["corrected"].items()) if "corrected" in row.keys() else (),  # noqa: SIM118
    )


def active_tags(store: Store) -> list[TagItem]:
    return tag_items(store.tags())


def load_board(db_path: str | Path, limit: int = BOARD_PAIRS) -> BoardData:
    """Everything the board shows, in one read (on a large store, the ``limit`` most likely
    contradictions and every tagged pair, with their claims). Runs in a worker thread."""
    store = Store(db_path)
    try:
        model = store.get_meta("stance_model")
        rows, partial = board_pairs(store, model, limit)
        ids = {r[k] for r in rows for k in ("a_id", "b_id")} if partial else None
        claims = {r["id"]: claim_item(r) for r in store.claim_rows(ids=ids)}
        totals = (stored_totals(store) or topic_totals(store, model)) if partial else None
        tags: dict[int, list[TagItem]] = {}
        for tag in active_tags(store):
            tags.setdefault(tag.pair_id, []).append(tag)
        pairs = [
            PairItem(
                row["id"],
                claims[row["a_id"]],
                claims[row["b_id"]],
                probs_dict(row),
                float(row["similarity"]),
                tags.get(row["id"], []),
            )
            for row in rows
        ]
        titles = {t["id"]: t["title"] for t in store.topics()}
        max_tag = int(store.db.execute("SELECT COALESCE(MAX(id), 0) FROM tags").fetchone()[0])
        undone = frozenset(r[0] for r in store.db.execute("SELECT tag_id FROM tag_retractions"))
        fixes = max_correction(store.db)
    finally:
        store.close()
    cells = {p.id: (claim_cell(p.a), claim_cell(p.b)) for p in pairs}
    return BoardData(str(db_path), model, claims, pairs, titles, cells, max_tag, undone, fixes, totals)


def max_correction(db: sqlite3.Connection) -> int:
    return int(db.execute("SELECT COALESCE(MAX(id), 0) FROM claim_corrections").fetchone()[0])


class Writer:
    """The UI thread's connection: tags, retractions, and article text on demand."""

    def __init__(self, db_path: str | Path) -> None:
        self.store = Store(db_path)
        self._articles: dict[int, str] = {}

    def close(self) -> None:
        self.store.close()

    def tag(self, pair_id: int, label: str, analyst: str, note: str = "") -> TagItem:
        """Committed (and fsynced) when this returns."""
        return self._read_tag(self.store.add_tag(pair_id, label, analyst, note))

    def settle(self, pair_id: int, label: str, reviewer: str, reviewers: tuple[str, ...],
               note: str = "") -> TagItem:
        """A reviewer's settling tag; ``verify.settle.SettleError`` says why one is refused."""
        return self._read_tag(settle(self.store, pair_id, label, reviewer, reviewers, note))

    def _read_tag(self, tag_id: int) -> TagItem:
        row = self.store.db.execute("SELECT * FROM tags WHERE id=?", (tag_id,)).fetchone()
        return tag_items([row])[0]

    def undo(self, analyst: str) -> TagItem | None:
        """Retract ``analyst``'s latest active tag (across sessions); ``None`` if none is left."""
        row = self.store.retract_latest(analyst)
        return None if row is None else tag_items([row])[0]

    def correct(self, claim_id: int, analyst: str, **changes: object) -> int:
        """Committed when it returns; ``CorrectionError`` says why one is refused."""
        return self.store.correct_claim(claim_id, analyst, **changes)

    def article(self, article_id: int) -> sqlite3.Row | None:
        """The whole source article (text, url, title, source) for the article pane."""
        return self.store.db.execute(
            "SELECT id, source, title, outlet, date, url, text FROM articles WHERE id=?",
            (article_id,),
        ).fetchone()

    def article_text(self, article_id: int) -> str:
        if article_id not in self._articles:
            row = self.store.db.execute(
                "SELECT text FROM articles WHERE id=?", (article_id,)
            ).fetchone()
            self._articles[article_id] = row[0] if row else ""
        return self._articles[article_id]
