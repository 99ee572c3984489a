"""The runner: composes the stages, owns iteration, counters, limits and progress.

`Pipeline.process` runs the per-document stages (clean → extract → link) on
one document; an engine maps it over many. `ingest` reads inputs, skips what
the ledger already holds, writes each result in its own transaction, then
runs the cross-document stages (relate, reconcile) over the whole ledger.

Limits keep one monstrous input from stalling a run: a document longer than
`Limits.max_doc_chars` is skipped before it is cleaned (and before it is
sent to a worker process), and cleaning plus extraction of one document
stop after `Limits.max_doc_seconds`. The time limit is a SIGALRM timer
(`signal.setitimer`) set around each document in the process that runs it
when that is the main thread (the serial engine's process, a pool worker),
where Python runs signal handlers. Off the main thread (a Dask worker runs
its tasks in a thread of its own) a timer thread raises the same exception
into the document's thread instead (CPython's `PyThreadState_SetAsyncExc`).
Either way `_TimeLimit` is raised, a BaseException, so the stages' own
`except Exception` guards cannot swallow it. Python checks for signals and
such exceptions between bytecodes, and the parsers used here (lxml, spaCy,
the `re` module) return to Python often enough that the limit holds to
within a fraction of a second; a call into C that never returned would not
be interrupted. Where neither can be had (a platform without SIGALRM or a
Python without that API) the limit is checked between stages instead.
"""
from __future__ import annotations

import ctypes
import signal
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from claimledger.clean import Cleaner
from claimledger.errors import ClaimledgerError
from claimledger.extract import Extractor
from claimledger.limits import DEFAULT_MAX_DOC_CHARS, DEFAULT_MAX_DOC_SECONDS
from claimledger.link import EventCues, document_cues, link_documents, provisional_events
from claimledger.ontology import Ontology, load_ontology
from claimledger.read import JSONL_SUFFIXES, MAX_FILE_BYTES, WARC_SUFFIXES, iter_input_files, read_paths
from claimledger.reconcile import reconcile
from claimledger.records import Claim, Document, DocumentResult, Relation, Skipped, Text
from claimledger.relate import find_relations, source_clusters
from claimledger.relate.passages import with_passages
from claimledger.store import LIMIT_REASON, Ledger


EXTRACTION_LANGUAGES = {"en"}  # the languages the ontology and the parser read


@dataclass(frozen=True, slots=True)
class Limits:
    """Per-document limits on cleaning and extraction; 0 (or None) means no limit."""

    max_doc_chars: int | None = DEFAULT_MAX_DOC_CHARS
    max_doc_seconds: float | None = DEFAULT_MAX_DOC_SECONDS

    def too_long(self, document: Document) -> str | None:
        """The reason a document is over the size limit, or None."""
        if self.max_doc_chars and len(document.content) > self.max_doc_chars:
            return (f"{LIMIT_REASON} document too long ({len(document.content):,} characters;"
                    f" --max-doc-chars is {self.max_doc_chars:,})")
        return None

    def too_slow(self) -> str:
        return f"{LIMIT_REASON} cleaning and extraction took over {self.max_doc_seconds:g} s (--max-doc-seconds)"


WARM_UP = (  # one tiny document of each kind, processed once per pipeline to load what the stages load lazily
    ("text/plain", "At least 2 people were killed in the attack on Monday, police said.\n"),
    ("text/html", "<html><head><title>Attack</title></head><body><article><p>At least 2 people were killed in"
                  " the attack on Monday, police said.</p></article></body></html>"),
)


class _TimeLimit(BaseException):
    """Raised by the timer into the document's own stages; a BaseException so their `except Exception` lets it by."""


@contextmanager
def time_limit(seconds: float | None) -> Iterator[Callable[[], None]]:
    """Run the body for at most `seconds`; yields a `check()` that raises _TimeLimit once they are up.

    In the main thread a SIGALRM timer interrupts the body; elsewhere only the
    body's own calls to check() can stop it.
    """
    deadline = time.monotonic() + seconds if seconds else None

    def check() -> None:
        if deadline is not None and time.monotonic() > deadline:
            raise _TimeLimit()

    if deadline is None:
        yield check
        return
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        with _thread_time_limit(seconds):
            yield check
        return

    def on_alarm(signum, frame):
        raise _TimeLimit()

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield check
    finally:
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
        finally:  # even when the alarm went off just before it could be cancelled
            signal.signal(signal.SIGALRM, previous)


