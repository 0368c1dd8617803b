"""Every table of the store, made (and older files migrated) once, when a ``Store`` opens.

The store owns all schema: the core tables here, the analysts' corrections
(``verify.corrections``), the proposition tables (``verify.propositions.schema``), the neighbour
graph (``verify.store_knn``), the materialised rankings (``verify.store_ranking``) and the runs'
late columns (``verify.runlog``). Those modules hold plain SQL and never import the store, so
there is no import circle."""

from __future__ import annotations

import sqlite3

from . import runlog
from .corrections import SCHEMA as CORRECTIONS_SCHEMA
from .propositions.schema import SCHEMA as PROPOSITIONS_SCHEMA
from .store_knn import SCHEMA as KNN_SCHEMA
from .store_ranking import SCHEMA as RANKING_SCHEMA

SCHEMA_VERSION = 1

CORE_SCHEMA = """
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
-- Engine-derived: the board's per-topic counts, kept by ``verify.totals`` (topic_id -1: all).
CREATE TABLE IF NOT EXISTS topic_totals (
    topic_id INTEGER PRIMARY KEY, claims INTEGER NOT NULL, sources INTEGER NOT NULL,
    sides INTEGER NOT NULL, pairs INTEGER NOT NULL, contradictions INTEGER NOT NULL
);
"""


def _columns(db: sqlite3.Connection, table: str) -> set[str]:
    return {r[1] for r in db.execute(f"PRAGMA table_info({table})")}


def apply(db: sqlite3.Connection) -> None:
    """Make every table that is missing and add the columns older files lack. Idempotent, and
    it writes nothing to a file that is up to date (readers never take the write lock)."""
    db.executescript(CORE_SCHEMA)
    db.executescript(CORRECTIONS_SCHEMA)  # analysts' fixes of the extractor
    db.executescript(PROPOSITIONS_SCHEMA)
    db.executescript(KNN_SCHEMA)  # the stored k-NN graph (verify.neighbours)
    db.executescript(RANKING_SCHEMA)  # dispute_rank, proposition_rank (verify.ranking)
    if "checkworthy" not in _columns(db, "claims"):  # files made before check-worthiness scores
        db.execute("ALTER TABLE claims ADD COLUMN checkworthy REAL")
    runlog.migrate(db)  # runs.status and runs.owner
    if "kind" not in _columns(db, "tags"):  # 'tag', or 'settle' for a reviewer's settlement
        db.execute("ALTER TABLE tags ADD COLUMN kind TEXT NOT NULL DEFAULT 'tag'")
    row = db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    if row is None or row[0] != str(SCHEMA_VERSION):
        db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)",
                   (str(SCHEMA_VERSION),))  # fmt: skip
