"""Read-only queries the pages need that `Ledger` does not offer, over `ledger.db`.

Each query fetches only what one page shows (one event's claims, one
document), so a page stays fast on a ledger of millions of claims. Evidence
sentences are cut out by SQLite (`substr` counts characters, as Python's
offsets do), so a document's whole text is never loaded to show a sentence.
"""
from __future__ import annotations

import json
import re
import sqlite3
from operator import itemgetter

from claimledger.records import claim_id

# A claim's columns, its figure as written (`quote`), its document's date and its source (the document that
# stands for a cluster of copies) with the source's name: what a page needs of every claim of an event.
_LIGHT_COLUMNS = """
c.doc_id, c.idx, c.start, c."end", c.measure, c.subgroup, c.value, c.qualifier, c.low, c.high, c.event,
c.claimant, c.victim, c.breakdown_of, substr(d.text, c.start + 1, c."end" - c.start) AS quote, d.published,
COALESCE(sc.cluster, c.doc_id) AS source, s.title AS source_title, s.site AS source_site
"""
_FROM = """
FROM claims c
JOIN documents d ON d.doc_id = c.doc_id
LEFT JOIN source_clusters sc ON sc.doc_id = c.doc_id
LEFT JOIN documents s ON s.doc_id = COALESCE(sc.cluster, c.doc_id)
"""
# ...and what it says of a claim it lists: the sentence, the scope, the document's title, outlet and address.
_CLAIM_SELECT = ("SELECT " + _LIGHT_COLUMNS + """, c.scope, c.wider_scope, c.sentence_start, c.sentence_end,
d.title, d.site, d.url, substr(d.text, c.sentence_start + 1, c.sentence_end - c.sentence_start) AS evidence"""
                 + _FROM)


class ClaimRow(dict):
    """A claim row that reads like a `Claim` too (`row.qualifier`, `row.low`), so reconcile's own rules
    (`group_key`, `figure_text`, `status_reason`) take it as it is: no record built per row of a large page."""

    __slots__ = ()


for _name in ("doc_id", "measure", "subgroup", "value", "qualifier", "low", "high", "start", "end", "event",
              "claimant", "victim", "scope", "breakdown_of", "sentence_start", "sentence_end"):
    setattr(ClaimRow, _name, property(itemgetter(_name)))  # a property: as fast as a record's attribute


def _rows(cursor: sqlite3.Cursor, kind: type = dict) -> list[dict]:
    names = [d[0] for d in cursor.description]
    return [kind(zip(names, row)) for row in cursor.fetchall()]


def event_claims(db: sqlite3.Connection, event: str) -> list[dict]:
    """Every claim about one event with its document's date and its source; no sentence (see `with_evidence`)."""
    return _rows(db.execute(  # in no order: the page sorts them its own way
        "SELECT " + _LIGHT_COLUMNS + _FROM + " WHERE c.event = ?", (event,)), ClaimRow)


def with_evidence(db: sqlite3.Connection, keys: list[tuple[str, int]]) -> dict[tuple[str, int], dict]:
    """Full rows (evidence sentence, title) of the claims a page lists, by (doc_id, idx)."""
    out: dict[tuple[str, int], dict] = {}
    for i in range(0, len(keys), 400):  # 800 parameters per statement: under SQLite's oldest limit (999)
        chunk = keys[i:i + 400]
        values = ", ".join("(?, ?)" for _ in chunk)
        params = [v for key in chunk for v in key]
        for row in _rows(db.execute(
            f"WITH wanted(doc_id, idx) AS (VALUES {values}) " + _CLAIM_SELECT
            + " JOIN wanted w ON w.doc_id = c.doc_id AND w.idx = c.idx", params,
        ), ClaimRow):
            out[(row["doc_id"], row["idx"])] = row
    return out


def document_claims(db: sqlite3.Connection, doc_id: str) -> list[dict]:
    return _rows(db.execute(_CLAIM_SELECT + " WHERE c.doc_id = ? ORDER BY c.idx", (doc_id,)), ClaimRow)


def claim_figures(db: sqlite3.Connection) -> list[dict]:
    """Every claim with an event, without its sentence: the events page's figures, sources and links."""
    return _rows(db.execute(
        "SELECT " + _LIGHT_COLUMNS + _FROM + " WHERE c.event IS NOT NULL ORDER BY c.doc_id, c.idx"), ClaimRow)


def event_exists(db: sqlite3.Connection, event: str) -> bool:
    return (db.execute("SELECT 1 FROM findings WHERE event = ? LIMIT 1", (event,)).fetchone() is not None
            or db.execute("SELECT 1 FROM claims WHERE event = ? LIMIT 1", (event,)).fetchone() is not None
            or db.execute("SELECT 1 FROM documents WHERE event = ? LIMIT 1", (event,)).fetchone() is not None)


