"""The proposition tables: engine proposals, analysts' propositions, their stance scores and tags.

Model output and analyst input stay apart: the engine writes ``origin='engine'`` rows and
``proposition_suggestions``; analysts write ``origin='analyst'`` rows, ``proposition_retractions``
(unpropose, for either origin) and ``stance_tags`` (append-only, undone by a retraction row). An
engine proposition that stops being proposed is *retired*, never deleted, so tags on it survive a
re-run. A proposition's topic is its anchor claim's topic (a typed proposition is anchored to the
nearest claim of the topic it was typed for), so it follows its claims through re-clustering.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterable, Sequence

from verify.labels import PROPOSITION_LABELS, check_proposition_label
from verify.store.bulk import inserted_id
from verify.store.database import Store
from verify.types import now, sha256

#: (pid, cid): every claim of a proposition's topic, and its scope rows beyond the topic.
#: A claim an analyst marked as not a claim (``corrections``) leaves every scope.
# Claims set aside are left out with NOT IN, which SQLite evaluates once; an EXCEPT over a
# join with the view evaluated it once per proposition (a second per listing at 10,000 articles).
_NOT_SET_ASIDE = " WHERE cid NOT IN (SELECT claim_id FROM set_aside_claims)"
_SCOPE = (
    "SELECT pid, cid FROM (SELECT q.id AS pid, c.id AS cid FROM propositions q"
    " JOIN claims a ON a.id=q.claim_id JOIN claims c ON c.topic_id=a.topic_id"
    " UNION SELECT proposition_id, claim_id FROM proposition_scope)" + _NOT_SET_ASIDE
)
_ACTIVE = (
    "p.retired_at IS NULL AND p.id NOT IN (SELECT proposition_id FROM proposition_retractions)"
)
#: The stored reading of a (proposition, claim) pair the stance model did not read
#: (``verify.propositions.reads``): (refutes, supports, discusses, unrelated).
UNREAD = (0.0, 0.0, 0.0, 1.0)
_UNREAD = "s.p_refutes=0 AND s.p_supports=0 AND s.p_discusses=0 AND s.p_unrelated=1"
#: ``_SCOPE`` of the propositions listed in the temporary table ``chosen_props`` only.
_SCOPE_OF_CHOSEN = (
    "SELECT pid, cid FROM (SELECT q.id AS pid, c.id AS cid FROM chosen_props x"
    " JOIN propositions q ON q.id=x.id JOIN claims a ON a.id=q.claim_id"
    " JOIN claims c ON c.topic_id=a.topic_id"
    " UNION SELECT s.proposition_id, s.claim_id FROM chosen_props x"
    " JOIN proposition_scope s ON s.proposition_id=x.id)" + _NOT_SET_ASIDE
)


class PropositionTables:
    """Reads and writes of the proposition tables, over the store's connection (the store made
    the tables when it opened: ``verify.propositions.schema``)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.db = store.db

    # -- propositions ---------------------------------------------------------------------
    def active(self, topic_id: int | None = None) -> list[sqlite3.Row]:
        """Live propositions with their topic (the anchor claim's), engine and analyst alike."""
        sql = (
            "SELECT p.*, c.topic_id AS topic_id FROM propositions p JOIN claims c"
            f" ON c.id=p.claim_id WHERE {_ACTIVE}"
        )
        args: list = []
        if topic_id is not None:
            sql += " AND c.topic_id=?"
            args.append(topic_id)
        return self.db.execute(sql + " ORDER BY c.topic_id, p.origin DESC, p.id", args).fetchall()

    def active_ids(self) -> set[int]:
        """Ids of ``active``'s propositions, without reading their rows."""
        return {
            r[0]
            for r in self.db.execute(
                f"SELECT p.id FROM propositions p JOIN claims c ON c.id=p.claim_id WHERE {_ACTIVE}"
            )
        }

    def get(self, prop_id: int) -> sqlite3.Row | None:
        return self.db.execute(
            "SELECT p.*, c.topic_id AS topic_id FROM propositions p JOIN claims c ON c.id=p.claim_id"
            " WHERE p.id=?",
            (prop_id,),
        ).fetchone()

    def is_active(self, prop_id: int) -> bool:
        return (
            self.db.execute(
                f"SELECT 1 FROM propositions p WHERE p.id=? AND {_ACTIVE}", (prop_id,)
            ).fetchone()
            is not None
        )

    def add_analyst(self, text: str, claim_id: int, analyst: str, pinned: bool) -> int:
        """One INSERT in autocommit mode: durable when it returns."""
        cur = self.db.execute(
            "INSERT INTO propositions(origin, text, text_hash, claim_id, pinned, analyst, created_at)"
            " VALUES ('analyst',?,?,?,?,?,?)",
            (text, sha256(text), claim_id, int(pinned), analyst, now()),
        )
        return inserted_id(cur)

    def retract(self, prop_id: int, analyst: str) -> None:
        if self.get(prop_id) is None:
            raise KeyError(f"no proposition with id {prop_id}")
        self.db.execute(
            "INSERT OR IGNORE INTO proposition_retractions(proposition_id, analyst, at) VALUES (?,?,?)",
            (prop_id, analyst, now()),
        )

    def set_engine(
        self, chosen: Sequence[tuple[int, str, float]], within: Collection[int] | None = None
    ) -> None:
        """The engine's proposals now: ``(anchor claim id, text, score)``. Known anchors keep their
        id (so scores and tags stay attached), new ones are inserted, the rest are retired; with
        ``within`` (topic ids), only the rest anchored in those topics."""
        stamp = now()
        keep = {cid for cid, _, _ in chosen}
        with self.store.transaction() as db:
            for cid, text, score in chosen:
                db.execute(
                    "INSERT INTO propositions(origin, text, text_hash, claim_id, score, created_at)"
                    " VALUES ('engine',?,?,?,?,?) ON CONFLICT(claim_id) WHERE origin='engine'"
                    " DO UPDATE SET score=excluded.score, retired_at=NULL,"
                    " text=excluded.text, text_hash=excluded.text_hash",
                    (text, sha256(text), cid, score, stamp),
                )
            rows = db.execute(
                "SELECT p.id, p.claim_id, c.topic_id FROM propositions p JOIN claims c"
                " ON c.id=p.claim_id WHERE p.origin='engine' AND p.retired_at IS NULL"
            ).fetchall()
            db.executemany(
                "UPDATE propositions SET retired_at=? WHERE id=?",
                [
                    (stamp, r["id"])
                    for r in rows
                    if r["claim_id"] not in keep and (within is None or r["topic_id"] in within)
                ],
            )

    def set_topic_titles(self, titles: dict[int, str]) -> None:
        """Topic id -> a readable title (its leading proposition), replacing keyword titles."""
        with self.store.transaction() as db:
            db.executemany(
                "UPDATE topics SET title=? WHERE id=?", [(t, i) for i, t in titles.items()]
            )

    # -- scope: the claims a proposition is read against ------------------------------------
    def set_scope(
        self, rows: Iterable[tuple[int, int]], props: Collection[int] | None = None
    ) -> None:
        """``(proposition id, claim id)`` beyond the topic, replacing the previous scope (of
        ``props`` only, when given)."""
        with self.store.transaction() as db:
            if props is None:
                db.execute("DELETE FROM proposition_scope")
            else:
                db.executemany(
                    "DELETE FROM proposition_scope WHERE proposition_id=?", [(p,) for p in props]
                )
            db.executemany("INSERT OR IGNORE INTO proposition_scope VALUES (?,?)", list(rows))

    def scope(self) -> dict[int, list[int]]:
        """proposition id -> the claims stored as nearest to it (``set_scope``)."""
        out: dict[int, list[int]] = {}
        for pid, cid in self.db.execute("SELECT proposition_id, claim_id FROM proposition_scope"):
            out.setdefault(pid, []).append(cid)
        return out

    def scope_claims(self, props: Collection[int]) -> set[int]:
        """Every claim in the scope of ``props`` (their topic and their nearest elsewhere)."""
        if not props:
            return set()
        self._choose(props)
        return {
            r[0]
            for r in self.db.execute(
                "SELECT c.id FROM chosen_props x JOIN propositions q ON q.id=x.id JOIN claims a ON"
                " a.id=q.claim_id JOIN claims c ON c.topic_id=a.topic_id UNION SELECT s.claim_id FROM"
                " chosen_props x JOIN proposition_scope s ON s.proposition_id=x.id"
            )
        }

    def scoping(self, claims: Collection[int]) -> set[int]:
        """Propositions whose stored scope holds one of ``claims``."""
        self._choose(claims)  # claim ids, in the same one-column table
        return {
            r[0]
            for r in self.db.execute(
                "SELECT proposition_id FROM proposition_scope JOIN chosen_props x ON x.id=claim_id"
            )
        }

    def read_by(self, claims: Collection[int]) -> set[int]:
        """Propositions on which any of ``claims`` has a stance score or a tag."""
        self.store._choose_claims(claims)
        return {
            r[0]
            for r in self.db.execute(
                "SELECT proposition_id FROM proposition_suggestions s JOIN chosen_claims x ON x.id=s.claim_id"
                " UNION SELECT proposition_id FROM stance_tags t JOIN chosen_claims x ON x.id=t.claim_id"
            )
        }

    def created_since(self, stamp: str) -> set[int]:
        return {
            r[0]
            for r in self.db.execute("SELECT id FROM propositions WHERE created_at >= ?", (stamp,))
        }

    def retired_since(self, stamp: str) -> set[int]:
        return {
            r[0]
            for r in self.db.execute("SELECT id FROM propositions WHERE retired_at >= ?", (stamp,))
        }

    def _choose(self, props: Collection[int]) -> None:
        """Fill the temporary table the ``*_of`` queries read their proposition ids from."""
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS chosen_props (id INTEGER PRIMARY KEY)")
        self.db.execute("DELETE FROM chosen_props")
        self.db.executemany("INSERT OR IGNORE INTO chosen_props VALUES (?)", [(p,) for p in props])

    # -- implied pairs ----------------------------------------------------------------------
    def set_implied(
        self, rows: Iterable[tuple[int, int, int]], props: Collection[int] | None = None
    ) -> set[tuple[int, int]]:
        """``(proposition id, a id, b id)`` replacing what ``props`` (None: every proposition)
        implied; returns the pairs they implied before and no proposition implies now."""
        with self.store.transaction() as db:
            return replace_implied(db, rows, props)

    def replace_implied(
        self, rows: Iterable[tuple[int, int, int]], props: Collection[int] | None = None
    ) -> set[tuple[int, int]]:
        """``set_implied`` inside the caller's transaction."""
        return replace_implied(self.db, rows, props)

    def implied_among(self, pairs: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
        """Which of ``pairs`` (a < b) some proposition implies."""
        return {
            (a, b)
            for a, b in pairs
            if self.db.execute(
                "SELECT 1 FROM implied_pairs WHERE a_id=? AND b_id=?", (a, b)
            ).fetchone()
        }

    # -- stance suggestions ---------------------------------------------------------------
    def unscored(self, model: str, props: Collection[int] | None = None) -> list[sqlite3.Row]:
        """(proposition, claim) of every active proposition (of ``props``, when given) and every
        claim in its scope (its topic, and its nearest claims elsewhere) that ``model`` has not
        scored yet."""
        scope = _SCOPE if props is None else _SCOPE_OF_CHOSEN
        if props is not None:
            self._choose(props)
        return self.db.execute(
            "SELECT p.id AS proposition_id, p.text AS p_text, c.id AS claim_id, c.text AS c_text"
            f" FROM propositions p JOIN ({scope}) m ON m.pid=p.id JOIN claims c ON c.id=m.cid"
            f" WHERE {_ACTIVE} AND NOT EXISTS (SELECT 1 FROM proposition_suggestions s"
            " WHERE s.proposition_id=p.id AND s.claim_id=c.id AND s.model=?)"
            " ORDER BY p.id, c.id",
            (model,),
        ).fetchall()

    def save_suggestions(
        self, model: str, rows: Iterable[tuple[int, int, Sequence[float]]]
    ) -> None:
        stamp = now()
        with self.store.transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO proposition_suggestions(proposition_id, claim_id, model,"
                " p_refutes, p_supports, p_discusses, p_unrelated, created_at)"
                " VALUES (?,?,?,?,?,?,?,?)",
                [(pid, cid, model, *map(float, probs), stamp) for pid, cid, probs in rows],
            )

    def suggestions(
        self, model: str, props: Collection[int] | None = None, unread: bool = False
    ) -> list[sqlite3.Row]:
        """Scores of active propositions (of ``props``, when given) against the claims now in
        their scope; the pairs stored ``UNREAD`` only with ``unread`` (most of a large topic's
        pairs: no stance to show, and millions of rows at 10,000 articles)."""
        scope = _SCOPE if props is None else _SCOPE_OF_CHOSEN
        if props is not None:
            self._choose(props)
        skip = "" if unread else f" AND NOT ({_UNREAD})"
        return self.db.execute(
            "SELECT s.* FROM proposition_suggestions s JOIN propositions p ON p.id=s.proposition_id"
            f" JOIN ({scope}) m ON m.pid=s.proposition_id AND m.cid=s.claim_id"
            f" WHERE s.model=? AND {_ACTIVE}{skip}",
            (model,),
        ).fetchall()

    # -- stance tags ----------------------------------------------------------------------
    def add_tag(self, prop_id: int, claim_id: int, label: str, analyst: str, note: str = "") -> int:
        check_proposition_label(label)
        if not self.is_active(prop_id):
            raise KeyError(f"no proposition with id {prop_id}")
        if self.db.execute("SELECT 1 FROM claims WHERE id=?", (claim_id,)).fetchone() is None:
            raise KeyError(f"no claim with id {claim_id}")
        cur = self.db.execute(
            "INSERT INTO stance_tags(proposition_id, claim_id, analyst, label, note, at)"
            " VALUES (?,?,?,?,?,?)",
            (prop_id, claim_id, analyst, label, note, now()),
        )
        return inserted_id(cur)

    def tags(self, prop_id: int | None = None) -> list[sqlite3.Row]:
        """Active (not undone) stance tags, oldest first."""
        sql = (
            "SELECT * FROM stance_tags WHERE id NOT IN (SELECT tag_id FROM stance_tag_retractions)"
        )
        args: list = []
        if prop_id is not None:
            sql += " AND proposition_id=?"
            args.append(prop_id)
        return self.db.execute(sql + " ORDER BY id", args).fetchall()

    def retract_latest_tag(self, analyst: str) -> sqlite3.Row | None:
        row = self.db.execute(
            "SELECT * FROM stance_tags WHERE analyst=? AND id NOT IN"
            " (SELECT tag_id FROM stance_tag_retractions) ORDER BY id DESC LIMIT 1",
            (analyst,),
        ).fetchone()
        if row is not None:
            self.db.execute(
                "INSERT INTO stance_tag_retractions(tag_id, analyst, at) VALUES (?,?,?)",
                (row["id"], analyst, now()),
            )
        return row


def replace_implied(
    db: sqlite3.Connection,
    rows: Iterable[tuple[int, int, int]],
    props: Collection[int] | None = None,
) -> set[tuple[int, int]]:
    """``PropositionTables.set_implied`` inside the caller's transaction."""
    if props is None:
        before = {(a, b) for a, b in db.execute("SELECT a_id, b_id FROM implied_pairs")}
        db.execute("DELETE FROM implied_pairs")
    else:
        before = set()
        for p in props:
            before |= {
                (a, b)
                for a, b in db.execute(
                    "SELECT a_id, b_id FROM implied_pairs WHERE proposition_id=?", (p,)
                )
            }
            db.execute("DELETE FROM implied_pairs WHERE proposition_id=?", (p,))
    db.executemany("INSERT OR IGNORE INTO implied_pairs VALUES (?,?,?)", list(rows))
    return {
        ab
        for ab in before
        if db.execute("SELECT 1 FROM implied_pairs WHERE a_id=? AND b_id=?", ab).fetchone() is None
    }


def probs_of(row: sqlite3.Row) -> dict[str, float]:
    return {label: float(row[f"p_{label}"]) for label in PROPOSITION_LABELS}
