"""One SQLite file (WAL) holding articles, claims, embeddings, topics, pairs, model suggestions
and analyst tags. Suggestions and tags live in separate tables: a tag never overwrites a score,
and every tag is committed the moment it is written."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from verify.settings import Settings, resolve
from verify.store import copies as copies_table
from verify.store import opening as store_open
from verify.store.bulk import _NOT_SET_ASIDE, BulkQueries, inserted_id
from verify.store.corrections import language_sql
from verify.store.embeddings import EmbeddingRows
from verify.store.knn import KnnRows
from verify.store.meta import Meta
from verify.store.rankings import RankRows
from verify.store.runlog import RunRows
from verify.store.tags import TagRows
from verify.types import Article, Claim, now, sha256

__all__ = ["Store", "default_db_path"]


def default_db_path(settings: Settings | None = None) -> str:
    return resolve(settings).db_path


class Store(TagRows, RunRows, KnnRows, RankRows, BulkQueries, EmbeddingRows):
    """Thin data access over SQLite. Methods are small, named for the rows they touch; the tags',
    the runs', the neighbour graph's, the rankings' and the large-store reads are in
    ``verify/store/tags.py``, ``verify/store/runlog.py``, ``verify/store/knn.py``,
    ``verify/store/rankings.py`` and ``verify/store/bulk.py``."""

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        create: bool = True,
        any_thread: bool = False,
        durable: bool = True,
    ) -> None:
        """``create=False``: refuse a path where no store is (readers: a typo must not make an
        empty store); ``any_thread``: the connection may move between threads (one at a time: a
        poller); ``durable=False``: no fsync per commit (a throwaway file, e.g. a benchmark's).
        A file that is not a Counterclaim store raises ``store_open.StoreError``, untouched."""
        self.path = Path(path or default_db_path())
        self.db, held = store_open.connect(
            self.path, create=create, any_thread=any_thread, durable=durable
        )
        self._file: store_open.FileKey | None = held
        self.meta = Meta(self.db)

    def close(self) -> None:
        if self._file is not None:  # once: the file's hold is counted per connection
            store_open.close(self.db, self._file)
            self._file = None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One unit of work: all of it lands, or none of it does. Inside another, it is part of
        that one (``verify.analysts.model_switch`` wraps the rankings' own transactions in its switch)."""
        if self.db.in_transaction:
            yield self.db
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- articles and claims ------------------------------------------------------------------
    def has_article(self, article: Article) -> bool:
        return (
            self.db.execute("SELECT 1 FROM articles WHERE hash=?", (article.hash,)).fetchone()
            is not None
        )

    def add_article(self, article: Article, claims: Sequence[Claim]) -> int:
        """Store an article and its claims together, so a crash never leaves half of it."""
        from verify.language import claim_language, detect

        found = detect(article.text)
        with self.transaction() as db:
            cur = db.execute(
                "INSERT INTO articles(hash, source, title, outlet, date, url, author, text,"
                " ingested_at, language) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    article.hash,
                    article.source,
                    article.title,
                    article.outlet,
                    article.date,
                    article.url,
                    article.author,
                    article.text,
                    now(),
                    found.code,
                ),
            )
            article_id = inserted_id(cur)
            db.executemany(
                "INSERT INTO claims(article_id, idx, sentence, text, text_hash, speaker, cue, relay,"
                ' start, "end", language) VALUES (?,?,?,?,?,?,?,?,?,?,?)',
                [
                    (
                        article_id,
                        i,
                        c.sentence,
                        c.text,
                        sha256(c.text),
                        c.speaker,
                        c.cue,
                        json.dumps(c.relay),
                        c.start,
                        c.end,
                        c.language or claim_language(c.sentence, found),
                    )
                    for i, c in enumerate(claims)
                ],
            )
        return article_id

    def articles(self) -> list[sqlite3.Row]:
        return self.db.execute("SELECT * FROM articles ORDER BY id").fetchall()

    def article(self, article_id: int) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM articles WHERE id=?", (article_id,)).fetchone()

    def claim_ids(self, article_id: int) -> list[int]:
        """The article's claims, in the order they were extracted."""
        return [
            r[0]
            for r in self.db.execute(
                "SELECT id FROM claims WHERE article_id=? ORDER BY idx", (article_id,)
            )
        ]

    def claim(self, claim_id: int) -> sqlite3.Row | None:
        """The claim as extracted (no corrections laid over: ``claim_rows`` has those)."""
        return self.db.execute("SELECT * FROM claims WHERE id=?", (claim_id,)).fetchone()

    def claim_rows(
        self,
        include_rejected: bool = False,
        ids: Collection[int] | None = None,
        include_copies: bool = False,
    ) -> list[sqlite3.Row]:
        """Claims with the analysts' corrections laid over (``verify.store.corrections``), each
        with how many copies its source repeated (``copies``; the copies themselves are left out
        unless ``include_copies``: a full refresh finds them afresh); claims
        marked as not a claim are left out unless ``include_rejected``; ``ids``: only those."""
        from verify.store.corrections import overlay

        join = ""
        if ids is not None:
            self._choose_claims(ids)
            join = " JOIN chosen_claims x ON x.id=c.id"
        rows = self.db.execute(
            "SELECT c.*, a.source AS article_source, a.outlet AS outlet, a.date AS date,"
            " a.language AS article_language,"
            " a.title AS article_title, a.url AS url, "
            + copies_table.COUNT
            + " FROM claims c JOIN articles a ON a.id=c.article_id"
            + join
            + ("" if include_copies else " WHERE c.id NOT IN (SELECT claim_id FROM claim_copies)")
            + " ORDER BY c.id"
        ).fetchall()
        return overlay(self.db, rows, include_rejected)

    def save_copies(self, copies: Iterable[tuple[int, int]], replace: bool = False) -> None:
        """(copy, of claim) rows (``verify.store.copies``); ``replace``: all there are."""
        with self.transaction() as db:
            copies_table.save(db, copies, replace)

    def has_other_languages(self) -> bool:
        """Whether a claim the stages read is in a language other than English."""
        return (
            self.db.execute(
                f"SELECT 1 FROM claims c WHERE {language_sql('c')} != 'en'"
                " AND c.id NOT IN (SELECT claim_id FROM set_aside_claims) LIMIT 1"
            ).fetchone()
            is not None
        )

    def claim_texts_languages(self, ids: Iterable[int]) -> dict[int, tuple[str, str]]:
        """(text, language: the analyst's correction first) of each of ``ids``."""
        return {
            int(r[0]): (r[1], r[2])
            for r in self.db.execute(
                f"SELECT c.id, c.text, {language_sql('c')} FROM claims c"
                " WHERE c.id IN (SELECT value FROM json_each(?))",
                (json.dumps(sorted({int(i) for i in ids})),),
            )
        }

    def live_claim_ids(self) -> list[int]:
        """Every claim not set aside (a copy, or marked as not a claim), by id."""
        return [
            r[0]
            for r in self.db.execute(
                "SELECT id FROM claims WHERE id NOT IN (SELECT claim_id FROM set_aside_claims) ORDER BY id"
            )
        ]

    def latest_correction(self) -> int:
        return int(
            self.db.execute("SELECT COALESCE(MAX(id), 0) FROM claim_corrections").fetchone()[0]
        )

    def correct_claim(self, claim_id: int, analyst: str, **changes: object) -> int:
        """An analyst's correction (``verify.store.corrections.correct``), committed when it returns."""
        from verify.store.corrections import correct

        return correct(self.db, claim_id, analyst, now(), **changes)

    def set_actors(self, resolved: Iterable[tuple[int, str, str]]) -> None:
        with self.transaction() as db:
            db.executemany(
                "UPDATE claims SET actor=?, side=? WHERE id=?",
                [(actor, side, cid) for cid, actor, side in resolved],
            )

    def set_checkworthy(self, scores: Iterable[tuple[int, float]]) -> None:
        """``(claim id, probability)`` pairs from ``verify.checkworthy.model``."""
        with self.transaction() as db:
            db.executemany(
                "UPDATE claims SET checkworthy=? WHERE id=?", [(s, i) for i, s in scores]
            )

    # -- topics -------------------------------------------------------------------------------
    def replace_topics(self, titles: list[str], assignment: dict[int, int]) -> None:
        """``assignment`` maps claim id -> index into ``titles``."""
        with self.transaction() as db:
            db.execute("UPDATE claims SET topic_id=NULL")
            db.execute("DELETE FROM topics")
            ids = [
                inserted_id(db.execute("INSERT INTO topics(title) VALUES (?)", (t,)))
                for t in titles
            ]
            db.executemany(
                "UPDATE claims SET topic_id=? WHERE id=?",
                [(ids[t], cid) for cid, t in assignment.items()],
            )

    def sync_topics(self, titles: list[str], assignment: dict[int, int]) -> list[int]:
        """Like ``replace_topics``, but ids stay put: each topic keeps the id of the stored topic
        it shares the most claims with (greedy, largest overlap first), so whatever is attached to
        a topic id stays attached when the topic survives. Returns the id of each title."""
        with self.transaction() as db:
            old = dict(db.execute("SELECT id, topic_id FROM claims WHERE topic_id IS NOT NULL"))
            overlap: dict[tuple[int, int], int] = {}
            for cid, t in assignment.items():
                if cid in old:
                    overlap[(t, old[cid])] = overlap.get((t, old[cid]), 0) + 1
            ids: list[int | None] = [None] * len(titles)
            taken: set[int] = set()
            for (t, tid), _n in sorted(overlap.items(), key=lambda kv: (-kv[1], kv[0])):
                if ids[t] is None and tid not in taken:
                    ids[t] = tid
                    taken.add(tid)
            for t, title in enumerate(titles):
                if ids[t] is None:
                    ids[t] = inserted_id(
                        db.execute("INSERT INTO topics(title) VALUES (?)", (title,))
                    )
                else:
                    db.execute("UPDATE topics SET title=? WHERE id=?", (title, ids[t]))
            db.execute("UPDATE claims SET topic_id=NULL")
            db.executemany(
                "UPDATE claims SET topic_id=? WHERE id=?",
                [(ids[t], cid) for cid, t in assignment.items()],
            )
            keep = set(ids)
            for (tid,) in db.execute("SELECT id FROM topics").fetchall():
                if tid not in keep:
                    try:  # a topic gone from the clustering; kept if anything still refers to it
                        db.execute("DELETE FROM topics WHERE id=?", (tid,))
                    except sqlite3.IntegrityError:
                        pass
        return [int(i) for i in ids if i is not None]

    def topics(self) -> list[sqlite3.Row]:
        return self.db.execute("SELECT * FROM topics ORDER BY id").fetchall()

    # -- pairs and suggestions ------------------------------------------------------------------
    def upsert_pairs(self, pairs: Iterable[tuple[int, int, float]]) -> None:
        with self.transaction():
            self.put_pairs(pairs)

    def prune_pairs(self, current: Iterable[tuple[int, int]]) -> int:
        """Delete pairs that are no longer candidates, with their suggestions (cascade); a pair an
        analyst has tagged is never deleted, so it and its tags stay visible. Returns how many."""
        with self.transaction() as db:
            db.execute(
                "CREATE TEMP TABLE IF NOT EXISTS current_pairs (a INTEGER, b INTEGER,"
                " PRIMARY KEY (a, b)) WITHOUT ROWID"
            )
            db.execute("DELETE FROM current_pairs")
            db.executemany(
                "INSERT OR IGNORE INTO current_pairs VALUES (?, ?)",
                ((min(a, b), max(a, b)) for a, b in current),
            )
            cur = db.execute(
                "DELETE FROM pairs WHERE NOT EXISTS (SELECT 1 FROM current_pairs c"
                " WHERE c.a=pairs.a_id AND c.b=pairs.b_id) AND id NOT IN (SELECT pair_id FROM tags)"
            )
            db.execute("DELETE FROM current_pairs")
        return cur.rowcount

    def unscored_pairs(
        self, model: str, pair_ids: Collection[int] | None = None
    ) -> list[sqlite3.Row]:
        """Pairs ``model`` has not scored (of ``pair_ids`` only, when given: no scan of every pair)."""
        only = "" if pair_ids is None else " AND p.id IN (SELECT value FROM json_each(?))"
        args = (
            (model,) if pair_ids is None else (model, json.dumps(sorted(int(i) for i in pair_ids)))
        )
        return self.db.execute(
            "SELECT p.id, p.a_id, p.b_id, ca.text AS a_text, cb.text AS b_text,"
            " ca.side AS a_side, cb.side AS b_side,"
            f" {language_sql('ca')} AS a_lang, {language_sql('cb')} AS b_lang FROM pairs p"
            " JOIN claims ca ON ca.id=p.a_id JOIN claims cb ON cb.id=p.b_id"
            " WHERE NOT EXISTS (SELECT 1 FROM suggestions s WHERE s.pair_id=p.id AND s.model=?)"
            + only
            + _NOT_SET_ASIDE
            + " ORDER BY p.id",
            args,
        ).fetchall()

    def save_suggestions(
        self,
        model: str,
        rows: Iterable[tuple[int, Sequence[float]]],
        readers: Sequence[str] | None = None,
    ) -> None:
        """Scores under ``model``; ``readers``: which reader scored each row (default English)."""
        stamp = now()
        rows = list(rows)
        who = list(readers) if readers is not None else ["english"] * len(rows)
        with self.transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO suggestions(pair_id, model, p_contradiction, p_agreement,"
                " p_neutral, p_unrelated, created_at, reader) VALUES (?,?,?,?,?,?,?,?)",
                [
                    (pid, model, *map(float, probs), stamp, reader)
                    for (pid, probs), reader in zip(rows, who, strict=True)
                ],
            )

    def disputes(self, model: str, limit: int | None = None) -> list[sqlite3.Row]:
        """Pairs scored by ``model``, most likely contradictions first (the first ``limit``: read
        off the ``suggestions_rank`` index, without sorting every pair)."""
        return self.db.execute(
            "SELECT p.id, p.a_id, p.b_id, p.similarity, s.p_contradiction, s.p_agreement,"
            " s.p_neutral, s.p_unrelated FROM suggestions s JOIN pairs p ON p.id=s.pair_id"
            " WHERE s.model=?"
            + _NOT_SET_ASIDE
            + " ORDER BY s.p_contradiction DESC, s.pair_id"
            + ("" if limit is None else " LIMIT ?"),
            (model,) if limit is None else (model, limit),
        ).fetchall()

    def pair(self, pair_id: int) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM pairs WHERE id=?", (pair_id,)).fetchone()

    def pair_id(self, a: int, b: int) -> int | None:
        """The id of the pair of claims ``a`` and ``b`` (either order), if it is stored."""
        row = self.db.execute(
            "SELECT id FROM pairs WHERE a_id=? AND b_id=?", (min(a, b), max(a, b))
        ).fetchone()
        return None if row is None else int(row[0])

    def pair_ids(self) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT id FROM pairs ORDER BY id")]

    def pair_count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM pairs").fetchone()[0])

    def pair_texts(self) -> list[sqlite3.Row]:
        """Every pair's two texts and sides: ``id, a_text, b_text, a_side, b_side``."""
        return self.db.execute(
            "SELECT p.id, ca.text AS a_text, cb.text AS b_text, ca.side AS a_side, cb.side AS b_side"
            " FROM pairs p JOIN claims ca ON ca.id=p.a_id JOIN claims cb ON cb.id=p.b_id WHERE 1"
            + _NOT_SET_ASIDE
        ).fetchall()
