"""Findings as the pages, the report and `show` say them: figures as written, sources by name, a plain
status with its reason.

`claim_view` completes a claim row of `web/queries.py` (figure as written,
the tool's reading, source and document names, links); `measure_view` turns
one finding and its claims into what a row of the measures table says;
`figure_views` gathers a group's claims by figure. Nothing here knows about
HTTP or HTML.
"""
from __future__ import annotations

import heapq
import re
from collections import defaultdict

from claimledger.present.figures import (
    document_label,
    document_name,
    figure_words,
    interval_text,
    reading_text,
    reported_range,
    wording_label,
)
from claimledger.reconcile import figure_text, group_key
from claimledger.reconcile.reasons import READING_LABELS, READING_MEANINGS, READINGS, reading, status_reason
from claimledger.records import Finding, claim_id
from claimledger.web.queries import ClaimRow

FIGURE_SOURCES = 3  # sources named beside a figure before "and N more"


def measure_label(measure: str, subgroup: str | None) -> str:
    label = measure.replace("_", " ")
    return f"{label} · {subgroup.replace('_', ' ')}" if subgroup else label


def group_anchor(measure: str, subgroup: str | None) -> str:
    raw = measure + (f"--{subgroup}" if subgroup else "")
    return "m-" + re.sub(r"[^A-Za-z0-9_-]+", "-", raw)


def legend() -> list[dict]:
    """What each status means, in the order pages list them."""
    return [{"reading": r, "label": READING_LABELS[r], "meaning": READING_MEANINGS[r]} for r in READINGS]


def _figure_key(claim) -> str:
    try:
        return figure_text(claim)  # the tool's reading: claims with one reading state the same figure
    except (TypeError, ValueError):  # a row the extractor never writes (an exact figure without a value)
        return interval_text(claim.low, claim.high)


class ClaimViews:
    """Completes claim rows for the pages, remembering what many rows share (readings, source names)."""

    def __init__(self, links):
        self.links = links
        self._keys: dict[tuple, tuple[str, str]] = {}
        self._names: dict[tuple, str] = {}

    def name(self, doc_id: str, title: str | None, site: str | None) -> str:
        key = (doc_id, title, site)
        name = self._names.get(key)
        if name is None:
            name = self._names[key] = document_name(doc_id, title, site)
        return name

    def light(self, row: ClaimRow) -> ClaimRow:
        """The row with its figure (as written), reading and source name added."""
        wording = (row["qualifier"], row["value"], row["low"], row["high"])
        known = self._keys.get(wording)
        if known is None:
            known = self._keys[wording] = (_figure_key(row), reading_text(row))
        row["figure_key"], row["reading"] = known
        row["figure"] = figure_words(row["quote"]) or known[0]
        row["source_name"] = self.name(row["source"], row.get("source_title"), row.get("source_site"))
        return row

    def full(self, row: dict) -> dict:
        """One claim as the pages list it: the figure as written, who says so, where, and the sentence."""
        if "figure_key" not in row:
            self.light(row)
        links = self.links
        doc_id = row["doc_id"]
        cid = claim_id(doc_id, row["start"], row["end"], row["measure"], row["subgroup"], row["victim"])
        out = {
            "claim_id": cid, "doc_id": doc_id, "idx": row["idx"], "href": links.claim(doc_id, row["idx"]),
            "permalink": links.permalink(cid, doc_id, row["idx"]), "document_href": links.document(doc_id),
            "figure": row["figure"], "quote": row["quote"], "reading": row["reading"],
            "measure": row["measure"], "subgroup": row["subgroup"], "qualifier": row["qualifier"],
            "value": row["value"], "low": row["low"], "high": row["high"],
            "claimant": row["claimant"], "victim": row["victim"], "scope": row["scope"],
            "wider_scope": bool(row["wider_scope"]), "breakdown_of": row["breakdown_of"], "event": row["event"],
            "event_href": links.event(row["event"]) if row["event"] else None,
            "start": row["start"], "end": row["end"],
            "sentence_start": row["sentence_start"], "sentence_end": row["sentence_end"],
            "title": row["title"], "published": row["published"], "site": row["site"],
            "document_name": self.name(doc_id, row["title"], row["site"]),
            "document_label": document_label(doc_id, row["title"], row["site"], row["published"]),
            "source": row["source"], "source_name": row["source_name"],
            "copy_of": row["source_name"] if row["source"] != doc_id else None,
        }
        evidence = row.get("evidence")
        if evidence is not None:
            a = min(max(row["start"] - row["sentence_start"], 0), len(evidence))
            b = min(max(row["end"] - row["sentence_start"], a), len(evidence))
            out.update(evidence=evidence, evidence_figure=[a, b])
        return out


