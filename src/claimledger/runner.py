"""The runner: composes the stages, owns iteration, counters and progress.

`Pipeline.process` runs the per-document stages (clean → extract → link) on
one document; an engine maps it over many. `ingest` reads inputs, skips what
the ledger already holds, writes each result in its own transaction, then
runs the cross-document stages (relate, reconcile) over the whole ledger.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from claimledger.clean import Cleaner
from claimledger.errors import ClaimledgerError
from claimledger.extract import Extractor
from claimledger.link import link_claims
from claimledger.ontology import Ontology, load_ontology
from claimledger.read import JSONL_SUFFIXES, WARC_SUFFIXES, iter_input_files, read_paths
from claimledger.reconcile import reconcile
from claimledger.records import Document, DocumentResult, Skipped, Text
from claimledger.relate import find_relations, source_clusters
from claimledger.store import Ledger


EXTRACTION_LANGUAGES = {"en"}  # the languages the ontology and the parser read


class Pipeline:
    """The per-document stages with what they need loaded once: ontology, rules, parser."""

    def __init__(self, ontology: Ontology | None = None, nlp=None):
        self.ontology = ontology or load_ontology()
        self.cleaner = Cleaner()
        self.extractor = Extractor(self.ontology, nlp)

    def process(self, document: Document) -> DocumentResult:
        """Clean, extract and link one document; a failure becomes a skipped result, never an exception."""
        try:
            text = self.cleaner.clean(document)
        except Exception as exc:  # noqa: BLE001 - third-party parsers fail in many ways; report, go on
            return _skipped_result(document, f"cannot extract text ({type(exc).__name__}: {exc})")
        if not text.text.strip():
            return _skipped_result(document, "no text found")
        if text.language is not None and text.language not in EXTRACTION_LANGUAGES:
            # Kept with its text, title and date; only extraction is skipped.
            return DocumentResult(document, text, (), "skipped", f"language: {text.language}")
        try:
            claims = self.extractor.extract(text)
            claims = link_claims(text, claims, self.ontology)
        except ClaimledgerError:
            raise
        except Exception as exc:  # noqa: BLE001
            return DocumentResult(document, text, (), "skipped", f"extraction failed ({type(exc).__name__}: {exc})")
        return DocumentResult(document, text, tuple(claims))


def _skipped_result(document: Document, reason: str) -> DocumentResult:
    return DocumentResult(document, Text(document.doc_id, ""), (), "skipped", reason)


@dataclass
class RunSummary:
    documents_seen: int = 0
    processed: int = 0
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    claims: int = 0
    groups: int = 0
    conflicts: int = 0
    skip_reasons: Counter = field(default_factory=Counter)


def count_inputs(paths: list[Path]) -> int:
    """How many documents the inputs hold (JSONL lines counted), for the progress bar."""
    total = 0
    for item in iter_input_files(paths):
        if isinstance(item, Skipped):
            continue
        path = item[0]
        name = path.name.lower().removesuffix(".gz")
        if any(name.endswith(s) for s in WARC_SUFFIXES):
            total += 1  # records are counted as they come; the bar grows
        elif any(name.endswith(s) for s in JSONL_SUFFIXES) and not path.name.lower().endswith(".gz"):
            try:
                with open(path, "rb") as fh:
                    total += sum(1 for line in fh if line.strip())
            except OSError:
                total += 1
        else:
            total += 1
    return total


Engine = Callable[[Iterable[Document]], Iterator[DocumentResult]]


def ingest(
    paths: list[Path],
    ledger: Ledger,
    engine: Engine,
    on_document: Callable[[Document | Skipped, DocumentResult | None], None] | None = None,
) -> RunSummary:
    """Read, process and store every input, then relate and reconcile the whole ledger."""
    summary = RunSummary()

    def fresh_documents() -> Iterator[Document]:
        for item in read_paths(paths):
            summary.documents_seen += 1
            if isinstance(item, Skipped):
                _note_skip(summary, ledger, item)
                if on_document:
                    on_document(item, None)
                continue
            summary.warnings.extend(item.warnings)
            if ledger.is_unchanged(item.doc_id, item.content_hash):
                summary.unchanged += 1
                if on_document:
                    on_document(item, None)
                continue
            yield item

    for result in engine(fresh_documents()):
        ledger.write_result(result)
        summary.processed += 1
        if result.status != "ok":
            _note_skip(summary, ledger, Skipped(result.document.origin, result.reason or "skipped", result.document.doc_id), record=False)
        if on_document:
            on_document(result.document, result)
    refresh_findings(ledger)
    findings = ledger.findings()
    summary.claims = ledger.counts()["claims"]
    summary.groups = len(findings)
    summary.conflicts = sum(f.status == "conflicting" for f in findings)
    return summary


def _note_skip(summary: RunSummary, ledger: Ledger, skipped: Skipped, record: bool = True) -> None:
    summary.skipped.append(skipped)
    summary.skip_reasons[skipped.reason.split(" (")[0]] += 1
    if record:
        ledger.record_skipped(skipped)


def refresh_findings(ledger: Ledger, ontology: Ontology | None = None) -> None:
    """Recompute source relations and findings over everything in the ledger."""
    ontology = ontology or load_ontology()
    texts = {t.doc_id: " ".join(t.text[s.start:s.end] for s in t.content_spans()) for t in ledger.texts()}
    relations = find_relations(texts)
    clusters = source_clusters(sorted(texts), relations)
    ledger.replace_relations(relations, clusters)
    findings = reconcile(ledger.claims(), clusters, ledger.published(), ontology)
    ledger.replace_findings(findings)
