"""The Dask engine: the per-document stages and the relate stage's LSH join on a `dask.distributed` cluster.

Without an address it starts a `LocalCluster` on this machine: one
single-threaded worker process per core (or `workers`). With one it joins the
user's cluster (`Client(address)`); claimledger must be installed on its
workers too.

Per-document stages. The runner streams documents; they go to the workers in
batches (up to `BATCH_DOCUMENTS` documents or `BATCH_CHARS` characters) with
a bounded number of batches in flight, so the driver never holds more than
that window of the corpus. A worker plugin builds the `Pipeline` (ontology,
parser, limits) once per worker; results come back in input order and the
runner, the one writer, puts them in the ledger: the ledger is the one the
other engines write. The per-document time limit holds on the workers too:
they run tasks off their main thread, where `runner.time_limit` raises into
the task's thread from a timer. A batch whose worker dies (killed, out of
memory) is run again one document per task; the document that kills its
worker again is skipped with that reason, as in the local engine.

Relate (`find_relations`). The driver streams (doc_id, content) from the
ledger into partitions kept on the workers; each partition's MinHash
signatures and band keys are computed there. The (band key, document) records
are grouped by key with a Dask shuffle (`dask.bag.groupby`, task-based), and
each group with more than one document gives candidate pairs, filed on the
workers by the two partitions that hold their texts. One task per pair of
partitions runs the exact check of its candidates (each text shingled once)
where the texts are. Only the relations come back to the driver: neither
texts nor candidate pairs gather in one process. The result is the one
`relate.find_relations` gives: the same band keys propose the same
candidates, and the same exact check decides.

Driver memory. distributed keeps the last messages of each connection for
debugging (`distributed.admin.low-level-log-length`, 1,000 by default), which
here would be the last 1,000 batches of documents sent to each worker; the
engine lowers it to `MESSAGE_LOG_LENGTH` while it runs. (A scheduler of the
user's own reads its own configuration: set it there too.)

Worker overhead. A worker's housekeeping (profiler, event-loop tick, memory
monitor) takes the GIL from the document being parsed, and distributed's
memory trimming (`MALLOC_TRIM_THRESHOLD_`) makes every large allocation a
fresh mapping; the local cluster's workers run with both quietened
(`QUIET_WORKER`), and the per-document time limit is kept by one watchdog
thread per process, not a timer thread per document (`runner.py`), so one
worker does a document's work about as fast as the serial engine. Workers of
the user's own cluster read their own configuration: the same keys apply there.
"""
from __future__ import annotations

import logging
import operator
import os
import signal
import threading
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator

import dask.bag
import dask.config
from distributed import Client, Future, LocalCluster, WorkerPlugin, get_worker
from distributed.scheduler import KilledWorker

from claimledger.engines import in_order
from claimledger.errors import ClaimledgerError
from claimledger.records import Document, DocumentResult, Relation, Text
from claimledger.relate import band_keys, check_pair, content_signature, shingles
from claimledger.runner import Limits, Pipeline

BATCH_DOCUMENTS = 32  # per task: enough to make the scheduler's cost per task small beside the work
BATCH_CHARS = 2_000_000  # ...but a batch of long pages stays a few megabytes
BATCHES_PER_THREAD = 3  # in flight: one running, the next ones queued, so no worker waits for the driver
RELATE_PARTITION_DOCS = 2_000  # documents per relate partition
RELATE_PARTITION_CHARS = 20_000_000
CONNECT_SECONDS = 30
# distributed keeps each connection's last messages (under 1 MB each) for debugging, 1,000 by default: here
# that would hold the last 1,000 batches of documents sent to each worker in the driver. A few are enough.
MESSAGE_LOG_LENGTH = 10
WORKER_DIED = "the worker process died while processing it (out of memory?)"
# A worker's own housekeeping runs on its event-loop thread beside the task thread, and each wake-up takes the GIL
# from the document being parsed: the statistical profiler every 10 ms, the event loop's tick every 20 ms, the
# memory monitor every 100 ms. Measured on a loaded 2-core machine, they cost a worker about 8% of its CPU per
# document (2.6-3.1 ms of 32) and more in wall time, since each GIL hand-off waits for the other thread to be
# scheduled. The local cluster's workers run without the profiler and wake up rarely.
QUIET_WORKER = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.tick.limit": "30s",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.admin.system-monitor.gil.enabled": False,
    # distributed starts its workers with MALLOC_TRIM_THRESHOLD_=65536, so that a worker holding large arrays
    # hands freed memory back at once. Setting it also fixes glibc's mmap threshold at 128 KiB: every larger
    # allocation (the parser's arrays, a page's text) is mapped and unmapped anew, about 260 page faults a
    # document and 5% of a worker's time in the kernel. A worker here holds documents, not arrays: glibc's own.
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
}


class Shipment(list):
    """A list that travels between processes in one piece.

    distributed sends a plain list (or tuple) that a task returns item by item,
    each pickled on its own: tens of microseconds apiece, seconds for the band
    records of a few thousand documents. A subclass it pickles whole.
    """


