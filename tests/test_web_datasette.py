"""The ledger in Datasette with the metadata claimledger ships: Datasette run as a user runs it (its own
process on 127.0.0.1, a free port), asked for its metadata, a table page and a canned query, then stopped."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time

import httpx
import pytest

from claimledger.datasette import metadata_for, metadata_path
from claimledger.store import TABLES
from web_support import build_ledger, free_port

pytest.importorskip("datasette", reason="datasette is a test dependency: pip install '.[test]'")


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    return build_ledger(tmp_path_factory.mktemp("datasette"))  # ledger.db: the name the shipped metadata uses


def test_shipped_metadata_describes_every_table_and_column(ledger):
    tables = json.loads(metadata_path().read_text())["databases"]["ledger"]["tables"]
    with sqlite3.connect(ledger) as db:
        for table in TABLES:
            columns = [r[1] for r in db.execute(f"PRAGMA table_info({table})")]
            assert tables[table]["description"]
            assert set(tables[table].get("columns", {})) == set(columns), table


def test_metadata_for_another_file_name():
    data = metadata_for("/somewhere/my-ledger.db")
    assert list(data["databases"]) == ["my-ledger"]
    assert data["databases"]["my-ledger"]["tables"]["claims"]["columns"]["qualifier"]


def test_datasette_serves_the_ledger_with_the_metadata(ledger, tmp_path):
    port = free_port()
    command = [sys.executable, "-m", "datasette", "serve", str(ledger), "-m", str(metadata_path()),
               "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=tmp_path)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                metadata = httpx.get(f"{base}/-/metadata.json", timeout=5)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.stdout.read().decode()
                assert time.monotonic() < deadline, "datasette did not start"
                time.sleep(0.2)
        assert metadata.status_code == 200
        claims_meta = metadata.json()["databases"]["ledger"]["tables"]["claims"]
        assert "hedge" in claims_meta["columns"]["qualifier"]

        page = httpx.get(f"{base}/ledger/claims", timeout=30)
        assert page.status_code == 200
        assert "Every reported figure" in page.text  # the table's description
        assert "The hedge: exact, at_least" in page.text  # a column's description

        rows = httpx.get(f"{base}/ledger/claims_with_evidence.json",
                         params={"event": "velmora-attack-2023-03-14", "measure": "killed", "_shape": "array"},
                         timeout=30).json()
        assert rows and all(r["evidence"] for r in rows)
        assert any("27" in r["evidence"] for r in rows)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:  # pragma: no cover
            process.kill()
