"""Per-topic counts the board's first screen shows, kept in the store (``views.topic_totals``
computes them live: over every pair, seconds on a large store).

Written at the end of each refresh: all topics after a full one, the topics whose claims or pairs
changed after an incremental one (the "all topics" row is summed from the others, and its
distinct sources and sides counted over every claim). Contradictions are counted off the stored
pair values (``verify.stages.ranking``, the one value of ``verify.stages.pair_value``), so the counts are valid
for the rankings' state (``key``: model, value formula, the analysts' inputs); the board
otherwise counts live (``views.board.topic_totals``).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from verify.registry.actors import outlet_key
from verify.store.bulk import _CONTRADICTION, _NOT_SET_ASIDE
from verify.store.database import Store

ALL = -1  # the "all topics" row
FIELDS = ("claims", "sources", "sides", "pairs", "contradictions")


def key(store: Store) -> str:
    """Valid for one state of the rankings (model, value formula, the analysts' inputs): the
    contradictions are counted off the stored pair values (``verify.stages.ranking``)."""
    from verify.stages.ranking import stamp

    return stamp(store)


def _claim_counts(store: Store, topics: Collection[int] | None) -> dict[int | None, dict[str, Any]]:
    """claims, and the sets of sources and known sides, per topic (None: every claim)."""
    from verify.views.claim import claim_view

    ids = None
    if topics is not None:
        marks = ",".join("?" * len(topics))
        ids = [
            r[0]
            for r in store.db.execute(
                f"SELECT id FROM claims WHERE topic_id IN ({marks})", list(topics)
            )
        ]
    out: dict[int | None, dict[str, Any]] = {}
    for r in store.claim_rows(ids=ids):
        view = claim_view(r)
        slot = out.setdefault(view["topic"], {"claims": 0, "sources": set(), "sides": set()})
        slot["claims"] += 1
        slot["sources"].add(outlet_key(view["outlet"], r["article_id"]))
        if view["side"] != "unknown":
            slot["sides"].add(view["side"])
    return out


def _everyone(store: Store) -> tuple[set[str], set[str], int]:
    """(sources, known sides, claims without a topic) over every claim (``claim_view``'s rules,
    the analysts' corrections laid over): the distinct raw values from SQLite, then the few
    corrected claims one by one."""
    from verify.store.corrections import FIELDS as FIXED
    from verify.store.corrections import NOT_CLAIM, latest

    def add(side: str | None, outlet: str | None, article: int) -> None:
        sources.add(outlet_key(outlet or "", article))
        if (side or "unknown") != "unknown":
            sides.add(side or "")

    fixes = latest(store.db)
    sources: set[str] = set()
    sides: set[str] = set()
    # Copies (``verify.store.copies``) are counted once, through the claim they copy.
    join = (
        " FROM claims c JOIN articles a ON a.id=c.article_id"
        " AND c.id NOT IN (SELECT claim_id FROM claim_copies)"
    )
    for side, outlet, article in store.db.execute(
        "SELECT DISTINCT c.side, a.outlet, a.id"
        + join
        + " WHERE c.id NOT IN (SELECT claim_id FROM claim_corrections)"
    ):
        add(side, outlet, article)
    loose = 0
    for cid, speaker, actor, side, outlet, topic, article in store.db.execute(
        "SELECT c.id, c.speaker, c.actor, c.side, a.outlet, c.topic_id, a.id"
        + join
        + " WHERE c.id IN (SELECT claim_id FROM claim_corrections) OR c.topic_id IS NULL"
    ):
        fix = fixes.get(cid, {})
        if fix.get(NOT_CLAIM, ("0", ""))[0] == "1":
            continue
        row = {"speaker": speaker, "actor": actor, "side": side}
        row.update({f: fix[f][0] for f in FIXED if f in fix})
        add(row["side"], outlet, article)
        loose += topic is None
    return sources, sides, loose


def _write(store: Store, topics: Collection[int] | None) -> None:
    """Recount ``topics`` (None: all), then the all-topics row."""
    from verify.stages import ranking

    ranking.catch_up(store)  # contradictions are read off the rankings: they must be current
    model = store.meta.stance_model
    counts = _claim_counts(store, topics)
    where = "" if topics is None else f" AND ca.topic_id IN ({','.join('?' * len(topics))})"
    # A few topics: from their claims (CROSS JOIN keeps that order), not from every suggestion.
    join = "JOIN" if topics is None else "CROSS JOIN"
    pairs = {
        t: (n, c or 0)
        for t, n, c in store.db.execute(
            f"SELECT ca.topic_id, COUNT(*), {_CONTRADICTION} FROM claims ca {join} pairs p ON p.a_id=ca.id"
            f" {join} suggestions s ON s.pair_id=p.id AND s.model=?"
            " LEFT JOIN dispute_rank r ON r.a_id=p.a_id AND r.b_id=p.b_id"
            f" WHERE ca.topic_id IS NOT NULL{where}" + _NOT_SET_ASIDE + " GROUP BY ca.topic_id",
            (model, *(topics or ())),
        )
    }
    ids = set(counts) | set(pairs) | set(topics or ())
    rows = []
    for t in ids - {None}:
        c = counts.get(t, {"claims": 0, "sources": set(), "sides": set()})
        n, k = pairs.get(t, (0, 0))
        rows.append((t, c["claims"], len(c["sources"]), len(c["sides"]), n, k))
    if topics is None:
        sources = set().union(*(c["sources"] for c in counts.values())) if counts else set()
        sides = set().union(*(c["sides"] for c in counts.values())) if counts else set()
        loose = counts.get(None, {"claims": 0})["claims"]
    else:
        sources, sides, loose = _everyone(store)
    with store.transaction() as db:
        if topics is None:
            db.execute("DELETE FROM topic_totals")
        else:
            db.executemany("DELETE FROM topic_totals WHERE topic_id=?", [(t,) for t in topics])
        db.executemany("INSERT OR REPLACE INTO topic_totals VALUES (?,?,?,?,?,?)", rows)
        db.execute(
            "DELETE FROM topic_totals WHERE topic_id=? OR topic_id NOT IN (SELECT id FROM topics)",
            (ALL,),
        )
        n_claims, n_pairs, n_contra = db.execute(
            "SELECT COALESCE(SUM(claims), 0), COALESCE(SUM(pairs), 0), COALESCE(SUM(contradictions), 0)"
            " FROM topic_totals"
        ).fetchone()
        # Claims and pairs without a topic (none after a refresh) count under all topics only.
        db.execute(
            "INSERT INTO topic_totals VALUES (?,?,?,?,?,?)",
            (ALL, n_claims + loose, len(sources), len(sides), n_pairs, n_contra),
        )
    store.meta.totals_key = store.meta.rank_stamp  # the state the counts are read from


def rebuild(store: Store) -> None:
    _write(store, None)


def update(store: Store, topics: Collection[int]) -> None:
    _write(store, sorted(set(topics)))


def catch_up(store: Store) -> None:
    """The rankings, then these counts, brought up to date after the analysts' changes (a run
    with nothing new): the board counts live, over every pair, while they are stale."""
    from verify.stages import ranking

    ranking.catch_up(store)
    if read(store) is None:
        rebuild(store)


def read(store: Store) -> dict[int | None, dict[str, int]] | None:
    """topic id (None: all topics) -> counts, or None when they are not up to date."""
    if store.meta.totals_key != key(store):
        return None
    return {
        (None if r[0] == ALL else r[0]): dict(zip(FIELDS, r[1:], strict=True))
        for r in store.db.execute("SELECT * FROM topic_totals")
    }
