"""The materialised rankings (tables ``dispute_rank`` and ``proposition_rank``), a part of
``verify.store.database.Store``: their rows, and the counters of the analysts' inputs a ranking is valid
for. What is ranked, and when the rows are rewritten, is ``verify.stages.ranking``'s."""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterable
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS dispute_rank (
    a_id INTEGER NOT NULL, b_id INTEGER NOT NULL, pair_id INTEGER, confidence REAL NOT NULL,
    p_contradiction REAL NOT NULL, p_agreement REAL NOT NULL, p_neutral REAL NOT NULL,
    p_unrelated REAL NOT NULL, PRIMARY KEY (a_id, b_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS dispute_rank_b ON dispute_rank(b_id);
CREATE INDEX IF NOT EXISTS dispute_rank_order
    ON dispute_rank(confidence DESC, pair_id IS NULL, pair_id, a_id, b_id);
CREATE TABLE IF NOT EXISTS proposition_rank (
    proposition_id INTEGER PRIMARY KEY, topic_id INTEGER, is_dispute INTEGER NOT NULL,
    contested REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS proposition_rank_order
    ON proposition_rank(is_dispute DESC, contested DESC, proposition_id);
"""

PairRank = tuple  # (a id, b id, pair id or None, confidence, p_contradiction .. p_unrelated)
PropRank = tuple[int, int | None, int, float]  # (proposition id, topic id, is dispute, contested)


class RankRows:
    """Mixed into ``Store``, whose connection (``db``) these methods use."""

    db: sqlite3.Connection

    def rank_inputs(self) -> dict[str, int]:
        """Counters that move whenever the analysts change a reading: the latest stance tag, pair
        tag (``verify.stages.tag_reach``), analyst proposition and correction, and how many tags
        and propositions were undone."""

        def one(sql: str) -> int:
            return int(self.db.execute(sql).fetchone()[0] or 0)

        return {
            "stance_tag": one("SELECT MAX(id) FROM stance_tags"),
            "pair_tag": one("SELECT MAX(id) FROM tags"),
            "pair_undone": one("SELECT COUNT(*) FROM tag_retractions"),
            "stance_undone": one("SELECT COUNT(*) FROM stance_tag_retractions"),
            "proposition": one("SELECT MAX(id) FROM propositions WHERE origin = 'analyst'"),
            "withdrawn": one("SELECT COUNT(*) FROM proposition_retractions"),
            "correction": one("SELECT MAX(id) FROM claim_corrections"),
        }

    def stance_tags_since(self, tag_id: int) -> list[tuple[int, int]]:
        """(proposition id, claim id) of the stance tags after ``tag_id`` and of every undone one."""
        return [
            (p, c)
            for p, c in self.db.execute(
                "SELECT proposition_id, claim_id FROM stance_tags WHERE id > ? OR id IN"
                " (SELECT tag_id FROM stance_tag_retractions)",
                (tag_id,),
            )
        ]

    def analyst_propositions_since(self, prop_id: int) -> set[int]:
        """Analysts' propositions after ``prop_id``, and every withdrawn proposition."""
        return {
            r[0]
            for r in self.db.execute(
                "SELECT id FROM propositions WHERE origin = 'analyst' AND id > ? UNION"
                " SELECT proposition_id FROM proposition_retractions",
                (prop_id,),
            )
        }

    def replace_rankings(self, pairs: Iterable[PairRank], props: Iterable[PropRank]) -> None:
        """Both rankings whole (inside the caller's transaction)."""
        self.db.execute("DELETE FROM dispute_rank")
        self.db.executemany(
            "INSERT OR REPLACE INTO dispute_rank VALUES (?,?,?,?,?,?,?,?)", list(pairs)
        )
        self.db.execute("DELETE FROM proposition_rank")
        self.db.executemany("INSERT INTO proposition_rank VALUES (?,?,?,?)", list(props))

    def update_rankings(
        self,
        claims: Collection[int],
        pairs: Iterable[PairRank],
        props: Collection[int],
        prop_rows: Iterable[PropRank],
    ) -> None:
        """The rows of pairs with one of ``claims`` and of ``props`` replaced by these; withdrawn
        and retired propositions leave the listing (inside the caller's transaction)."""
        db = self.db
        db.execute("CREATE TEMP TABLE IF NOT EXISTS rank_claims (id INTEGER PRIMARY KEY)")
        db.execute("DELETE FROM rank_claims")
        db.executemany("INSERT INTO rank_claims VALUES (?)", [(c,) for c in claims])
        db.execute(
            "DELETE FROM dispute_rank WHERE a_id IN (SELECT id FROM rank_claims)"
            " OR b_id IN (SELECT id FROM rank_claims)"
        )
        db.executemany("INSERT OR REPLACE INTO dispute_rank VALUES (?,?,?,?,?,?,?,?)", list(pairs))
        db.executemany("DELETE FROM proposition_rank WHERE proposition_id=?", [(p,) for p in props])
        db.executemany("INSERT OR REPLACE INTO proposition_rank VALUES (?,?,?,?)", list(prop_rows))
        db.execute(
            "DELETE FROM proposition_rank WHERE proposition_id NOT IN (SELECT p.id FROM"
            " propositions p WHERE p.retired_at IS NULL AND p.id NOT IN"
            " (SELECT proposition_id FROM proposition_retractions))"
        )

    def top_dispute_rank(self, n: int, scored_only: bool = False) -> list[sqlite3.Row]:
        """The ``n`` first ``dispute_rank`` rows (``scored_only``: of scored pairs), claims set
        aside left out."""
        return self.db.execute(
            "SELECT * FROM dispute_rank r WHERE r.a_id NOT IN (SELECT claim_id FROM set_aside_claims)"
            " AND r.b_id NOT IN (SELECT claim_id FROM set_aside_claims)"
            + (" AND r.pair_id IS NOT NULL" if scored_only else "")
            + " ORDER BY confidence DESC, pair_id IS NULL, pair_id, a_id, b_id LIMIT ?",
            (n,),
        ).fetchall()

    def ranks_scored_pairs(self, n: int) -> bool:
        """Whether ``dispute_rank`` holds at least ``n`` rows of scored pairs (claims set aside
        counted: a bound, read without fetching them)."""
        return bool(
            self.db.execute(
                "SELECT COUNT(*) FROM (SELECT 1 FROM dispute_rank WHERE pair_id IS NOT NULL LIMIT ?)",
                (n,),
            ).fetchone()[0]
            >= n
        )

    def top_proposition_rank(
        self, n: int, topic: int | None = None, disputes_only: bool = False
    ) -> list[int]:
        """Ids of the ``n`` first ``proposition_rank`` rows (of ``topic``; disputes only)."""
        where = ["1"]
        args: list[Any] = []
        if topic is not None:
            where.append("topic_id=?")
            args.append(topic)
        if disputes_only:
            where.append("is_dispute=1")
        return [
            r[0]
            for r in self.db.execute(
                f"SELECT proposition_id FROM proposition_rank WHERE {' AND '.join(where)}"
                " ORDER BY is_dispute DESC, contested DESC, proposition_id LIMIT ?",
                (*args, n),
            )
        ]
