"""The read stage: files, folders, JSONL and web-crawl archives → `Document`s, or `Skipped` with a reason.

Every input either becomes a document or is reported with the file (and line)
and why; nothing is dropped silently. Text encodings are detected with
charset-normalizer.

Memory stays bounded whatever the input: a file over `MAX_FILE_BYTES` (or a
gzip file that expands past it) is skipped before it is read whole; JSONL is
read line by line; a text or HTML file is held once as bytes only until it is
decoded; pipes, sockets and devices are never opened (reading a pipe would
wait forever).
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import stat
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import chain
from pathlib import Path
from typing import BinaryIO

from claimledger.errors import InputError
from claimledger.read.decode import BOMS, decode_bytes, looks_utf16
from claimledger.records import Document, Skipped

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
WARC_SUFFIXES = {".warc", ".wet"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | WARC_SUFFIXES
MAX_FILE_BYTES = 100 * 1024 * 1024  # a file, or a gzip file's content, larger than this is skipped
READ_CHUNK = 1024 * 1024
SURROGATES = re.compile("[\ud800-\udfff]")


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _kind(path: Path) -> tuple[str, str]:
    """(inner suffix, doc-id stem) for a path, looking through a .gz suffix."""
    name = path.name
    if name.lower().endswith(".gz"):
        name = name[:-3]
    suffix = Path(name).suffix.lower()
    return suffix, name[: -len(suffix)] if suffix else name


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def iter_input_files(paths: list[Path]) -> Iterator[tuple[Path, str | None] | Skipped]:
    """Each input file with the doc-id stem it gets: relative to the folder it was found in."""
    for root in paths:
        if not root.exists() and not root.is_symlink():
            yield Skipped(str(root), "no such file or folder")
            continue
        if not root.is_dir():
            yield root, None  # a file, or something read_file reports (broken link, pipe, device)
            continue
        seen_dirs: set[tuple[int, int]] = set()
        unreadable: list[OSError] = []  # os.walk reports folders it cannot list here; each gets a line
        for dirpath, dirnames, filenames in os.walk(root, followlinks=True, onerror=unreadable.append):
            yield from _unreadable_folders(unreadable)
            try:
                st = os.stat(dirpath)
            except OSError as exc:
                dirnames[:] = []
                yield Skipped(dirpath, f"cannot read folder: {exc.strerror or exc}")
                continue
            if (st.st_dev, st.st_ino) in seen_dirs:
                dirnames[:] = []
                yield Skipped(dirpath, "symbolic link loop; folder read once")
                continue
            seen_dirs.add((st.st_dev, st.st_ino))
            dirnames.sort()
            for name in sorted(filenames):
                path = Path(dirpath) / name
                yield path, path.relative_to(root).as_posix()
        yield from _unreadable_folders(unreadable)


def _unreadable_folders(errors: list[OSError]) -> Iterator[Skipped]:
    while errors:
        exc = errors.pop(0)
        reason = "permission denied" if isinstance(exc, PermissionError) else (exc.strerror or str(exc))
        yield Skipped(str(exc.filename), f"cannot read folder: {reason}")


def read_paths(paths: list[Path]) -> Iterator[Document | Skipped]:
    """Every document in the given files and folders, in a stable order."""
    ids: dict[str, str] = {}
    for item in iter_input_files(paths):
        if isinstance(item, Skipped):
            yield item
            continue
        path, relative = item
        suffix, _ = _kind(path)
        if suffix not in SUPPORTED:
            if relative is None:
                yield Skipped(str(path), f"unsupported file type '{suffix or path.name}'")
            continue  # other files in a folder (images, scripts) are not inputs
        for result in read_file(path, relative):
            yield _check_duplicate(result, ids)


def _check_duplicate(result: Document | Skipped, ids: dict[str, str]) -> Document | Skipped:
    """Two inputs of one run with one id: the same content is harmless, other content is skipped."""
    if isinstance(result, Skipped):
        return result
    seen = ids.get(result.doc_id)
    if seen is None:
        ids[result.doc_id] = result.content_hash
        return result
    if seen == result.content_hash:
        return Skipped(result.origin, "same document given twice", result.doc_id)
    return Skipped(result.origin, "duplicate id", result.doc_id)


def doc_id_for(path: Path, relative: str | None) -> str:
    suffix, stem = _kind(path)
    if relative is None:
        return stem
    rel = relative[:-3] if relative.lower().endswith(".gz") else relative
    return rel[: -len(suffix)] if suffix and rel.lower().endswith(suffix) else rel


def read_file(path: Path, relative: str | None = None) -> Iterator[Document | Skipped]:
    origin = str(path)
    suffix, _ = _kind(path)
    if suffix in WARC_SUFFIXES:
        # Web-crawl archives are streamed record by record (each record's URL is its doc id), never read whole,
        # so the file size limit does not apply to them.
        try:
            _regular_file_size(path)
        except InputError as exc:
            yield Skipped(exc.origin, exc.reason)
            return
        from claimledger.read.warc import read_warc

        yield from read_warc(path)
        return
    if suffix in JSONL_SUFFIXES:
        yield from read_jsonl_file(path)
        return
    doc_id = doc_id_for(path, relative)
    try:
        data = _read_bytes(path)
        text, warnings = decode_bytes(data, origin)
    except InputError as exc:
        yield Skipped(exc.origin, exc.reason, doc_id)
        return
    del data  # the generator stays suspended while the document is processed: hold the text only
    media_type = "text/html" if suffix in HTML_SUFFIXES else "text/plain"
    yield Document(doc_id, origin, media_type, text, content_hash(text), warnings=warnings)


# -- opening files ---------------------------------------------------------------


def _regular_file_size(path: Path) -> int:
    """The size of a regular file, or InputError saying why it cannot be read."""
    origin = str(path)
    try:
        st = os.stat(path)
    except PermissionError:
        raise InputError(origin, "permission denied") from None
    except FileNotFoundError:
        reason = "broken symbolic link" if os.path.islink(path) else "no such file"
        raise InputError(origin, reason) from None
    except OSError as exc:
        raise InputError(origin, f"cannot read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(origin, "is a folder")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(origin, "not a regular file (a pipe, socket or device)")
    return st.st_size


@contextmanager
def _opened(path: Path) -> Iterator[BinaryIO]:
    """The file's bytes as a stream (through gzip for .gz), after checking it is a regular file within the limit."""
    origin = str(path)
    size = _regular_file_size(path)
    if size > MAX_FILE_BYTES:
        raise InputError(origin, f"file too large ({_megabytes(size)}; limit {_megabytes(MAX_FILE_BYTES)})")
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below, with the gzip reader around it
    except PermissionError:
        raise InputError(origin, "permission denied") from None
    except OSError as exc:
        raise InputError(origin, f"cannot read: {exc.strerror or exc}") from None
    try:
        if path.name.lower().endswith(".gz"):
            with gzip.GzipFile(fileobj=fh, mode="rb") as stream:
                yield stream
        else:
            yield fh
    finally:
        fh.close()


