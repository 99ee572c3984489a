"""Engines map the per-document pipeline over documents; the stages never know which one runs them.

- `serial`: one process, easiest to debug.
- `local`: a process pool over the machine's cores (the default); each worker
  loads the parser once.
Both yield results in input order, so the ledger and its exports are the same.
"""
from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from claimledger.errors import UsageError
from claimledger.records import Document, DocumentResult
from claimledger.runner import Pipeline

ENGINES = ("serial", "local")

# The pipeline of a pool worker process, built once by the pool's initializer.
_worker_pipeline: Pipeline | None = None


def _init_worker() -> None:
    global _worker_pipeline
    _worker_pipeline = Pipeline()


def _process_in_worker(document: Document) -> DocumentResult:
    assert _worker_pipeline is not None, "pool initializer did not run"
    return _worker_pipeline.process(document)


class SerialEngine:
    def __init__(self, pipeline: Pipeline | None = None):
        self.pipeline = pipeline or Pipeline()

    def __call__(self, documents: Iterable[Document]) -> Iterator[DocumentResult]:
        for document in documents:
            yield self.pipeline.process(document)


class LocalEngine:
    """A process pool; a bounded window of documents in flight keeps memory flat."""

    def __init__(self, workers: int | None = None):
        self.workers = workers or max(1, os.cpu_count() or 1)

    def __call__(self, documents: Iterable[Document]) -> Iterator[DocumentResult]:
        window: deque[Future] = deque()
        with ProcessPoolExecutor(max_workers=self.workers, initializer=_init_worker) as pool:
            for document in documents:
                window.append(pool.submit(_process_in_worker, document))
                if len(window) >= self.workers * 4:
                    yield window.popleft().result()
            while window:
                yield window.popleft().result()


def make_engine(name: str, workers: int | None = None, pipeline: Pipeline | None = None):
    if name == "serial":
        return SerialEngine(pipeline)
    if name == "local":
        if workers == 1:
            return SerialEngine(pipeline)
        return LocalEngine(workers)
    if name == "dask":
        raise UsageError("the dask engine is not available yet in this version; use --engine local or serial")
    raise UsageError(f"unknown engine {name!r}; choose one of: {', '.join(ENGINES)}")
