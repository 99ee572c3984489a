"""Bad input everywhere it enters, in one mixed corpus: each bad input gets one line naming it and the
reason, a row in the ledger's `skipped` table, and the run goes on (exit 0, or 3 with --strict).

Also: the per-document limits (--max-doc-chars, --max-doc-seconds) in both engines; inputs that would
hang or exhaust a naive reader (a named pipe, a 200 MB file, a gzip bomb, a big JSONL file); a pool
worker that dies; and property-based tests (hypothesis, about 5,000 examples in all) feeding random
bytes, JSONL lines, tag soup and text to each stage where input enters: nothing but the project's own
errors may come out.
"""
from __future__ import annotations

import builtins
import gzip
import json
import os
import random
import signal
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import claimledger.read
from claimledger.cli import app
from claimledger.errors import ClaimledgerError, InputError
from claimledger.read import read_file, read_jsonl, read_paths
from claimledger.read.decode import decode_bytes
from claimledger.records import Document, Skipped, Text
from claimledger.runner import Limits, Pipeline

runner = CliRunner()
REPORT = ("Gunmen killed 7 villagers and wounded 12 others in the village of Darro on Monday, the district police "
          "chief said. Residents said the attackers arrived on motorbikes shortly after dawn.\n")
SLOW_SENTENCE = "Gunmen killed 7 people in Darro on Monday, police said. "
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@contextmanager
def deadline(seconds: float):
    """Fail instead of hanging (a reader that opens a named pipe would wait forever)."""
    def on_alarm(signum, frame):
        raise TimeoutError(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _jsonl(*records) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


# name → a fragment of the reason it must be skipped with (None: it is read, maybe with a warning)
EXPECTED = {
    "good.txt": None,
    "page.html": None,
    "cp1252.txt": None,
    "utf16-nobom.txt": None,
    "mixed-encoding.txt": None,  # UTF-8 with a stray cp1252 byte: decoded with a warning
    "binary.txt": "binary data",
    "binary.html": "binary",
    "invalid-bytes.txt": "no other text encoding",
    "utf16-garbage.txt": "UTF-16",
    "truncated.txt.gz": "corrupt gzip",
    "bomb.html.gz": "too large once decompressed",
    "huge.txt": "file too large",
    "empty.txt": "empty file",
    "blank.html": "empty file",
    "nested.html": "no text found",
    "nobody.html": "no text found",
    "fifo.txt": "not a regular file",
    "dangling.txt": "broken symbolic link",
    "self-link.txt": "symbolic links",
    "unreadable.txt": "permission denied",
    "long.txt": "limit: document too long",
    "slow.txt": "limit: cleaning and extraction took over",
    "records.jsonl:2": "not valid JSON",
    "records.jsonl:3": "no 'id'",
    "records.jsonl:4": "no 'id'",
    "records.jsonl:5": "duplicate id",
    "records.jsonl:6": "same document given twice",
    "records.jsonl:7": "'id' must be a string or an integer",
    "records.jsonl:8": "'id' must be a string or an integer",
    "records.jsonl:9": "'text' or 'html'",
    "records.jsonl:10": "not a JSON object",
    "records.jsonl:11": "not valid JSON",
    "records.jsonl:13": "empty text",
    "sub/loop": "symbolic link loop",
}


def build_corpus(root: Path) -> Path:
    """The mixed corpus: a few good reports among every kind of bad input the read stage meets."""
    corpus = root / "corpus"
    (corpus / "sub").mkdir(parents=True)
    rng = random.Random(7)
    (corpus / "good.txt").write_text(REPORT)
    (corpus / "page.html").write_text(
        "<html><head><title>Raid on Tessa</title></head><body><article><p>Soldiers killed 9 people and abducted"
        " 4 women during a raid on the village of Tessa on Friday, residents said.</p><p>The raid began before"
        " dawn, according to witnesses who fled into the hills.</p></article></body></html>"
    )
    (corpus / "cp1252.txt").write_bytes(("Le café — " + REPORT).encode("cp1252"))
    (corpus / "utf16-nobom.txt").write_bytes(REPORT.replace("Darro", "Sella").encode("utf-16-le"))
    (corpus / "mixed-encoding.txt").write_bytes(
        "Café “Lindor” — ".encode() + b"caf\xe9 " + REPORT.replace("Darro", "Lindor").encode()
    )
    (corpus / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 16)
    (corpus / "binary.html").write_bytes(bytes(rng.randrange(256) for _ in range(5000)))
    (corpus / "invalid-bytes.txt").write_bytes(b"\xfa\xfb\xfc\xfd\xc3\x28" * 50)
    (corpus / "utf16-garbage.txt").write_bytes(b"".join(bytes([rng.randrange(0x80, 0xFF), 0]) for _ in range(500)))
    (corpus / "truncated.txt.gz").write_bytes(gzip.compress(REPORT.encode() * 50)[:60])
    with gzip.open(corpus / "bomb.html.gz", "wb", compresslevel=1) as bomb:
        chunk = b" " * (1 << 20)
        for _ in range(claimledger.read.MAX_FILE_BYTES // len(chunk) + 2):
            bomb.write(chunk)
    with open(corpus / "huge.txt", "wb") as huge:  # 200 MB, sparse: skipped by its size, never read
        huge.truncate(200 * 1024 * 1024)
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "blank.html").write_text("  \n\t \n")
    (corpus / "nested.html").write_text("<html><body>" + "<div>" * 100_000 + REPORT + "</div>" * 100_000 + "</body></html>")
    (corpus / "nobody.html").write_text("<html><head><title>Page not found</title></head></html>")
    os.mkfifo(corpus / "fifo.txt")
    (corpus / "dangling.txt").symlink_to(corpus / "does-not-exist.txt")
    (corpus / "self-link.txt").symlink_to(corpus / "self-link.txt")
    (corpus / "unreadable.txt").write_text(REPORT)
    (corpus / "unreadable.txt").chmod(0)
    (corpus / "long.txt").write_text(REPORT * 9000)  # ~1,700,000 characters: over --max-doc-chars below
    (corpus / "slow.txt").write_text(SLOW_SENTENCE * 2500)  # every sentence parsed: many seconds unlimited
    (corpus / "records.jsonl").write_text(_jsonl(
        {"id": "rec-1", "text": "At least 3 people died in the fire in Selma, officials said."},
        "{broken",
        {"text": "no id here"},
        {"id": "  ", "text": "blank id"},
        {"id": "rec-1", "text": "Other content under the same id."},
        {"id": "rec-1", "text": "At least 3 people died in the fire in Selma, officials said."},
        {"id": ["a", "list"], "text": "an id of the wrong type"},
        {"id": True, "text": "a boolean id"},
        {"id": "rec-2", "text": 42},
        [1, 2, 3],
        '{"id": "rec-3", "text": "truncated',
        {"id": 7, "text": "Two people were wounded in a stabbing in Orvo, police said.", "title": 5, "published": []},
        {"id": "rec-4", "text": "   "},
    ) + "\n\n")
    (corpus / "sub" / "inner.txt").write_text(REPORT.replace("Darro", "Pella"))
    (corpus / "sub" / "loop").symlink_to(corpus)
    return corpus


def _simulated_permission_error(monkeypatch, path: Path) -> None:
    """As root, chmod 000 does not stop reading; make opening that one file fail as it would for a user."""
    if not IS_ROOT:
        return

    def guarded_open(file, *args, **kwargs):
        if Path(file) == path:
            raise PermissionError(13, "Permission denied", str(file))
        return builtins.open(file, *args, **kwargs)

    monkeypatch.setattr(claimledger.read, "open", guarded_open, raising=False)


@pytest.fixture(scope="module")
def mixed_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("mixed")
    corpus = build_corpus(root)
    db = root / "ledger.db"
    with pytest.MonkeyPatch.context() as monkeypatch:
        _simulated_permission_error(monkeypatch, corpus / "unreadable.txt")
        args = ["ingest", str(corpus), "--db", str(db), "--engine", "serial", "--quiet",
                "--max-doc-chars", "1500000", "--max-doc-seconds", "1"]
        started = time.monotonic()
        with deadline(120):
            first = runner.invoke(app, args)
        elapsed = time.monotonic() - started
        counts = _table_counts(db)
        with deadline(120):
            second = runner.invoke(app, [*args, "--strict"])
    return corpus, db, first, second, elapsed, counts


def _table_counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as con:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables}


