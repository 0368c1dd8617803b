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

from verify.labels import CONTRADICTION, STANCE_LABELS
from verify.registry.actors import outlet_key
from verify.store.database import Store
from verify.store.totals import read as stored_totals
from verify.views.claim import claim_view
from verify.views.listings import tag_view


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
    #: A first screen of a large store (``read_board(first_screen=True)``): only the tagged
    #: pairs, with the counts; the most likely contradictions follow in a second read.
    more_coming: bool = False


#: Scored pairs the board loads at most: the most likely contradictions (by the pair's one value,
#: ``verify.stages.pair_value``) and every tagged pair; the rest are counted per topic, not loaded.
BOARD_PAIRS = 10_000


def scored_pairs(store: Store) -> tuple[list[dict[str, Any]], dict[int, dict[str, Any]]]:
    """Every pair the current model scored, as ``pair_record``s with the pair's one value
    (``ranking.compute``: the same readings as ``disputes --pairs``), in the listing's one
    order (``ranking.order_key``: disputes across sides first, then by value), and the claim
    views read."""
    from verify.stages import ranking

    items, by_id = ranking.compute(store)
    items = sorted((it for it in items if it[2] is not None), key=ranking.order_key(by_id))
    return _records(store, items), by_id


def _records(store: Store, items: list[Any]) -> list[dict[str, Any]]:
    """``pair_record``s of the scored ones of ``items`` (``ranking.Ranked``), in their order."""
    pair_ids = [int(pid) for _, _, pid, _ in items if pid is not None]
    sims = store.pair_similarities(pair_ids)
    readers = store.pair_readers(store.meta.stance_model, pair_ids)
    return [
        pair_record(pid, a, b, p, sims.get(pid, 0.0), readers.get(pid, "english"))
        for a, b, pid, p in items
        if pid is not None
    ]


def stored_board_pairs(
    store: Store, limit: int, first_screen: bool = False
) -> list[dict[str, Any]] | None:
    """The board's pairs off the stored ranking (``stages.ranking``) when it is fresh and holds
    more than ``limit`` scored pairs: its first ``limit`` (none for a ``first_screen``), then
    every tagged pair further down (computed through their claims), in the one order. None
    otherwise: a small store, or stale rankings, are computed in full."""
    from verify.stages import ranking

    if not ranking.fresh(store) or not store.ranks_scored_pairs(limit + 1):
        return None
    top = [] if first_screen else ranking.top_pairs(store, limit, scored_only=True)
    if top is None:  # fewer once claims set aside are left out
        return None
    listed = {pid for _, _, pid, _ in top}
    extra, by_id = ranking.readings_of(store, store.tagged_pair_ids() - listed)
    return _records(store, top + sorted(extra, key=ranking.order_key(by_id)))


def board_pairs(store: Store, limit: int = BOARD_PAIRS) -> tuple[list[dict[str, Any]], bool]:
    """(the pairs the board lists, whether some were left out): every scored pair when there are
    at most ``limit``, else the ``limit`` most likely contradictions and every tagged pair, in
    the one pair order (read off the stored ranking when it is fresh: a large store's board
    then opens without computing every pair)."""
    stored = stored_board_pairs(store, limit)
    if stored is not None:
        return stored, True
    rows, _ = scored_pairs(store)
    if len(rows) <= limit:
        return rows, False
    tagged = store.tagged_pair_ids()
    return [r for n, r in enumerate(rows) if n < limit or r["id"] in tagged], True


def topic_totals(store: Store) -> dict[int | None, dict[str, int]]:
    """Per topic (None: all topics), what the board counts over every scored pair and claim:
    claims, sources, sides (known ones), pairs and the pairs labelled contradiction (by the
    pair's one value, ``verify.stages.pair_value.model_label``)."""
    from verify.stages.pair_value import model_label
    from verify.views.listings import pair_topic

    out: dict[int | None, dict[str, Any]] = {}

    def slot(t: int | None) -> dict[str, Any]:
        return out.setdefault(
            t, {"claims": 0, "sources": set(), "sides": set(), "pairs": 0, "contradictions": 0}
        )

    for r in store.claim_rows():
        view = claim_view(r)
        source = outlet_key(view["outlet"], r["article_id"])
        for t in {view["topic"], None}:
            s = slot(t)
            s["claims"] += 1
            s["sources"].add(source)
            if view["side"] != "unknown":
                s["sides"].add(view["side"])
    pairs, by_id = scored_pairs(store)
    for p in pairs:
        topic = pair_topic(by_id[p["a_id"]]["topic"], by_id[p["b_id"]]["topic"])
        for t in {topic, None}:
            s = slot(t)
            s["pairs"] += 1
            s["contradictions"] += model_label(p["probs"]) == CONTRADICTION
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


def pair_record(
    pair_id: int, a_id: int, b_id: int, probs: Any, similarity: float, reader: str = "english"
) -> dict[str, Any]:
    """A scored pair as the board reads it: ``probs`` is the pair's one reading."""
    return {
        "id": pair_id,
        "a_id": a_id,
        "b_id": b_id,
        "probs": {label: float(x) for label, x in zip(STANCE_LABELS, probs, strict=True)},
        "similarity": float(similarity),
        "reader": reader,  # which stance reader scored it (verify.multilingual.router)
    }


def board_view(store: Store, limit: int = BOARD_PAIRS, first_screen: bool = False) -> BoardView:
    """On a large store, the ``limit`` most likely contradictions and every tagged pair, with
    their claims, and the per-topic counts over everything (``topic_totals``). A
    ``first_screen`` of a large store with fresh rankings holds only the tagged pairs: what the
    topics screen counts, read in a fraction of the time (``more_coming`` is then set)."""
    # The marks first: a tag written meanwhile is then read twice (the board drops the copy),
    # never missed by the poll.
    max_tag, retracted, fixes = store.marks()
    model = store.meta.stance_model
    first = stored_board_pairs(store, limit, first_screen=True) if first_screen else None
    rows, partial = (first, True) if first is not None else board_pairs(store, limit)
    ids = {r[k] for r in rows for k in ("a_id", "b_id")} if partial else None
    return BoardView(
        db_path=str(store.path),
        model=model,
        claims=[board_claim(r) for r in store.claim_rows(ids=ids)],
        pairs=rows,
        tags=[tag_record(t) for t in store.tags()],
        topics={t["id"]: t["title"] for t in store.topics()},
        max_tag_id=max_tag,
        retracted=retracted,
        max_correction=fixes,
        totals=(stored_totals(store) or topic_totals(store)) if partial else None,
        more_coming=first is not None,
    )


def read_board(
    db_path: str | Path, limit: int = BOARD_PAIRS, first_screen: bool = False
) -> BoardView:
    """``board_view`` on a connection of its own, closed when the read is done."""
    store = Store(db_path)
    try:
        return board_view(store, limit, first_screen)
    finally:
        store.close()