def source_figures(rows: list[ClaimRow]) -> list[dict]:
    """Each (source, figure) of a group once, in the order of `rows` (lowest first), with what the page, its
    charts and its tables say of it: the first row giving it, the documents, wordings and claimants behind
    it, and the row its source first published it in (`dated`: (date, row), or None). One pass over the
    rows, however many."""
    entries: dict[tuple, dict] = {}
    for r in rows:
        key = (r["source"], r["figure_key"])
        e = entries.get(key)
        if e is None:
            e = entries[key] = {"row": r, "docs": {}, "quotes": {}, "claimants": {}, "dated": None}
        e["docs"][r["doc_id"]] = None
        e["quotes"][r["quote"]] = None
        if r["claimant"]:
            e["claimants"][r["claimant"]] = None
        day = (r["published"] or "")[:10]
        if day and (e["dated"] is None or day < e["dated"][0]):
            e["dated"] = (day, r)
    return list(entries.values())


def figure_views(entries: list[dict], links, limit: int | None = FIGURE_SOURCES) -> list[dict]:
    """A group's distinct figures (from `source_figures`), lowest first: each with its wordings, a link to a
    sentence that gives it, the sources (by name) and documents behind it, and its claimants."""
    figures: dict[str, list[dict]] = {}
    for e in entries:
        figures.setdefault(e["row"]["figure_key"], []).append(e)
    out = []
    for key, held in figures.items():
        first = held[0]["row"]
        docs = [d for e in held for d in e["docs"]]
        by_size = heapq.nsmallest(limit or len(held), held, key=lambda e: (-len(e["docs"]), e["row"]["source_name"]))
        out.append({
            "figure": wording_label(list(dict.fromkeys(q for e in held for q in e["quotes"]))) or key,
            "reading": first["reading"],
            "key": key, "href": links.claim(first["doc_id"], first["idx"]),
            "documents": len(docs), "doc_ids": docs[:limit] if limit else docs,
            "independent_sources": len(held),
            "sources": [{"name": e["row"]["source_name"], "href": links.document(e["row"]["source"]),
                         "documents": len(e["docs"])} for e in by_size],
            "claimants": list(dict.fromkeys(c for e in held for c in e["claimants"])),
        })
    return out


def _words(row: ClaimRow) -> str:
    return row["figure"]


def measure_view(finding: Finding, rows: list[ClaimRow], links, entries: list[dict] | None = None) -> dict:
    """One (measure, subgroup) of an event as a row of the measures table says it; `rows` are the group's
    completed claim rows (`ClaimViews.light`), lowest first, and `entries` their `source_figures`."""
    entries = source_figures(rows) if entries is None else entries
    shown = reading(finding.status, finding.figures_differ)
    firsts: dict[str, ClaimRow] = {}  # a row per figure, lowest first
    for e in entries:
        firsts.setdefault(e["row"]["figure_key"], e["row"])
    span = reported_range(list(firsts.values()), _words) if rows else {"text": interval_text(finding.low, finding.high), "note": None}
    return {
        "measure": finding.measure, "subgroup": finding.subgroup,
        "label": measure_label(finding.measure, finding.subgroup),
        "anchor": group_anchor(finding.measure, finding.subgroup),
        "href": links.group(finding.event, group_anchor(finding.measure, finding.subgroup)),
        "status": finding.status, "figures_differ": finding.figures_differ,
        "reading": shown, "reading_label": READING_LABELS[shown], "reason": status_reason(list(firsts.values()), _words, len(rows)),
        "low": finding.low, "high": finding.high, "range": span["text"], "range_note": span["note"],
        "claims": finding.claims, "documents": len(finding.doc_ids),
        "independent_sources": finding.independent_sources,
        "first_published": finding.first_published, "last_published": finding.last_published,
        "flags": list(finding.flags),
        "figures": figure_views(entries, links),
    }


def reading_order(measure: dict) -> tuple:
    return READINGS.index(measure["reading"]), measure["measure"], measure["subgroup"] or ""


def rows_by_group(raw: list[ClaimRow], views: ClaimViews) -> tuple[dict[tuple, list], list[ClaimRow]]:
    """Completed rows grouped as reconcile groups them ((event, measure, subgroup) → rows), and the rows no
    group takes (breakdowns by a free-text victim)."""
    groups: dict[tuple, list] = defaultdict(list)
    others = []
    for row in raw:
        views.light(row)
        key = group_key(row)  # reconcile's own rule says which claims make up a finding
        if key is None:
            others.append(row)
        else:
            groups[key].append(row)
    return groups, others


def _lowest_first_key(r: ClaimRow) -> tuple:
    return (r["low"] if r["low"] is not None else 0, r["high"] if r["high"] is not None else float("inf"),
            r["published"] or "", r["doc_id"], r["idx"])


def lowest_first(rows: list[ClaimRow]) -> list[ClaimRow]:
    return sorted(rows, key=_lowest_first_key)
