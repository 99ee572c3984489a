"""Engines map the per-document pipeline over documents; the stages never know which one runs them.

- `serial`: one process, easiest to debug.
- `local`: a process pool over the machine's cores (the default); each worker
  loads the parser once.
- `dask` (`engines/dask.py`, the `dask` extra): a `dask.distributed` cluster,
  local or at an address, which also runs the relate stage's LSH join.
All yield results in input order, so the ledger and its exports are the same.

Both run each document in a process's main thread, so the pipeline's time
limit (a SIGALRM timer, see `runner.py`) works in either. Pool workers ignore
Ctrl-C: the main process decides when to stop (after the document it is
writing) and cancels what the workers have not started; a worker whose main
process has died (killed) exits by itself rather than linger.
"""
from __future__ import annotations

import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from claimledger.errors import UsageError
from claimledger.records import Document, DocumentResult, Text
from claimledger.runner import Limits, Pipeline

ENGINES = ("serial", "local", "dask")
DASK_MISSING = "the dask engine needs: pip install 'claimledger[dask]'"
ORPHAN_CHECK_SECONDS = 1.0

# The pipeline of a pool worker process, built once by the pool's initializer.
_worker_pipeline: Pipeline | None = None


def _init_worker(limits: Limits | None, parent: int) -> None:
    global _worker_pipeline
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True).start()
    _worker_pipeline = Pipeline(limits=limits)


def _exit_when_orphaned(parent: int) -> None:
    """A killed main process cannot shut its pool down: its workers notice and go."""
    while True:
        time.sleep(ORPHAN_CHECK_SECONDS)
        if os.getppid() != parent:
            os._exit(1)


def _process_in_worker(document: Document) -> DocumentResult:
    if _worker_pipeline is None:
        raise RuntimeError("the pool's initializer did not run")
    return _worker_pipeline.process(document)


class SerialEngine:
    def __init__(self, pipeline: Pipeline | None = None, limits: Limits | None = None):
        self.pipeline = pipeline or Pipeline(limits=limits)

    def __call__(self, documents: Iterable[Document]) -> Iterator[DocumentResult]:
        for document in documents:
            yield self.pipeline.process(document)


class LocalEngine:
    """A process pool; a bounded window of documents in flight keeps memory flat.

    A worker that dies (killed, out of memory) takes the pool and the
    documents in flight with it: they are run again one at a time in a new
    pool, so the one that kills a worker is found and skipped, and the run goes on.
    """

    def __init__(self, workers: int | None = None, limits: Limits | None = None):
        self.workers = workers or max(1, os.cpu_count() or 1)
        self.limits = limits
        self._pool: ProcessPoolExecutor | None = None

    def _start_pool(self) -> ProcessPoolExecutor:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = ProcessPoolExecutor(
            max_workers=self.workers, initializer=_init_worker, initargs=(self.limits, os.getpid())
        )
        return self._pool

    def __call__(self, documents: Iterable[Document]) -> Iterator[DocumentResult]:
        self._start_pool()
        try:
            yield from in_order(documents, lambda d: self._pool.submit(_process_in_worker, d), self._next_result,
                                self.workers * 4)
        finally:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _next_result(self, window: deque[tuple[Document, Future]]) -> Iterator[DocumentResult]:
        document, future = window.popleft()
        try:
            result = future.result()
        except BrokenProcessPool:
            lost = [document, *(d for d, _ in window)]
            window.clear()
            yield from self._one_at_a_time(lost)
        else:
            yield result

    def _one_at_a_time(self, documents: list[Document]) -> Iterator[DocumentResult]:
        pool = self._start_pool()
        for document in documents:
            try:
                result = pool.submit(_process_in_worker, document).result()
            except BrokenProcessPool:
                pool = self._start_pool()
                result = DocumentResult(document, Text(document.doc_id, ""), (), "skipped",
                                        "the worker process died while processing it (out of memory?)")
            yield result


def in_order(items: Iterable, submit: Callable, next_results: Callable, in_flight: int) -> Iterator:
    """Keep `in_flight` submitted items running and yield their results in input order.

    `submit(item)` gives a future; `next_results(window)` pops the oldest (item, future) pair of the
    window and yields its results (it may empty the window to resubmit what a dead worker lost). Closed
    early (the run was stopped), what has not finished is cancelled rather than waited for.
    """
    window: deque = deque()
    try:
        for item in items:
            window.append((item, submit(item)))
            if len(window) >= in_flight:
                yield from next_results(window)
        while window:
            yield from next_results(window)
    finally:
        for _, future in window:
            future.cancel()


def make_engine(name: str, workers: int | None = None, pipeline: Pipeline | None = None, limits: Limits | None = None,
                scheduler: str | None = None):
    """The engine called `name`; `scheduler` (a Dask scheduler's address) only for dask.

    The dask engine holds a cluster: close it (`close()`, or use it as a
    context manager) once the run, findings included, is done.
    """
    if scheduler is not None and name != "dask":
        raise UsageError("--scheduler is an address of a Dask cluster: use it with --engine dask")
    if name == "dask":
        if scheduler is not None and workers is not None:
            raise UsageError("--workers sizes the local Dask cluster; a cluster given with --scheduler has its own"
                             " workers")
        try:
            from claimledger.engines.dask import DaskEngine
        except ImportError as exc:
            if (exc.name or "").split(".")[0] in ("dask", "distributed"):
                raise UsageError(DASK_MISSING) from None
            raise
        return DaskEngine(scheduler, workers, limits)
    if name == "serial":
        return SerialEngine(pipeline, limits)
    if name == "local":
        if workers == 1:
            return SerialEngine(pipeline, limits)
        return LocalEngine(workers, limits)
    raise UsageError(f"unknown engine {name!r}; choose one of: {', '.join(ENGINES)}")