class DaskEngineError(ClaimledgerError):
    """The Dask cluster cannot be reached or started."""


class PipelinePlugin(WorkerPlugin):
    """Loads the per-document pipeline once per worker (one per thread, should a worker run several)."""

    idempotent = True  # a second run on the same cluster with the same limits reuses the loaded models

    def __init__(self, limits: Limits | None, ignore_interrupt: bool):
        self.limits = limits or Limits()
        self.ignore_interrupt = ignore_interrupt
        self.name = f"claimledger-pipeline-{self.limits.max_doc_chars}-{self.limits.max_doc_seconds}"
        self._pipelines: dict[int, Pipeline] = {}
        self._spare: Pipeline | None = None
        self._lock = threading.Lock()

    def __getstate__(self):
        return {"limits": self.limits, "ignore_interrupt": self.ignore_interrupt, "name": self.name}

    def __setstate__(self, state):
        self.__init__(state["limits"], state["ignore_interrupt"])

    def setup(self, worker) -> None:
        if self.ignore_interrupt and threading.current_thread() is threading.main_thread():
            # Ctrl-C in the terminal reaches a local cluster's workers too; the driver decides when to stop.
            signal.signal(signal.SIGINT, signal.SIG_IGN)
        self._spare = self._new_pipeline()

    def _new_pipeline(self) -> Pipeline:
        pipeline = Pipeline(limits=self.limits)
        pipeline.process(Document("warm-up", "warm-up", "text/plain", "2 people were killed, police said.", ""))
        return pipeline

    def pipeline(self) -> Pipeline:
        """The calling thread's pipeline (the one built at setup for the first thread that asks)."""
        thread = threading.get_ident()
        with self._lock:
            if thread not in self._pipelines and self._spare is not None:
                self._pipelines[thread], self._spare = self._spare, None
            found = self._pipelines.get(thread)
        if found is None:
            found = self._pipelines[thread] = self._new_pipeline()
        return found


def _process_batch(documents: list[Document], plugin_name: str) -> Shipment:
    pipeline = get_worker().plugins[plugin_name].pipeline()
    return Shipment(pipeline.process(document) for document in documents)


class DaskEngine:
    """The per-document stages and relate on Dask; use as a context manager (or call close())."""

    def __init__(self, scheduler: str | None = None, workers: int | None = None, limits: Limits | None = None):
        self.scheduler = scheduler
        self.workers = workers or max(1, os.cpu_count() or 1)
        self.limits = limits
        self._plugin = PipelinePlugin(limits, ignore_interrupt=scheduler is None)
        self._client: Client | None = None
        self._cluster: LocalCluster | None = None
        self._config: dask.config.set | None = None

    # -- the cluster ---------------------------------------------------------------

    def start(self) -> Client:
        """Connect to the cluster (or start the local one) and load the pipeline on every worker; once."""
        if self._client is not None:
            return self._client
        # Read when a connection opens or a worker starts: set for the engine's lifetime, so workers restarted
        # mid-run get it too.
        self._config = dask.config.set({"distributed.admin.low-level-log-length": MESSAGE_LOG_LENGTH,
                                        **QUIET_WORKER})
        try:
            if self.scheduler:
                self._client = Client(self.scheduler, timeout=CONNECT_SECONDS, set_as_default=False)
            else:
                self._cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                             dashboard_address=":0", silence_logs=logging.ERROR)
                self._client = Client(self._cluster, set_as_default=False)
            self._client.wait_for_workers(1, timeout=CONNECT_SECONDS)
            self._client.register_plugin(self._plugin)
        except (OSError, TimeoutError) as exc:
            self.close()
            where = f"the Dask scheduler at {self.scheduler}" if self.scheduler else "a local Dask cluster"
            detail = str(exc) or type(exc).__name__
            if isinstance(exc, TimeoutError) and self.scheduler:
                detail = f"no worker joined within {CONNECT_SECONDS} s, or the scheduler did not answer"
            raise DaskEngineError(f"cannot use {where} ({detail})") from exc
        return self._client

    def threads(self) -> int:
        """Task threads across the cluster's workers now."""
        return max(1, sum(self.start().nthreads().values()))

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None
        if self._config is not None:
            self._config.__exit__(None, None, None)
            self._config = None

    def __enter__(self) -> DaskEngine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- the per-document stages -----------------------------------------------------

    def __call__(self, documents: Iterable[Document]) -> Iterator[DocumentResult]:
        client = self.start()
        yield from in_order(_batches(documents, BATCH_DOCUMENTS, BATCH_CHARS, lambda d: len(d.content)),
                            lambda batch: client.submit(_process_batch, batch, self._plugin.name, pure=False),
                            self._next_results, BATCHES_PER_THREAD * self.threads())

    def _next_results(self, window: deque[tuple[list[Document], Future]]) -> Iterator[DocumentResult]:
        batch, future = window.popleft()
        try:
            results = future.result()
        except KilledWorker:
            results = self._one_at_a_time(batch)
        finally:
            future.release()
        yield from results

    def _one_at_a_time(self, documents: list[Document]) -> list[DocumentResult]:
        """A batch that killed its worker, again one document per task, one task at a time (so a document that
        kills its worker takes no other of these down with it): only that document is lost."""
        client = self.start()
        results = []
        for document in documents:
            future = client.submit(_process_batch, [document], self._plugin.name, pure=False)
            try:
                results.extend(future.result())
            except KilledWorker:
                results.append(DocumentResult(document, Text(document.doc_id, ""), (), "skipped", WORKER_DIED))
            finally:
                future.release()
        return results

    # -- relate ----------------------------------------------------------------------

    def find_relations(self, texts: Iterable[tuple[str, str]]) -> list[Relation]:
        """What `relate.find_relations` gives for these (doc_id, content) pairs, found on the workers."""
        client = self.start()
        partitions: list[Future] = []
        for chunk in _batches(texts, RELATE_PARTITION_DOCS, RELATE_PARTITION_CHARS, lambda t: len(t[1])):
            [future] = client.scatter([dict(chunk)], hash=False)
            partitions.append(future)
        if not partitions:
            return []
        held: list[Future] = []  # a future nobody holds is forgotten by the scheduler: these live to the end
        try:
            band_futures = [client.submit(_band_records, part, index, pure=False)
                            for index, part in enumerate(partitions)]
            held += band_futures
            grouped = dask.bag.from_delayed(band_futures).groupby(operator.itemgetter(0), shuffle="tasks")
            # Candidate pairs stay on the workers, filed by the two relate partitions that hold their texts;
            # only which (partition, partition) files each piece holds comes to the driver.
            pieces = client.compute(grouped.map_partitions(_candidates_by_partitions).to_delayed())
            held += pieces
            holders: dict[tuple[int, int], list[Future]] = defaultdict(list)
            for piece, files in zip(pieces, client.gather([client.submit(_file_names, p) for p in pieces])):
                for name in files:
                    holders[name].append(piece)
            checks = []
            for (a, b), holding in sorted(holders.items()):
                parts_of_file = [client.submit(_file, piece, (a, b), pure=False) for piece in holding]
                checks.append(client.submit(_check_pairs, partitions[a], partitions[b], *parts_of_file, pure=False))
            held += checks
            relations = [r for found in client.gather(checks) for r in found]
        finally:
            for future in [*partitions, *held]:
                future.release()
        return sorted(relations, key=lambda r: (r.doc_a, r.doc_b))