def event_documents(db: sqlite3.Connection, event: str) -> list[dict]:
    """Every report of an incident, with or without figures, oldest first: (doc_id, title, published, site,
    claims)."""
    return _rows(db.execute(
        "SELECT d.doc_id, d.title, d.published, d.site,"
        " (SELECT COUNT(*) FROM claims c WHERE c.doc_id = d.doc_id) AS claims"
        " FROM documents d WHERE d.event = ? ORDER BY COALESCE(d.published, '9999'), d.doc_id", (event,)))


def document(db: sqlite3.Connection, doc_id: str) -> dict | None:
    rows = _rows(db.execute(
        "SELECT d.doc_id, d.title, d.published, d.site, d.url, d.author, d.language, d.media_type, d.origin,"
        " d.status, d.reason, d.text, d.boilerplate, COALESCE(sc.cluster, d.doc_id) AS source,"
        " s.title AS source_title, s.site AS source_site"
        " FROM documents d LEFT JOIN source_clusters sc ON sc.doc_id = d.doc_id"
        " LEFT JOIN documents s ON s.doc_id = COALESCE(sc.cluster, d.doc_id) WHERE d.doc_id = ?",
        (doc_id,),
    ))
    if not rows:
        return None
    row = rows[0]
    row["boilerplate"] = json.loads(row["boilerplate"] or "[]")
    return row


def document_relations(db: sqlite3.Connection, doc_id: str) -> list[dict]:
    """Documents that share text with this one (copies and quoted passages), with the shared passages as spans
    of this document's text ([[start, end], ...])."""
    rows = _rows(db.execute(
        "SELECT r.doc_id, r.first, r.kind, r.jaccard, r.containment, r.passages, d.title, d.site FROM"
        " (SELECT CASE WHEN doc_a = ? THEN doc_b ELSE doc_a END AS doc_id, doc_a = ? AS first, kind, jaccard,"
        " containment, passages FROM relations WHERE doc_a = ? OR doc_b = ?) r"
        " LEFT JOIN documents d ON d.doc_id = r.doc_id ORDER BY r.containment DESC, r.doc_id",
        (doc_id, doc_id, doc_id, doc_id),
    ))
    for row in rows:
        row["passages"] = [p[:2] if row["first"] else p[2:] for p in json.loads(row["passages"])]
        del row["first"]
    return rows


def document_list(db: sqlite3.Connection, limit: int | None) -> tuple[list[dict], int]:
    """Documents without their text (the corpus page), at most `limit` of them, and how many there are."""
    total = db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    sql = (
        "SELECT d.doc_id, d.title, d.published, d.site, d.url, d.language, d.media_type, d.status, d.reason,"
        " length(d.text) AS chars, COALESCE(sc.cluster, d.doc_id) AS source,"
        " s.title AS source_title, s.site AS source_site,"
        " (SELECT COUNT(*) FROM claims c WHERE c.doc_id = d.doc_id) AS claims"
        " FROM documents d LEFT JOIN source_clusters sc ON sc.doc_id = d.doc_id"
        " LEFT JOIN documents s ON s.doc_id = COALESCE(sc.cluster, d.doc_id) ORDER BY d.doc_id"
    )
    params: tuple = ()
    if limit is not None:
        sql += " LIMIT ?"
        params = (limit,)
    return _rows(db.execute(sql, params)), total


def document_names(db: sqlite3.Connection, doc_ids: list[str]) -> dict[str, tuple]:
    """(title, site, published) of a few documents, by id."""
    out: dict[str, tuple] = {}
    for i in range(0, len(doc_ids), 500):
        chunk = doc_ids[i:i + 500]
        for doc_id, *meta in db.execute(
                f"SELECT doc_id, title, site, published FROM documents WHERE doc_id IN ({', '.join('?' * len(chunk))})",
                chunk):
            out[doc_id] = tuple(meta)
    return out


def claim_by_id(db: sqlite3.Connection, wanted: str) -> tuple[str, int] | None:
    """(doc_id, idx) of the claim with this stable id (`doc:start-end:measure[:subgroup]`), if the ledger holds it."""
    match = re.fullmatch(r"(.+):(\d+)-(\d+):[^:]+(?::[^:]+)*", wanted)
    if match is None:
        return None
    doc_id, start, end = match[1], int(match[2]), int(match[3])  # the last `:start-end:`: measures hold no digits
    for idx, measure, subgroup, victim in db.execute(
            'SELECT idx, measure, subgroup, victim FROM claims WHERE doc_id = ? AND start = ? AND "end" = ?',
            (doc_id, start, end)):
        if claim_id(doc_id, start, end, measure, subgroup, victim) == wanted:
            return doc_id, idx
    return None


def data_version(db: sqlite3.Connection) -> int:
    """Changes whenever another connection commits to the ledger (an ingest running alongside)."""
    return db.execute("PRAGMA data_version").fetchone()[0]
