"""The ledger's schema, as ordered migration steps; `PRAGMA user_version` says which have run."""
from __future__ import annotations

import sqlite3

from claimledger.errors import LedgerError

STEP_1 = """
CREATE TABLE documents (
    doc_id TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL,
    origin TEXT NOT NULL,
    media_type TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    title TEXT,
    published TEXT,
    site TEXT,
    url TEXT,
    author TEXT,
    language TEXT,
    text TEXT NOT NULL,
    boilerplate TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE claims (
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    measure TEXT NOT NULL,
    subgroup TEXT,
    value INTEGER,
    qualifier TEXT NOT NULL,
    low INTEGER,
    high INTEGER,
    event TEXT,
    claimant TEXT,
    victim TEXT,
    scope TEXT,
    wider_scope INTEGER NOT NULL DEFAULT 0,
    breakdown_of INTEGER,
    sentence_start INTEGER NOT NULL,
    sentence_end INTEGER NOT NULL,
    PRIMARY KEY (doc_id, idx)
);
CREATE INDEX claims_by_event ON claims(event, measure, subgroup);
CREATE TABLE skipped (
    origin TEXT PRIMARY KEY,
    doc_id TEXT,
    reason TEXT NOT NULL
);
CREATE TABLE relations (
    doc_a TEXT NOT NULL,
    doc_b TEXT NOT NULL,
    jaccard REAL NOT NULL,
    containment REAL NOT NULL,
    kind TEXT NOT NULL,
    PRIMARY KEY (doc_a, doc_b)
);
CREATE TABLE source_clusters (
    doc_id TEXT PRIMARY KEY,
    cluster TEXT NOT NULL
);
CREATE TABLE findings (
    event TEXT NOT NULL,
    measure TEXT NOT NULL,
    subgroup TEXT,
    status TEXT NOT NULL,
    low INTEGER,
    high INTEGER,
    doc_ids TEXT NOT NULL,
    claims INTEGER NOT NULL,
    independent_sources INTEGER NOT NULL,
    figures TEXT NOT NULL,
    first_published TEXT,
    last_published TEXT,
    flags TEXT NOT NULL
);
"""

STEPS = [STEP_1]
SCHEMA_VERSION = len(STEPS)


def migrate(db: sqlite3.Connection) -> None:
    """Run the steps this ledger has not had yet, each in its own transaction."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise LedgerError(f"ledger schema version {version} is newer than this claimledger ({SCHEMA_VERSION}); upgrade claimledger")
    for number, step in enumerate(STEPS[version:], start=version + 1):
        db.executescript(f"BEGIN;\n{step}\nPRAGMA user_version = {number};\nCOMMIT;")