def _raise_in_thread(thread_id: int, exception: type[BaseException] | None) -> bool:
    """Have `exception` raised in the thread at its next bytecode (None: withdraw one not raised yet)."""
    api = getattr(ctypes, "pythonapi", None)
    if api is None or not hasattr(api, "PyThreadState_SetAsyncExc"):
        return False
    target = ctypes.py_object(exception) if exception is not None else None
    return api.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), target) == 1


class _Watchdog:
    """One thread per process that raises _TimeLimit into a document's thread once its time is up.

    A timer thread per document would be started and joined around every document: a few context switches each,
    and on a busy machine each switch may wait for a time slice (a Dask worker parsing a document every 30 ms
    lost several per cent of its throughput to them). The watchdog instead sleeps until the earliest deadline
    it holds; a document that ends in time only takes its deadline out, and a new deadline, always later than
    those it holds, need not wake it.
    """

    def __init__(self):
        self._deadlines: dict[int, tuple[float, int]] = {}  # token -> (deadline, thread id)
        self._fired: set[int] = set()
        self._tokens = 0
        self._asleep_until: float | None = None  # the deadline the watchdog sleeps towards (None: no deadline)
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None

    def watch(self, seconds: float, thread_id: int) -> int:
        with self._wake:
            self._tokens += 1
            deadline = time.monotonic() + seconds
            self._deadlines[self._tokens] = (deadline, thread_id)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="claimledger-time-limit", daemon=True)
                self._thread.start()
            elif self._asleep_until is None or deadline < self._asleep_until:
                self._wake.notify()  # only a deadline earlier than the one it sleeps towards needs it awake
            return self._tokens

    def release(self, token: int) -> bool:
        """Take the deadline out; True when it had fired (its exception raised or pending in the thread)."""
        with self._wake:
            self._deadlines.pop(token, None)
            if token in self._fired:
                self._fired.discard(token)
                return True
            return False

    def _run(self) -> None:
        with self._wake:
            while True:
                now = time.monotonic()
                for token, (deadline, thread_id) in list(self._deadlines.items()):
                    if deadline <= now:
                        del self._deadlines[token]
                        if _raise_in_thread(thread_id, _TimeLimit):
                            self._fired.add(token)
                # a deadline taken out (its document ended in time) leaves it asleep: it wakes at that time,
                # finds nothing due and sleeps on towards the next
                self._asleep_until = min((d for d, _ in self._deadlines.values()), default=None)
                self._wake.wait(None if self._asleep_until is None else max(0.0, self._asleep_until - now))


_WATCHDOG = _Watchdog()  # process-wide, like the SIGALRM timer it stands in for off the main thread


@contextmanager
def _thread_time_limit(seconds: float) -> Iterator[None]:
    """Off the main thread: the process's watchdog raises _TimeLimit into this thread once `seconds` are up."""
    token = _WATCHDOG.watch(seconds, threading.get_ident())
    try:
        yield
    finally:
        if _WATCHDOG.release(token):
            # The body ended as the time ran out: take back the exception if it has not been raised yet,
            # so it cannot go off later in code that has nothing to do with this document.
            _raise_in_thread(threading.get_ident(), None)


