"""One SQLite file (WAL) holding articles, claims, embeddings, topics, pairs, model suggestions
and analyst tags. Suggestions and tags live in separate tables: a tag never overwrites a score,
and every tag is committed the moment it is written."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import numpy as np

from . import runlog
from .corrections import SCHEMA as CORRECTIONS_SCHEMA
from .labels import STANCE_LABELS, check_label
from .store_bulk import _NOT_REJECTED, BulkQueries, rowid
from .types import Article, Claim, sha256

DEFAULT_DB = "counterclaim.db"
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY, hash TEXT NOT NULL UNIQUE, source TEXT NOT NULL,
    title TEXT, outlet TEXT, date TEXT, url TEXT, author TEXT, text TEXT NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS claims (
    id INTEGER PRIMARY KEY, article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL, sentence TEXT NOT NULL, text TEXT NOT NULL, text_hash TEXT NOT NULL,
    speaker TEXT NOT NULL, cue TEXT NOT NULL, relay TEXT NOT NULL, start INTEGER NOT NULL,
    "end" INTEGER NOT NULL, actor TEXT, side TEXT, topic_id INTEGER,
    UNIQUE (article_id, idx)
);
CREATE TABLE IF NOT EXISTS embeddings (
    model TEXT NOT NULL, text_hash TEXT NOT NULL, vec BLOB NOT NULL,
    PRIMARY KEY (model, text_hash)
);
CREATE TABLE IF NOT EXISTS topics (id INTEGER PRIMARY KEY, title TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pairs (
    id INTEGER PRIMARY KEY, a_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    b_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
    similarity REAL NOT NULL, UNIQUE (a_id, b_id)
);
-- Model output: one row per (pair, model version). Never touched by analysts.
CREATE TABLE IF NOT EXISTS suggestions (
    pair_id INTEGER NOT NULL REFERENCES pairs(id) ON DELETE CASCADE, model TEXT NOT NULL,
    p_contradiction REAL NOT NULL, p_agreement REAL NOT NULL, p_neutral REAL NOT NULL,
    p_unrelated REAL NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (pair_id, model)
);
-- Analyst responses: append-only; several analysts may tag one pair.
CREATE TABLE IF NOT EXISTS tags (
    id INTEGER PRIMARY KEY, pair_id INTEGER NOT NULL REFERENCES pairs(id),
    analyst TEXT NOT NULL, label TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', at TEXT NOT NULL
);
-- Undo is append-only too: a retracted tag stays in `tags`, its id is listed here.
CREATE TABLE IF NOT EXISTS tag_retractions (
    tag_id INTEGER PRIMARY KEY REFERENCES tags(id), analyst TEXT NOT NULL, at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT,
    articles_added INTEGER, claims_added INTEGER, embedded INTEGER, pairs_scored INTEGER,
    refused INTEGER
);
CREATE INDEX IF NOT EXISTS claims_article ON claims(article_id);
CREATE INDEX IF NOT EXISTS tags_pair ON tags(pair_id);
-- Reads that must not scan the corpus: a topic's claims, a claim's pairs (a_id has the UNIQUE
-- index), and the highest-ranked scored pairs first (`counterclaim board` on a large store).
CREATE INDEX IF NOT EXISTS claims_topic ON claims(topic_id);
CREATE INDEX IF NOT EXISTS pairs_b ON pairs(b_id);
CREATE INDEX IF NOT EXISTS suggestions_rank ON suggestions(model, p_contradiction DESC, pair_id);
"""




def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def default_db_path() -> str:
    return os.environ.get("COUNTERCLAIM_DB", DEFAULT_DB)


