"""The ledger: one SQLite file holding documents, claims, source relations and findings.

Documents are keyed by id with a content hash, so ingesting the same input
twice changes nothing; each document is written in its own transaction, so a
crash loses at most the document in flight. Relations and findings are
derived from the documents after them; the `findings_stale` flag (table
`meta`) says when they lag behind, so a killed run is repaired by the next.
The schema is versioned and migrated by ordered steps (`store/schema.py`).

One process writes a ledger at a time (`store/lock.py`); any number read it
alongside, each read a consistent snapshot (write-ahead log).
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from claimledger.errors import LedgerBusyError, LedgerError
from claimledger.records import Claim, DocumentResult, FigureSupport, Finding, Relation, Skipped, Span, Text
from claimledger.store.lock import WriterLock
from claimledger.store.schema import ledger_version, migrate, needs_migration, refuse_foreign

CLAIM_COLUMNS = (
    "doc_id", "idx", "start", "end", "measure", "subgroup", "value", "qualifier", "low", "high", "event",
    "claimant", "victim", "scope", "wider_scope", "breakdown_of", "sentence_start", "sentence_end", "derived_from",
)
TABLES = ("documents", "claims", "relations", "source_clusters", "findings", "skipped")
# A document skipped for a limit (size, time) is tried again by the next run, which may allow more.
LIMIT_REASON = "limit:"


class Ledger:
    """A claimledger SQLite file. Use as a context manager, or call close().

    Opened for writing, it holds the ledger's writer lock until closed (a
    second writer gets LedgerBusyError). Opened `readonly`, it takes no lock;
    a ledger of an older schema is migrated first either way, after a backup.
    """

    def __init__(self, path: str | Path, readonly: bool = False):
        self.path = Path(path)
        self.readonly = readonly
        self.backup: Path | None = None  # the copy made before a migration, if this open migrated
        self._lock = WriterLock(self.path)
        self.db: sqlite3.Connection | None = None
        try:
            if readonly:
                self._open_readonly()
            else:
                self._lock.acquire()
                self.db = self._open_for_writing()
            self.db.execute("PRAGMA foreign_keys=ON")
        except sqlite3.DatabaseError as exc:
            self.close()
            raise LedgerError(f"{self.path}: cannot open the ledger ({exc})") from exc
        except BaseException:
            self.close()
            raise

    def _open_for_writing(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30)
        try:
            refuse_foreign(db, self.path)  # before anything changes the file, even its journal mode
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            self.backup = migrate(db, self.path)
        except BaseException:
            db.close()
            raise
        return db

    def _open_readonly(self) -> None:
        if not self.path.exists():
            raise LedgerError(f"{self.path}: no such ledger")
        self.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30)
        if ledger_version(self.db) == 0:
            raise LedgerError(f"{self.path}: not a claimledger ledger, or nothing was ingested into it yet")
        if needs_migration(self.db):
            # Migrating writes: briefly become the writer, then read as before.
            self.db.close()
            self._lock.acquire()
            try:
                self._open_for_writing().close()
            finally:
                self._lock.release()
            self.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30)

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None
        self._lock.release()

    # -- writing -------------------------------------------------------------

    def _write(self, statements) -> None:
        try:
            with self.db:
                statements()
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise LedgerBusyError(f"{self.path}: another process is writing the ledger") from exc
            raise LedgerError(f"{self.path}: cannot write the ledger ({exc})") from exc
        except sqlite3.Error as exc:
            raise LedgerError(f"{self.path}: cannot write the ledger ({exc})") from exc

    def is_unchanged(self, doc_id: str, content_hash: str) -> bool:
        """Does the ledger hold this document with this content? (One skipped for a limit is tried again.)"""
        row = self.db.execute("SELECT content_hash, reason FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        return row is not None and row[0] == content_hash and not (row[1] or "").startswith(LIMIT_REASON)

    def write_result(self, result: DocumentResult) -> None:
        """Store one document and its claims, replacing an earlier version, in one transaction."""
        doc, text = result.document, result.text

        def statements():
            before = self.db.execute("SELECT status FROM documents WHERE doc_id = ?", (doc.doc_id,)).fetchone()
            if result.status == "ok" or (before is not None and before[0] == "ok"):
                # Findings are computed from documents with status ok: they lag behind until reconciled again.
                self._set_meta("findings_stale", "1")
            self.db.execute("DELETE FROM claims WHERE doc_id = ?", (doc.doc_id,))
            self.db.execute(
                "INSERT OR REPLACE INTO documents (doc_id, content_hash, origin, media_type, status, reason, title,"
                " published, site, url, author, language, text, boilerplate, cues)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (doc.doc_id, doc.content_hash, doc.origin, doc.media_type, result.status, result.reason, text.title,
                 text.published, text.site, text.url, text.author, text.language, text.text,
                 json.dumps([[s.start, s.end] for s in text.boilerplate]), _cues_json(result.cues)),
            )
            self.db.executemany(
                f"INSERT INTO claims ({', '.join(CLAIM_COLUMNS)}) VALUES ({', '.join('?' * len(CLAIM_COLUMNS))})",
                [_claim_row(c) for c in result.claims],
            )
            self.db.execute("DELETE FROM skipped WHERE origin = ?", (doc.origin,))
            if result.status != "ok":
                self.db.execute(
                    "INSERT INTO skipped (origin, doc_id, reason) VALUES (?,?,?)",
                    (doc.origin, doc.doc_id, result.reason or "skipped"),
                )

        self._write(statements)

    def record_skipped(self, skipped: Skipped) -> None:
        self._write(lambda: self.db.execute(
            "INSERT OR REPLACE INTO skipped (origin, doc_id, reason) VALUES (?,?,?)",
            (skipped.origin, skipped.doc_id, skipped.reason),
        ))

    def _set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def write_reconciliation(self, relations: list[Relation], clusters: dict[str, str], findings: list[Finding],
                             claims: list[Claim] | None = None, events: dict[str, str] | None = None,
                             cues: dict[str, dict] | None = None) -> None:
        """Replace relations, source clusters and findings, store the claims' and documents' event ids (linking
        across documents gives them) and the link cues read again for documents that lacked them, and mark it all
        current: one transaction, so a crash leaves all of it to redo or none."""

        def statements():
            if claims is not None:
                self._set_claim_events(claims)
            if cues:
                self.db.executemany("UPDATE documents SET cues = ? WHERE doc_id = ?",
                                    [(_cues_json(c), d) for d, c in sorted(cues.items())])
            if events is not None:
                self.db.execute("UPDATE documents SET event = NULL WHERE event IS NOT NULL AND status != 'ok'")
                self.db.executemany("UPDATE documents SET event = ? WHERE doc_id = ? AND event IS NOT ?",
                                    [(e, d, e) for d, e in sorted(events.items())])
            self._replace_relations(relations, clusters)
            self._replace_findings(findings)
            self._set_meta("findings_stale", "0")

        self._write(statements)

    def replace_relations(self, relations: list[Relation], clusters: dict[str, str]) -> None:
        self._write(lambda: self._replace_relations(relations, clusters))

    def replace_findings(self, findings: list[Finding]) -> None:
        self._write(lambda: self._replace_findings(findings))

    def _replace_relations(self, relations: list[Relation], clusters: dict[str, str]) -> None:
        self.db.execute("DELETE FROM relations")
        self.db.executemany(
            "INSERT INTO relations (doc_a, doc_b, jaccard, containment, kind, passages) VALUES (?,?,?,?,?,?)",
            [(r.doc_a, r.doc_b, r.jaccard, r.containment, r.kind, json.dumps([list(p) for p in r.passages]))
             for r in relations],
        )
        self.db.execute("DELETE FROM source_clusters")
        self.db.executemany("INSERT INTO source_clusters (doc_id, cluster) VALUES (?,?)", sorted(clusters.items()))

    def _replace_findings(self, findings: list[Finding]) -> None:
        self.db.execute("DELETE FROM findings")
        self.db.executemany(
            "INSERT INTO findings (event, measure, subgroup, status, low, high, doc_ids, claims,"
            " independent_sources, figures, first_published, last_published, flags, support)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [(f.event, f.measure, f.subgroup, f.status, f.low, f.high, json.dumps(list(f.doc_ids)), f.claims,
              f.independent_sources, json.dumps(list(f.values)), f.first_published, f.last_published,
              json.dumps(list(f.flags)), json.dumps([_support_json(s) for s in f.support])) for f in findings],
        )

    def set_claim_events(self, claims: list[Claim]) -> None:
        """Store the event ids that linking across documents gave the claims."""
        self._write(lambda: self._set_claim_events(claims))

    def _set_claim_events(self, claims: list[Claim]) -> None:
        self.db.executemany(
            "UPDATE claims SET event = ? WHERE doc_id = ? AND idx = ? AND event IS NOT ?",
            [(c.event, c.doc_id, c.index, c.event) for c in claims],
        )

    # -- reading -------------------------------------------------------------

    @contextmanager
    def snapshot(self) -> Iterator[Ledger]:
        """Reads inside see one state of the ledger, even while another process writes it."""
        if self.db.in_transaction:
            yield self
            return
        self.db.execute("BEGIN")
        try:
            yield self
        finally:
            self.db.execute("COMMIT")

    def findings_stale(self) -> bool:
        """Do relations and findings lag behind the documents (a run interrupted, or one writing now)?"""
        return self.findings_state() != "0"

    def findings_state(self) -> str:
        """'0' current, '1' stale, 'migrated' computed by an older claimledger (see store/schema.py)."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'findings_stale'").fetchone()
        return row[0] if row else "1"

    def claims(self) -> list[Claim]:
        rows = self.db.execute(
            f"SELECT {', '.join(CLAIM_COLUMNS)} FROM claims ORDER BY doc_id, idx"
        ).fetchall()
        return [_claim_from_row(r) for r in rows]

    def texts(self, doc_ids: Iterable[str] | None = None) -> Iterator[Text]:
        """The texts of the documents read (status ok), in doc-id order: all of them, or those of `doc_ids`."""
        select = ("SELECT doc_id, text, boilerplate, title, published, site, url, author, language FROM documents"
                  " WHERE status = 'ok'")
        if doc_ids is None:
            rows: Iterable = self.db.execute(select + " ORDER BY doc_id")
        else:
            wanted = sorted(set(doc_ids))
            rows = (row for i in range(0, len(wanted), 500) for row in self.db.execute(
                select + f" AND doc_id IN ({', '.join('?' * len(wanted[i:i + 500]))}) ORDER BY doc_id",
                wanted[i:i + 500]))
        for row in rows:
            spans = tuple(Span(a, b) for a, b in json.loads(row[2]))
            yield Text(row[0], row[1], spans, *row[3:])

    def document_cues(self) -> dict[str, dict | None]:
        """The link cues stored with each document read (status ok), None where it has none yet."""
        return {doc_id: json.loads(raw) if raw else None for doc_id, raw in
                self.db.execute("SELECT doc_id, cues FROM documents WHERE status = 'ok' ORDER BY doc_id")}

    def document_events(self) -> dict[str, str]:
        """The incident each document was linked to."""
        return dict(self.db.execute("SELECT doc_id, event FROM documents WHERE event IS NOT NULL"))

    def published(self) -> dict[str, str | None]:
        return dict(self.db.execute("SELECT doc_id, published FROM documents"))

    def relations(self) -> list[Relation]:
        rows = self.db.execute(
            "SELECT doc_a, doc_b, jaccard, containment, kind, passages FROM relations ORDER BY doc_a, doc_b")
        return [Relation(*r[:5], tuple(tuple(p) for p in json.loads(r[5]))) for r in rows]

    def clusters(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT doc_id, cluster FROM source_clusters"))

    def findings(self) -> list[Finding]:
        rows = self.db.execute(
            "SELECT event, measure, subgroup, status, low, high, doc_ids, claims, independent_sources, figures,"
            " first_published, last_published, flags, support FROM findings"
            " ORDER BY event, measure, COALESCE(subgroup, '')"
        ).fetchall()
        return [
            Finding(r[0], r[1], r[2], r[3], r[4], r[5], tuple(json.loads(r[6])), r[7], r[8], tuple(json.loads(r[9])),
                    r[10], r[11], tuple(json.loads(r[12])), tuple(_support_record(s) for s in json.loads(r[13])))
            for r in rows
        ]

    def document_rows(self) -> list[dict]:
        """Documents (and skipped inputs that had an id) in the order of the documents export."""
        cur = self.db.execute(
            "SELECT doc_id, text, title, published, site, url, boilerplate, language, status, reason, event"
            " FROM documents"
        )
        rows = [dict(zip([d[0] for d in cur.description], r)) for r in cur.fetchall()]
        known = {r["doc_id"] for r in rows}
        for doc_id, reason in self.db.execute("SELECT doc_id, reason FROM skipped WHERE doc_id IS NOT NULL"):
            if doc_id not in known:
                known.add(doc_id)
                rows.append(dict(doc_id=doc_id, text="", title=None, published=None, site=None, url=None,
                                 boilerplate="[]", language=None, status="skipped", reason=reason, event=None))
        for row in rows:
            row["boilerplate"] = json.loads(row["boilerplate"])
        return sorted(rows, key=lambda r: r["doc_id"])

    def skipped(self) -> list[Skipped]:
        return [Skipped(o, r, d) for o, r, d in self.db.execute("SELECT origin, reason, doc_id FROM skipped ORDER BY origin")]

    def counts(self) -> dict[str, int]:
        return {t: self.db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}


def _claim_row(c: Claim) -> tuple:
    return (c.doc_id, c.index, c.start, c.end, c.measure, c.subgroup, c.value, c.qualifier, c.low, c.high, c.event,
            c.claimant, c.victim, c.scope, int(c.wider_scope), c.breakdown_of, c.sentence_start, c.sentence_end,
            json.dumps(list(c.derived_from)))


def _claim_from_row(r: Iterable) -> Claim:
    (doc_id, idx, start, end, measure, subgroup, value, qualifier, low, high, event, claimant, victim, scope, wider,
     breakdown_of, s_start, s_end, derived_from) = r
    return Claim(doc_id=doc_id, measure=measure, subgroup=subgroup, value=value, qualifier=qualifier, low=low,
                 high=high, start=start, end=end, sentence_start=s_start, sentence_end=s_end, event=event,
                 claimant=claimant, victim=victim, scope=scope, wider_scope=bool(wider), breakdown_of=breakdown_of,
                 index=idx, derived_from=tuple(json.loads(derived_from)))


def _cues_json(cues: dict | None) -> str | None:
    return json.dumps(cues, sort_keys=True, separators=(",", ":")) if cues is not None else None


def _support_json(support: FigureSupport) -> dict:
    return {"figure": support.figure, "doc_ids": list(support.doc_ids),
            "independent_sources": support.independent_sources, "claimants": list(support.claimants),
            "first_published": support.first_published}


def _support_record(raw: dict) -> FigureSupport:
    return FigureSupport(raw["figure"], tuple(raw["doc_ids"]), raw["independent_sources"], tuple(raw["claimants"]),
                         raw.get("first_published"))
