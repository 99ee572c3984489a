"""The read stage: files, folders, JSONL and web-crawl archives → `Document`s, or `Skipped` with a reason.

Every input either becomes a document or is reported with the file (and line)
and why; nothing is dropped silently. Text encodings are detected with
charset-normalizer.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import zlib
from collections.abc import Iterator
from pathlib import Path

from claimledger.errors import InputError
from claimledger.read.decode import decode_bytes
from claimledger.records import Document, Skipped

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
WARC_SUFFIXES = {".warc", ".wet"}
SUPPORTED = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | WARC_SUFFIXES
MAX_FILE_BYTES = 100 * 1024 * 1024


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _kind(path: Path) -> tuple[str, str]:
    """(inner suffix, doc-id stem) for a path, looking through a .gz suffix."""
    name = path.name
    if name.lower().endswith(".gz"):
        name = name[:-3]
    suffix = Path(name).suffix.lower()
    return suffix, name[: -len(suffix)] if suffix else name


def iter_input_files(paths: list[Path]) -> Iterator[tuple[Path, str | None] | Skipped]:
    """Each input file with the doc-id stem it gets: relative to the folder it was found in."""
    for root in paths:
        if not root.exists():
            yield Skipped(str(root), "no such file or folder")
            continue
        if root.is_file():
            yield root, None
            continue
        seen_dirs: set[tuple[int, int]] = set()
        for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
            st = os.stat(dirpath)
            if (st.st_dev, st.st_ino) in seen_dirs:
                dirnames[:] = []
                yield Skipped(dirpath, "symbolic link loop; folder read once")
                continue
            seen_dirs.add((st.st_dev, st.st_ino))
            dirnames.sort()
            for name in sorted(filenames):
                path = Path(dirpath) / name
                yield path, path.relative_to(root).as_posix()


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
        # Web-crawl archives are streamed record by record (each record's URL is its doc id), never read whole.
        from claimledger.read.warc import read_warc

        yield from read_warc(path)
        return
    try:
        data = _read_bytes(path)
    except InputError as exc:
        yield Skipped(exc.origin, exc.reason, doc_id_for(path, relative))
        return
    if suffix in JSONL_SUFFIXES:
        yield from read_jsonl(data, origin)
        return
    doc_id = doc_id_for(path, relative)
    try:
        text, warnings = decode_bytes(data, origin)
    except InputError as exc:
        yield Skipped(exc.origin, exc.reason, doc_id)
        return
    media_type = "text/html" if suffix in HTML_SUFFIXES else "text/plain"
    yield Document(doc_id, origin, media_type, text, content_hash(text), warnings=warnings)


def _read_bytes(path: Path) -> bytes:
    origin = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(origin, f"file too large ({size // (1024 * 1024)} MB; limit {MAX_FILE_BYTES // (1024 * 1024)} MB)")
        data = path.read_bytes()
    except PermissionError:
        raise InputError(origin, "permission denied") from None
    except IsADirectoryError:
        raise InputError(origin, "is a folder") from None
    except OSError as exc:
        raise InputError(origin, f"cannot read: {exc.strerror or exc}") from None
    if path.name.lower().endswith(".gz"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError(origin, f"corrupt gzip data ({exc})") from None
    return data


def read_jsonl(data: bytes, origin: str) -> Iterator[Document | Skipped]:
    """One document per JSON object: `id`, and `text` or `html`; optional title, url, published."""
    try:
        whole, _ = decode_bytes(data, origin)
    except InputError as exc:
        yield Skipped(exc.origin, exc.reason)
        return
    for number, line in enumerate(whole.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{origin}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Skipped(where, f"not valid JSON ({exc.msg})")
            continue
        if not isinstance(record, dict):
            yield Skipped(where, "not a JSON object")
            continue
        doc_id = record.get("id")
        if doc_id is None or (isinstance(doc_id, str) and not doc_id.strip()):
            yield Skipped(where, "record has no 'id'")
            continue
        if not isinstance(doc_id, (str, int)) or isinstance(doc_id, bool):
            yield Skipped(where, "'id' must be a string or an integer")
            continue
        doc_id = str(doc_id)
        body, media_type = record.get("text"), "text/plain"
        if body is None and record.get("html") is not None:
            body, media_type = record.get("html"), "text/html"
        if not isinstance(body, str):
            yield Skipped(where, "record needs a 'text' or 'html' string", doc_id)
            continue
        if not body.strip():
            yield Skipped(where, "empty text", doc_id)
            continue
        meta = {}
        for key in ("title", "url", "published"):
            value = record.get(key)
            meta[key] = value if isinstance(value, str) and value.strip() else None
        yield Document(doc_id, where, media_type, body, content_hash(body), **meta)
