"""The board's view of the store: everything the board lists, in one read, as plain records.

``read_board`` runs in a worker thread on a connection of its own (a SQLite connection belongs to
the thread that opened it). Claims carry the engine's defaults (``claim_view``) and the corrections
laid over them; pairs are those the current stance model scored, most likely contradiction first;
tags are the active ones, oldest first. ``BoardView.marks`` says what the read saw, so that the
poll (``verify.views.poll``) fetches only what came after."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ..labels import STANCE_LABELS
from ..store import Store
from . import claim_view, tag_view


class Record(Protocol):
    """A stored row: a ``sqlite3.Row``, or the dict a corrected claim becomes."""

    def __getitem__(self, key: str, /) -> Any: ...

    def keys(self) -> Iterable[str]: ...


@dataclass(frozen=True)
class BoardView:
    db_path: str
    model: str  # the store's stance model: the pairs are its scores
    claims: list[dict[str, Any]]  # board_claim
    pairs: list[dict[str, Any]]  # id, a_id, b_id, probs, similarity
    tags: list[dict[str, Any]]  # tag_record, active ones, oldest first
    topics: dict[int, str]  # topic id -> title
    max_tag_id: int = 0
    retracted: frozenset[int] = frozenset()
    max_correction: int = 0


def board_claim(row: Record) -> dict[str, Any]:
    """``claim_view`` (actor falls back to the speaker, side to unknown) and what the board adds:
    the article's id, title and date, the check-worthiness score and who corrected what."""
    corrected = row["corrected"] if "corrected" in row.keys() else {}
    return {
        **claim_view(row),  # type: ignore[arg-type]
        "article_id": row["article_id"],
        "article_title": row["article_title"] or "",
        "date": row["date"] or "",
        "checkworthy": row["checkworthy"],
        "corrected": tuple(corrected.items()),  # (field, analyst)
    }


def tag_record(row: Record) -> dict[str, Any]:
    """``tag_view`` with the tag's own id and its pair's."""
    return {"id": row["id"], "pair_id": row["pair_id"], **tag_view(row)}  # type: ignore[arg-type]


def pair_record(row: Record) -> dict[str, Any]:
    return {
        "id": row["id"],
        "a_id": row["a_id"],
        "b_id": row["b_id"],
        "probs": {label: float(row[f"p_{label}"]) for label in STANCE_LABELS},
        "similarity": float(row["similarity"]),
    }


def board_view(store: Store) -> BoardView:
    # The marks first: a tag written meanwhile is then read twice (the board drops the copy),
    # never missed by the poll.
    max_tag, retracted, fixes = store.marks()
    model = store.get_meta("stance_model")
    return BoardView(
        db_path=str(store.path),
        model=model,
        claims=[board_claim(r) for r in store.claim_rows()],
        pairs=[pair_record(r) for r in store.disputes(model)],
        tags=[tag_record(t) for t in store.tags()],
        topics={t["id"]: t["title"] for t in store.topics()},
        max_tag_id=max_tag,
        retracted=retracted,
        max_correction=fixes,
    )


def read_board(db_path: str | Path) -> BoardView:
    """``board_view`` on a connection of its own, closed when the read is done."""
    store = Store(db_path)
    try:
        return board_view(store)
    finally:
        store.close()