def _origin_of(corpus: Path, name: str) -> str:
    path, _, line = name.partition(":")
    return str(corpus / path) + (f":{line}" if line else "")


def test_every_bad_input_gets_one_line_and_the_run_goes_on(mixed_run):
    corpus, db, first, _, elapsed, _ = mixed_run
    assert first.exit_code == 0, first.output
    assert "Traceback" not in first.output
    for name, reason in EXPECTED.items():
        origin = _origin_of(corpus, name)
        lines = [line for line in first.output.splitlines()
                 if line.startswith("skipped ") and line.split(" ", 1)[1].startswith(origin + ":")]
        if reason is None:
            assert not lines, (name, lines)
        else:
            assert len(lines) == 1, (name, first.output)
            assert reason in lines[0], (name, lines[0])
    warnings = [line for line in first.output.splitlines() if line.startswith("warning")]
    assert len(warnings) == 1 and "mixed-encoding.txt" in warnings[0] and "invalid UTF-8" in warnings[0]
    assert elapsed < 90, "a monstrous input stalled the run"


def test_every_bad_input_is_recorded_in_the_ledger(mixed_run):
    corpus, db, *_ = mixed_run
    with sqlite3.connect(db) as con:
        skipped = dict(con.execute("SELECT origin, reason FROM skipped"))
        documents = dict(con.execute("SELECT doc_id, status FROM documents"))
    for name, reason in EXPECTED.items():
        origin = _origin_of(corpus, name)
        if reason is None:
            assert origin not in skipped
        else:
            assert reason in skipped.get(origin, ""), (name, skipped.get(origin))
    for doc_id in ("good", "page", "cp1252", "utf16-nobom", "mixed-encoding", "rec-1", "7", "sub/inner"):
        assert documents.get(doc_id) == "ok", (doc_id, documents.get(doc_id))
    assert documents["long"] == "skipped" and documents["slow"] == "skipped"