def _batches(items: Iterable, most: int, most_chars: int, size) -> Iterator[list]:
    batch: list = []
    chars = 0
    for item in items:
        batch.append(item)
        chars += size(item)
        if len(batch) >= most or chars >= most_chars:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


def _band_records(texts: dict[str, str], partition: int) -> Shipment:
    """(band key, (doc_id, partition)) for every document of a relate partition long enough to compare."""
    records = Shipment()
    for doc_id, content in texts.items():
        sig = content_signature(content)
        if sig is not None:
            records.extend((key, (doc_id, partition)) for key in band_keys(sig))
    return records


def _candidates_by_partitions(groups: Iterable[tuple[int, list]]) -> Shipment:
    """The candidate pairs of these band groups: ((partition of a, partition of b), pairs (a, b)) with a < b.

    A pair sharing several bands may be filed by several pieces; the check dedupes.
    """
    files: dict[tuple[int, int], set[tuple[str, str]]] = defaultdict(set)
    for _, records in groups:
        if len(records) < 2:
            continue
        members = sorted({member for _, member in records})
        for i, (doc_a, part_a) in enumerate(members):
            for doc_b, part_b in members[i + 1:]:
                if doc_a != doc_b:
                    files[part_a, part_b].add((doc_a, doc_b))
    return Shipment((name, Shipment(pairs)) for name, pairs in files.items())


def _file_names(piece: Shipment) -> Shipment:
    return Shipment(name for name, _ in piece)


def _file(piece: Shipment, name: tuple[int, int]) -> Shipment:
    return next(pairs for file_name, pairs in piece if file_name == name)


def _check_pairs(texts_a: dict[str, str], texts_b: dict[str, str], *files: Shipment) -> Shipment:
    """The exact check of every candidate pair between two relate partitions; each text shingled once."""
    shingled: dict[str, set[str]] = {}

    def shingles_of(doc_id: str, texts: dict[str, str]) -> set[str]:
        if doc_id not in shingled:
            shingled[doc_id] = shingles(texts[doc_id])
        return shingled[doc_id]

    relations = Shipment()
    for doc_a, doc_b in sorted(set().union(*files)):
        relation = check_pair(doc_a, shingles_of(doc_a, texts_a), doc_b, shingles_of(doc_b, texts_b))
        if relation is not None:
            relations.append(relation)
    return relations
