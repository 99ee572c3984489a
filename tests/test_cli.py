"""The command line, end to end, on a real SQLite file and the real parser."""
from __future__ import annotations

import csv
import gzip
import io
import json
import sqlite3
from importlib import resources
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from claimledger.cli import app

runner = CliRunner()
EXAMPLES = Path(str(resources.files("claimledger").joinpath("examples", "corpus")))


def invoke(*args: str):
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def table_counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as con:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}


@pytest.fixture(scope="module")
def example_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("ledger") / "examples.db"
    result = invoke("ingest", EXAMPLES, "--db", db, "--engine", "serial", "--quiet")
    assert result.exit_code == 0, result.output
    return db


def test_ingest_summarises_the_run(example_db):
    counts = table_counts(example_db)
    assert counts["documents"] == 8
    assert counts["claims"] >= 15
    assert counts["findings"] >= 4


def test_ingesting_twice_changes_no_table(example_db):
    before = table_counts(example_db)
    result = invoke("ingest", EXAMPLES, "--db", example_db, "--engine", "serial", "--quiet")
    assert result.exit_code == 0
    assert "unchanged 8" in result.output
    assert table_counts(example_db) == before


def test_syndicated_copy_counts_as_one_source(example_db, tmp_path):
    out = tmp_path / "groups.jsonl"
    invoke("export", "--db", example_db, "--what", "groups", "--format", "jsonl", "-o", out)
    groups = [json.loads(line) for line in out.read_text().splitlines()]
    killed = next(g for g in groups if g["event"].startswith("velmora") and g["measure"] == "killed" and g["subgroup"] is None)
    assert killed["status"] == "conflicting"
    assert {"velmora-wire", "velmora-wire-reprint"} <= set(killed["doc_ids"])
    assert killed["independent_sources"] == len(killed["doc_ids"]) - 1


def test_menu_and_related_links_give_no_claims(example_db, tmp_path):
    out = tmp_path / "claims.jsonl"
    invoke("export", "--db", example_db, "--what", "claims", "--format", "jsonl", "-o", out)
    claims = [json.loads(line) for line in out.read_text().splitlines()]
    docs_out = tmp_path / "docs.jsonl"
    invoke("export", "--db", example_db, "--what", "documents", "--format", "jsonl", "-o", docs_out)
    docs = {d["doc_id"]: d for d in map(json.loads, docs_out.read_text().splitlines())}
    for claim in claims:
        doc = docs[claim["doc_id"]]
        assert doc["text"][claim["start"]:claim["end"]], "the evidence span indexes the stored text"
        assert not any(a <= claim["start"] < b for a, b in doc["boilerplate"])
    assert docs["velmora-local"]["boilerplate"], "the flattened page's menu is marked"


def test_exports_follow_the_contract_and_are_deterministic(example_db, tmp_path):
    for what, first_keys in (
        ("claims", ["claim_id", "doc_id", "measure", "subgroup", "value", "qualifier", "low", "high", "start", "end",
                    "event", "claimant", "quote", "victim", "scope"]),
        ("groups", ["event", "measure", "subgroup", "status", "low", "high", "doc_ids"]),
        ("documents", ["doc_id", "text", "title", "published", "site", "url", "boilerplate", "language", "status"]),
    ):
        a, b = tmp_path / f"{what}-a.jsonl", tmp_path / f"{what}-b.jsonl"
        invoke("export", "--db", example_db, "--what", what, "--format", "jsonl", "-o", a)
        invoke("export", "--db", example_db, "--what", what, "--format", "jsonl", "-o", b)
        assert a.read_bytes() == b.read_bytes()
        first = json.loads(a.read_text().splitlines()[0])
        assert list(first)[: len(first_keys)] == first_keys
        csv_out, parquet_out = tmp_path / f"{what}.csv", tmp_path / f"{what}.parquet"
        invoke("export", "--db", example_db, "--what", what, "--format", "csv", "-o", csv_out)
        invoke("export", "--db", example_db, "--what", what, "--format", "parquet", "-o", parquet_out)
        assert csv_out.read_text().splitlines()[0].split(",")[: len(first_keys)] == first_keys
        assert pq.read_table(parquet_out).num_rows == len(a.read_text().splitlines())


