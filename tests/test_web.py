"""The web app on a real uvicorn (127.0.0.1, a free port, in a thread) over a real ledger, through httpx: JSON
twins, one error shape, routes for ids with slashes, escaping of hostile input, statuses with their reasons,
figures as written, permalinks, search, the report, the CLI."""
from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from typer.testing import CliRunner

from claimledger.cli import app as cli
from claimledger.present.charts import interval_chart, interval_svg
from claimledger.reconcile.reasons import READINGS
from claimledger.web import create_app
from claimledger.web.findings import source_figures
from claimledger.web.highlight import document_html
from claimledger.web.queries import ClaimRow
from claimledger.web.search import fts_query
from web_support import HOSTILE_ID, HOSTILE_TITLE, SLASH_ID, build_ledger, free_port, served

VELMORA = "velmora-attack-2023-03-14"
ERROR_KEYS = {"ok", "status", "title", "error"}


@pytest.fixture(scope="module")
def ledger(tmp_path_factory) -> Path:
    return build_ledger(tmp_path_factory.mktemp("web"))


@contextmanager
def _client(db: Path):
    app = create_app(db)
    with served(app) as base, httpx.Client(base_url=base, timeout=60) as c:
        c.app = app
        yield c


@pytest.fixture(scope="module")
def client(ledger):
    with _client(ledger) as c:
        yield c


def doc_path(doc_id: str) -> str:
    return "/documents/" + quote(doc_id, safe="/")


def get_json(client, path: str) -> dict:
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


