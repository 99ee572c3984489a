"""The Dask engine on a real LocalCluster (2 single-threaded worker processes): the same ledger and exports as
the local engine, the distributed relate stage equal to `find_relations`, the per-document time limit on Dask
workers, a second engine joining a running cluster by its address, and the one line a user without the extra
gets. About 30 seconds: each cluster starts worker processes that load the parser."""
from __future__ import annotations

import os
import sys
import time
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimledger.cli import app
from claimledger.clean import Cleaner
from claimledger.read import read_paths
from claimledger.records import Document
from claimledger.relate import find_relations, source_clusters
from claimledger.runner import Limits

pytest.importorskip("distributed", reason="the dask extra is not installed: pip install 'claimledger[dask]'")

import dask  # noqa: E402 - only once the extra is known to be there

import claimledger.engines.dask as dask_engine  # noqa: E402
from claimledger.engines.dask import DaskEngine  # noqa: E402

runner = CliRunner()
EXAMPLES = Path(str(resources.files("claimledger").joinpath("examples", "corpus")))
SYNDICATION = Path(__file__).parent / "data" / "syndication"
REPORT = ("Gunmen killed 7 villagers and wounded 12 others in the village of Darro on Monday, the district police "
          "chief said. Residents said the attackers arrived on motorbikes shortly after dawn.\n")
SLOW_SENTENCE = "Gunmen killed 7 people in Darro on Monday, police said. "


def invoke(*args):
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


@pytest.fixture(scope="module")
def engine():
    """A LocalCluster of 2 worker processes, shared by the tests below."""
    with DaskEngine(workers=2) as running:
        running.start()
        yield running


@pytest.fixture(scope="module")
def syndication_texts() -> dict[str, str]:
    cleaner = Cleaner()
    texts = {}
    for document in read_paths([SYNDICATION]):
        text = cleaner.clean(document)
        texts[document.doc_id] = " ".join(text.text[s.start:s.end] for s in text.content_spans())
    assert len(texts) >= 30
    return texts


def test_local_cluster_has_one_single_threaded_worker_per_process(engine):
    assert sorted(engine.start().nthreads().values()) == [1, 1]


def test_dask_engine_gives_the_exports_of_the_local_engine(tmp_path):
    """The example corpus and the syndication corpus (copies to relate) through the CLI, byte for byte."""
    outputs = {}
    for name, options in (("local", ["--engine", "local"]), ("dask", ["--engine", "dask", "--workers", "2"])):
        db = tmp_path / f"{name}.db"
        result = invoke("ingest", EXAMPLES, SYNDICATION, "--db", db, "--quiet", *options)
        assert result.exit_code == 0, result.output
        for what in ("claims", "groups", "documents"):
            out = tmp_path / f"{name}-{what}.jsonl"
            assert invoke("export", "--db", db, "--what", what, "-o", out).exit_code == 0
            outputs[name, what] = out.read_bytes()
    for what in ("claims", "groups", "documents"):
        assert outputs["local", what] == outputs["dask", what], what
    assert outputs["dask", "claims"] and outputs["dask", "groups"]


def test_distributed_relate_equals_find_relations(engine, syndication_texts, monkeypatch):
    expected = find_relations(syndication_texts)
    assert any(r.kind == "copy" for r in expected)
    # Partitions of 4 documents: copies land in different partitions, so the shuffle has to bring them together.
    monkeypatch.setattr(dask_engine, "RELATE_PARTITION_DOCS", 4)
    relations = engine.find_relations(sorted(syndication_texts.items()))
    assert relations == expected
    doc_ids = sorted(syndication_texts)
    assert source_clusters(doc_ids, relations) == source_clusters(doc_ids, expected)


def test_distributed_relate_of_one_partition_and_of_nothing(engine, syndication_texts):
    assert engine.find_relations(sorted(syndication_texts.items())) == find_relations(syndication_texts)
    assert engine.find_relations([]) == []


def test_results_come_back_in_input_order(engine, monkeypatch):
    monkeypatch.setattr(dask_engine, "BATCH_DOCUMENTS", 2)  # many small batches in flight at once
    documents = [Document(f"d{i:02d}", f"d{i}.txt", "text/plain", REPORT.replace("7 villagers", f"{i + 2} villagers"),
                          f"h{i}") for i in range(15)]
    results = list(engine(documents))
    assert [r.document.doc_id for r in results] == [d.doc_id for d in documents]
    assert [r.claims[0].value for r in results] == [i + 2 for i in range(15)]