def test_claims_csv_reads_back_one_readable_row_per_claim(example_db, tmp_path):
    """What a spreadsheet sees: a byte-order mark with --excel, one row per claim, the figure as written, the
    document named, no JSON in any cell."""
    out = tmp_path / "claims.csv"
    assert invoke("export", "--db", example_db, "--what", "claims", "--format", "csv", "--excel", "-o", out).exit_code == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    jsonl = tmp_path / "claims.jsonl"
    invoke("export", "--db", example_db, "--what", "claims", "--format", "jsonl", "-o", jsonl)
    records = [json.loads(line) for line in jsonl.read_text().splitlines()]
    assert len(rows) == len(records) and [r["claim_id"] for r in rows] == [r["claim_id"] for r in records]
    for column in ("quote", "title", "site", "url", "published", "evidence", "breakdown_of"):
        assert column in rows[0], column
    wire = [r for r in rows if r["doc_id"] == "kessar-update-1"]
    assert wire and all(r["title"] == "Kessar governor revises bus attack toll" and r["published"] == "2023-06-04"
                        and r["url"].startswith("https://") and r["site"] == "news.example.org" for r in wire)
    by_id = {r["claim_id"]: r for r in rows}
    assert any(r["quote"].startswith("at least 27") for r in rows)
    for r in rows:
        assert r["quote"] and r["evidence"] and not r["evidence"].startswith(("{", "["))
        if r["breakdown_of"]:
            assert r["breakdown_of"] in by_id  # names its total by the total's claim id
    groups = tmp_path / "groups.csv"
    invoke("export", "--db", example_db, "--what", "groups", "--format", "csv", "-o", groups)
    group_rows = list(csv.DictReader(io.StringIO(groups.read_text(encoding="utf-8"))))
    for r in group_rows:
        assert r["figures_differ"] in ("true", "false") and r["status_reason"]
        for cell in r.values():
            assert not cell.startswith(("{", "[")), cell  # no JSON in a cell
    killed = next(r for r in group_rows if r["event"].startswith("velmora") and r["measure"] == "killed"
                  and not r["subgroup"])
    assert "at least 27" in killed["figures_as_written"].split(";")


def test_export_to_standard_output(example_db, tmp_path):
    result = invoke("export", "--db", example_db, "--what", "groups", "--format", "jsonl", "-o", "-")
    assert result.exit_code == 0, result.output
    out = tmp_path / "groups.jsonl"
    invoke("export", "--db", example_db, "--what", "groups", "--format", "jsonl", "-o", out)
    assert result.stdout_bytes == out.read_bytes()
    default = invoke("export", "--db", example_db, "--what", "groups")  # "-" is the default
    assert default.stdout_bytes == out.read_bytes()
    assert "wrote" in default.stderr and "standard output" in default.stderr
    excel_json = invoke("export", "--db", example_db, "--what", "claims", "--excel", "-o", tmp_path / "x.jsonl")
    assert excel_json.exit_code == 2 and "--excel applies to CSV" in excel_json.output


def test_groups_say_whether_their_figures_differ_and_why(example_db, tmp_path):
    out = tmp_path / "groups.jsonl"
    invoke("export", "--db", example_db, "--what", "groups", "--format", "jsonl", "-o", out)
    groups = [json.loads(line) for line in out.read_text().splitlines()]
    for g in groups:
        assert g["figures_differ"] == (len(g["figures"]) > 1)
        if g["status"] == "conflicting":
            assert "cannot both be true" in g["status_reason"]
    corpus = tmp_path / "tarvel"
    corpus.mkdir()
    (corpus / "a.txt").write_text("TARVEL, Ostrevia, 4 May 2023 — At least 14 people were killed when the old bridge"
                                  " over the Lussa river collapsed in Tarvel on Wednesday, the fire brigade said.\n")
    (corpus / "b.txt").write_text("TARVEL, Ostrevia, 5 May 2023 — Nineteen people were killed when the old bridge"
                                  " over the Lussa river collapsed in Tarvel on Wednesday, rescuers said.\n")
    db = tmp_path / "tarvel.db"
    assert invoke("ingest", corpus, "--db", db, "--engine", "serial", "--quiet").exit_code == 0
    invoke("export", "--db", db, "--what", "groups", "--format", "jsonl", "-o", out)
    killed = next(json.loads(line) for line in out.read_text().splitlines() if '"killed"' in line)
    assert killed["status"] == "consistent" and killed["figures_differ"]
    assert killed["status_reason"] == "“nineteen” is within “at least 14”"
    assert killed["figures_as_written"] == ["at least 14", "nineteen"]


def test_export_rejects_unknown_format(example_db, tmp_path):
    result = invoke("export", "--db", example_db, "--what", "claims", "--format", "xml", "-o", tmp_path / "x")
    assert result.exit_code == 2
    assert "unknown format" in result.output


