"""Crash safety: `ingest` killed at any moment (SIGKILL) or stopped with Ctrl-C (SIGINT) leaves a ledger that
opens and passes SQLite's integrity check, and running the same command again finishes the job with exports
byte-identical to an uninterrupted run.

The runs are real processes (`python -m claimledger.cli`) on a generated corpus of 60 short reports, with the
local engine's worker pool, killed at points chosen by a seeded random generator: while starting, after a
random number of documents is written, and once by killing only the main process (its orphaned workers must
go away by themselves and must not keep the ledger locked).
"""
from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from claimledger.present.export import export
from claimledger.runner import ingest
from claimledger.store import Ledger

PLACES = ("Darro", "Tessa", "Lindor", "Orvo", "Sella", "Pella")
CLAIMANTS = ("police said", "the health ministry said", "a hospital official said", "residents said",
             "according to the local governor", "the regional emergency service said")
WHATS = ("a market", "a bus station", "a wedding party", "a village school", "a checkpoint", "a mosque")
N_DOCS = 60
EXPORTS = ("claims", "groups", "documents")


def write_corpus(folder: Path, n: int = N_DOCS, seed: int = 11) -> Path:
    """`n` short, fictional reports about six incidents with figures that agree, differ and get revised;
    every tenth one a syndicated copy of an earlier one, so source relations are found too."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    texts: list[str] = []
    for i in range(n):
        if i % 10 == 9:
            text = "Reprinted from a wire service.\n\n" + texts[i - 5]
        else:
            k = i % len(PLACES)
            place, what = PLACES[k], WHATS[k]
            killed, wounded = 5 + k + rng.choice((0, 0, 1, 3)), 10 + 2 * k + rng.choice((0, 2, 5))
            day = 3 + rng.randrange(4)
            hedge = rng.choice(("At least ", "", "More than ", "About "))
            text = (
                f"Attack on {what} in {place}\n\n"
                f"{place}, March {day}, 2024 — {hedge}{killed} people were killed and {wounded} others wounded "
                f"when gunmen attacked {what} in {place} on Monday, {rng.choice(CLAIMANTS)}.\n\n"
                f"Among the dead were {rng.choice((2, 3, 4))} children, {rng.choice(CLAIMANTS)}. "
                f"Witnesses said the attackers fled on motorbikes before security forces arrived.\n"
            )
        texts.append(text)
        (folder / f"report-{i:02d}.txt").write_text(text, encoding="utf-8")
    return folder


def ingest_command(corpus: Path, db: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "claimledger.cli", "ingest", str(corpus), "--db", str(db), "--quiet",
            "--engine", "local", "--workers", "2", *extra]


def start(command: list[str]) -> subprocess.Popen:
    # A session of its own: the test can signal the run and its workers together, as a terminal would.
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def documents_in(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as con:
            return con.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    except sqlite3.Error:
        return 0  # not created yet


def wait_for_documents(process: subprocess.Popen, db: Path, count: int, timeout: float = 120) -> bool:
    """Poll until the ledger holds `count` documents; False when the run ended first."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if process.poll() is not None:
            return False
        if documents_in(db) >= count:
            return True
        time.sleep(0.01)
    raise AssertionError(f"no {count} documents in {timeout} s")


def group_members(pgid: int) -> list[int]:
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if fields[0] != "Z" and int(fields[2]) == pgid:
                members.append(int(entry.name))
    return members


def wait_group_gone(pgid: int, timeout: float = 15) -> None:
    end = time.monotonic() + timeout
    while group_members(pgid) and time.monotonic() < end:
        time.sleep(0.1)
    left = group_members(pgid)
    if left:
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        raise AssertionError(f"worker processes {left} outlived their killed main process")


def assert_sound(db: Path) -> None:
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []


def exports_of(db: Path, folder: Path) -> dict[str, bytes]:
    folder.mkdir(exist_ok=True)
    out = {}
    with Ledger(db, readonly=True) as ledger:
        for what in EXPORTS:
            path = folder / f"{what}.jsonl"
            export(ledger, what, "jsonl", path)
            out[what] = path.read_bytes()
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("crash") / "corpus")