def _read_chunk(stream: BinaryIO, origin: str, size: int = READ_CHUNK) -> bytes:
    """Up to `size` bytes, with read and decompression failures as InputError."""
    try:
        return stream.read(size)
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise InputError(origin, f"corrupt gzip data ({exc})") from None
    except OSError as exc:
        raise InputError(origin, f"cannot read: {exc.strerror or exc}") from None


def _chunks(stream: BinaryIO, origin: str, already: int = 0) -> Iterator[bytes]:
    """The rest of the stream in chunks; InputError once more than MAX_FILE_BYTES came out of it (a gzip bomb)."""
    total = already
    while chunk := _read_chunk(stream, origin):
        total += len(chunk)
        if total > MAX_FILE_BYTES:
            raise InputError(origin, f"too large once decompressed (over {_megabytes(MAX_FILE_BYTES)})")
        yield chunk


def _read_bytes(path: Path) -> bytes:
    """A whole file's bytes (decompressed for .gz), or InputError with the reason."""
    with _opened(path) as stream:
        if isinstance(stream, gzip.GzipFile):
            return b"".join(_chunks(stream, str(path)))  # its size is known only once read: count as it comes
        return _read_chunk(stream, str(path), -1)  # size checked: one read into one buffer of the file's size


# -- JSONL -----------------------------------------------------------------------


def _whole_file_encoding(head: bytes) -> bool:
    """Can lines be split on b'\\n' and decoded one by one? Not for UTF-16 or UTF-32."""
    return any(head.startswith(bom) for bom, encoding in BOMS if encoding != "utf-8-sig") or bool(looks_utf16(head))


