"""What each page shows, as plain data: the JSON twin as it is, and what the HTML templates (and the report) render.

Every function here takes a `Ledger` (read inside one snapshot by the
caller) and a links object (`web/links.py`), and returns a dict of strings,
numbers, lists and dicts. Nothing here knows about HTTP or HTML. A figure is
always given with its hedge ("at least 27", "200–999 (vague)") and the link to
its sentence.
"""
from __future__ import annotations

import math
import re
from collections import defaultdict

from claimledger.errors import ClaimledgerError
from claimledger.present.charts import MAX_COLOURED_SOURCES, interval_chart, time_chart
from claimledger.present.tables import STATUS_ORDER
from claimledger.reconcile import figure_text, group_key
from claimledger.records import Finding
from claimledger.store import Ledger
from claimledger.web import queries

MAX_ROWS_PER_GROUP = 100  # claims listed per (measure, subgroup) unless "show all"
MAX_LISTED = 25  # sources and claimants listed per group unless "show all"
MAX_DOCUMENTS = 500  # documents on the corpus page unless "show all"
FIGURE_DOC_IDS = 5  # document ids named beside a figure on the events page


class NotFound(ClaimledgerError):
    """The ledger holds no such event or document."""


def measure_label(measure: str, subgroup: str | None) -> str:
    label = measure.replace("_", " ")
    return f"{label} · {subgroup.replace('_', ' ')}" if subgroup else label


def range_text(low: int | None, high: int | None) -> str:
    if low is None and high is None:
        return "—"
    if high is None:
        return f"{low:,} or more"
    if low is None:
        return f"up to {high:,}"
    return f"{low:,}" if low == high else f"{low:,}–{high:,}"


def group_anchor(measure: str, subgroup: str | None) -> str:
    raw = measure + (f"--{subgroup}" if subgroup else "")
    return "m-" + re.sub(r"[^A-Za-z0-9_-]+", "-", raw)


def _figure(claim) -> str:
    try:
        return figure_text(claim)
    except (TypeError, ValueError):  # a row the extractor never writes (an exact figure without a value)
        return range_text(claim.low, claim.high)


def claim_row(row: dict, links, claim=None) -> dict:
    """One claim as the pages show it: the figure with its hedge, who says so, where, and the sentence."""
    claim = claim or queries.as_claim(row)
    evidence = row.get("evidence")
    out = {
        "doc_id": row["doc_id"], "idx": row["idx"], "href": links.claim(row["doc_id"], row["idx"]),
        "document_href": links.document(row["doc_id"]),
        "figure": _figure(claim), "measure": row["measure"], "subgroup": row["subgroup"],
        "qualifier": row["qualifier"], "value": row["value"], "low": row["low"], "high": row["high"],
        "claimant": row["claimant"], "victim": row["victim"], "scope": row["scope"],
        "wider_scope": bool(row["wider_scope"]), "breakdown_of": row["breakdown_of"], "event": row["event"],
        "event_href": links.event(row["event"]) if row["event"] else None,
        "start": row["start"], "end": row["end"],
        "sentence_start": row["sentence_start"], "sentence_end": row["sentence_end"],
    }
    if "title" in row:
        source = row["source"]
        out.update(title=row["title"], published=row["published"], source=source,
                   copy_of=source if source != row["doc_id"] else None)
    if evidence is not None:
        a = min(max(row["start"] - row["sentence_start"], 0), len(evidence))
        b = min(max(row["end"] - row["sentence_start"], a), len(evidence))
        out.update(evidence=evidence, evidence_figure=[a, b])
    return out


def _by_count(entries: list[dict], key: str) -> list[dict]:
    """Sources or claimants, those behind the most documents first."""
    return sorted(entries, key=lambda g: (-len(g[key]), g["name"] or ""))