@pytest.fixture(scope="module")
def reference_db(corpus, tmp_path_factory) -> Path:
    """The ledger of one uninterrupted run."""
    db = tmp_path_factory.mktemp("reference") / "ref.db"
    done = subprocess.run(ingest_command(corpus, db), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return db


@pytest.fixture(scope="module")
def reference(reference_db, tmp_path_factory) -> dict[str, bytes]:
    """The exports of one uninterrupted run."""
    exports = exports_of(reference_db, tmp_path_factory.mktemp("reference-exports"))
    assert exports["claims"].count(b"\n") > N_DOCS and exports["groups"] and exports["documents"].count(b"\n") == N_DOCS
    return exports


def test_sigkill_at_random_points_then_rerun_gives_identical_exports(corpus, reference, tmp_path):
    db = tmp_path / "crash.db"
    rng = random.Random(20240301)
    kills, main_only = 0, False
    # 1: killed while starting up or reading (before or around the first write)
    process = start(ingest_command(corpus, db))
    time.sleep(rng.uniform(0.2, 1.5))
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    wait_group_gone(process.pid)
    if db.exists():
        assert_sound(db)
    # 2-5: killed after a random number of further documents is written; round 3 kills only the main process
    for round_number in range(2, 6):
        written = documents_in(db)
        if written >= N_DOCS - 1:
            break
        target = written + rng.randrange(1, max(2, (N_DOCS - written) // 2))
        process = start(ingest_command(corpus, db))
        if wait_for_documents(process, db, target):
            if round_number == 3:
                os.kill(process.pid, signal.SIGKILL)  # the workers are orphaned: they must exit by themselves
                main_only = True
            else:
                os.killpg(process.pid, signal.SIGKILL)
            kills += 1
        process.wait()
        wait_group_gone(process.pid)
        assert_sound(db)
        assert process.returncode in (-signal.SIGKILL, 0), process.stderr.read()
    assert kills >= 3 and main_only, "the kills did not land while documents were being written"
    assert 0 < documents_in(db) < N_DOCS
    done = subprocess.run(ingest_command(corpus, db), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "busy" not in done.stderr and "another claimledger process" not in done.stderr
    assert_sound(db)
    assert exports_of(db, tmp_path / "out") == reference
    check = subprocess.run([sys.executable, "-m", "claimledger.cli", "check", "--db", str(db)],
                           capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.parametrize("engine", ["local", "serial"])
def test_ctrl_c_stops_after_the_document_in_flight(corpus, reference, tmp_path, engine):
    db = tmp_path / "interrupted.db"
    command = ingest_command(corpus, db, "--engine", engine)
    process = start(command)
    assert wait_for_documents(process, db, 5), "the run ended before it could be interrupted"
    os.killpg(process.pid, signal.SIGINT)  # to the run and its workers, as a terminal's Ctrl-C
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    wait_group_gone(process.pid)
    assert_sound(db)
    written = documents_in(db)
    assert 5 <= written < N_DOCS
    with Ledger(db, readonly=True) as ledger:
        assert ledger.findings_stale()
    check = subprocess.run([sys.executable, "-m", "claimledger.cli", "check", "--db", str(db)],
                           capture_output=True, text=True, timeout=120)
    assert check.returncode == 1 and "findings are out of date" in check.stdout
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"unchanged {written}" in done.stdout
    assert exports_of(db, tmp_path / "out") == reference


def test_a_kill_between_the_documents_and_the_reconcile_is_repaired(corpus, reference, tmp_path, pipeline,
                                                                    monkeypatch):
    """Every document written, then the run dies before the findings: the next run has nothing new to read,
    sees the ledger marked stale, and recomputes them; a further run changes no table."""
    import claimledger.runner

    db = tmp_path / "stale.db"
    engine = lambda documents: map(pipeline.process, documents)  # noqa: E731 - the session's parser, serially

    def killed(ledger, ontology=None):
        raise KeyboardInterrupt("killed before the reconcile")

    monkeypatch.setattr(claimledger.runner, "refresh_findings", killed)
    with Ledger(db) as ledger, pytest.raises(KeyboardInterrupt):
        ingest([corpus], ledger, engine)
    monkeypatch.undo()
    with Ledger(db) as ledger:
        assert ledger.findings_stale() and ledger.counts()["documents"] == N_DOCS
        assert ledger.counts()["findings"] == 0
        summary = ingest([corpus], ledger, engine)
        assert summary.unchanged == N_DOCS and summary.processed == 0
        assert not ledger.findings_stale()
        counts = ledger.counts()
    assert exports_of(db, tmp_path / "out") == reference
    with Ledger(db) as ledger:
        ingest([corpus], ledger, engine)
        assert ledger.counts() == counts


# -- exports are atomic ------------------------------------------------------------------------------------

# An export whose fsync never returns: the data is written to the hidden temporary file, not yet renamed.
STALLED_EXPORT = """
import os, sys, time
def stalled_fsync(fd):
    print("written, not yet renamed", flush=True)
    time.sleep(120)
os.fsync = stalled_fsync
from claimledger.cli import app
app(["export", "--db", sys.argv[1], "--what", "claims", "--format", "jsonl", "-o", sys.argv[2]])
"""


def test_an_export_killed_midway_leaves_the_old_file_or_none(reference_db, reference, tmp_path):
    for existing in (None, b"the previous export\n"):
        out = tmp_path / "claims.jsonl"
        out.unlink(missing_ok=True)
        if existing is not None:
            out.write_bytes(existing)
        process = subprocess.Popen([sys.executable, "-c", STALLED_EXPORT, str(reference_db), str(out)],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert process.stdout.readline().strip() == "written, not yet renamed", process.stderr.read()
        parts = list(tmp_path.glob(".claims.jsonl.*.part"))
        assert parts and parts[0].stat().st_size == len(reference["claims"])  # all written, in the hidden file
        process.kill()
        process.wait()
        if existing is None:
            assert not out.exists()
        else:
            assert out.read_bytes() == existing
        for part in parts:
            part.unlink()
    with Ledger(reference_db, readonly=True) as ledger:
        export(ledger, "claims", "jsonl", out)
    assert out.read_bytes() == reference["claims"]


@pytest.mark.parametrize("failure", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_a_failed_export_removes_its_partial_file(reference_db, tmp_path, monkeypatch, failure):
    import claimledger.present.export as export_module
    from claimledger.errors import OutputError

    out = tmp_path / "groups.jsonl"
    out.write_bytes(b"the previous export\n")

    def failing_fsync(fd):
        raise failure

    monkeypatch.setattr(export_module.os, "fsync", failing_fsync)
    with Ledger(reference_db, readonly=True) as ledger:
        with pytest.raises(OutputError if isinstance(failure, OSError) else KeyboardInterrupt):
            export(ledger, "groups", "jsonl", out)
    assert out.read_bytes() == b"the previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["groups.jsonl"]


def test_an_export_to_a_missing_folder_is_a_clear_error(reference_db, tmp_path):
    from typer.testing import CliRunner

    from claimledger.cli import app

    result = CliRunner().invoke(app, ["export", "--db", str(reference_db), "--what", "claims", "-o",
                                      str(tmp_path / "no-such-folder" / "claims.jsonl")])
    assert result.exit_code == 1 and "cannot write" in result.output and "Traceback" not in result.output