def _split_lines(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Lines (without b'\\n') of a chunked byte stream; a long line is joined once, not grown chunk by chunk."""
    parts: list[bytes] = []
    for chunk in chunks:
        start = 0
        while (newline := chunk.find(b"\n", start)) >= 0:
            parts.append(chunk[start:newline])
            yield b"".join(parts)
            parts, start = [], newline + 1
        if start < len(chunk):
            parts.append(chunk[start:])
    if parts:
        yield b"".join(parts)


def read_jsonl_file(path: Path) -> Iterator[Document | Skipped]:
    """The records of a JSONL file (or .jsonl.gz), read line by line; a read failure ends the file with a reason."""
    origin = str(path)
    try:
        with _opened(path) as stream:
            head = _read_chunk(stream, origin)
            chunks = _chunks(stream, origin, len(head))
            if _whole_file_encoding(head):
                yield from read_jsonl(head + b"".join(chunks), origin)
            else:
                yield from _jsonl_records(_split_lines(chain([head], chunks)), origin)
    except InputError as exc:
        yield Skipped(exc.origin, exc.reason)


def read_jsonl(data: bytes, origin: str) -> Iterator[Document | Skipped]:
    """One document per JSON object: `id`, and `text` or `html`; optional title, url, published.

    UTF-8 (the JSON standard) is read line by line, a line that is not UTF-8
    through the encoding detector; UTF-16 and UTF-32 files are decoded whole.
    """
    if not _whole_file_encoding(data[:READ_CHUNK]):
        yield from _jsonl_records(_split_lines([data]), origin)
        return
    try:
        whole, warnings = decode_bytes(data, origin)
    except InputError as exc:
        yield Skipped(exc.origin, exc.reason)
        return
    lines = whole.split("\n")
    seen = False
    for number, line in enumerate(lines, 1):
        if line.strip():
            seen = True
            yield _jsonl_record(line, f"{origin}:{number}", warnings)
    if not seen:
        yield Skipped(origin, "empty file")


def _jsonl_records(lines: Iterable[bytes], origin: str) -> Iterator[Document | Skipped]:
    seen = False
    for number, raw in enumerate(lines, 1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            continue
        seen = True
        where = f"{origin}:{number}"
        try:
            line, warnings = raw.decode("utf-8"), ()
        except UnicodeDecodeError:
            try:
                line, warnings = decode_bytes(raw, where)
            except InputError as exc:
                yield Skipped(where, exc.reason)
                continue
        yield _jsonl_record(line, where, warnings)
    if not seen:
        yield Skipped(origin, "empty file")


def _jsonl_record(line: str, where: str, warnings: tuple[str, ...] = ()) -> Document | Skipped:
    """One line of a JSONL file as a document, or the reason it is not one."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return Skipped(where, f"not valid JSON ({exc.msg}, column {exc.colno})")
    except ValueError as exc:  # an integer of more digits than Python converts
        return Skipped(where, f"not valid JSON ({exc})")
    except RecursionError:
        return Skipped(where, "not valid JSON (nested too deeply)")
    if not isinstance(record, dict):
        return Skipped(where, "not a JSON object")
    doc_id = record.get("id")
    if doc_id is None or (isinstance(doc_id, str) and not doc_id.strip()):
        return Skipped(where, "record has no 'id'")
    if not isinstance(doc_id, (str, int)) or isinstance(doc_id, bool):
        return Skipped(where, "'id' must be a string or an integer")
    doc_id = _without_surrogates(str(doc_id))
    body, media_type = record.get("text"), "text/plain"
    if body is None and record.get("html") is not None:
        body, media_type = record.get("html"), "text/html"
    if not isinstance(body, str):
        return Skipped(where, "record needs a 'text' or 'html' string", doc_id)
    if not body.strip():
        return Skipped(where, "empty text", doc_id)
    if SURROGATES.search(body):
        # JSON may escape half of a UTF-16 pair ("\ud800"): no text encoding can store that, so it is replaced.
        body = _without_surrogates(body)
        warnings = (*warnings, f"{where}: unpaired surrogate escapes replaced")
    meta = {}
    for key in ("title", "url", "published"):
        value = record.get(key)
        meta[key] = _without_surrogates(value) if isinstance(value, str) and value.strip() else None
    return Document(doc_id, where, media_type, body, content_hash(body), warnings=warnings, **meta)


def _without_surrogates(text: str) -> str:
    return SURROGATES.sub("\ufffd", text)