def _group(finding: Finding, rows: list[dict], links, show_all: bool, palette: list[str]) -> dict:
    """One (measure, subgroup) of an event; `rows` are light claim rows (no sentence yet: see `event_page`)."""
    rows = sorted(rows, key=lambda r: (r["low"] if r["low"] is not None else 0,
                                       r["high"] if r["high"] is not None else math.inf,
                                       r["published"] or "", r["doc_id"], r["idx"]))
    # Ordered sets (dicts): each list keeps its items once, in the order of the rows (lowest first); a figure
    # keeps the first row that gives it, to link to that row's sentence.
    fig_docs: dict[str, dict] = defaultdict(dict)
    fig_first: dict[str, dict] = {}
    src_docs: dict[str, dict] = defaultdict(dict)
    src_figs: dict[str, dict] = defaultdict(dict)
    who_docs: dict[str | None, dict] = defaultdict(dict)
    who_figs: dict[str | None, dict] = defaultdict(dict)
    for r in rows:
        doc_id, figure, source, claimant = r["doc_id"], r["figure"], r["source"], r["claimant"]
        fig_docs[figure][doc_id] = None
        fig_first.setdefault(figure, r)
        src_docs[source][doc_id] = None
        src_figs[source].setdefault(figure, r)
        who_docs[claimant][doc_id] = None
        who_figs[claimant].setdefault(figure, r)

    def linked(first: dict[str, dict]) -> list[dict]:
        return [{"figure": f, "href": links.claim(r["doc_id"], r["idx"])} for f, r in first.items()]

    listed = None if show_all else MAX_LISTED
    sources = _by_count([{"name": s, "href": links.document(s), "documents": list(docs)}
                         for s, docs in src_docs.items()], "documents")[:listed]
    claimants = _by_count([{"name": c, "documents": list(docs)} for c, docs in who_docs.items()], "documents")[:listed]
    for entry in sources:
        entry["figures"] = linked(src_figs[entry["name"]])
    for entry in claimants:
        entry["figures"] = linked(who_figs[entry["name"]])
    return {
        "measure": finding.measure, "subgroup": finding.subgroup,
        "label": measure_label(finding.measure, finding.subgroup),
        "anchor": group_anchor(finding.measure, finding.subgroup),
        "status": finding.status, "low": finding.low, "high": finding.high,
        "range": range_text(finding.low, finding.high),
        "claims": finding.claims, "documents": len(finding.doc_ids),
        "independent_sources": finding.independent_sources,
        "first_published": finding.first_published, "last_published": finding.last_published,
        "flags": list(finding.flags),
        "figures": [{"figure": f, "href": link["href"], "doc_ids": list(fig_docs[f])}
                    for link, f in zip(linked(fig_first), fig_first)],
        "sources": sources, "sources_total": len(src_docs),
        "claimants": claimants, "claimants_total": len(who_docs),
        "rows": rows if show_all else rows[:MAX_ROWS_PER_GROUP], "rows_total": len(rows),
        "charts": {"interval": interval_chart(rows, palette, links.claim),
                   "time": time_chart(rows, palette, links.claim)},
    }


def _status_key(f: Finding):
    return STATUS_ORDER.get(f.status, 3), f.measure, f.subgroup or ""


