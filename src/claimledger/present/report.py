"""`claimledger report`: the events, charts and evidence of a ledger in ONE self-contained HTML file.

For sending to an editor: the CSS is inline, the charts are inline SVG, there
is no script and nothing to fetch (a Content-Security-Policy in the file
says so to the browser). It shows what the web app's events and event pages
show (`claimledger.web.pages`), every claim listed, each figure linking to its
row, which holds the sentence; a list of the documents cited closes it. The
file is written beside its target and renamed into place.
"""
from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from claimledger.present.charts import group_charts
from claimledger.present.export import write_atomically
from claimledger.present.figures import document_name
from claimledger.store import Ledger
from claimledger.web import pages, queries
from claimledger.web.links import ReportLinks
from claimledger.web.render import environment, stylesheet


def report_html(ledger: Ledger, title: str | None = None) -> tuple[str, dict]:
    """The whole report as one HTML string (every claim of every event listed), and what it holds."""
    links = ReportLinks()
    with ledger.snapshot():  # one state of the ledger, even while an ingest writes it
        overview = pages.events_page(ledger, links)
        events = [pages.event_page(ledger, e["event"], links, show_all=True) for e in overview["events"]]
        documents, _ = queries.document_list(ledger.db, None)
        skipped = len(ledger.skipped())
    cited = {r["doc_id"] for event in events for g in event["groups"] for r in g["rows"]}
    cited |= {r["doc_id"] for event in events for r in event["other_claims"]}
    for d in documents:
        d["url_is_web"] = pages.is_web_url(d["url"])
        d["source_name"] = document_name(d["source"], d.pop("source_title"), d.pop("source_site"))
    svgs = [[{k: Markup(v) for k, v in group_charts(g).items()} for g in event["groups"]] for event in events]
    html = environment().get_template("report.html").render(
        title=title or f"Reported figures in {Path(ledger.path).name}",
        ledger_name=Path(ledger.path).name,
        overview=overview, events=events, svgs=svgs, links=links, css=stylesheet(),
        documents=[d for d in documents if d["doc_id"] in cited], documents_total=len(documents),
        skipped=skipped, report=True,
    )
    held = {"events": len(events), "claims": sum(e["counts"]["claims"] for e in events), "documents": len(cited)}
    return html, held


def write_report(ledger: Ledger, output: Path, title: str | None = None) -> dict:
    """Write the report to `output` atomically; returns what it holds (events, claims, documents, bytes)."""
    html, held = report_html(ledger, title)
    data = html.encode("utf-8")
    write_atomically(Path(output), data)
    return {**held, "bytes": len(data)}
