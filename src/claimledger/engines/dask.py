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
each group with more than one document gives candidate pairs. Only the
candidate pairs (ids, not texts) come back to the driver; the exact check of
each pair runs on a worker holding (or fetching) the two partitions. The
result is the one `relate.find_relations` gives: the same band keys propose
the same candidates, and the same exact check decides.
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
from distributed import Client, Future, LocalCluster, WorkerPlugin, get_worker
from distributed.scheduler import KilledWorker

from claimledger.errors import ClaimledgerError
from claimledger.records import Document, DocumentResult, Relation, Text
from claimledger.relate import band_keys, check_pair, content_signature
from claimledger.runner import Limits, Pipeline

BATCH_DOCUMENTS = 32  # per task: enough to make the scheduler's cost per task small beside the work
BATCH_CHARS = 2_000_000  # ...but a batch of long pages stays a few megabytes
BATCHES_PER_THREAD = 3  # in flight: one running, the next ones queued, so no worker waits for the driver
RELATE_PARTITION_DOCS = 2_000  # documents per relate partition
RELATE_PARTITION_CHARS = 20_000_000
CONNECT_SECONDS = 30
WORKER_DIED = "the worker process died while processing it (out of memory?)"


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

    # -- the cluster ---------------------------------------------------------------

    def start(self) -> Client:
        """Connect to the cluster (or start the local one) and load the pipeline on every worker; once."""
        if self._client is not None:
            return self._client
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

    def __enter__(self) -> DaskEngine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- the per-document stages -----------------------------------------------------

    def __call__(self, documents: Iterable[Document]) -> Iterator[DocumentResult]:
        client = self.start()
        in_flight = BATCHES_PER_THREAD * self.threads()
        window: deque[tuple[list[Document], Future]] = deque()
        try:
            for batch in _batches(documents, BATCH_DOCUMENTS, BATCH_CHARS, lambda d: len(d.content)):
                window.append((batch, client.submit(_process_batch, batch, self._plugin.name, pure=False)))
                if len(window) >= in_flight:
                    yield from self._next_results(window)
            while window:
                yield from self._next_results(window)
        finally:
            # Closed early (the run was stopped): drop what is not finished.
            for _, future in window:
                future.cancel()

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
        band_futures: list[Future] = []
        try:
            # Held here while the graph below runs: a future nobody holds is forgotten by the scheduler.
            band_futures = [client.submit(_band_records, part, index, pure=False)
                            for index, part in enumerate(partitions)]
            records = dask.bag.from_delayed(band_futures)
            grouped = records.groupby(operator.itemgetter(0), shuffle="tasks")
            candidates = set(client.compute(grouped.map_partitions(_candidate_pairs)).result())
            by_partitions: dict[tuple[int, int], list[tuple[str, str]]] = defaultdict(list)
            for doc_a, part_a, doc_b, part_b in candidates:
                by_partitions[part_a, part_b].append((doc_a, doc_b))
            del candidates
            checks = [client.submit(_check_pairs, partitions[a], partitions[b], sorted(pairs), pure=False)
                      for (a, b), pairs in sorted(by_partitions.items())]
            relations = [r for found in client.gather(checks) for r in found]
        finally:
            for future in [*partitions, *band_futures]:
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


def _candidate_pairs(groups: Iterable[tuple[int, list]]) -> Shipment:
    """(doc_a, its partition, doc_b, its partition) with doc_a < doc_b, once each, for every bucket shared."""
    pairs = set()
    for _, records in groups:
        if len(records) < 2:
            continue
        members = sorted({member for _, member in records})
        for i, (doc_a, part_a) in enumerate(members):
            for doc_b, part_b in members[i + 1:]:
                if doc_a != doc_b:
                    pairs.add((doc_a, part_a, doc_b, part_b))
    return Shipment(pairs)


def _check_pairs(texts_a: dict[str, str], texts_b: dict[str, str], pairs: list[tuple[str, str]]) -> Shipment:
    relations = Shipment()
    for doc_a, doc_b in pairs:
        relation = check_pair(doc_a, texts_a[doc_a], doc_b, texts_b[doc_b])
        if relation is not None:
            relations.append(relation)
    return relations