def test_strict_exits_3_and_a_second_run_changes_no_table(mixed_run, tmp_path):
    corpus, db, first, second, _, after_first = mixed_run
    assert second.exit_code == 3, second.output
    assert "unchanged" in second.output
    # the second run re-read everything and reported the same skips, without a new row anywhere
    assert _table_counts(db) == after_first
    assert after_first["skipped"] == sum(reason is not None for reason in EXPECTED.values())
    result = runner.invoke(app, ["check", "--db", str(db)])
    assert result.exit_code == 0, result.output


def test_unreadable_folder_is_reported(tmp_path):
    if IS_ROOT:
        pytest.skip("running as root: a folder with mode 000 can still be listed, so there is nothing to report")
    (tmp_path / "closed").mkdir()
    (tmp_path / "closed" / "r.txt").write_text(REPORT)
    (tmp_path / "closed").chmod(0)
    try:
        items = list(read_paths([tmp_path]))
    finally:
        (tmp_path / "closed").chmod(0o755)
    assert any(isinstance(i, Skipped) and "cannot read folder" in i.reason for i in items)


def test_a_named_pipe_given_directly_is_not_opened(tmp_path):
    os.mkfifo(tmp_path / "pipe.jsonl")
    with deadline(10):
        items = list(read_paths([tmp_path / "pipe.jsonl"]))
        result = runner.invoke(app, ["ingest", str(tmp_path / "pipe.jsonl"), "--db", str(tmp_path / "l.db"),
                                     "--engine", "serial", "--quiet"])
    assert [i.reason for i in items] == ["not a regular file (a pipe, socket or device)"]
    assert result.exit_code == 0 and "not a regular file" in result.output


