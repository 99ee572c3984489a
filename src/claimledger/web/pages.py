"""What each page shows, as plain data: the JSON twin as it is, and what the HTML templates (and the report) render.

Every function here takes a `Ledger` (read inside one snapshot by the
caller) and a links object (`web/links.py`), and returns a dict of strings,
numbers, lists and dicts. Nothing here knows about HTTP or HTML. A figure is
always given as the report wrote it ("at least 27", "hundreds"), with the
tool's reading beside it and the link to its sentence; a document by its
outlet or title (`web/findings.py`).
"""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import PurePath

from claimledger.errors import ClaimledgerError
from claimledger.present.charts import interval_chart, source_colours, time_chart
from claimledger.present.figures import document_label, document_name
from claimledger.store import Ledger
from claimledger.web import queries
from claimledger.web.findings import (
    ClaimViews,
    legend,
    lowest_first,
    measure_view,
    reading_order,
    rows_by_group,
    source_figures,
)

MAX_ROWS_PER_GROUP = 100  # claims listed per (measure, subgroup) unless "show all"
MAX_DOCUMENTS = 500  # documents on the corpus page unless "show all"


class NotFound(ClaimledgerError):
    """The ledger holds no such event, document or claim."""


def _charts(group: dict, entries: list[dict], colours: dict[str, str], links) -> dict:
    """The charts a group needs: none when its claims state one figure; over time only where dates differ."""
    if not group["figures_differ"]:
        return {"interval": None, "time": None}
    over_time = time_chart(entries, colours, links.claim)
    return {"interval": interval_chart(entries, colours, links.claim),
            "time": over_time if over_time["dates"] > 1 else None}


def event_page(ledger: Ledger, event: str, links, show_all: bool = False) -> dict:
    """One event: a row per measure and subgroup (conflicts first) with its figures as written, status and
    reason, and sources; charts where figures differ; every claim with its sentence.

    Every claim of the event is read (light: no sentence) for the figures,
    sources and charts; only the claims listed (at most MAX_ROWS_PER_GROUP
    per group unless `show_all`) are read again with their sentence. That
    keeps an event of 10,000 claims fast.
    """
    findings = [f for f in ledger.findings() if f.event == event]
    raw = queries.event_claims(ledger.db, event)
    reports = queries.event_documents(ledger.db, event)
    if not findings and not raw and not reports:
        raise NotFound(f"The ledger holds no event {event!r}.")
    views = ClaimViews(links)
    by_group, others = rows_by_group(raw, views)
    sources = sorted({r["source"] for r in raw})
    colours = source_colours(sources)  # each source keeps one colour in every chart of the event
    groups = []
    for f in findings:
        rows = lowest_first(by_group.get((f.event, f.measure, f.subgroup), []))
        entries = source_figures(rows)
        group = measure_view(f, rows, links, entries)
        group.update(rows=rows if show_all else rows[:MAX_ROWS_PER_GROUP], rows_total=len(rows),
                     charts=_charts(group, entries, colours, links))
        groups.append(group)
    groups.sort(key=reading_order)
    others.sort(key=lambda r: (r["doc_id"], r["idx"]))
    others_shown = others if show_all else others[:MAX_ROWS_PER_GROUP]
    listed = [(r["doc_id"], r["idx"]) for g in groups for r in g["rows"]]
    listed += [(r["doc_id"], r["idx"]) for r in others_shown]
    full = queries.with_evidence(ledger.db, listed)
    for g in groups:
        g["rows"] = [views.full(full[(r["doc_id"], r["idx"])]) for r in g["rows"]]
    events = {f.event for f in ledger.findings()}
    related = [e for e in (f"{event}-wider", event.removesuffix("-wider")) if e != event and e in events]
    return {
        "event": event,
        "stale": ledger.findings_stale(),
        "show_all": show_all,
        "legend": legend(),
        "counts": {"measures": len(groups), "conflicts": sum(g["status"] == "conflicting" for g in groups),
                   "claims": len(raw), "documents": len({r["doc_id"] for r in raw}),
                   "sources": len(sources)},
        "groups": groups,
        "other_claims": [views.full(full[(r["doc_id"], r["idx"])]) for r in others_shown],
        "other_claims_total": len(others),
        "related_events": [{"event": e, "href": links.event(e)} for e in related],
        # every report of the incident, figures or not
        "reports": [{**r, "href": links.document(r["doc_id"]), "name": document_name(r["doc_id"], r["title"], r["site"])}
                    for r in reports],
    }