def event_page(ledger: Ledger, event: str, links, show_all: bool = False) -> dict:
    """One event: for each measure and subgroup (conflicts first) its figures by source, charts and evidence.

    Every claim of the event is read (light: no sentence) for the figures,
    sources, claimants and charts; only the claims listed (at most
    MAX_ROWS_PER_GROUP per group unless `show_all`) are read again with
    their sentence and title. That keeps an event of 10,000 claims fast.
    """
    findings = sorted((f for f in ledger.findings() if f.event == event), key=_status_key)
    raw = queries.event_claims(ledger.db, event)
    reports = queries.event_documents(ledger.db, event)
    if not findings and not raw and not reports:
        raise NotFound(f"The ledger holds no event {event!r}.")
    by_group: dict[tuple, list[dict]] = defaultdict(list)
    others: list[dict] = []
    figure_of: dict[tuple, str] = {}  # many claims share a wording: say each once
    for r in raw:
        claim = queries.as_claim(r)
        wording = (r["qualifier"], r["value"], r["low"], r["high"])
        figure = figure_of.get(wording)
        if figure is None:
            figure = figure_of[wording] = _figure(claim)
        r["figure"] = figure
        key = group_key(claim)  # reconcile's own rule says which claims make up a finding
        (by_group[key] if key is not None else others).append(r)
    # Each source keeps one colour in every chart of the event (the charts colour sources while there are few).
    sources = sorted({r["source"] for r in raw})
    palette = sources if len(sources) <= MAX_COLOURED_SOURCES else []
    groups = [_group(f, by_group.get((f.event, f.measure, f.subgroup), []), links, show_all, palette)
              for f in findings]
    others.sort(key=lambda r: (r["doc_id"], r["idx"]))
    others_shown = others if show_all else others[:MAX_ROWS_PER_GROUP]
    listed = [(r["doc_id"], r["idx"]) for g in groups for r in g["rows"]]
    listed += [(r["doc_id"], r["idx"]) for r in others_shown]
    full = queries.with_evidence(ledger.db, listed)
    for g in groups:
        g["rows"] = [claim_row(full[(r["doc_id"], r["idx"])], links) for r in g["rows"]]
    events = {f.event for f in ledger.findings()}
    related = [e for e in (f"{event}-wider", event.removesuffix("-wider")) if e != event and e in events]
    return {
        "event": event,
        "stale": ledger.findings_stale(),
        "show_all": show_all,
        "counts": {"measures": len(groups), "conflicts": sum(g["status"] == "conflicting" for g in groups),
                   "claims": len(raw), "documents": len({r["doc_id"] for r in raw}),
                   "sources": len(sources)},
        "groups": groups,
        "other_claims": [claim_row(full[(r["doc_id"], r["idx"])], links) for r in others_shown],
        "other_claims_total": len(others),
        "related_events": [{"event": e, "href": links.event(e)} for e in related],
        # every report of the incident, figures or not
        "reports": [{**r, "href": links.document(r["doc_id"])} for r in reports],
    }


def events_page(ledger: Ledger, links) -> dict:
    """Every event with its measures, conflicts first, each figure linked to a sentence that gives it."""
    findings = ledger.findings()
    first_claim: dict[tuple, dict[str, dict]] = defaultdict(dict)
    docs_by_event: dict[str, set[str]] = defaultdict(set)
    claims_by_event: dict[str, int] = defaultdict(int)
    for r in queries.claim_figures(ledger.db):
        claims_by_event[r["event"]] += 1
        docs_by_event[r["event"]].add(r["doc_id"])
        claim = queries.as_claim(r)
        key = group_key(claim)
        if key is None:
            continue
        figure = _figure(claim)
        entry = first_claim[key].get(figure)
        if entry is None:
            first_claim[key][figure] = {"figure": figure, "href": links.claim(r["doc_id"], r["idx"]),
                                        "doc_ids": [r["doc_id"]], "documents": 1, "_low": r["low"] or 0,
                                        "_last": r["doc_id"]}
        elif entry["_last"] != r["doc_id"]:  # rows come in document order
            entry["_last"] = r["doc_id"]
            entry["documents"] += 1
            if len(entry["doc_ids"]) < FIGURE_DOC_IDS:
                entry["doc_ids"].append(r["doc_id"])
    by_event: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        by_event[f.event].append(f)
    events = []
    for event, group in by_event.items():
        measures = []
        for f in sorted(group, key=_status_key):
            figures = sorted(first_claim[(f.event, f.measure, f.subgroup)].values(), key=lambda e: e["_low"])
            measures.append({
                "measure": f.measure, "subgroup": f.subgroup, "label": measure_label(f.measure, f.subgroup),
                "href": links.group(event, group_anchor(f.measure, f.subgroup)),
                "status": f.status, "range": range_text(f.low, f.high), "low": f.low, "high": f.high,
                "claims": f.claims, "documents": len(f.doc_ids), "independent_sources": f.independent_sources,
                "flags": list(f.flags),
                "figures": [{k: v for k, v in e.items() if not k.startswith("_")} for e in figures],
            })
        dates = [d for f in group for d in (f.first_published, f.last_published) if d]
        events.append({
            "event": event, "href": links.event(event),
            "conflicts": sum(m["status"] == "conflicting" for m in measures),
            "claims": claims_by_event.get(event, 0), "documents": len(docs_by_event.get(event, ())),
            "first_published": min(dates) if dates else None, "last_published": max(dates) if dates else None,
            "measures": measures,
        })
    events.sort(key=lambda e: (-e["conflicts"], e["event"]))
    return {"stale": ledger.findings_stale(), "events": events,
            "counts": {"events": len(events), "conflicts": sum(e["conflicts"] for e in events),
                       "findings": len(findings)}}