class Store(BulkQueries):
    """Thin data access over SQLite. Methods are small, named for the rows they touch."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path or default_db_path())
        self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.execute("PRAGMA synchronous=FULL")  # a committed tag survives a power cut
        self.db.executescript(_SCHEMA)
        self.db.executescript(CORRECTIONS_SCHEMA)  # analysts' fixes of the extractor
        cols = {r[1] for r in self.db.execute("PRAGMA table_info(claims)")}
        if "checkworthy" not in cols:  # databases made before check-worthiness scores
            self.db.execute("ALTER TABLE claims ADD COLUMN checkworthy REAL")
        runlog.migrate(self.db)  # runs.status and runs.owner
        tag_cols = {r[1] for r in self.db.execute("PRAGMA table_info(tags)")}
        if "kind" not in tag_cols:  # 'tag', or 'settle' for a reviewer's settlement (review.py)
            self.db.execute("ALTER TABLE tags ADD COLUMN kind TEXT NOT NULL DEFAULT 'tag'")
        if self.get_meta("schema_version") != str(
            SCHEMA_VERSION
        ):  # readers never take the write lock
            self.set_meta("schema_version", str(SCHEMA_VERSION))

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One unit of work: all of it lands, or none of it does."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- meta -----------------------------------------------------------------------------
    def get_meta(self, key: str, default: str = "") -> str:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    # -- articles and claims ------------------------------------------------------------------
    def has_article(self, article: Article) -> bool:
        return (
            self.db.execute("SELECT 1 FROM articles WHERE hash=?", (article.hash,)).fetchone()
            is not None
        )

    def add_article(self, article: Article, claims: Sequence[Claim]) -> int:
        """Store an article and its claims together, so a crash never leaves half of it."""
        with self.transaction() as db:
            cur = db.execute(
                "INSERT INTO articles(hash, source, title, outlet, date, url, author, text, ingested_at)"
                " VALUES (?,?,?,?,?,?,?,?,?)",
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
                ),
            )
            article_id = rowid(cur)
            db.executemany(
                "INSERT INTO claims(article_id, idx, sentence, text, text_hash, speaker, cue, relay,"
                ' start, "end") VALUES (?,?,?,?,?,?,?,?,?,?)',
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
                    )
                    for i, c in enumerate(claims)
                ],
            )
        return article_id

    def articles(self) -> list[sqlite3.Row]:
        return self.db.execute("SELECT * FROM articles ORDER BY id").fetchall()

    def claim_rows(self, include_rejected: bool = False, ids: Collection[int] | None = None
                   ) -> list[sqlite3.Row]:  # fmt: skip
        """Claims with the analysts' corrections laid over (``verify.corrections``); claims
        marked as not a claim are left out unless ``include_rejected``; ``ids``: only those."""
        from .corrections import overlay

        join = ""
        if ids is not None:
            self._choose_claims(ids)
            join = " JOIN chosen_claims x ON x.id=c.id"
        rows = self.db.execute(
            "SELECT c.*, a.source AS article_source, a.outlet AS outlet, a.date AS date,"
            " a.title AS article_title, a.url AS url FROM claims c JOIN articles a ON a.id=c.article_id"
            + join + " ORDER BY c.id"
        ).fetchall()
        return overlay(self.db, rows, include_rejected)

    def correct_claim(self, claim_id: int, analyst: str, **changes: object) -> int:
        """An analyst's correction (``verify.corrections.correct``), committed when it returns."""
        from .corrections import correct

        return correct(self.db, claim_id, analyst, now(), **changes)

    def set_actors(self, resolved: Iterable[tuple[int, str, str]]) -> None:
        with self.transaction() as db:
            db.executemany(
                "UPDATE claims SET actor=?, side=? WHERE id=?",
                [(actor, side, cid) for cid, actor, side in resolved],
            )

    def set_checkworthy(self, scores: Iterable[tuple[int, float]]) -> None:
        """``(claim id, probability)`` pairs from ``verify.checkworthy``."""
        with self.transaction() as db:
            db.executemany(
                "UPDATE claims SET checkworthy=? WHERE id=?", [(s, i) for i, s in scores]
            )

    # -- embeddings cache ---------------------------------------------------------------------
    def load_embeddings(self, model: str, hashes: list[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for i in range(0, len(hashes), 500):
            chunk = hashes[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for h, blob in self.db.execute(
                f"SELECT text_hash, vec FROM embeddings WHERE model=? AND text_hash IN ({marks})",
                (model, *chunk),
            ):
                out[h] = np.frombuffer(blob, dtype=np.float32)
        return out

    def save_embeddings(self, model: str, vecs: dict[str, np.ndarray]) -> None:
        with self.transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO embeddings(model, text_hash, vec) VALUES (?,?,?)",
                [(model, h, np.asarray(v, dtype=np.float32).tobytes()) for h, v in vecs.items()],
            )

    # -- topics -------------------------------------------------------------------------------
    def replace_topics(self, titles: list[str], assignment: dict[int, int]) -> None:
        """``assignment`` maps claim id -> index into ``titles``."""
        with self.transaction() as db:
            db.execute("UPDATE claims SET topic_id=NULL")
            db.execute("DELETE FROM topics")
            ids = [
                rowid(db.execute("INSERT INTO topics(title) VALUES (?)", (t,)))
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
                    ids[t] = rowid(db.execute("INSERT INTO topics(title) VALUES (?)", (title,)))
                else:
                    db.execute("UPDATE topics SET title=? WHERE id=?", (title, ids[t]))
            db.execute("UPDATE claims SET topic_id=NULL")
            db.executemany("UPDATE claims SET topic_id=? WHERE id=?",
                           [(ids[t], cid) for cid, t in assignment.items()])  # fmt: skip
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
        with self.transaction() as db:
            db.executemany(
                "INSERT INTO pairs(a_id, b_id, similarity) VALUES (?,?,?)"
                " ON CONFLICT(a_id, b_id) DO UPDATE SET similarity=excluded.similarity",
                [(min(a, b), max(a, b), float(s)) for a, b, s in pairs],
            )

    def prune_pairs(self, current: Iterable[tuple[int, int]]) -> int:
        """Delete pairs that are no longer candidates, with their suggestions (cascade); a pair an
        analyst has tagged is never deleted, so it and its tags stay visible. Returns how many."""
        with self.transaction() as db:
            db.execute("CREATE TEMP TABLE IF NOT EXISTS current_pairs (a INTEGER, b INTEGER,"
                       " PRIMARY KEY (a, b)) WITHOUT ROWID")  # fmt: skip
            db.execute("DELETE FROM current_pairs")
            db.executemany("INSERT OR IGNORE INTO current_pairs VALUES (?, ?)",
                           ((min(a, b), max(a, b)) for a, b in current))  # fmt: skip
            cur = db.execute(
                "DELETE FROM pairs WHERE NOT EXISTS (SELECT 1 FROM current_pairs c"
                " WHERE c.a=pairs.a_id AND c.b=pairs.b_id) AND id NOT IN (SELECT pair_id FROM tags)"
            )
            db.execute("DELETE FROM current_pairs")
        return cur.rowcount

    def unscored_pairs(self, model: str, pair_ids: Collection[int] | None = None) -> list[sqlite3.Row]:
        """Pairs ``model`` has not scored (of ``pair_ids`` only, when given: no scan of every pair)."""
        only = "" if pair_ids is None else " AND p.id IN (SELECT value FROM json_each(?))"
        args = (model,) if pair_ids is None else (model, json.dumps(sorted(int(i) for i in pair_ids)))
        return self.db.execute(
            "SELECT p.id, p.a_id, p.b_id, ca.text AS a_text, cb.text AS b_text,"
            " ca.side AS a_side, cb.side AS b_side FROM pairs p"
            " JOIN claims ca ON ca.id=p.a_id JOIN claims cb ON cb.id=p.b_id"
            " WHERE NOT EXISTS (SELECT 1 FROM suggestions s WHERE s.pair_id=p.id AND s.model=?)"
            + only
            + _NOT_REJECTED
            + " ORDER BY p.id",
            args,
        ).fetchall()

    def save_suggestions(self, model: str, rows: Iterable[tuple[int, Sequence[float]]]) -> None:
        stamp = now()
        with self.transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO suggestions(pair_id, model, p_contradiction, p_agreement,"
                " p_neutral, p_unrelated, created_at) VALUES (?,?,?,?,?,?,?)",
                [(pid, model, *map(float, probs), stamp) for pid, probs in rows],
            )

    def disputes(self, model: str, limit: int | None = None) -> list[sqlite3.Row]:
        """Pairs scored by ``model``, most likely contradictions first (the first ``limit``: read
        off the ``suggestions_rank`` index, without sorting every pair)."""
        return self.db.execute(
            "SELECT p.id, p.a_id, p.b_id, p.similarity, s.p_contradiction, s.p_agreement,"
            " s.p_neutral, s.p_unrelated FROM suggestions s JOIN pairs p ON p.id=s.pair_id"
            " WHERE s.model=?" + _NOT_REJECTED + " ORDER BY s.p_contradiction DESC, s.pair_id"
            + ("" if limit is None else " LIMIT ?"),
            (model,) if limit is None else (model, limit),
        ).fetchall()

    def pair(self, pair_id: int) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM pairs WHERE id=?", (pair_id,)).fetchone()

    # -- analyst tags ---------------------------------------------------------------------------
    def add_tag(
        self, pair_id: int, label: str, analyst: str, note: str = "", kind: str = "tag"
    ) -> int:
        """``kind='settle'`` only through ``verify.settle``, which checks the reviewer."""
        check_label(label)
        if self.pair(pair_id) is None:
            raise KeyError(f"no pair with id {pair_id}")
        # Autocommit mode: this single INSERT is durable when it returns.
        cur = self.db.execute(
            "INSERT INTO tags(pair_id, analyst, label, note, at, kind) VALUES (?,?,?,?,?,?)",
            (pair_id, analyst, label, note, now(), kind),
        )
        return rowid(cur)

    def tags(
        self, pair_id: int | None = None, include_retracted: bool = False,
        pair_ids: Collection[int] | None = None,
    ) -> list[sqlite3.Row]:
        """Tags oldest first (of one pair, or of ``pair_ids``); undone (retracted) tags are left
        out unless asked for."""
        where: list[str] = []
        args: list[object] = []
        if pair_id is not None:
            where.append("pair_id=?")
            args.append(pair_id)
        if pair_ids is not None:
            where.append("pair_id IN (SELECT value FROM json_each(?))")
            args.append(json.dumps(sorted({int(i) for i in pair_ids})))
        if not include_retracted:
            where.append("id NOT IN (SELECT tag_id FROM tag_retractions)")
        sql = (
            "SELECT * FROM tags"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY id"
        )
        return self.db.execute(sql, args).fetchall()

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

    def training_examples(self, with_camps: bool = False) -> list[tuple[str, ...]]:
        """(a text, b text, label) for every pair with a verdict: undisputed or settled tags;
        ``with_camps`` adds the pair's camp relation (``verify.stance.camps``)."""
        from .review import TagFields, verdict
        from .stance.camps import camp_relation

        by_pair: dict[int, list[sqlite3.Row]] = {}
        for tag in self.tags():
            by_pair.setdefault(tag["pair_id"], []).append(tag)
        texts = {
            r[0]: (r[1], r[2], camp_relation(r[3], r[4]))
            for r in self.db.execute(
                "SELECT p.id, ca.text, cb.text, ca.side, cb.side FROM pairs p"
                " JOIN claims ca ON ca.id=p.a_id JOIN claims cb ON cb.id=p.b_id WHERE 1"
                + _NOT_REJECTED
            )
        }
        out: list[tuple[str, ...]] = []
        for pair_id in sorted(by_pair):
            label = verdict(TagFields(cast(Mapping[str, Any], r)) for r in by_pair[pair_id])
            if label is not None and pair_id in texts:
                a, b, camp = texts[pair_id]
                out.append((a, b, label, camp) if with_camps else (a, b, label))
        return out

    # -- runs -----------------------------------------------------------------------------------
    def start_run(self) -> int:
        runlog.mark_interrupted(self.db)  # runs a killed process left open
        return rowid(
            self.db.execute(
                "INSERT INTO runs(started_at, status, owner) VALUES (?, ?, ?)",
                (now(), runlog.RUNNING, runlog.owner()),
            )
        )

    def finish_run(self, run_id: int, **counts: int) -> None:
        cols = ", ".join(f"{k}=?" for k in counts)
        self.db.execute(
            f"UPDATE runs SET finished_at=?, {cols} WHERE id=?", (now(), *counts.values(), run_id)
        )
        self.db.execute("UPDATE runs SET status=? WHERE id=?", (runlog.FINISHED, run_id))

    def runs(self) -> list[sqlite3.Row]:
        return self.db.execute("SELECT * FROM runs ORDER BY id").fetchall()


def probs_dict(row: sqlite3.Row) -> dict[str, float]:
    return {label: float(row[f"p_{label}"]) for label in STANCE_LABELS}


def article_dict(article: Article) -> dict[str, str]:
    return asdict(article)