def events_page(ledger: Ledger, links) -> dict:
    """Every event with its measures (conflicts first), each figure as written, linked to a sentence that
    gives it, with the sources behind it."""
    findings = ledger.findings()
    views = ClaimViews(links)
    by_group, _ = rows_by_group(queries.claim_figures(ledger.db), views)
    docs_by_event: dict[str, set[str]] = defaultdict(set)
    claims_by_event: dict[str, int] = defaultdict(int)
    for (event, _, _), rows in by_group.items():
        claims_by_event[event] += len(rows)
        docs_by_event[event].update(row["doc_id"] for row in rows)
    by_event: dict[str, list] = defaultdict(list)
    for f in findings:
        by_event[f.event].append(measure_view(f, lowest_first(by_group.get((f.event, f.measure, f.subgroup), [])),
                                              links))
    events = []
    for event, measures in by_event.items():
        measures.sort(key=reading_order)
        dates = [d for m in measures for d in (m["first_published"], m["last_published"]) if d]
        events.append({
            "event": event, "href": links.event(event),
            "conflicts": sum(m["status"] == "conflicting" for m in measures),
            "claims": claims_by_event.get(event, 0), "documents": len(docs_by_event.get(event, ())),
            "first_published": min(dates) if dates else None, "last_published": max(dates) if dates else None,
            "measures": measures,
        })
    events.sort(key=lambda e: (-e["conflicts"], e["event"]))
    return {"stale": ledger.findings_stale(), "legend": legend(), "events": events,
            "counts": {"events": len(events), "conflicts": sum(e["conflicts"] for e in events),
                       "findings": len(findings)}}


def origin_name(origin: str | None) -> str | None:
    """Where a document was read from, without the folders of this machine: the file name (and its line or
    record), never a local path."""
    if not origin:
        return origin
    if re.match(r"(?i)^[a-z][a-z0-9+.-]*://", origin):
        return origin
    return PurePath(origin.replace("\\", "/")).name or origin


def document_page(ledger: Ledger, doc_id: str, links) -> dict:
    """One document: metadata, text with boilerplate marked, every claim it makes, documents it shares text with."""
    doc = queries.document(ledger.db, doc_id)
    if doc is None:
        raise NotFound(f"The ledger holds no document {doc_id!r}.")
    views = ClaimViews(links)
    claims = [views.full(r) for r in queries.document_claims(ledger.db, doc_id)]
    relations = [{**r, "href": links.document(r["doc_id"]), "name": document_name(r["doc_id"], r["title"], r["site"])}
                 for r in queries.document_relations(ledger.db, doc_id)]
    source = doc.pop("source")
    source_title, source_site = doc.pop("source_title"), doc.pop("source_site")
    return {
        **doc,
        "origin": origin_name(doc["origin"]),
        "name": document_name(doc_id, doc["title"], doc["site"]),
        "stale": ledger.findings_stale(),
        "url_is_web": is_web_url(doc["url"]),
        "source": source, "source_href": links.document(source),
        "copy_of": document_name(source, source_title, source_site) if source != doc_id else None,
        "claims": claims,
        "relations": relations,
    }


def claim_target(ledger: Ledger, claim_id: str, links) -> str:
    """Where a claim's permalink leads: its figure, highlighted in its sentence on the document page."""
    found = queries.claim_by_id(ledger.db, claim_id)
    if found is None:
        raise NotFound(f"The ledger holds no claim {claim_id!r}.")
    return links.claim(*found)


def is_web_url(url: str | None) -> bool:
    """Only http(s) addresses become links; anything else (javascript:, data:) stays text."""
    return bool(url) and re.match(r"(?i)^https?://[^\s]+$", url) is not None


def corpus_page(ledger: Ledger, links, show_all: bool = False) -> dict:
    """The documents read (with their metadata) and every input that was skipped, with its reason."""
    docs, total = queries.document_list(ledger.db, None if show_all else MAX_DOCUMENTS)
    for d in docs:
        d["href"] = links.document(d["doc_id"])
        d["url_is_web"] = is_web_url(d["url"])
        d["name"] = document_name(d["doc_id"], d["title"], d["site"])
        d["source_name"] = document_name(d["source"], d.pop("source_title"), d.pop("source_site"))
    known = {d["doc_id"] for d in docs}
    skipped = [{"origin": origin_name(s.origin), "doc_id": s.doc_id, "reason": s.reason,
                "href": links.document(s.doc_id) if s.doc_id in known else None} for s in ledger.skipped()]
    return {
        "stale": ledger.findings_stale(),
        "counts": ledger.counts(),
        "documents": docs, "documents_total": total, "show_all": show_all,
        "skipped": skipped,
    }


def search_page(ledger: Ledger, index, text: str, links, event: str = "", measure: str = "") -> dict:
    """Paragraphs and titles matching the words searched for (best first), each with the figures that stand
    in it; kept to one event or measure when asked."""
    text, event, measure = text.strip(), event.strip(), measure.strip()
    results, total = index.search(text, event or None, measure or None) if text else ([], 0)
    views = ClaimViews(links)
    claims = queries.with_evidence(ledger.db, [(r["doc_id"], idx) for r in results for idx in r["claim_idx"]])
    docs = queries.document_names(ledger.db, sorted({r["doc_id"] for r in results}))
    for r in results:
        title, site, published = docs.get(r["doc_id"], (None, None, None))
        r.update(document_href=links.document(r["doc_id"]), title=title, published=published,
                 name=document_name(r["doc_id"], title, site),
                 label=document_label(r["doc_id"], title, site, published))
        r["claims"] = [views.full(claims[(r["doc_id"], idx)]) for idx in r.pop("claim_idx")
                       if (r["doc_id"], idx) in claims]
        r["href"] = r["claims"][0]["href"] if r["claims"] else r["document_href"]
    findings = ledger.findings()
    return {"q": text, "event": event, "measure": measure, "stale": ledger.findings_stale(),
            "results": results, "total": total, "shown": len(results),
            "events": sorted({f.event for f in findings}), "measures": sorted({f.measure for f in findings})}
