"""Exports of the ledger in the contract's formats: JSONL, CSV and Parquet.

Exports are deterministic (fixed order, fixed key order), so the same ledger
always gives byte-identical files, and atomic: written beside the target and
renamed into place, so a killed export never leaves a half-written file.

The contract's fields come first, in its order; fields a reader of a
spreadsheet needs follow them: a claim's document (title, site, url,
published), a group's `figures_differ`, the reason for its status and its
figures as written. A CSV cell never holds JSON: lists are joined with ";",
and a group's support is written as one line per figure. `excel=True` starts
a CSV with a byte-order mark, so a spreadsheet reads it as UTF-8.
"""
from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections import defaultdict
from pathlib import Path

from claimledger.errors import OutputError, UsageError
from claimledger.present.figures import figure_words, wording_label
from claimledger.reconcile import figure_text, group_key, interval
from claimledger.reconcile.reasons import status_reason
from claimledger.records import Claim
from claimledger.store import Ledger

CLAIM_FIELDS = ("claim_id", "doc_id", "measure", "subgroup", "value", "qualifier", "low", "high", "start", "end",
                "event", "claimant", "quote", "victim", "scope")
CLAIM_EXTRA = ("breakdown_of", "derived_from", "evidence", "title", "site", "url", "published")
GROUP_FIELDS = ("event", "measure", "subgroup", "status", "low", "high", "doc_ids")
GROUP_EXTRA = ("claims", "independent_sources", "figures", "first_published", "last_published", "flags", "support",
               "figures_differ", "status_reason", "figures_as_written")
DOCUMENT_FIELDS = ("doc_id", "text", "title", "published", "site", "url", "boilerplate", "language", "status", "reason",
                   "event")
WHATS = ("claims", "groups", "documents")
FORMATS = ("jsonl", "csv", "parquet")


def claim_records(ledger: Ledger) -> list[dict]:
    """Claims in the contract's fields; `quote` is the figure as the text writes it, and `breakdown_of` and
    `derived_from` name other claims of the document by their claim ids."""
    documents = {row["doc_id"]: row for row in ledger.document_rows()}
    claims = ledger.claims()
    ids = {(c.doc_id, c.index): c.claim_id for c in claims}
    records = []
    for c in claims:
        doc = documents.get(c.doc_id) or {"text": "", "title": None, "site": None, "url": None, "published": None}
        text = doc["text"]
        record = {name: text[c.start:c.end] if name == "quote" else getattr(c, name) for name in CLAIM_FIELDS}
        record["breakdown_of"] = ids.get((c.doc_id, c.breakdown_of))
        record["derived_from"] = [ids[c.doc_id, i] for i in c.derived_from if (c.doc_id, i) in ids]
        record["evidence"] = text[c.sentence_start:c.sentence_end]
        record.update({name: doc[name] for name in ("title", "site", "url", "published")})
        records.append(record)
    records.sort(key=lambda r: (r["doc_id"], r["start"], r["end"], r["measure"], r["subgroup"] or ""))
    return records


def group_records(ledger: Ledger) -> list[dict]:
    """Groups in the contract's fields, then what stands behind each figure and why the status is what it is."""
    texts = {row["doc_id"]: row["text"] for row in ledger.document_rows()}
    by_group: dict[tuple, list[Claim]] = defaultdict(list)
    for c in ledger.claims():
        key = group_key(c)
        if key is not None:
            by_group[key].append(c)

    def words(claim: Claim) -> str:
        return figure_words(texts.get(claim.doc_id, "")[claim.start:claim.end]) or figure_text(claim)

    out = []
    for f in ledger.findings():
        claims = sorted(by_group.get((f.event, f.measure, f.subgroup), []), key=interval)
        written: dict[str, list[str]] = {}
        for c in claims:
            written.setdefault(figure_text(c), []).append(texts.get(c.doc_id, "")[c.start:c.end])
        out.append({
            "event": f.event, "measure": f.measure, "subgroup": f.subgroup, "status": f.status, "low": f.low,
            "high": f.high, "doc_ids": list(f.doc_ids), "claims": f.claims,
            "independent_sources": f.independent_sources, "figures": list(f.values),
            "first_published": f.first_published, "last_published": f.last_published, "flags": list(f.flags),
            "support": [
                {"figure": s.figure, "doc_ids": list(s.doc_ids), "independent_sources": s.independent_sources,
                 "claimants": list(s.claimants), "first_published": s.first_published}
                for s in f.support
            ],
            "figures_differ": f.figures_differ,
            "status_reason": status_reason(claims, words),
            "figures_as_written": [wording_label(written.get(figure, [])) or figure for figure in f.values],
        })
    return out