PAGES = ["/events", f"/events/{VELMORA}", "/documents/velmora-wire", doc_path(SLASH_ID), doc_path(HOSTILE_ID),
         "/corpus", "/search?q=killed"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_a_json_twin(client, path):
    html = client.get(path)
    assert html.status_code == 200
    assert html.headers["content-type"].startswith("text/html")
    assert "Content-Security-Policy" in html.headers
    base, _, query = path.partition("?")
    twin = get_json(client, base + ".json" + (f"?{query}" if query else ""))
    assert twin["ok"] is True
    negotiated = client.get(path, headers={"Accept": "application/json"})
    assert negotiated.json() == twin
    # The HTML says where its twin is.
    assert f'href="{base}.json' in html.text


def test_events_page_lists_conflicts_first_with_every_figure_linked(client):
    page = get_json(client, "/events.json")
    events = page["events"]
    assert events[0]["conflicts"] >= events[-1]["conflicts"]
    velmora = next(e for e in events if e["event"] == VELMORA)
    readings = [m["reading"] for m in velmora["measures"]]
    assert readings == sorted(readings, key=READINGS.index)
    killed = next(m for m in velmora["measures"] if m["measure"] == "killed" and m["subgroup"] is None)
    assert killed["status"] == "conflicting" and killed["figures_differ"]
    figures = {f["figure"] for f in killed["figures"]}
    assert {"at least 27", "31", "34", "as many as 35"} <= figures  # as the reports wrote them
    html = client.get("/events").text
    for f in killed["figures"]:
        assert f["href"].startswith("/documents/") and "#claim-" in f["href"]
        assert f'href="{f["href"]}"' in html
        assert f">{f['figure']}</a>" in html
    assert killed["reason"] in html.replace("&#34;", '"')


def test_event_page_says_what_each_status_means_and_why(client):
    page = get_json(client, f"/events/{VELMORA}.json")
    assert [item["reading"] for item in page["legend"]] == list(READINGS)
    wounded = next(g for g in page["groups"] if g["measure"] == "wounded" and g["subgroup"] is None)
    assert wounded["reading"] == "conflicting" and "cannot both be true" in wounded["reason"]
    assert "“some 60”" in wounded["reason"]  # the words as written, not the tool's 54–66
    assert wounded["range"] == "41 to some 60"  # only bounds someone reported
    assert "54–66" in wounded["range_note"] and "convention" in wounded["range_note"]
    tarvel = get_json(client, "/events/tarvel-2023-05-03.json")
    killed = next(g for g in tarvel["groups"] if g["measure"] == "killed")
    assert killed["status"] == "consistent" and killed["figures_differ"] and killed["reading"] == "compatible"
    assert "“at least 14”" in killed["reason"] and "“at least 19”" in killed["reason"]
    same = next(g for g in page["groups"] if g["reading"] == "same")
    assert not same["figures_differ"] and same["charts"] == {"interval": None, "time": None}
    html = client.get(f"/events/{VELMORA}").text
    for item in page["legend"]:
        assert item["meaning"] in html
    assert 'class="badge reading-compatible' in client.get("/events/tarvel-2023-05-03").text
    # Measures given by one claim are folded under one line.
    folded = html[html.index('<details class="folded">'):]
    single = next(g for g in page["groups"] if g["reading"] == "single")
    assert single["label"] in folded[:folded.index("</details>")]


def test_event_page_shows_each_measure_by_source_with_charts_and_evidence(client):
    page = get_json(client, f"/events/{VELMORA}.json")
    groups = page["groups"]
    assert groups[0]["status"] == "conflicting"
    killed = next(g for g in groups if g["measure"] == "killed" and g["subgroup"] is None)
    assert killed["independent_sources"] < killed["documents"]  # the wire and its reprint are one source
    reprint = next(r for r in killed["rows"] if r["doc_id"] == "velmora-wire-reprint")
    wire = next(r for r in killed["rows"] if r["doc_id"] == "velmora-wire")
    assert reprint["source"] == "velmora-wire" and reprint["copy_of"] == wire["document_name"]
    row = next(r for r in killed["rows"] if r["figure"] == "at least 27")
    a, b = row["evidence_figure"]
    assert "27" in row["evidence"][a:b]
    assert row["reading"] == "read as 27 or more"
    interval = killed["charts"]["interval"]
    pairs = {(r["source"], r["figure"]) for r in killed["rows"]}
    assert interval["total"] == len(pairs) and killed["claims"] == len(killed["rows"])  # a row per source, figure
    labels = [r["label"] for r in interval["rows"]]
    assert len(labels) == len(set(labels)) and not any("claim" in label for label in labels)  # no internal ids
    open_rows = [r for r in interval["rows"] if r["open_high"]]
    assert open_rows and all(r["high_draw"] == interval["x_max"] for r in open_rows)
    assert all(r["value"] is None or r["value"] < interval["x_max"] for r in interval["rows"])  # off the edge
    time = killed["charts"]["time"]
    assert time["dates"] > 1 and {s["name"] for s in time["legend"]} == {p["source_name"] for p in time["points"]}
    html = client.get(f"/events/{VELMORA}").text
    charted = [g for g in groups if g["charts"]["interval"]]
    assert charted and all(g["figures_differ"] for g in charted)
    assert html.count("<svg") == len(charted) + sum(bool(g["charts"]["time"]) for g in charted)
    assert 'class="badge reading-conflicting' in html
    for r in killed["rows"]:
        assert f'href="{r["href"]}"' in html  # each figure (and its sentence) links to the document
        assert "velmora-wire-reprint" not in r["source_name"]  # sources by name


def test_every_figure_link_opens_its_sentence(client):
    page = get_json(client, f"/events/{VELMORA}.json")
    for group in page["groups"]:
        for row in group["rows"]:
            path, _, fragment = row["href"].partition("#")
            doc = get_json(client, path + ".json")
            idx = int(fragment.removeprefix("claim-"))
            claim = next(c for c in doc["claims"] if c["idx"] == idx)
            assert doc["text"][claim["sentence_start"]:claim["sentence_end"]] == row["evidence"]
            assert claim["figure"] == row["figure"]
            assert f'id="{fragment}"' in client.get(path).text


def test_a_figure_has_a_permalink_by_its_claim_id(client):
    page = get_json(client, f"/events/{VELMORA}.json")
    rows = [r for g in page["groups"] for r in g["rows"]]
    for row in rows:
        assert row["permalink"] == "/claims/" + quote(row["claim_id"], safe="/:")
        moved = client.get(row["permalink"], follow_redirects=False)
        assert moved.status_code == 302 and moved.headers["location"] == row["href"]
    twin = get_json(client, rows[0]["permalink"] + ".json")
    assert twin == {"ok": True, "claim_id": rows[0]["claim_id"], "href": rows[0]["href"]}
    hostile = get_json(client, doc_path(HOSTILE_ID) + ".json")["claims"][0]
    assert client.get(hostile["permalink"], follow_redirects=False).headers["location"] == hostile["href"]
    missing = client.get("/claims/velmora-wire:1-2:killed.json")
    assert missing.status_code == 404 and missing.json()["ok"] is False


def test_document_page_marks_boilerplate_evidence_and_figures(client):
    page = get_json(client, "/documents/velmora-local.json")
    assert page["boilerplate"], "the example's menu is marked as boilerplate"
    html = client.get("/documents/velmora-local").text
    boilerplate = re.findall(r'<span class="boilerplate"[^>]*>(.*?)</span>', html, re.S)
    assert any("Top 10 stories" in b for b in boilerplate)
    folded = re.findall(r'<details class="boilerplate-fold"><summary>(\d+) lines of page furniture', html)
    assert folded, "the menu is folded away"
    for claim in page["claims"]:
        assert f'id="claim-{claim["idx"]}"' in html
    assert '<mark class="evidence"' in html


def test_pages_show_no_local_paths(client, ledger):
    folder = str(ledger.parent)
    for path in PAGES + ["/documents/velmora-local"]:
        assert folder not in client.get(path).text, path
    doc = get_json(client, "/documents/velmora-local.json")
    assert doc["origin"] == "velmora-local.txt"
    skipped = get_json(client, "/corpus.json")["skipped"]
    assert [s["origin"] for s in skipped] == ["broken.jsonl:1"]


def test_document_page_underlines_the_text_a_copy_shares(client):
    """The reprint shows which of its words are the wire story's, and names the wire story."""
    page = get_json(client, "/documents/velmora-wire-reprint.json")
    relation = next(r for r in page["relations"] if r["doc_id"] == "velmora-wire")
    assert relation["passages"], "the shared passages are recorded as spans of this document"
    html = client.get("/documents/velmora-wire-reprint").text
    shared = re.findall(r'<span class="shared" title="also in ([^"]+)">', html)
    assert shared and set(shared) == {relation["name"]}
    original = get_json(client, "/documents/velmora-wire.json")["text"]
    start, end = relation["passages"][0]
    assert " ".join(page["text"][start:end].split())[:200] in " ".join(original.split())
    assert "1 shared passage" in html or "shared passages" in html


def test_ids_with_slashes_and_markup_route_and_link(client):
    doc = get_json(client, doc_path(SLASH_ID) + ".json")
    assert doc["doc_id"] == SLASH_ID
    hostile = get_json(client, doc_path(HOSTILE_ID) + ".json")
    assert hostile["doc_id"] == HOSTILE_ID and hostile["title"] == HOSTILE_TITLE  # JSON carries input as it is
    event = hostile["claims"][0]["event"]
    page = get_json(client, f"/events/{event}.json")
    hrefs = [r["href"] for g in page["groups"] for r in g["rows"]]
    assert any(h.startswith(doc_path(HOSTILE_ID) + "#") for h in hrefs)
    for href in hrefs:
        assert "<" not in href and " " not in href
        assert client.get(href.partition("#")[0]).status_code == 200


@pytest.mark.parametrize("path", ["/events/no-such-event", "/documents/no/such/doc", "/no-such-page",
                                  f"/events/{VELMORA}?all=perhaps"])
def test_one_error_shape_as_html_and_json(client, path):
    html = client.get(path)
    status = html.status_code
    assert status in (400, 404)
    assert html.headers["content-type"].startswith("text/html")
    base, _, query = path.partition("?")
    as_json = client.get(base + ".json" + (f"?{query}" if query else ""))
    negotiated = client.get(path, headers={"Accept": "application/json"})
    for response in (as_json, negotiated):
        assert response.status_code == status
        body = response.json()
        assert set(body) == ERROR_KEYS and body["ok"] is False and body["status"] == status
        assert body["title"] in html.text
        assert str(status) in html.text
    assert as_json.json() == negotiated.json()
    if "no-such-event" in path:
        assert "no-such-event" in as_json.json()["error"]


HOSTILE_FRAGMENTS = ("<script>alert", "<img src=x", "<b onmouseover", 'href="javascript:', "onerror=alert(2)>")


def _assert_escaped(html: str) -> None:
    for fragment in HOSTILE_FRAGMENTS:
        assert fragment not in html, fragment


@pytest.mark.parametrize("path", ["/events", "/events/{event}", doc_path(HOSTILE_ID), "/corpus",
                                  "/search?q=rescuers", "/search?q=%3Cscript%3E",
                                  "/documents/%3Cscript%3Ealert(1)%3C/script%3E"])
def test_hostile_input_is_escaped_everywhere(client, path):
    event = get_json(client, doc_path(HOSTILE_ID) + ".json")["claims"][0]["event"]
    html = client.get(path.format(event=event)).text
    _assert_escaped(html)
    if path != "/events":
        assert "&lt;script&gt;" in html or "&lt;b onmouseover" in html  # shown, as text


def test_chart_text_is_escaped_and_marks_link_to_sentences():
    rows = [{"doc_id": "x", "idx": 0, "figure": "5", "figure_key": "5", "reading": "read as 5", "value": 5, "low": 5,
             "high": 5, "source": "x", "source_name": "<script>alert(9)</script>", "published": None},
            {"doc_id": "y", "idx": 3, "figure": "at least 7", "figure_key": "at least 7", "reading": "read as 7 or more",
             "value": 7, "low": 7, "high": None, "source": "y", "source_name": 'y" onload="alert(8)', "published": None}]
    entries = source_figures([ClaimRow(r, quote=r["figure"], claimant=None) for r in rows])
    svg = interval_svg(interval_chart(entries, {}, lambda d, i: f"/documents/{d}#claim-{i}"))
    assert "<script" not in svg and 'onload="' not in svg
    assert "&lt;script&gt;alert(9)" in svg
    assert 'href="/documents/x#claim-0"' in svg and 'href="/documents/y#claim-3"' in svg
    assert svg.count("<circle") == 2 and svg.count("<path") == 1  # a dot each, ▶ for the open one


def test_search_covers_text_and_titles_ranks_and_filters(client):
    page = get_json(client, "/search.json?q=bridge%20collapsed")
    assert {r["doc_id"] for r in page["results"]} >= {SLASH_ID, HOSTILE_ID}
    hit = next(r for r in page["results"] if r["claims"])
    assert any(s["match"] for s in hit["snippet"])
    doc = get_json(client, doc_path(hit["doc_id"]) + ".json")
    pieces = [s["text"].strip("…") for s in hit["snippet"]]
    assert all(p in doc["text"] for p in pieces)
    assert hit["claims"] and hit["claims"][0]["href"].startswith("/documents/")
    # A name that stands in a document's text but in no figure's sentence.
    osvany = get_json(client, "/search.json?q=Osvany")
    assert osvany["total"] >= 1 and osvany["results"][0]["doc_id"] == "velmora-followup"
    # Titles (or the headline that opens the text): the report they name ranks first.
    titled = get_json(client, "/search.json?q=governor%20revises")
    assert titled["results"][0]["doc_id"] == "kessar-update-1"
    stemmed = get_json(client, "/search.json?q=kill")  # Porter stemming: "kill" finds "killed"
    assert stemmed["total"] > 0
    # Filters: one event; passages beside a figure of one measure.
    anywhere = get_json(client, "/search.json?q=killed")
    in_event = get_json(client, f"/search.json?q=killed&event={VELMORA}")
    assert 0 < in_event["total"] < anywhere["total"]
    assert {r["doc_id"] for r in in_event["results"]} <= {"velmora-wire", "velmora-wire-reprint", "velmora-local",
                                                           "velmora-ngo", "velmora-followup"}
    wounded = get_json(client, f"/search.json?q=killed&event={VELMORA}&measure=wounded")
    assert 0 < wounded["total"] < in_event["total"]
    assert all(any(c["measure"] == "wounded" for c in r["claims"]) for r in wounded["results"])
    for awkward in ('"unbalanced', "AND OR (", "NEAR(", "*", "-"):
        assert client.get("/search.json", params={"q": awkward}).status_code == 200
    assert get_json(client, "/search.json?q=")["results"] == []
    html = client.get(f"/search?q=killed&event={VELMORA}").text
    assert f'<option value="{VELMORA}" selected>' in html


def test_fts_query_quotes_every_term():
    assert fts_query('killed "at least" hostag* )') == '"killed" "at least" "hostag"*'
    assert fts_query('say "it\'s') == '"say" """it\'s"'  # an unbalanced quote is a character, quoted
    assert fts_query("   ") == ""


def test_search_index_follows_an_ingest_running_alongside(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "one.txt").write_text("At least 5 people were killed in Adrin on Monday, police said.\n")
    db = tmp_path / "ledger.db"
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", str(corpus), "--db", str(db), "--engine", "serial", "--quiet"]).exit_code == 0
    with _client(db) as c:
        assert get_json(c, "/search.json?q=flood")["total"] == 0
        (corpus / "two.txt").write_text("The flood killed 40 people in Lussa on Tuesday, officials said.\n")
        result = runner.invoke(cli, ["ingest", str(corpus), "--db", str(db), "--engine", "serial", "--quiet"])
        assert result.exit_code == 0, result.output
        assert get_json(c, "/search.json?q=flood")["total"] == 1
        assert "two" in {d["doc_id"] for d in get_json(c, "/corpus.json")["documents"]}


def test_the_ledger_is_opened_read_only(ledger, client):
    before = hashlib.sha256(ledger.read_bytes()).hexdigest()
    for path in PAGES:
        client.get(path)
    assert hashlib.sha256(ledger.read_bytes()).hexdigest() == before
    assert client.app.state.served.ledger.readonly


def test_highlight_nests_spans_and_escapes_text():
    text = "MENU <b>x</b>\nAt least 27 people were killed. Later 3 died & 2 <i>fled</i>."
    claims = [
        {"idx": 0, "start": 14, "end": 25, "sentence_start": 14, "sentence_end": 46, "measure": "killed",
         "subgroup": None, "figure": "at least 27", "claimant": "<script>x</script>"},
        {"idx": 1, "start": 14, "end": 25, "sentence_start": 14, "sentence_end": 46, "measure": "killed",
         "subgroup": "children", "figure": "27", "claimant": None},
        {"idx": 2, "start": 53, "end": 54, "sentence_start": 47, "sentence_end": len(text), "measure": "killed",
         "subgroup": None, "figure": "3", "claimant": None},
    ]
    html = str(document_html(text, [[0, 20]], claims))  # the boilerplate runs into the first sentence
    assert "<b>" not in html and "<i>" not in html and "<script>" not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "&amp;" in html
    assert html.count('id="claim-0"') == 1 and html.count('id="claim-1"') == 1 and 'id="claim-2"' in html
    assert html.count("<mark") == html.count("</mark>") and html.count("<span") == html.count("</span>")
    # The text, without the markup, is the document's text unchanged.
    plain = re.sub(r"<[^>]+>", "", html).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    assert plain == text.replace('"', "&#34;")


def test_report_is_one_self_contained_file(ledger, tmp_path):
    out = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["report", "--db", str(ledger), "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert not list(tmp_path.glob(".*.part"))
    assert "<svg" in html and "<style>" in html
    assert "Content-Security-Policy" in html
    for external in ("<script", "<link", "<img", "@import", "url(", 'src="'):
        assert external not in html, external
    _assert_escaped(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # Every link inside the file leads somewhere in it; the only others are documents' own web addresses.
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    for href in re.findall(r'href="([^"]*)"', html):
        if href.startswith("#"):
            assert href[1:] in ids, href
        else:
            assert href.startswith(("https://", "http://")), href
    assert VELMORA in html and "velmora-wire-reprint" in html


def test_report_to_a_missing_folder_fails_cleanly(ledger, tmp_path):
    result = CliRunner().invoke(cli, ["report", "--db", str(ledger), "-o", str(tmp_path / "no" / "r.html")])
    assert result.exit_code == 1
    assert "cannot write" in result.output


def test_serve_refuses_a_missing_ledger(tmp_path):
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "missing.db")])
    assert result.exit_code == 1
    assert "no such ledger" in result.output


def test_serve_command_serves_the_ledger(ledger):
    """`claimledger serve` as a user runs it: a process on 127.0.0.1, stopped when done."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "claimledger.cli", "serve", "--db", str(ledger),
                                "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/events.json", timeout=5)
                break
            except httpx.TransportError:
                assert process.poll() is None, process.stdout.read().decode()
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        assert response.status_code == 200 and response.json()["events"]
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_serve_on_a_busy_port_says_so_in_one_line(ledger):
    import socket

    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen(1)
    try:
        port = holder.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--db", str(ledger), "--port", str(port)])
    finally:
        holder.close()
    assert result.exit_code == 1
    assert "Serving" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and f"port {port}" in lines[0] and "in use" in lines[0]