def test_time_limit_holds_on_dask_workers_and_an_engine_joins_a_cluster_by_address(engine):
    """Workers run tasks off their main thread: the limit is raised into the task's thread by a timer."""
    address = engine.start().scheduler.address
    documents = [Document("slow", "slow.txt", "text/plain", SLOW_SENTENCE * 2500, "h1"),
                 Document("good", "good.txt", "text/plain", REPORT, "h2")]
    with DaskEngine(scheduler=address, limits=Limits(max_doc_seconds=1)) as joined:
        started = time.monotonic()
        slow, good = joined(documents)
        assert time.monotonic() - started < 30
    assert slow.status == "skipped" and slow.reason.startswith("limit: cleaning and extraction took over 1 s")
    assert good.status == "ok" and good.claims
    assert engine.start().status == "running"  # closing the joined engine leaves the cluster it joined alone


def test_scheduler_and_workers_are_checked(tmp_path):
    (tmp_path / "r.txt").write_text(REPORT)
    db = tmp_path / "l.db"
    only_dask = invoke("ingest", tmp_path / "r.txt", "--db", db, "--scheduler", "tcp://127.0.0.1:1", "--quiet")
    assert only_dask.exit_code == 2 and "--engine dask" in only_dask.output
    both = invoke("ingest", tmp_path / "r.txt", "--db", db, "--engine", "dask", "--scheduler", "tcp://127.0.0.1:1",
                  "--workers", "2", "--quiet")
    assert both.exit_code == 2 and "--workers" in both.output


def test_a_scheduler_that_does_not_answer_fails_with_one_line(tmp_path, monkeypatch):
    monkeypatch.setattr(dask_engine, "CONNECT_SECONDS", 2)
    (tmp_path / "r.txt").write_text(REPORT)
    result = invoke("ingest", tmp_path / "r.txt", "--db", tmp_path / "l.db", "--engine", "dask",
                    "--scheduler", "tcp://127.0.0.1:9", "--quiet")
    assert result.exit_code == 1
    assert "cannot use the Dask scheduler at tcp://127.0.0.1:9" in result.output


def test_without_the_extra_the_dask_engine_names_the_install(tmp_path, monkeypatch):
    for name in [m for m in sys.modules if m == "claimledger.engines.dask"]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "dask", None)  # as if dask were not installed: importing it fails
    monkeypatch.setitem(sys.modules, "distributed", None)
    (tmp_path / "r.txt").write_text(REPORT)
    result = invoke("ingest", tmp_path / "r.txt", "--db", tmp_path / "l.db", "--engine", "dask", "--quiet")
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == ["error: the dask engine needs: pip install 'claimledger[dask]'"]
    assert not (tmp_path / "l.db").exists()


class _DiesOnKiller:
    """A pipeline that ends its worker process on the document called 'killer', as the out-of-memory killer would."""

    def __init__(self, pipeline):
        self.pipeline = pipeline

    def process(self, document):
        if document.doc_id == "killer":
            os._exit(137)
        return self.pipeline.process(document)


class _KillerPlugin(dask_engine.PipelinePlugin):
    def pipeline(self):
        return _DiesOnKiller(super().pipeline())


def test_a_worker_that_dies_costs_one_document_not_the_run(monkeypatch):
    monkeypatch.setattr(dask_engine, "BATCH_DOCUMENTS", 2)
    documents = [Document(name, f"{name}.txt", "text/plain", REPORT.replace("Darro", place), name)
                 for name, place in (("a", "Orvo"), ("b", "Sella"), ("killer", "Tessa"), ("c", "Pella"),
                                     ("d", "Lindor"))]
    # No retries on other workers: each death is reported at once (the default retries 3 times first).
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}), DaskEngine(workers=2) as engine:
        monkeypatch.setattr(engine, "_plugin", _KillerPlugin(None, ignore_interrupt=True))
        results = list(engine(documents))
    assert [r.document.doc_id for r in results] == ["a", "b", "killer", "c", "d"]
    assert {r.document.doc_id: r.status for r in results} == {"a": "ok", "b": "ok", "killer": "skipped", "c": "ok",
                                                               "d": "ok"}
    assert "worker process died" in results[2].reason
