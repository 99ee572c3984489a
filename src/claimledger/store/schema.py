"""The ledger's schema, as ordered migration steps; `PRAGMA user_version` says which have run.

A ledger written by an older claimledger is migrated when it is opened; before
the first step runs, the whole ledger is copied to `FILE.bak-v{old version}`
(with SQLite's backup API, so pages still in the write-ahead log are included).
Each step runs in its own transaction with the version bump, so a crash during
a migration leaves the ledger at the last completed version.
"""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

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

# Relations and findings are computed over the whole ledger after its documents are written. `findings_stale`
# is set ('1') in the transaction that writes a document and cleared ('0') in the one that writes the findings,
# so a run killed in between leaves a ledger that says so, and the next run recomputes them even when nothing
# is new. A ledger migrated from version 1 starts at 'migrated': its findings are those of the older version,
# recomputed by the next ingest.
STEP_2 = """
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO meta (key, value)
    VALUES ('findings_stale', CASE WHEN (SELECT COUNT(*) FROM documents) > 0 THEN 'migrated' ELSE '1' END);
"""

# What stands behind each distinct figure of a finding: its documents, independent sources and claimants.
STEP_3 = """
ALTER TABLE findings ADD COLUMN support TEXT NOT NULL DEFAULT '[]';
"""

# Where two related documents say the same words: [[a_start, a_end, b_start, b_end], ...] in each one's text.
# Relations written before have none: mark the findings to recompute (a ledger with documents) so the next
# ingest fills them in.
STEP_4 = """
ALTER TABLE relations ADD COLUMN passages TEXT NOT NULL DEFAULT '[]';
UPDATE meta SET value = 'migrated' WHERE key = 'findings_stale' AND value = '0'
    AND (SELECT COUNT(*) FROM relations) > 0;
"""

# A running total a report adds up across its sentences names its parts: [idx, ...] of the same document.
STEP_5 = """
ALTER TABLE claims ADD COLUMN derived_from TEXT NOT NULL DEFAULT '[]';
"""

# Every document's link cues (what the link stage read of its incident, as JSON, computed where the document is
# processed) and the incident it belongs to, figures or not (set when documents are linked). An older ledger has
# neither: its findings are marked to recompute, and the next ingest reads the cues of the documents lacking them.
STEP_6 = """
ALTER TABLE documents ADD COLUMN cues TEXT;
ALTER TABLE documents ADD COLUMN event TEXT;
CREATE INDEX documents_by_event ON documents(event);
UPDATE meta SET value = 'migrated' WHERE key = 'findings_stale' AND value = '0'
    AND (SELECT COUNT(*) FROM documents) > 0;
"""

STEPS = [STEP_1, STEP_2, STEP_3, STEP_4, STEP_5, STEP_6]
SCHEMA_VERSION = len(STEPS)


def current_version() -> int:
    """The schema version this claimledger writes (read at call time, so tests may add steps)."""
    return len(STEPS)


def ledger_version(db: sqlite3.Connection) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def needs_migration(db: sqlite3.Connection) -> bool:
    version = ledger_version(db)
    _refuse_newer(version)
    return version < current_version()


def refuse_foreign(db: sqlite3.Connection, path: Path | None = None) -> None:
    """Tables but no claimledger schema version: another program's database; never add ours to it."""
    if ledger_version(db) == 0 and db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]:
        raise LedgerError(f"{path or 'the file'}: an SQLite database, but not a claimledger ledger")


def _refuse_newer(version: int) -> None:
    if version > current_version():
        raise LedgerError(
            f"ledger schema version {version} is newer than this claimledger's ({current_version()}); upgrade claimledger"
        )


def migrate(db: sqlite3.Connection, path: Path | None = None) -> Path | None:
    """Run the steps this ledger has not had yet, each in its own transaction; returns the backup made, if any.

    A new (empty) ledger gets every step without a backup; an existing one is
    first copied beside itself when `path` is given.
    """
    version = ledger_version(db)
    _refuse_newer(version)
    steps = STEPS[version:]
    if not steps:
        return None
    refuse_foreign(db, path)
    backup = backup_ledger(db, path, version) if version > 0 and path is not None else None
    for number, step in enumerate(steps, start=version + 1):
        db.executescript(f"BEGIN;\n{step}\nPRAGMA user_version = {number};\nCOMMIT;")
    return backup


def backup_ledger(db: sqlite3.Connection, path: Path, version: int) -> Path:
    """Copy the ledger to FILE.bak-v{version} (or .bak-v{version}.2, ... when that exists: never overwrite a backup)."""
    target = Path(f"{path}.bak-v{version}")
    n = 1
    while target.exists():
        n += 1
        target = Path(f"{path}.bak-v{version}.{n}")
    partial = Path(f"{target}.part")
    try:
        copy = sqlite3.connect(partial)
        try:
            db.backup(copy)
        finally:
            copy.close()
        os.replace(partial, target)  # a backup under its name is always complete
    except (sqlite3.Error, OSError) as exc:
        partial.unlink(missing_ok=True)
        raise LedgerError(f"{path}: cannot back up the ledger before migrating it to {target} ({exc})") from exc
    return target
