"""`claimledger check` and schema migrations: a sound ledger passes; each problem gets one line and exit 1;
a ledger of an older schema is migrated on open after a backup copy."""
from __future__ import annotations

import shutil
import sqlite3
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimledger.cli import app
from claimledger.errors import LedgerError
from claimledger.store import Ledger, schema

runner = CliRunner()
EXAMPLES = Path(str(resources.files("claimledger").joinpath("examples", "corpus")))


def check(db: Path):
    result = runner.invoke(app, ["check", "--db", str(db)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def problems(result) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith("problem: ")]


@pytest.fixture(scope="module")
def healthy(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("check") / "healthy.db"
    result = runner.invoke(app, ["ingest", str(EXAMPLES), "--db", str(db), "--engine", "serial", "--quiet"])
    assert result.exit_code == 0, result.output
    return db


@pytest.fixture
def ledger_copy(healthy, tmp_path) -> Path:
    db = tmp_path / "copy.db"
    shutil.copy(healthy, db)
    return db


def test_a_sound_ledger_passes_with_its_counts(healthy):
    result = check(healthy)
    assert result.exit_code == 0, result.output
    assert f"schema version {schema.SCHEMA_VERSION}" in result.output
    assert "documents 8" in result.output and "claims " in result.output and "findings " in result.output
    assert result.output.rstrip().endswith("ok")


def test_orphan_rows_and_bad_spans_are_one_line_each(ledger_copy):
    with sqlite3.connect(ledger_copy) as con:  # foreign keys are off in a plain connection: write the damage
        con.execute("INSERT INTO claims (doc_id, idx, start, \"end\", measure, qualifier, sentence_start,"
                    " sentence_end) VALUES ('ghost', 0, 0, 5, 'killed', 'exact', 0, 5)")
        con.execute("UPDATE findings SET doc_ids = '[\"phantom-1\", \"phantom-2\"]' WHERE rowid = 1")
        con.execute("UPDATE claims SET \"end\" = 10000000 WHERE doc_id = (SELECT MIN(doc_id) FROM documents)"
                    " AND idx = 0")
    result = check(ledger_copy)
    assert result.exit_code == 1
    found = problems(result)
    assert any(p.startswith("problem: claims: rows for 1 document(s)") and "ghost" in p for p in found), found
    assert any("foreign keys" in p for p in found), found
    assert any("findings: refer to 2 unknown document(s)" in p and "phantom-1" in p for p in found), found
    assert any("span lies outside" in p for p in found), found
    assert all(len(p.splitlines()) == 1 for p in found)


def test_stale_findings_are_a_problem_until_ingest_runs_again(ledger_copy):
    with sqlite3.connect(ledger_copy) as con:
        con.execute("UPDATE meta SET value = '1' WHERE key = 'findings_stale'")
    result = check(ledger_copy)
    assert result.exit_code == 1 and "findings are out of date" in result.output
    again = runner.invoke(app, ["ingest", str(EXAMPLES), "--db", str(ledger_copy), "--engine", "serial", "--quiet"])
    assert again.exit_code == 0 and "unchanged 8" in again.output
    assert check(ledger_copy).exit_code == 0


def test_a_damaged_file_fails_with_a_reason(ledger_copy, tmp_path):
    data = bytearray(ledger_copy.read_bytes())
    page = 4096
    assert len(data) > 6 * page
    data[2 * page: len(data) - page] = b"\xa5" * (len(data) - 3 * page)  # keep the header page, wreck the rest
    ledger_copy.write_bytes(bytes(data))
    result = check(ledger_copy)
    assert result.exit_code == 1
    assert problems(result) or "error:" in result.output
    assert "Traceback" not in result.output
    not_sqlite = tmp_path / "notes.db"
    not_sqlite.write_bytes(b"just some notes, not a database\n" * 200)
    result = check(not_sqlite)
    assert result.exit_code == 1 and "cannot open the ledger" in result.output
    result = check(tmp_path / "missing.db")
    assert result.exit_code == 1 and "no such ledger" in result.output


def test_another_programs_database_is_left_alone(tmp_path):
    db = tmp_path / "other.db"
    with sqlite3.connect(db) as con:
        con.execute("CREATE TABLE notes (body TEXT)")
    before = db.read_bytes()
    assert check(db).exit_code == 1
    with pytest.raises(LedgerError, match="not a claimledger ledger"):
        Ledger(db)
    assert db.read_bytes() == before


def test_a_ledger_newer_than_this_claimledger_is_refused(ledger_copy):
    with sqlite3.connect(ledger_copy) as con:
        con.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    result = check(ledger_copy)
    assert result.exit_code == 1 and "newer than this claimledger" in result.output


def _drop_step_6(con: sqlite3.Connection) -> None:
    con.execute("DROP INDEX documents_by_event")
    con.execute("ALTER TABLE documents DROP COLUMN cues")
    con.execute("ALTER TABLE documents DROP COLUMN event")


def _schema_of(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as con:
        return sorted(con.execute("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"))


def test_a_version_1_ledger_is_migrated_after_a_backup(ledger_copy, tmp_path):
    """A ledger as the version-1 code wrote it (the same tables, no `meta`) opens, is backed up, migrated,
    and the next ingest recomputes its findings without changing its documents or claims."""
    with sqlite3.connect(ledger_copy) as con:
        con.execute("DROP TABLE meta")
        con.execute("ALTER TABLE findings DROP COLUMN support")  # added by step 3
        con.execute("ALTER TABLE relations DROP COLUMN passages")  # added by step 4
        con.execute("ALTER TABLE claims DROP COLUMN derived_from")  # added by step 5
        _drop_step_6(con)
        con.execute("PRAGMA user_version = 1")
    version_1 = tmp_path / "v1-reference.db"
    with sqlite3.connect(version_1) as con:
        con.executescript(f"BEGIN;\n{schema.STEP_1}\nPRAGMA user_version = 1;\nCOMMIT;")
    assert _schema_of(ledger_copy) == _schema_of(version_1), "not the layout version 1 wrote"
    with sqlite3.connect(ledger_copy) as con:
        counts_v1 = {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in ("documents", "claims", "findings")}

    result = check(ledger_copy)
    assert result.exit_code == 0, result.output
    backup = Path(f"{ledger_copy}.bak-v1")
    assert f"migrated to schema version {schema.SCHEMA_VERSION}" in result.output and str(backup) in result.output
    with sqlite3.connect(backup) as con:
        assert con.execute("PRAGMA user_version").fetchone() == (1,)
        assert con.execute("SELECT COUNT(*) FROM claims").fetchone()[0] == counts_v1["claims"]
    with Ledger(ledger_copy) as ledger:
        assert ledger.findings_state() == "migrated" and ledger.backup is None  # migrated once, not again
        assert {t: ledger.counts()[t] for t in counts_v1} == counts_v1
    again = runner.invoke(app, ["ingest", str(EXAMPLES), "--db", str(ledger_copy), "--engine", "serial", "--quiet"])
    assert again.exit_code == 0 and "unchanged 8" in again.output
    with Ledger(ledger_copy) as ledger:
        assert ledger.findings_state() == "0"
        assert ledger.counts()["findings"] == counts_v1["findings"]


def test_a_version_3_ledger_gets_its_shared_passages_at_the_next_ingest(ledger_copy):
    """Relations written before shared passages were recorded: the migration marks the findings to recompute,
    and the next ingest, with nothing new to read, fills the passages in."""
    with sqlite3.connect(ledger_copy) as con:
        con.execute("ALTER TABLE relations DROP COLUMN passages")
        con.execute("ALTER TABLE claims DROP COLUMN derived_from")  # step 5
        _drop_step_6(con)
        con.execute("PRAGMA user_version = 3")
        assert con.execute("SELECT COUNT(*) FROM relations").fetchone()[0] > 0
    with Ledger(ledger_copy) as ledger:
        assert ledger.findings_state() == "migrated"
        assert all(not r.passages for r in ledger.relations())
    again = runner.invoke(app, ["ingest", str(EXAMPLES), "--db", str(ledger_copy), "--engine", "serial", "--quiet"])
    assert again.exit_code == 0 and "unchanged 8" in again.output
    with Ledger(ledger_copy) as ledger:
        assert ledger.findings_state() == "0"
        assert all(r.passages for r in ledger.relations())


def test_a_new_step_runs_once_with_a_backup_of_the_version_before(ledger_copy, monkeypatch):
    step = "CREATE TABLE annotations (doc_id TEXT NOT NULL, note TEXT NOT NULL);"
    monkeypatch.setattr(schema, "STEPS", [*schema.STEPS, step])
    old = schema.SCHEMA_VERSION
    with Ledger(ledger_copy, readonly=True) as ledger:  # readers migrate too, taking the writer lock briefly
        assert ledger.backup == Path(f"{ledger_copy}.bak-v{old}")
        assert ledger.db.execute("PRAGMA user_version").fetchone() == (old + 1,)
        assert ledger.db.execute("SELECT COUNT(*) FROM annotations").fetchone() == (0,)
    with sqlite3.connect(Path(f"{ledger_copy}.bak-v{old}")) as con:
        assert con.execute("PRAGMA user_version").fetchone() == (old,)
        assert "annotations" not in {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
    with Ledger(ledger_copy) as ledger:
        assert ledger.backup is None
    # A backup is never overwritten: the next migration from the same version gets a name of its own.
    with sqlite3.connect(ledger_copy) as con:
        con.execute("DROP TABLE annotations")
        con.execute(f"PRAGMA user_version = {old}")
    with Ledger(ledger_copy) as ledger:
        assert ledger.backup == Path(f"{ledger_copy}.bak-v{old}.2")
    assert check(ledger_copy).exit_code == 0
