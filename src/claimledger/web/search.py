"""Full-text search over evidence sentences: a TEMP FTS5 table in the serving connection.

The ledger's schema is not touched: the index lives in the connection's
temporary database, built from the claims and their documents' text when the
app starts, and rebuilt when another process has written the ledger since
(`PRAGMA data_version`). One row per distinct evidence sentence.
"""
from __future__ import annotations

import json
import re
import sqlite3

from claimledger.web import queries

SEARCH_LIMIT = 100
_OPEN, _CLOSE = "\x02", "\x03"  # match markers FTS5 puts around hits; never in a sentence shown as text
_TERM = re.compile(r'"([^"]*)"|(\S+)')


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


class EvidenceIndex:
    """The evidence sentences of one serving connection, searchable."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db
        self.version: int | None = None
        self.sentences = 0

    def ensure_current(self) -> None:
        version = queries.data_version(self.db)
        if version != self.version:
            self.rebuild()
            self.version = version

    def rebuild(self) -> None:
        db = self.db
        db.execute("DROP TABLE IF EXISTS temp.evidence_fts")
        db.execute(
            "CREATE VIRTUAL TABLE temp.evidence_fts USING fts5(evidence, doc_id UNINDEXED, title UNINDEXED,"
            " sentence_start UNINDEXED, claims UNINDEXED, tokenize = 'porter unicode61 remove_diacritics 2')"
        )
        rows = ((evidence, doc_id, title, start, claims)
                for doc_id, start, _end, evidence, title, claims in queries.evidence_sentences(db))
        db.executemany(
            "INSERT INTO temp.evidence_fts (evidence, doc_id, title, sentence_start, claims) VALUES (?,?,?,?,?)", rows
        )
        # The INSERT opened a transaction (Python's sqlite3 does so before writing): end it, or the connection
        # would keep reading the ledger as it was now, and never see what an ingest writes later.
        db.commit()
        self.sentences = db.execute("SELECT COUNT(*) FROM temp.evidence_fts").fetchone()[0]

    def search(self, text: str, limit: int = SEARCH_LIMIT) -> tuple[list[dict], int]:
        """The best-matching sentences (bm25) and how many match in all."""
        query = fts_query(text)
        if not query:
            return [], 0
        self.ensure_current()
        total = self.db.execute("SELECT COUNT(*) FROM temp.evidence_fts WHERE evidence_fts MATCH ?",
                                (query,)).fetchone()[0]
        hits = self.db.execute(
            "SELECT doc_id, title, sentence_start, claims, evidence, highlight(evidence_fts, 0, ?, ?)"
            " FROM temp.evidence_fts WHERE evidence_fts MATCH ? ORDER BY rank, doc_id, sentence_start LIMIT ?",
            (_OPEN, _CLOSE, query, limit),
        ).fetchall()
        results = [{"doc_id": doc_id, "title": title or None, "sentence_start": start,
                    "claim_idx": sorted(json.loads(claims)), "evidence": evidence, "snippet": _segments(marked)}
                   for doc_id, title, start, claims, evidence, marked in hits]
        return results, total


def _segments(marked: str) -> list[dict]:
    """FTS5's highlighted sentence as [{text, match}] pieces, so the page escapes each and marks the matches."""
    out = []
    for piece in re.split(f"({_OPEN}[^{_CLOSE}]*{_CLOSE})", marked):
        if not piece:
            continue
        if piece.startswith(_OPEN):
            out.append({"text": piece[1:-1], "match": True})
        else:
            out.append({"text": piece, "match": False})
    return out