class Pipeline:
    """The per-document stages with what they need loaded once: ontology, rules, parser, limits."""

    def __init__(self, ontology: Ontology | None = None, nlp=None, limits: Limits | None = None):
        self.ontology = ontology or load_ontology()
        self.cleaner = Cleaner()
        self.extractor = Extractor(self.ontology, nlp)
        self.limits = limits or Limits()
        self._warm = False

    def process(self, document: Document) -> DocumentResult:
        """Clean, extract and link one document within the limits; a failure becomes a skipped result, never an exception."""
        reason = self.limits.too_long(document)
        if reason:
            return _skipped_result(document, reason)
        if not self._warm:
            self._warm_up()
        try:
            with time_limit(self.limits.max_doc_seconds) as check:
                return self._process(document, check)
        except _TimeLimit:
            return _skipped_result(document, self.limits.too_slow())

    def _warm_up(self) -> None:
        """Load the parser and the cleaners' models before the first document's clock starts, not on its time."""
        self._warm = True
        for media_type, content in WARM_UP:
            self._process(Document("warm-up", "warm-up", media_type, content, ""), lambda: None)

    def _process(self, document: Document, check: Callable[[], None]) -> DocumentResult:
        try:
            text = self.cleaner.clean(document)
        except Exception as exc:  # noqa: BLE001 - third-party parsers fail in many ways; report, go on
            return _skipped_result(document, f"cannot extract text ({type(exc).__name__}: {exc})")
        check()
        if not text.text.strip():
            return _skipped_result(document, "no text found")
        if document.media_type == "text/html" and text.title and text.text.strip() == text.title.strip():
            # Only the <title> came out: a page without a body (an error page, a redirect stub), not a report.
            return _skipped_result(document, "no text found (the page has only a title)")
        if text.language is not None and text.language not in EXTRACTION_LANGUAGES:
            # Kept with its text, title and date; only extraction is skipped.
            return DocumentResult(document, text, (), "skipped", f"language: {text.language}")
        try:
            claims = self.extractor.extract(text)
            check()
            cues = document_cues(text, claims, self.ontology)  # read here, on the worker, and stored
            claims = provisional_events(claims, cues, text.doc_id)
        except ClaimledgerError:
            raise
        except Exception as exc:  # noqa: BLE001
            return DocumentResult(document, text, (), "skipped", f"extraction failed ({type(exc).__name__}: {exc})")
        return DocumentResult(document, text, tuple(claims), cues=cues.as_json())


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
    interrupted: bool = False  # stopped on request before the end; findings left for the next run


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
        elif (any(name.endswith(s) for s in JSONL_SUFFIXES) and not path.name.lower().endswith(".gz")
              and path.is_file()):  # never open a pipe: reading it would wait for a writer
            try:
                if path.stat().st_size > MAX_FILE_BYTES:
                    raise OSError("too large: the read stage skips it")
                with open(path, "rb") as fh:
                    total += _count_lines(fh)
            except OSError:
                total += 1
        else:
            total += 1
    return total


def _count_lines(fh) -> int:
    """Lines with something on them, read in chunks (one huge line is never held whole)."""
    count, content = 0, False
    while chunk := fh.read(1024 * 1024):
        pieces = chunk.split(b"\n")
        for i, piece in enumerate(pieces):
            content = content or bool(piece.strip())
            if i < len(pieces) - 1:
                count, content = count + content, False
    return count + content


Engine = Callable[[Iterable[Document]], Iterator[DocumentResult]]


def ingest(
    paths: list[Path],
    ledger: Ledger,
    engine: Engine,
    on_document: Callable[[Document | Skipped, DocumentResult | None], None] | None = None,
    limits: Limits | None = None,
    stop: threading.Event | None = None,
) -> RunSummary:
    """Read, process and store every input, then relate and reconcile the whole ledger.

    Setting `stop` (the CLI does on Ctrl-C) ends the run after the document
    being written: nothing more is read, documents not yet finished are
    dropped (the next run does them), and findings are left for the next run
    to recompute (the ledger says they are stale). `summary.interrupted` is set.
    """
    summary = RunSummary()
    limits = limits or Limits()

    def stopping() -> bool:
        return stop is not None and stop.is_set()

    def fresh_documents() -> Iterator[Document]:
        for item in read_paths(paths):
            if stopping():
                return
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
            too_long = limits.too_long(item)
            if too_long:  # decided here, so a huge text is never copied to a worker process
                store(_skipped_result(item, too_long))
                continue
            yield item

    def store(result: DocumentResult) -> None:
        ledger.write_result(result)
        summary.processed += 1
        if result.status != "ok":
            skipped = Skipped(result.document.origin, result.reason or "skipped", result.document.doc_id)
            _note_skip(summary, ledger, skipped, record=False)  # write_result recorded it
        if on_document:
            on_document(result.document, result)

    results = engine(fresh_documents())
    try:
        for result in results:
            store(result)
            if stopping():
                break
    finally:
        close = getattr(results, "close", None)
        if close is not None:
            close()  # an engine cancels the documents it has not finished
    if stopping():
        summary.interrupted = True
    elif ledger.findings_stale():
        # An engine that spreads work over machines brings its own relate (the same relations, found there).
        relate = getattr(engine, "find_relations", None)
        if relate is None:
            refresh_findings(ledger)
        else:
            refresh_findings(ledger, relate=relate)
    findings = ledger.findings()
    summary.claims = ledger.counts()["claims"]
    summary.groups = len(findings)
    summary.conflicts = sum(f.status == "conflicting" for f in findings)
    return summary


