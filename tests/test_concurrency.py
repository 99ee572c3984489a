"""Concurrent use of one ledger, with real processes: one writer at a time (a second `ingest` refuses with a
clear message and exit code 1), while `show`, `export` and `check` read consistent snapshots alongside."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time

import pytest
from typer.testing import CliRunner

from claimledger.cli import app
from claimledger.errors import LedgerBusyError
from claimledger.store import Ledger
from test_crash import N_DOCS, assert_sound, documents_in, ingest_command, start, wait_for_documents, write_corpus

runner = CliRunner()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return write_corpus(tmp_path_factory.mktemp("concurrency") / "corpus")


def table_counts(db) -> dict[str, int]:
    with sqlite3.connect(db) as con:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}


def test_two_ingests_at_once_one_refuses_and_readers_read_alongside(corpus, tmp_path):
    db = tmp_path / "shared.db"
    first, second = start(ingest_command(corpus, db)), start(ingest_command(corpus, db))
    reads = 0
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and (first.poll() is None or second.poll() is None):
        if documents_in(db) >= 1:
            reads += _read_everything(db, tmp_path)
        time.sleep(0.05)
    outputs = {p: p.communicate(timeout=60) for p in (first, second)}
    codes = sorted(p.returncode for p in (first, second))
    assert codes == [0, 1], {p.pid: o for p, o in outputs.items()}
    loser = first if first.returncode == 1 else second
    winner = second if loser is first else first
    message = outputs[loser][1]
    assert "another claimledger process" in message and f"pid {winner.pid}" in message, message
    assert "Traceback" not in message
    assert reads >= 2, "no read landed while the ingest was writing"
    assert_sound(db)
    assert documents_in(db) == N_DOCS
    # The refused run, tried again now, has nothing to do and changes nothing.
    before = table_counts(db)
    again = subprocess.run(ingest_command(corpus, db), capture_output=True, text=True, timeout=240)
    assert again.returncode == 0 and f"unchanged {N_DOCS}" in again.stdout, again.stderr
    assert table_counts(db) == before


def _read_everything(db, tmp_path) -> int:
    """show, export and check while the ingest writes: each succeeds and sees one consistent state."""
    show = runner.invoke(app, ["show", "--db", str(db)])
    assert show.exit_code == 0, show.output
    claims_out, docs_out = tmp_path / "claims.jsonl", tmp_path / "documents.jsonl"
    for what, out in (("claims", claims_out), ("documents", docs_out)):
        result = runner.invoke(app, ["export", "--db", str(db), "--what", what, "-o", str(out)])
        assert result.exit_code == 0, result.output
    claims = [json.loads(line) for line in claims_out.read_text().splitlines()]
    documents = {d["doc_id"] for d in map(json.loads, docs_out.read_text().splitlines())}
    # Within one export, every claim's sentence comes from its document's stored text (one snapshot) ...
    assert all(c["evidence"] for c in claims)
    # ... and documents only ever grow, so the later export holds every document the earlier one had claims of.
    assert {c["doc_id"] for c in claims} <= documents
    check = runner.invoke(app, ["check", "--db", str(db)])
    assert check.exit_code == 0 or "findings are out of date" in check.output, check.output
    assert "integrity" not in check.output
    return 1


def test_an_export_in_another_process_while_ingest_writes(corpus, tmp_path):
    db = tmp_path / "busy.db"
    writer = start(ingest_command(corpus, db))
    try:
        assert wait_for_documents(writer, db, 1)
        out = tmp_path / "groups.jsonl"
        reader = subprocess.run([sys.executable, "-m", "claimledger.cli", "export", "--db", str(db), "--what",
                                 "claims", "-o", str(out)], capture_output=True, text=True, timeout=120)
        assert reader.returncode == 0, reader.stderr
        assert all(json.loads(line)["evidence"] for line in out.read_text().splitlines())
    finally:
        writer.communicate(timeout=240)
    assert writer.returncode == 0
    assert_sound(db)


def test_a_second_writer_in_the_same_process_is_refused(tmp_path):
    db = tmp_path / "l.db"
    with Ledger(db):
        with pytest.raises(LedgerBusyError, match="another claimledger process"):
            Ledger(db)
        with Ledger(db, readonly=True) as reader:  # readers take no lock
            assert reader.counts()["documents"] == 0
    with Ledger(db) as again:  # released on close
        assert again.counts()["documents"] == 0