def document_records(ledger: Ledger) -> list[dict]:
    """Documents, each with the passages it shares with others: its span, the other's, and which document."""
    shared: dict[str, list[dict]] = {}
    for r in ledger.relations():
        for a0, a1, b0, b1 in r.passages:
            shared.setdefault(r.doc_a, []).append(
                {"with": r.doc_b, "kind": r.kind, "start": a0, "end": a1, "other_start": b0, "other_end": b1})
            shared.setdefault(r.doc_b, []).append(
                {"with": r.doc_a, "kind": r.kind, "start": b0, "end": b1, "other_start": a0, "other_end": a1})
    return [{**{name: row[name] for name in DOCUMENT_FIELDS},
             "shared_passages": sorted(shared.get(row["doc_id"], []), key=lambda p: (p["start"], p["with"]))}
            for row in ledger.document_rows()]


RECORDS = {"claims": claim_records, "groups": group_records, "documents": document_records}
LIST_COLUMNS = {"doc_ids", "figures", "flags", "boilerplate", "derived_from"}


def render(records: list[dict], fmt: str, excel: bool = False) -> bytes:
    if excel and fmt != "csv":
        raise UsageError("--excel applies to CSV: add --format csv")
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")
    if fmt == "csv":
        return _csv(records, excel)
    if fmt == "parquet":
        return _parquet(records)
    raise UsageError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")


def _nested_text(record: dict) -> str:
    """A nested record (a figure's support, a shared passage) as words a spreadsheet cell can hold."""
    if "figure" in record:
        claimants = f"; according to {', '.join(record['claimants'])}" if record.get("claimants") else ""
        return (f"{record['figure']}: {', '.join(record['doc_ids'])} ({record['independent_sources']} independent"
                f" source{'s' if record['independent_sources'] != 1 else ''}{claimants})")
    if "with" in record:
        return f"{record['start']}-{record['end']} with {record['with']} {record['other_start']}-{record['other_end']}"
    return ", ".join(f"{k} {v}" for k, v in record.items())


def _csv_cell(value) -> str:
    """Null as an empty cell; booleans as true/false; lists joined with ';' (spans as start-end); nested
    records in words, one a line."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return "\n".join(_nested_text(v) for v in value)
        return ";".join(f"{v[0]}-{v[1]}" if isinstance(v, list) else str(v) for v in value)
    return str(value)


def _csv(records: list[dict], excel: bool = False) -> bytes:
    buffer = io.StringIO()
    if records:
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(records[0].keys())
        for r in records:
            writer.writerow(_csv_cell(v) for v in r.values())
    return buffer.getvalue().encode("utf-8-sig" if excel else "utf-8")


def _parquet(records: list[dict]) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist(records) if records else pa.table({})
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to a hidden file beside `path`, flush it to disk, then rename it into place.

    Readers of `path` see the old file or the new one, never a part; a
    failure removes the partial file (a SIGKILL may leave `.NAME.*.part`).
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=directory)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes the file private; an export gets the usual mode
        os.replace(tmp, path)
    except BaseException as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from None
        raise
    _sync_directory(directory)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable (POSIX); not every system lets a folder be opened."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def export_bytes(ledger: Ledger, what: str, fmt: str, excel: bool = False) -> tuple[bytes, int]:
    """One export as bytes, and the number of records in it."""
    if what not in RECORDS:
        raise UsageError(f"unknown export {what!r}; choose one of: {', '.join(WHATS)}")
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    with ledger.snapshot():  # one state of the ledger, even while an ingest writes it
        records = RECORDS[what](ledger)
    return render(records, fmt, excel), len(records)


def export(ledger: Ledger, what: str, fmt: str, output: Path, excel: bool = False) -> int:
    """Write one export to a file, atomically; returns the number of records."""
    data, n = export_bytes(ledger, what, fmt, excel)
    write_atomically(output, data)
    return n
