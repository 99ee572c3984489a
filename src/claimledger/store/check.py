"""`claimledger check`: is a ledger file sound, and does it hang together?

Checks SQLite's own integrity, the schema version, rows that refer to
documents the ledger does not hold, claim spans outside their document's
text, and whether the findings are up to date. Each problem is one line a
user can act on; no problem means the ledger is fine.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field

from claimledger.store import TABLES, Ledger
from claimledger.store.lock import WriterLock
from claimledger.store.schema import current_version, ledger_version

MAX_LINES_PER_CHECK = 10  # integrity_check can list thousands of damaged pages; the first few say enough


@dataclass
class LedgerReport:
    version: int | None = None
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_ledger(ledger: Ledger) -> LedgerReport:
    """Every check on an open ledger; a check the damaged file cannot answer is itself a problem."""
    report = LedgerReport()
    if ledger.backup is not None:
        report.notes.append(f"migrated to schema version {current_version()}; the previous file is kept as {ledger.backup}")
    failures: set[str] = set()
    snapshot = _begin_read(ledger.db)  # one snapshot: an ingest's commits never land between two of the reads
    try:
        for name, check in (("integrity", _integrity), ("version", _version), ("tables", _tables_and_counts),
                            ("orphans", _orphans), ("spans", _spans), ("freshness", _freshness)):
            try:
                check(ledger, report)
            except sqlite3.DatabaseError as exc:
                if str(exc) not in failures:  # a damaged file fails every check alike: say it once
                    failures.add(str(exc))
                    report.problems.append(f"the {name} check cannot read the ledger: {exc}")
    finally:
        if snapshot and ledger.db.in_transaction:
            ledger.db.execute("ROLLBACK")
    return report


def _begin_read(db: sqlite3.Connection) -> bool:
    """Open a read transaction, when none is open and the file can start one (a damaged file may not)."""
    if db.in_transaction:
        return False
    try:
        db.execute("BEGIN")
        return True
    except sqlite3.DatabaseError:
        return False


def _integrity(ledger: Ledger, report: LedgerReport) -> None:
    rows = [r[0] for r in ledger.db.execute("PRAGMA integrity_check")]
    if rows != ["ok"]:
        report.problems.extend(f"integrity: {row}" for row in rows[:MAX_LINES_PER_CHECK])
    violations = ledger.db.execute("PRAGMA foreign_key_check").fetchall()
    if violations:
        tables = sorted({row[0] for row in violations})
        report.problems.append(f"foreign keys: {len(violations)} row(s) in {', '.join(tables)} refer to missing rows")


def _version(ledger: Ledger, report: LedgerReport) -> None:
    report.version = ledger_version(ledger.db)
    if report.version != current_version():
        report.problems.append(f"schema version {report.version}; this claimledger expects {current_version()}")


def _tables_and_counts(ledger: Ledger, report: LedgerReport) -> None:
    present = {r[0] for r in ledger.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table in (*TABLES, "meta"):
        if table not in present:
            report.problems.append(f"table '{table}' is missing")
        elif table != "meta":
            report.counts[table] = ledger.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def _orphans(ledger: Ledger, report: LedgerReport) -> None:
    db = ledger.db
    known = {r[0] for r in db.execute("SELECT doc_id FROM documents")}
    for table, column in (("claims", "doc_id"), ("source_clusters", "doc_id"), ("relations", "doc_a"),
                          ("relations", "doc_b")):
        if table not in report.counts:
            continue
        missing = sorted({r[0] for r in db.execute(f"SELECT DISTINCT {column} FROM {table}")} - known)
        if missing:
            report.problems.append(
                f"{table}: rows for {len(missing)} document(s) the ledger does not hold ({_sample(missing)})"
            )
    if "findings" in report.counts:
        unknown: set[str] = set()
        unreadable = 0
        for (doc_ids,) in db.execute("SELECT doc_ids FROM findings"):
            try:
                unknown.update(set(json.loads(doc_ids)) - known)
            except (ValueError, TypeError):
                unreadable += 1
        if unknown:
            report.problems.append(f"findings: refer to {len(unknown)} unknown document(s) ({_sample(sorted(unknown))})")
        if unreadable:
            report.problems.append(f"findings: {unreadable} row(s) with an unreadable doc_ids list")


def _spans(ledger: Ledger, report: LedgerReport) -> None:
    if "claims" not in report.counts:
        return
    bad = ledger.db.execute(
        'SELECT COUNT(*), MIN(c.doc_id) FROM claims c JOIN documents d ON d.doc_id = c.doc_id'
        ' WHERE c.start < 0 OR c.start > c."end" OR c."end" > length(d.text)'
        ' OR c.sentence_start < 0 OR c.sentence_end > length(d.text)'
    ).fetchone()
    if bad[0]:
        report.problems.append(f"claims: {bad[0]} claim(s) whose span lies outside their document's text (e.g. {bad[1]})")


def _freshness(ledger: Ledger, report: LedgerReport) -> None:
    if "findings" not in report.counts or not ledger.findings_stale():
        return
    if ledger.findings_state() == "migrated":
        report.notes.append("the findings are those of the older claimledger that wrote the ledger;"
                            " the next ingest recomputes them")
    elif WriterLock(ledger.path).is_held_elsewhere():
        report.notes.append("an ingest is writing the ledger now; it recomputes the findings when it finishes")
    else:
        report.problems.append(
            "findings are out of date: an ingest stopped before reconciling; run the same ingest again"
        )


def _sample(ids: list[str], n: int = 3) -> str:
    shown = ", ".join(ids[:n])
    return shown + (", …" if len(ids) > n else "")