def test_big_jsonl_is_read_line_by_line(tmp_path):
    """A JSONL file near the size limit: records come one at a time, the file is never held whole."""
    import tracemalloc

    line = json.dumps({"id": "x", "text": REPORT * 100}) + "\n"
    path = tmp_path / "big.jsonl"
    with open(path, "w") as fh:
        for i in range(1_500):
            fh.write(line.replace('"x"', f'"r{i}"'))
    size = path.stat().st_size
    tracemalloc.start()
    try:
        count = sum(isinstance(item, Document) for item in read_paths([path]))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 1_500
    assert peak < size / 4, f"peak {peak} bytes for a {size}-byte file"


def test_a_big_text_file_is_held_as_bytes_then_as_text_not_more(tmp_path):
    import tracemalloc

    path = tmp_path / "big.txt"
    path.write_text(REPORT * 150_000)  # about 28 MB
    size = path.stat().st_size
    tracemalloc.start()
    try:
        (document,) = list(read_paths([path]))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(document.content) == size
    assert peak < 2.2 * size, f"peak {peak / size:.2f} times the file's size"


def test_long_line_in_gzip_jsonl_is_bounded(tmp_path):
    """A gzip'd JSONL that expands past the limit is cut off with a reason once the limit is passed."""
    path = tmp_path / "bomb.jsonl.gz"
    with gzip.open(path, "wb", compresslevel=1) as fh:
        fh.write(json.dumps({"id": "ok", "text": REPORT}).encode() + b"\n")
        chunk = b"x" * (1 << 20)
        for _ in range(claimledger.read.MAX_FILE_BYTES // len(chunk) + 2):
            fh.write(chunk)
    items = list(read_paths([path]))
    assert isinstance(items[0], Document) and items[0].doc_id == "ok"
    assert isinstance(items[-1], Skipped) and "too large once decompressed" in items[-1].reason


def test_limits_in_the_pipeline(pipeline):
    nlp = pipeline.extractor.nlp  # the session's parser, already loaded
    limited = Pipeline(pipeline.ontology, nlp, Limits(max_doc_chars=1000, max_doc_seconds=0.5))
    long = limited.process(Document("long", "long.txt", "text/plain", REPORT * 20, "h"))
    assert long.status == "skipped" and long.reason.startswith("limit: document too long")
    started = time.monotonic()
    slow_text = SLOW_SENTENCE * 15
    slow = Pipeline(pipeline.ontology, nlp, Limits(max_doc_chars=None, max_doc_seconds=0.05))
    result = slow.process(Document("slow", "slow.txt", "text/plain", slow_text * 20, "h"))
    assert result.status == "skipped" and "took over 0.05 s" in result.reason
    assert time.monotonic() - started < 2
    fine = limited.process(Document("fine", "fine.txt", "text/plain", REPORT, "h"))
    assert fine.status == "ok" and fine.claims


def test_time_limit_off_the_main_thread_stops_a_slow_body_and_spares_the_fast_ones():
    """A Dask worker's task thread: one watchdog thread keeps every document's limit; a body that ends in time
    is never interrupted, later or after a slow one."""
    from claimledger.runner import _TimeLimit, time_limit

    outcomes: list[str] = []

    def documents() -> None:
        for seconds, work in ((0.2, 0.01), (0.2, 5.0), (0.3, 0.01), (0.05, 0.3), (0.2, 0.01)):
            try:
                with time_limit(seconds):
                    end = time.monotonic() + work
                    while time.monotonic() < end:
                        pass
                outcomes.append("done")
            except _TimeLimit:
                outcomes.append("stopped")
        time.sleep(0.4)  # nothing left to go off once the documents are over
        outcomes.append("quiet")

    thread = threading.Thread(target=documents)
    started = time.monotonic()
    thread.start()
    thread.join(10)
    assert outcomes == ["done", "stopped", "done", "stopped", "done", "quiet"]
    assert time.monotonic() - started < 3


def test_time_limit_holds_in_pool_workers(tmp_path):
    (tmp_path / "slow.txt").write_text(SLOW_SENTENCE * 2500)
    (tmp_path / "good.txt").write_text(REPORT)
    started = time.monotonic()
    result = runner.invoke(app, ["ingest", str(tmp_path), "--db", str(tmp_path / "l.db"), "--engine", "local",
                                 "--workers", "2", "--quiet", "--max-doc-seconds", "1"])
    assert result.exit_code == 0, result.output
    assert "slow.txt: limit: cleaning and extraction took over 1 s" in result.output
    assert time.monotonic() - started < 60
    with sqlite3.connect(tmp_path / "l.db") as con:
        assert con.execute("SELECT status FROM documents WHERE doc_id = 'good'").fetchone() == ("ok",)


def test_a_document_skipped_for_a_limit_is_tried_again_with_a_higher_limit(tmp_path):
    (tmp_path / "r.txt").write_text(REPORT * 3)
    db = str(tmp_path / "l.db")
    base = ["ingest", str(tmp_path / "r.txt"), "--db", db, "--engine", "serial", "--quiet"]
    assert "limit: document too long" in runner.invoke(app, [*base, "--max-doc-chars", "100"]).output
    again = runner.invoke(app, [*base, "--max-doc-chars", "0"])
    assert again.exit_code == 0 and "new or changed 1" in again.output
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT status FROM documents").fetchall() == [("ok",)]
        assert con.execute("SELECT COUNT(*) FROM skipped").fetchone() == (0,)


# -- property-based: whatever comes in, only the project's own errors come out -----------------------------


def examples(n: int):
    """Many examples, no per-example deadline (a first parse loads caches), no complaints about slow data."""
    return settings(max_examples=n, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252", "latin-1", "koi8-r",
             "shift_jis")


def _storable(text: str) -> bool:
    """The ledger (SQLite) and the exports (UTF-8) can hold it: no unpaired surrogates."""
    text.encode("utf-8")
    return True


@st.composite
def encoded_text(draw) -> bytes:
    """Text in some encoding, sometimes damaged: cut short, a byte flipped, bytes spliced in."""
    text = draw(st.text(max_size=300))
    data = text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    damage = draw(st.sampled_from(("none", "cut", "flip", "splice")))
    if data and damage == "cut":
        data = data[: draw(st.integers(0, len(data)))]
    elif data and damage == "flip":
        i = draw(st.integers(0, len(data) - 1))
        data = data[:i] + bytes([data[i] ^ draw(st.integers(1, 255))]) + data[i + 1:]
    elif damage == "splice":
        i = draw(st.integers(0, len(data)))
        data = data[:i] + draw(st.binary(max_size=20)) + data[i:]
    return data


ANY_BYTES = st.one_of(st.binary(max_size=3000), encoded_text())


@examples(2000)
@given(ANY_BYTES)
def test_decode_bytes_gives_text_or_an_input_error(data):
    try:
        text, warnings = decode_bytes(data, "f.txt")
    except InputError as exc:
        assert exc.origin == "f.txt" and exc.reason
        return
    assert text.strip() and _storable(text)
    assert all(isinstance(w, str) for w in warnings)


SUFFIXES = (".txt", ".html", ".md", ".jsonl", ".txt.gz", ".jsonl.gz", ".html.gz", ".warc", ".wet.gz")


@examples(600)
@given(data=ANY_BYTES, suffix=st.sampled_from(SUFFIXES), compress=st.booleans())
def test_read_file_never_raises(tmp_path_factory, data, suffix, compress):
    folder = tmp_path_factory.mktemp("prop", numbered=True)
    path = folder / f"input{suffix}"
    path.write_bytes(gzip.compress(data) if compress and suffix.endswith(".gz") else data)
    items = list(read_file(path, path.name))
    assert items and all(isinstance(i, (Document, Skipped)) for i in items)
    for item in items:
        if isinstance(item, Document):
            assert item.doc_id and _storable(item.content) and _storable(item.doc_id)
            assert item.media_type in ("text/plain", "text/html")
        else:
            assert item.reason and item.origin.startswith(str(path))
    path.unlink()
    folder.rmdir()


JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=40))
JSON_VALUES = st.recursive(JSON_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)), max_leaves=6)
RECORDS = st.fixed_dictionaries({}, optional={
    "id": st.one_of(st.text(max_size=20), st.integers(), JSON_VALUES),
    "text": st.one_of(st.text(max_size=200), JSON_VALUES),
    "html": st.one_of(st.text(max_size=200), JSON_VALUES),
    "title": JSON_VALUES, "url": JSON_VALUES, "published": JSON_VALUES,
})


