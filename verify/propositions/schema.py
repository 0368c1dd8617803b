"""The proposition tables' schema. Plain SQL with no imports, so the store applies it once when
it opens (``verify.store.schema``) without importing the proposition code that uses the store."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS propositions (
    id INTEGER PRIMARY KEY, origin TEXT NOT NULL CHECK (origin IN ('engine', 'analyst')),
    text TEXT NOT NULL, text_hash TEXT NOT NULL,
    claim_id INTEGER NOT NULL REFERENCES claims(id),  -- anchor: the topic follows this claim
    pinned INTEGER NOT NULL DEFAULT 0,  -- 1: an analyst pinned the anchor claim itself
    analyst TEXT, score REAL, created_at TEXT NOT NULL, retired_at TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS engine_prop ON propositions(claim_id) WHERE origin='engine';
CREATE TABLE IF NOT EXISTS proposition_retractions (
    proposition_id INTEGER PRIMARY KEY REFERENCES propositions(id), analyst TEXT NOT NULL,
    at TEXT NOT NULL
);
-- Model output: a claim's stance toward a proposition, per model version.
CREATE TABLE IF NOT EXISTS proposition_suggestions (
    proposition_id INTEGER NOT NULL REFERENCES propositions(id), claim_id INTEGER NOT NULL
    REFERENCES claims(id), model TEXT NOT NULL, p_refutes REAL NOT NULL, p_supports REAL NOT NULL,
    p_discusses REAL NOT NULL, p_unrelated REAL NOT NULL, created_at TEXT NOT NULL,
    PRIMARY KEY (proposition_id, claim_id, model)
);
-- Analyst input: append-only, several analysts, undone by a retraction.
CREATE TABLE IF NOT EXISTS stance_tags (
    id INTEGER PRIMARY KEY, proposition_id INTEGER NOT NULL REFERENCES propositions(id),
    claim_id INTEGER NOT NULL REFERENCES claims(id), analyst TEXT NOT NULL, label TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '', at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS stance_tag_retractions (
    tag_id INTEGER PRIMARY KEY REFERENCES stance_tags(id), analyst TEXT NOT NULL, at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS stance_tags_prop ON stance_tags(proposition_id);
-- Engine-derived: claims outside a proposition's topic that are nearest to it in meaning (a
-- story split over two topics is still read against its propositions). Rebuilt each refresh.
CREATE TABLE IF NOT EXISTS proposition_scope (
    proposition_id INTEGER NOT NULL REFERENCES propositions(id),
    claim_id INTEGER NOT NULL REFERENCES claims(id), PRIMARY KEY (proposition_id, claim_id)
);
-- Engine-derived: the claim pairs each proposition implies (``disputes.implied_pairs``), so a run
-- that re-reads some propositions knows which pairs only they implied. Rebuilt with them.
CREATE TABLE IF NOT EXISTS implied_pairs (
    proposition_id INTEGER NOT NULL, a_id INTEGER NOT NULL, b_id INTEGER NOT NULL,
    PRIMARY KEY (proposition_id, a_id, b_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS implied_pairs_ab ON implied_pairs(a_id, b_id);
CREATE INDEX IF NOT EXISTS proposition_suggestions_claim ON proposition_suggestions(claim_id);
CREATE INDEX IF NOT EXISTS propositions_claim ON propositions(claim_id);
"""
