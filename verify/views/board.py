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

from ..actors import source_key
from ..claim_view import claim_view
from ..labels import STANCE_LABELS
from ..store import Store
from ..totals import read as stored_totals
from . import tag_view


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
    #: Set when the store has more scored pairs than the board loads: counts over all of them.
    totals: dict[int | None, dict[str, int]] | None = None


#: Scored pairs the board loads at most: the most likely contradictions (by the pair model's own
#: reading, the board's) and every tagged pair; the rest are counted per topic, not loaded.
BOARD_PAIRS = 10_000


def board_pairs(store: Store, model: str, limit: int = BOARD_PAIRS) -> tuple[list[Any], bool]:
    """(the pairs the board lists, whether some were left out): every scored pair when there are
    at most ``limit``, else the ``limit`` most likely contradictions and every tagged pair, most
    likely first (read off an index: the store is not sorted)."""
    rows = store.disputes(model, limit + 1)
    if len(rows) <= limit:
        return rows, False
    rows = rows[:limit]
    seen = {r["id"] for r in rows}
    tagged = [
        r for r in store.disputes_of_pairs(model, store.tagged_pair_ids()) if r["id"] not in seen
    ]
    rows += tagged
    rows.sort(key=lambda r: (-r["p_contradiction"], r["id"]))
    return rows, True


def topic_totals(store: Store, model: str) -> dict[int | None, dict[str, int]]:
    """Per topic (None: all topics), what the board counts over every scored pair and claim:
    claims, sources, sides (known ones), pairs and the pairs the model labels contradiction."""
    out: dict[int | None, dict[str, Any]] = {}

    def slot(t: int | None) -> dict[str, Any]:
        return out.setdefault(t, {"claims": 0, "sources": set(), "sides": set(), "pairs": 0,
                                  "contradictions": 0})  # fmt: skip

    for r in store.claim_rows():
        view = claim_view(r)
        source = source_key(view["actor"], view["outlet"])
        for t in {view["topic"], None}:
            s = slot(t)
            s["claims"] += 1
            s["sources"].add(source)
            if view["side"] != "unknown":
                s["sides"].add(view["side"])
    for t, n, c in store.topic_pair_counts(model):
        for topic in {t, None}:
            s = slot(topic)
            s["pairs"] += n
            s["contradictions"] += c or 0
    return {
        t: {**s, "sources": len(s["sources"]), "sides": len(s["sides"])} for t, s in out.items()
    }


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


def board_view(store: Store, limit: int = BOARD_PAIRS) -> BoardView:
    """On a large store, the ``limit`` most likely contradictions and every tagged pair, with
    their claims, and the per-topic counts over everything (``topic_totals``)."""
    # The marks first: a tag written meanwhile is then read twice (the board drops the copy),
    # never missed by the poll.
    max_tag, retracted, fixes = store.marks()
    model = store.meta.stance_model
    rows, partial = board_pairs(store, model, limit)
    ids = {r[k] for r in rows for k in ("a_id", "b_id")} if partial else None
    return BoardView(
        db_path=str(store.path),
        model=model,
        claims=[board_claim(r) for r in store.claim_rows(ids=ids)],
        pairs=[pair_record(r) for r in rows],
        tags=[tag_record(t) for t in store.tags()],
        topics={t["id"]: t["title"] for t in store.topics()},
        max_tag_id=max_tag,
        retracted=retracted,
        max_correction=fixes,
        totals=(stored_totals(store) or topic_totals(store, model)) if partial else None,
    )


def read_board(db_path: str | Path, limit: int = BOARD_PAIRS) -> BoardView:
    """``board_view`` on a connection of its own, closed when the read is done."""
    store = Store(db_path)
    try:
        return board_view(store, limit)
    finally:
        store.close()
