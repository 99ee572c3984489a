"""Every report has its incident, with or without a figure: stored with the document, in the documents export,
listed on the event's page; and the cross-document pass links from the cues stored at ingest."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from claimledger.cli import app as cli
from claimledger.web import create_app

runner = CliRunner()
REPORTS = {
    "first": "Two killed in Grelham shooting\n\nPublished 4 June 2023 — The Grelham Courier\n\n"
             "Two men were shot dead outside a bakery on Tessel Road in Grelham on Saturday night, police said.",
    "vigil": "Grelham gathers for Tessel Road victims\n\nPublished 6 June 2023 — The Grelham Courier\n\n"
             "Hundreds of neighbours held a candlelight vigil in Grelham on Monday for the men killed in "
             "Saturday's shooting on Tessel Road. Police have made no arrest.",
    "other": "Barn fire in Oskby\n\nPublished 5 June 2023 — The Oskby Post\n\n"
             "A barn burned down in Oskby on Sunday. No one was hurt, firefighters said.",
}


def _ingest(folder: Path, db: Path, names) -> None:
    for name in names:
        (folder / f"{name}.txt").write_text(REPORTS[name], "utf-8")
    result = runner.invoke(cli, ["ingest", str(folder), "--db", str(db), "--engine", "serial", "--quiet"])
    assert result.exit_code == 0, result.output


def _documents(db: Path, tmp_path: Path) -> dict[str, dict]:
    out = tmp_path / "documents.jsonl"
    assert runner.invoke(cli, ["export", "--db", str(db), "--what", "documents", "-o", str(out)]).exit_code == 0
    return {r["doc_id"]: r for r in map(json.loads, out.read_text("utf-8").splitlines())}


def test_a_report_without_figures_has_its_incident(tmp_path):
    corpus, db = tmp_path / "corpus", tmp_path / "ledger.db"
    corpus.mkdir()
    _ingest(corpus, db, REPORTS)
    documents = _documents(db, tmp_path)
    assert all(documents[d]["event"] for d in REPORTS), "every report has an event"
    assert documents["vigil"]["event"] == documents["first"]["event"] != documents["other"]["event"]
    assert list(documents["first"])[-2:] == ["event", "shared_passages"]

    with TestClient(create_app(db)) as client:
        page = client.get(f"/events/{documents['first']['event']}.json").json()
        html = client.get(f"/events/{documents['first']['event']}").text
    listed = {r["doc_id"]: r["claims"] for r in page["reports"]}
    assert listed.keys() == {"first", "vigil"} and listed["vigil"] == 0 < listed["first"]
    assert "Grelham gathers for Tessel Road victims" in html and "no figures" in html


def test_a_refresh_reads_only_new_documents_texts(tmp_path, monkeypatch):
    """Linking a re-ingest that adds a report reads the new report's cues, not the whole corpus again."""
    corpus, db = tmp_path / "corpus", tmp_path / "ledger.db"
    corpus.mkdir()
    _ingest(corpus, db, ["first", "other"])
    from claimledger import link

    calls: list[str] = []
    original = link.event_cues
    monkeypatch.setattr(link, "event_cues", lambda text, *a, **k: calls.append(text.doc_id) or original(text, *a, **k))
    _ingest(corpus, db, ["vigil"])
    assert [d for d in calls if d != "warm-up"] == ["vigil"], "the documents already in the ledger: their stored cues"
    documents = _documents(db, tmp_path)
    assert documents["vigil"]["event"] == documents["first"]["event"]


def test_a_ledger_without_stored_cues_reads_them_once(tmp_path):
    """A ledger written before cues were stored (or by an older reading): the next ingest reads them and keeps them."""
    corpus, db = tmp_path / "corpus", tmp_path / "ledger.db"
    corpus.mkdir()
    _ingest(corpus, db, REPORTS)
    with sqlite3.connect(db) as con:
        con.execute("UPDATE documents SET cues = NULL, event = NULL")
        con.execute("UPDATE meta SET value = '1' WHERE key = 'findings_stale'")
    _ingest(corpus, db, [])
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT COUNT(*) FROM documents WHERE cues IS NULL OR event IS NULL").fetchone() == (0,)