@st.composite
def jsonl_line(draw) -> bytes:
    kind = draw(st.sampled_from(("record", "record", "value", "broken", "bytes", "blank")))
    if kind == "record":
        line = json.dumps(draw(RECORDS), ensure_ascii=draw(st.booleans()))
    elif kind == "value":
        line = json.dumps(draw(JSON_VALUES))
    elif kind == "broken":
        whole = json.dumps(draw(RECORDS))
        line = whole[: draw(st.integers(0, len(whole)))]
    elif kind == "bytes":
        return draw(st.binary(max_size=80)).replace(b"\n", b" ")
    else:
        line = draw(st.sampled_from(("", "  ", "\t", "\r")))
    return line.encode("utf-8", "surrogatepass") if draw(st.booleans()) else line.encode("utf-8", "replace")


@examples(1500)
@given(st.lists(jsonl_line(), max_size=12))
def test_read_jsonl_reports_every_line(lines):
    data = b"\n".join(lines)
    items = list(read_jsonl(data, "d.jsonl"))
    assert all(isinstance(i, (Document, Skipped)) for i in items)
    for item in items:
        if isinstance(item, Document):
            assert _storable(item.content) and _storable(item.doc_id)
            assert item.title is None or _storable(item.title)
    if b"\x00" in data or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return  # read as UTF-16 or UTF-32, whole: lines are not the bytes' lines
    if lines and lines[0].startswith(b"\xef\xbb\xbf"):
        lines = [lines[0][3:], *lines[1:]]  # a UTF-8 byte-order mark is not content
    numbered = [f"d.jsonl:{n}" for n, line in enumerate(lines, 1) if line.strip()]
    if numbered:  # one result per line with something on it, each naming its line
        assert [i.origin for i in items] == numbered
    else:
        assert [(i.origin, i.reason) for i in items] == [("d.jsonl", "empty file")]