def content_text(text: Text) -> str:
    """What the relate stage compares: the text without its boilerplate."""
    return " ".join(text.text[s.start:s.end] for s in text.content_spans())


def _note_skip(summary: RunSummary, ledger: Ledger, skipped: Skipped, record: bool = True) -> None:
    summary.skipped.append(skipped)
    summary.skip_reasons[skipped.reason.split(" (")[0]] += 1
    if record:
        ledger.record_skipped(skipped)


Relate = Callable[[Iterable[tuple[str, str]]], list[Relation]]


def refresh_findings(ledger: Ledger, ontology: Ontology | None = None, relate: Relate | None = None) -> None:
    """Recompute source relations and findings over everything in the ledger.

    `relate` (an engine's) takes (doc_id, content) pairs in doc-id order, as
    a stream, and gives what `find_relations` would give for them.
    """
    ontology = ontology or load_ontology()
    if relate is None:
        contents_by_id = {t.doc_id: content_text(t) for t in ledger.texts()}
        relations = find_relations(contents_by_id)
        doc_ids = sorted(contents_by_id)
        del contents_by_id
    else:
        seen: list[str] = []

        def contents() -> Iterator[tuple[str, str]]:
            for t in ledger.texts():
                seen.append(t.doc_id)
                yield t.doc_id, content_text(t)

        relations = relate(contents())
        doc_ids = sorted(seen)
    clusters = source_clusters(doc_ids, relations)
    related = {d for r in relations for d in (r.doc_a, r.doc_b)}
    texts = {t.doc_id: t for t in ledger.texts(related)}  # the passages of related documents only
    relations = [with_passages(r, texts) for r in relations]
    del texts
    events, claims, fresh_cues = link_ledger(ledger, ontology)
    findings = reconcile(claims, clusters, ledger.published(), ontology)
    ledger.write_reconciliation(relations, clusters, findings, claims, events, fresh_cues)


def link_ledger(ledger: Ledger, ontology: Ontology) -> tuple[dict[str, str], list[Claim], dict[str, dict]]:
    """Every document's and claim's incident, from the link cues stored with the documents.

    Only documents without cues (written by an older claimledger, or by an older reading) and reports whose
    dateline gives no year (read again with the year found across documents) have their texts read. Returns
    the events by document, the claims with their events, and the cues read anew (to store).
    """
    claims = ledger.claims()
    by_doc: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_doc[claim.doc_id].append(claim)
    cues: dict[str, EventCues] = {}
    missing = []
    for doc_id, raw in ledger.document_cues().items():
        found = EventCues.from_json(raw)
        if found is None:
            missing.append(doc_id)
        else:
            cues[doc_id] = found
    fresh = {t.doc_id: document_cues(t, by_doc[t.doc_id], ontology) for t in ledger.texts(missing)}
    cues.update(fresh)

    def reread(doc_id: str, published: str) -> EventCues:
        text = next(ledger.texts([doc_id]))
        return document_cues(text, by_doc[doc_id], ontology, published)

    events, claims, _ = link_documents(cues, claims, reread)
    return events, claims, {d: c.as_json() for d, c in fresh.items()}