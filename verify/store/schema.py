"""Today's shape of every table of the store, made when a new file is (older files are brought
to it by ``verify.store.migrations``).

The store owns all schema: the core tables here, the analysts' corrections
(``verify.store.corrections``), the proposition tables (``verify.propositions.schema``), the neighbour
graph (``verify.store.knn``) and the materialised rankings (``verify.store.rankings``). Those
modules hold plain SQL and never import the store, so there is no import circle."""

from __future__ import annotations

import sqlite3

from verify.propositions.schema import SCHEMA as PROPOSITIONS_SCHEMA
from verify.store.copies import SCHEMA as COPIES_SCHEMA
from verify.store.corrections import SCHEMA as CORRECTIONS_SCHEMA
from verify.store.knn import SCHEMA as KNN_SCHEMA
from verify.store.rankings import SCHEMA as RANKING_SCHEMA

CORE_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id INTEGER PRIMARY KEY, hash TEXT NOT NULL UNIQUE, source TEXT NOT NULL,
    title TEXT, outlet TEXT, date TEXT, url TEXT, author TEXT, text TEXT NOT NULL,
    ingested_at TEXT NOT NULL, language TEXT  -- verify.language.detect on the text
);
CREATE TABLE IF NOT EXISTS claims (
    id INTEGER PRIMARY KEY, article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL, sentence TEXT NOT NULL, text TEXT NOT NULL, text_hash TEXT NOT NULL,
    speaker TEXT NOT NULL, cue TEXT NOT NULL, relay TEXT NOT NULL, start INTEGER NOT NULL,
    "end" INTEGER NOT NULL, actor TEXT, side TEXT, topic_id INTEGER, checkworthy REAL,
    language TEXT,  -- the extractor's reading; an analyst's is a correction (store.corrections)
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
    p_unrelated REAL NOT NULL, created_at TEXT NOT NULL,
    reader TEXT NOT NULL DEFAULT 'english',  -- which reader scored it (verify.multilingual.router)
    PRIMARY KEY (pair_id, model)
);
-- Analyst responses: append-only; several analysts may tag one pair.
CREATE TABLE IF NOT EXISTS tags (
    id INTEGER PRIMARY KEY, pair_id INTEGER NOT NULL REFERENCES pairs(id),
    analyst TEXT NOT NULL, label TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', at TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'tag'  -- 'tag', or 'settle' for a reviewer's settlement
);
-- Undo is append-only too: a retracted tag stays in `tags`, its id is listed here.
CREATE TABLE IF NOT EXISTS tag_retractions (
    tag_id INTEGER PRIMARY KEY REFERENCES tags(id), analyst TEXT NOT NULL, at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT,
    articles_added INTEGER, claims_added INTEGER, embedded INTEGER, pairs_scored INTEGER,
    refused INTEGER, status TEXT, owner TEXT  -- verify.store.runlog: running/finished/interrupted
);
CREATE INDEX IF NOT EXISTS claims_article ON claims(article_id);
CREATE INDEX IF NOT EXISTS tags_pair ON tags(pair_id);
-- Reads that must not scan the corpus: a topic's claims, a claim's pairs (a_id has the UNIQUE
-- index), and the highest-ranked scored pairs first (`counterclaim board` on a large store).
CREATE INDEX IF NOT EXISTS claims_topic ON claims(topic_id);
CREATE INDEX IF NOT EXISTS pairs_b ON pairs(b_id);
CREATE INDEX IF NOT EXISTS suggestions_rank ON suggestions(model, p_contradiction DESC, pair_id);
-- Engine-derived: the board's per-topic counts, kept by ``verify.store.totals`` (topic_id -1: all).
CREATE TABLE IF NOT EXISTS topic_totals (
    topic_id INTEGER PRIMARY KEY, claims INTEGER NOT NULL, sources INTEGER NOT NULL,
    sides INTEGER NOT NULL, pairs INTEGER NOT NULL, contradictions INTEGER NOT NULL
);
"""


def _statements(script: str) -> list[str]:
    """``script`` cut into single statements: ``executescript`` would commit the transaction a
    migration runs in."""
    out, part = [], ""
    for line in script.splitlines(keepends=True):
        part += line
        if sqlite3.complete_statement(part):
            out.append(part.strip())
            part = ""
    return out


def apply(db: sqlite3.Connection) -> None:
    """Make every table, index and view that is missing, in today's shape (``IF NOT EXISTS``):
    a new file's whole schema, or the derived tables a migration dropped
    (``verify.store.migrations``, which alone changes an existing file's tables). Runs inside the
    caller's transaction."""
    for script in (
        CORE_SCHEMA,
        CORRECTIONS_SCHEMA,  # analysts' fixes of the extractor
        COPIES_SCHEMA,  # claims a source repeats (after corrections: its view reads theirs)
        PROPOSITIONS_SCHEMA,
        KNN_SCHEMA,  # the stored k-NN graph (verify.stages.neighbours)
        RANKING_SCHEMA,  # dispute_rank, proposition_rank (verify.stages.ranking)
    ):
        for statement in _statements(script):
            db.execute(statement)
