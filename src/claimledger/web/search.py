"""Full-text search over the documents: a TEMP FTS5 table in the serving connection.

Every paragraph of every document's text (boilerplate left out) and every
title is a row, ranked by bm25 (a title counts more than a paragraph). Each
row knows the events of its document and the claims (with their measures)
that stand in it, so a search can keep to one event or one measure.

The ledger's schema is not touched: the index lives in the connection's
temporary database. It is built by the first search, not when the server
starts, and built again when another process has written the ledger since
(`PRAGMA data_version`).
"""
from __future__ import annotations

import json
import re
import sqlite3
from bisect import bisect_right
from collections import defaultdict

from claimledger.web import queries

SEARCH_LIMIT = 100
TITLE_WEIGHT = 4.0  # bm25 weight of a title against a paragraph's 1.0
SNIPPET_TOKENS = 40
_OPEN, _CLOSE = "\x02", "\x03"  # match markers FTS5 puts around hits; never in a text shown as text
_TERM = re.compile(r'"([^"]*)"|(\S+)')
_PARAGRAPH = re.compile(r"[^\n]+")


def fts_query(text: str) -> str:
    """A user's words as an FTS5 query: every word (or "quoted phrase") must occur; `word*` is a prefix.

    Words match their other forms (Porter stemming: "killed" finds "killing").

    Each term is quoted, so punctuation, operators and unbalanced quotes in
    what a user types never make an FTS5 syntax error.
    """
    terms = []
    for phrase, word in _TERM.findall(text):
        raw = phrase if phrase else word
        prefix = bool(word) and raw.endswith("*")
        raw = raw.rstrip("*") if prefix else raw
        if not re.search(r"\w", raw):
            continue
        terms.append('"' + raw.replace('"', '""') + '"' + ("*" if prefix else ""))
    return " ".join(terms)


def paragraphs(text: str, boilerplate: list[list[int]]) -> list[tuple[int, int]]:
    """The (start, end) of each line of text that is not wholly boilerplate."""
    spans = sorted((a, b) for a, b in boilerplate)
    out = []
    for m in _PARAGRAPH.finditer(text):
        a, b = m.span()
        if not text[a:b].strip():
            continue
        i = bisect_right(spans, (a, float("inf"))) - 1
        if i >= 0 and spans[i][0] <= a and spans[i][1] >= b:
            continue  # menu lines, footers: not what anyone searches for
        out.append((a, b))
    return out


def _claims_by_document(db: sqlite3.Connection) -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = defaultdict(list)
    for doc_id, idx, start, measure, event in db.execute(
            "SELECT doc_id, idx, start, measure, event FROM claims ORDER BY doc_id, start, idx"):
        out[doc_id].append((start, idx, measure, event))
    return out


class DocumentIndex:
    """The paragraphs and titles of one serving connection's ledger, searchable."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db
        self.version: int | None = None
        self.rows = 0

    def ensure_current(self) -> None:
        version = queries.data_version(self.db)
        if version != self.version:
            self.rebuild()
            self.version = version

    def _rows(self):
        claims = _claims_by_document(self.db)
        for doc_id, title, text, boilerplate in self.db.execute(
                "SELECT doc_id, title, text, boilerplate FROM documents WHERE status = 'ok'"):
            held = claims.get(doc_id, [])
            events = " ".join(sorted({e for *_, e in held if e}))
            starts = [c[0] for c in held]
            if title and title.strip() and title.strip() not in text:  # a headline in the text is indexed there
                yield "", title, doc_id, -1, -1, events, "", "[]"
            for a, b in paragraphs(text, json.loads(boilerplate or "[]")):
                inside = held[bisect_right(starts, a - 1):bisect_right(starts, b - 1)]
                yield (text[a:b], "", doc_id, a, b, events, " ".join(sorted({c[2] for c in inside})),
                       json.dumps([c[1] for c in inside]))

    def rebuild(self) -> None:
        db = self.db
        db.execute("DROP TABLE IF EXISTS temp.passages_fts")
        db.execute(
            "CREATE VIRTUAL TABLE temp.passages_fts USING fts5(body, title, doc_id UNINDEXED, start UNINDEXED,"
            " end UNINDEXED, events UNINDEXED, measures UNINDEXED, claims UNINDEXED,"
            " tokenize = 'porter unicode61 remove_diacritics 2')"
        )
        db.executemany("INSERT INTO temp.passages_fts (body, title, doc_id, start, end, events, measures, claims)"
                       " VALUES (?,?,?,?,?,?,?,?)", self._rows())
        # The INSERT opened a transaction (Python's sqlite3 does so before writing): end it, or the connection
        # would keep reading the ledger as it was now, and never see what an ingest writes later.
        db.commit()
        self.rows = db.execute("SELECT COUNT(*) FROM temp.passages_fts").fetchone()[0]

    def search(self, text: str, event: str | None = None, measure: str | None = None,
               limit: int = SEARCH_LIMIT) -> tuple[list[dict], int]:
        """The best-matching paragraphs and titles (bm25), at most `limit`, and how many match in all.

        `event` keeps to documents with a claim about that event; `measure` to
        paragraphs that hold a claim of that measure.
        """
        query = fts_query(text)
        if not query:
            return [], 0
        self.ensure_current()
        where, params = "passages_fts MATCH ?", [query]
        if event:
            where += " AND instr(' ' || events || ' ', ' ' || ? || ' ') > 0"
            params.append(event)
        if measure:
            where += " AND instr(' ' || measures || ' ', ' ' || ? || ' ') > 0"
            params.append(measure)
        total = self.db.execute(f"SELECT COUNT(*) FROM temp.passages_fts WHERE {where}", params).fetchone()[0]
        hits = self.db.execute(
            "SELECT doc_id, start, end, claims, snippet(passages_fts, 0, ?, ?, '…', ?),"
            f" highlight(passages_fts, 1, ?, ?) FROM temp.passages_fts WHERE {where}"
            f" ORDER BY bm25(passages_fts, 1.0, {TITLE_WEIGHT}), doc_id, start LIMIT ?",
            [_OPEN, _CLOSE, SNIPPET_TOKENS, _OPEN, _CLOSE, *params, limit],
        ).fetchall()
        results = [{"doc_id": doc_id, "start": start if start >= 0 else None, "end": end if end >= 0 else None,
                    "claim_idx": json.loads(claims), "snippet": segments(body) if start >= 0 else [],
                    "title_snippet": segments(title) if start < 0 else []}
                   for doc_id, start, end, claims, body, title in hits]
        return results, total


def segments(marked: str) -> list[dict]:
    """FTS5's highlighted text as [{text, match}] pieces, so the page escapes each and marks the matches."""
    out = []
    for piece in re.split(f"({_OPEN}[^{_CLOSE}]*{_CLOSE})", marked or ""):
        if not piece:
            continue
        if piece.startswith(_OPEN):
            out.append({"text": piece[1:-1], "match": True})
        else:
            out.append({"text": piece, "match": False})
    return out