TAGS = ("html", "head", "body", "title", "div", "p", "span", "article", "main", "section", "nav", "footer",
        "table", "tr", "td", "ul", "li", "a", "h1", "h2", "script", "style", "br", "img", "meta", "x-widget")
WORDS = ("Gunmen", "killed", "wounded", "at", "least", "12", "people", "seven", "dozens", "police", "said",
         "including", "3", "children", "in", "the", "attack", "on", "Monday", "about", "1,200", "were", "injured",
         "hospital", "officials", "according", "to", "more", "than", "hundreds", "dead", "and", "of", ".", ",",
         "(", ")", "—", "–", "\"", "'", "between", "10", "and", "20", "died", "shot", "missing", "displaced")


@st.composite
def html_ish(draw, depth: int = 0) -> str:
    """Tag soup: nested, unclosed and stray tags, attributes, entities, comments, text in between."""
    parts = []
    for _ in range(draw(st.integers(0, 4 if depth < 4 else 1))):
        kind = draw(st.sampled_from(("text", "element", "element", "unclosed", "stray", "entity", "comment")))
        if kind == "text":
            parts.append(" ".join(draw(st.lists(st.sampled_from(WORDS), max_size=15))) or draw(st.text(max_size=20)))
        elif kind in ("element", "unclosed") and depth < 6:
            tag = draw(st.sampled_from(TAGS))
            attrs = draw(st.sampled_from(("", ' class="content"', ' id="main"', " hidden", ' style="display:none"',
                                          ' href="javascript:void(0)"', ' lang="en"', ' x=">"')))
            inner = draw(html_ish(depth + 1))
            parts.append(f"<{tag}{attrs}>{inner}" + ("" if kind == "unclosed" else f"</{tag}>"))
        elif kind == "stray":
            parts.append(draw(st.sampled_from(("<", ">", "</div>", "<p", "<!DOCTYPE html>", "<![CDATA[", "]]>",
                                               "<?xml version='1.0'?>", "&", "<<>>"))))
        elif kind == "entity":
            parts.append(draw(st.sampled_from(("&amp;", "&nbsp;", "&#0;", "&#x110000;", "&bogus;", "&#12;", "&lt;"))))
        else:
            parts.append("<!-- " + draw(st.text(max_size=10)) + (" -->" if draw(st.booleans()) else ""))
    return "".join(parts)