def document_page(ledger: Ledger, doc_id: str, links) -> dict:
    """One document: metadata, text with boilerplate marked, every claim it makes, documents it shares text with."""
    doc = queries.document(ledger.db, doc_id)
    if doc is None:
        raise NotFound(f"The ledger holds no document {doc_id!r}.")
    claims = [claim_row(r, links) for r in queries.document_claims(ledger.db, doc_id)]
    relations = [{**r, "href": links.document(r["doc_id"])} for r in queries.document_relations(ledger.db, doc_id)]
    source = doc.pop("source")
    return {
        **doc,
        "stale": ledger.findings_stale(),
        "url_is_web": is_web_url(doc["url"]),
        "source": source, "source_href": links.document(source), "copy_of": source if source != doc_id else None,
        "claims": claims,
        "relations": relations,
    }


def is_web_url(url: str | None) -> bool:
    """Only http(s) addresses become links; anything else (javascript:, data:) stays text."""
    return bool(url) and re.match(r"(?i)^https?://[^\s]+$", url) is not None


def corpus_page(ledger: Ledger, links, show_all: bool = False) -> dict:
    """The documents read (with their metadata) and every input that was skipped, with its reason."""
    docs, total = queries.document_list(ledger.db, None if show_all else MAX_DOCUMENTS)
    for d in docs:
        d["href"] = links.document(d["doc_id"])
        d["url_is_web"] = is_web_url(d["url"])
    known = {d["doc_id"] for d in docs}
    skipped = [{"origin": s.origin, "doc_id": s.doc_id, "reason": s.reason,
                "href": links.document(s.doc_id) if s.doc_id in known else None} for s in ledger.skipped()]
    return {
        "stale": ledger.findings_stale(),
        "counts": ledger.counts(),
        "documents": docs, "documents_total": total, "show_all": show_all,
        "skipped": skipped,
    }


def search_page(ledger: Ledger, index, text: str, links) -> dict:
    """Evidence sentences matching the words searched for, each with the figures it carries."""
    text = text.strip()
    results, total = index.search(text) if text else ([], 0)
    keys = [(r["doc_id"], idx) for r in results for idx in r["claim_idx"]]
    claims = queries.claims_by_key(ledger.db, keys)
    for r in results:
        r["document_href"] = links.document(r["doc_id"])
        r["href"] = links.claim(r["doc_id"], r["claim_idx"][0]) if r["claim_idx"] else r["document_href"]
        r["claims"] = [claim_row(claims[(r["doc_id"], idx)], links) for idx in r.pop("claim_idx")
                       if (r["doc_id"], idx) in claims]
    return {"q": text, "stale": ledger.findings_stale(), "results": results, "total": total, "shown": len(results)}