def test_show_prints_conflicts_first_in_plain_words(example_db):
    result = runner.invoke(app, ["show", "--db", str(example_db)], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    statuses = ("conflicting", "differ · compatible", "same figure", "one claim")
    found = [s for line in result.output.splitlines() for s in statuses if f"│ {s} " in line]
    assert found[0] == "conflicting" and "one claim" in found
    assert "cannot both be true" in result.output and "at least 27" in result.output
    assert "What the statuses mean" in result.output
    assert "Velmora Courier" in result.output and "velmora-local" not in result.output  # outlets, not ids


def test_bad_files_are_reported_and_the_run_goes_on(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text("Gunmen killed 7 villagers and wounded 12 others in Darro on Monday, police said.\n")
    (corpus / "empty.txt").write_text("")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (corpus / "invalid.txt").write_bytes(b"\xfa\xfb\xfc\xfd\xc3\x28" * 50)
    (corpus / "dump.jsonl").write_text(
        json.dumps({"id": "j1", "text": "At least 3 people died in the fire in Selma, officials said."}) + "\n{broken\n"
    )
    db = tmp_path / "l.db"
    result = invoke("ingest", corpus, "--db", db, "--engine", "serial", "--quiet")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    for name in ("empty.txt", "binary.txt", "invalid.txt", "dump.jsonl:2"):
        lines = [line for line in result.output.splitlines() if name in line and "skipped" in line]
        assert len(lines) == 1, (name, result.output)
    assert "skipped 4" in result.output
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT COUNT(*) FROM skipped").fetchone()[0] == 4
        assert {r[0] for r in con.execute("SELECT doc_id FROM documents")} == {"good", "j1"}
    strict = invoke("ingest", corpus, "--db", db, "--engine", "serial", "--quiet", "--strict")
    assert strict.exit_code == 3


def test_missing_input_and_unwritable_ledger_fail_with_code_1(tmp_path):
    result = invoke("ingest", tmp_path / "nothing-here", "--db", tmp_path / "l.db")
    assert result.exit_code == 1 and "no input found" in result.output
    (tmp_path / "r.txt").write_text("Five people were killed in Darro.\n")
    not_a_ledger = tmp_path / "notes.db"
    not_a_ledger.write_bytes(b"this is not sqlite" * 100)
    result = invoke("ingest", tmp_path / "r.txt", "--db", not_a_ledger, "--engine", "serial", "--quiet")
    assert result.exit_code == 1 and "cannot open the ledger" in result.output


def test_local_engine_gives_the_same_exports_as_serial(tmp_path):
    outputs = {}
    for engine in ("serial", "local"):
        db = tmp_path / f"{engine}.db"
        assert invoke("ingest", EXAMPLES, "--db", db, "--engine", engine, "--quiet").exit_code == 0
        for what in ("claims", "groups", "documents"):
            out = tmp_path / f"{engine}-{what}.jsonl"
            invoke("export", "--db", db, "--what", what, "--format", "jsonl", "-o", out)
            outputs[(engine, what)] = out.read_bytes()
    for what in ("claims", "groups", "documents"):
        assert outputs[("serial", what)] == outputs[("local", what)]


def test_demo_keeps_its_ledger_and_leads_on(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("demo", "--engine", "serial")
    assert result.exit_code == 0, result.output
    assert "conflicting" in result.output and "velmora" in result.output
    ledger = tmp_path / "claimledger-demo.db"
    assert ledger.exists()  # kept in the working folder
    for step in ("claimledger serve --db claimledger-demo.db", "claimledger report --db claimledger-demo.db",
                 "claimledger export --db claimledger-demo.db"):
        assert step in result.output
    assert invoke("check", "--db", ledger).exit_code == 0
    again = invoke("demo", "--db", tmp_path / "other.db", "--engine", "serial")
    assert again.exit_code == 0 and (tmp_path / "other.db").exists()


def test_gzip_html_in_a_folder(tmp_path):
    html = b"<html><head><title>Raid</title></head><body><article><p>" + \
        b"Soldiers killed 9 people and abducted 4 women during a raid on the village of Tessa on Friday, residents said." + \
        b"</p><p>The raid began before dawn, according to witnesses who fled into the hills.</p></article></body></html>"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "raid.html.gz").write_bytes(gzip.compress(html))
    db = tmp_path / "l.db"
    assert invoke("ingest", tmp_path / "in", "--db", db, "--engine", "serial", "--quiet").exit_code == 0
    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT measure, subgroup, value FROM claims WHERE doc_id='raid' ORDER BY idx").fetchall()
    assert ("killed", None, 9) in rows and ("hostages", "women", 4) in rows


def test_non_english_documents_keep_their_text_and_skip_extraction(tmp_path):
    (tmp_path / "fr.txt").write_text(
        "Au moins douze personnes ont été tuées et trente blessées lors de l'attaque du marché de Lindor, "
        "selon la police locale, qui a ouvert une enquête sur les circonstances de cette attaque meurtrière.\n"
    )
    (tmp_path / "en.txt").write_text("At least 12 people were killed in the attack on the market in Lindor, police said.\n")
    db = tmp_path / "l.db"
    result = invoke("ingest", tmp_path, "--db", db, "--engine", "serial", "--quiet")
    assert result.exit_code == 0
    out = tmp_path / "docs.jsonl"
    invoke("export", "--db", db, "--what", "documents", "--format", "jsonl", "-o", out)
    docs = {d["doc_id"]: d for d in map(json.loads, out.read_text().splitlines())}
    assert docs["fr"]["status"] == "skipped" and docs["fr"]["reason"] == "language: fr"
    assert "douze personnes" in docs["fr"]["text"]
    assert docs["en"]["status"] == "ok" and docs["en"]["language"] == "en"