@examples(250)
@given(html_ish())
def test_any_tag_soup_is_cleaned_or_skipped_with_a_reason(pipeline, markup):
    """Through the pipeline as a run uses it: a parser's failure (lxml refuses some control characters,
    for one) becomes a skipped result with the reason, never an exception."""
    result = pipeline.process(Document("d", "d.html", "text/html", markup, "h"))
    assert result.status in ("ok", "skipped")
    assert result.status == "ok" or result.reason
    text = result.text.text
    assert _storable(text)
    for span in result.text.boilerplate:
        assert 0 <= span.start <= span.end <= len(text)
    for claim in result.claims:
        assert 0 <= claim.start <= claim.end <= len(text)


@examples(600)
@given(st.one_of(st.text(max_size=300), st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join)))
def test_cleaning_plain_text_never_raises(pipeline, body):
    text = pipeline.cleaner.clean(Document("d", "d.txt", "text/plain", body, "h"))
    assert text.text == body
    for span in text.boilerplate:
        assert 0 <= span.start <= span.end <= len(body)


@examples(400)
@given(st.one_of(
    st.lists(st.sampled_from(WORDS), min_size=3, max_size=30).map(" ".join),
    st.text(max_size=120),
    st.tuples(st.lists(st.sampled_from(WORDS), max_size=12), st.text(max_size=30)).map(lambda t: " ".join(t[0]) + t[1]),
))
def test_extraction_of_any_short_text_gives_claims_inside_it(extractor, body):
    try:
        claims = extractor.extract(Text("d", body))
    except ClaimledgerError:
        return
    for claim in claims:
        assert 0 <= claim.start <= claim.end <= len(body)
        assert 0 <= claim.sentence_start <= claim.sentence_end <= len(body)
        assert claim.low is None or claim.high is None or claim.low <= claim.high


def test_superscript_digits_do_not_break_extraction(extractor):
    claims = extractor.extract(Text("d", "Gunmen killed 12 people in a 5 km² area of Darro on Monday, police said."))
    assert [(c.measure, c.value) for c in claims] == [("killed", 12)]


def _process_or_die(document):
    """Stands in for the pool's task in forked workers: the document 'killer' kills its worker process."""
    import claimledger.engines

    if document.doc_id == "killer":
        os._exit(137)  # as the kernel's out-of-memory killer would
    return claimledger.engines._worker_pipeline.process(document)


def test_a_worker_that_dies_costs_one_document_not_the_run(tmp_path, monkeypatch):
    import claimledger.engines
    from claimledger.engines import LocalEngine

    import multiprocessing

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the stand-in task reaches the workers only when they are forked")
    monkeypatch.setattr(claimledger.engines, "_process_in_worker", _process_or_die)
    documents = [Document(name, f"{name}.txt", "text/plain", REPORT.replace("Darro", place), name)
                 for name, place in (("a", "Orvo"), ("b", "Sella"), ("killer", "Tessa"), ("c", "Pella"),
                                     ("d", "Lindor"))]
    results = list(LocalEngine(workers=2)(documents))
    assert [r.document.doc_id for r in results] == ["a", "b", "killer", "c", "d"]
    assert {r.document.doc_id: r.status for r in results} == {"a": "ok", "b": "ok", "killer": "skipped", "c": "ok",
                                                               "d": "ok"}
    assert "worker process died" in results[2].reason
