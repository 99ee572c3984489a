"""Web-crawl archives: WARC responses and WET conversions → `Document`s, streamed record by record.

A `.warc`/`.warc.gz` file gives one HTML document per `response` (or
`resource`) record, a `.wet`/`.wet.gz` file one plain-text document per
`conversion` record; the record's WARC-Target-URI is the document's id and
url, and the day of its WARC-Date is `published` (the clean stage may find a
better date in the page). Non-HTML responses, revisits, error pages and
oversized records are reported as `Skipped`; request, metadata and warcinfo
records are not documents and are passed over silently.

The file is read as a stream, one record at a time, and never held in memory
whole. warcio parses the WARC and HTTP headers and undoes chunked transfer and
gzip/deflate content encodings; the framing (gzip members, record boundaries)
is done here, because warcio's ArchiveIterator gives up on the rest of a file
at a corrupt gzip member and passes over a record cut off at the end without a
word. Here a damaged stretch (a corrupt or cut-off gzip member, a record
shorter or longer than its Content-Length, a broken header) is reported with
its byte offset and reading resumes at the next gzip member (`.warc.gz`
files hold one record per member) or the next line that starts a WARC record
(uncompressed files).
"""
from __future__ import annotations

import codecs
import io
import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from warcio.bufferedreaders import BufferedReader
from warcio.limitreader import LimitReader
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders, StatusAndHeadersParser, StatusAndHeadersParserException

from claimledger.errors import InputError
from claimledger.read import content_hash
from claimledger.read.decode import BOMS, decode_bytes
from claimledger.records import Document, Skipped

MAX_RECORD_BYTES = 20 * 1024 * 1024  # a record (or its decoded body) larger than this is skipped
CHUNK = 64 * 1024
MAX_LINE = 64 * 1024  # a header line longer than this is cut (and the header soon fails its budget)
MAX_HEADER_BYTES = 256 * 1024  # WARC or HTTP headers larger than this: not a record header
GZIP_MAGIC = b"\x1f\x8b\x08"  # gzip id bytes and the deflate method: where a member starts
RECORD_START = re.compile(rb"WARC/(?:1\.[01]|0\.1[78])\r?\n")  # a record's first line (anywhere: a cut record
# leaves the next one's header in mid-line)
RECORD_START_MAX = 12
HTML_TYPES = {"text/html", "application/xhtml+xml"}
DOCUMENT_TYPES = {"response", "resource", "conversion"}
IGNORED_TYPES = {"request", "metadata", "warcinfo"}

_WARC_PARSER = StatusAndHeadersParser(["WARC/"], verify=False)
_HTTP_PARSER = StatusAndHeadersParser(["HTTP/"], verify=False)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE)
_HTML_START = re.compile(rb"(\xef\xbb\xbf)?\s*(<!--.*?-->\s*)*<(!doctype\s+html|html)[\s>]", re.IGNORECASE | re.DOTALL)
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class _Damage(Exception):
    """The bytes here cannot be read as records; reading resumes further on."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class _Lines:
    """readline/read/skip over one segment of decompressed bytes, counting what was consumed.

    `budget`, when set, bounds the bytes readline may return (a header's size),
    so binary data that never reaches a blank line cannot make a header of it.
    """

    def __init__(self, segment: _PlainSource | _GzipSource):
        self.segment = segment
        self.buf = b""
        self.pos = 0  # bytes consumed from the segment
        self.budget: int | None = None
        self.at_end = False  # the last readline found the end of the segment

    def readline(self, length: int | None = None) -> bytes:
        cap = MAX_LINE if length is None or length < 0 else min(length, MAX_LINE)
        while True:
            end = self.buf.find(b"\n", 0, cap)
            if end >= 0:
                size = end + 1
                break
            if len(self.buf) >= cap:
                size = cap
                break
            data = self.segment.read(CHUNK)
            if not data:
                size = len(self.buf)
                break
            self.buf += data
        line, self.buf = self.buf[:size], self.buf[size:]
        self.pos += size
        self.at_end = not line
        if self.budget is not None:
            self.budget -= size
            if self.budget < 0:
                raise _Damage(f"record header longer than {MAX_HEADER_BYTES // 1024} KB")
        return line

    def read(self, length: int | None = None) -> bytes:
        parts, have = [self.buf], len(self.buf)
        while length is None or length < 0 or have < length:
            data = self.segment.read(CHUNK if length is None or length < 0 else max(length - have, 1))
            if not data:
                break
            parts.append(data)
            have += len(data)
        data = b"".join(parts)
        if length is not None and length >= 0:
            data, self.buf = data[:length], data[length:]
        else:
            self.buf = b""
        self.pos += len(data)
        return data

    def skip(self, length: int) -> int:
        """Pass over up to `length` bytes without keeping them; how many there were."""
        from_buf = min(length, len(self.buf))
        self.buf = self.buf[from_buf:]
        skipped = from_buf + (self.segment.skip(length - from_buf) if length > from_buf else 0)
        self.pos += skipped
        return skipped

    def unread(self, line: bytes) -> None:
        self.buf = line + self.buf
        self.pos -= len(line)


class _PlainSource:
    """An uncompressed archive: one segment from the start (or from where reading resumed) to the end."""

    def __init__(self, fh: BinaryIO):
        self.fh = fh
        self.start = 0
        self.resume_at: int | None = 0

    def next_segment(self) -> _Lines | None:
        if self.resume_at is None:
            return None
        self.start, self.resume_at = self.resume_at, None
        self.fh.seek(self.start)
        return _Lines(self)

    def offset(self, lines: _Lines) -> int:
        return self.start + lines.pos

    def read(self, size: int) -> bytes:
        return self.fh.read(size)

    def skip(self, size: int) -> int:
        here = self.fh.tell()
        end = self.fh.seek(0, io.SEEK_END)
        target = min(here + size, end)
        self.fh.seek(target)
        return target - here

    def position(self) -> int:
        """Where the next segment starts."""
        return self.resume_at if self.resume_at is not None else self.start

    def resync(self, after: int) -> None:
        """Resume at the first WARC record header at or after byte `after`."""
        base, carry = after, b""
        self.fh.seek(base)
        while True:
            chunk = self.fh.read(CHUNK)
            if not chunk:
                self.resume_at = None
                return
            data = carry + chunk
            found = RECORD_START.search(data)
            if found:
                self.resume_at = base + found.start()
                return
            keep = RECORD_START_MAX - 1
            base += max(len(data) - keep, 0)
            carry = data[-keep:]


class _GzipSource:
    """A gzip-compressed archive: one segment per gzip member (per record in a well-made .warc.gz)."""

    def __init__(self, fh: BinaryIO):
        self.fh = fh
        self.raw = b""  # compressed bytes read from the file, not yet given to the decompressor
        self.raw_offset = 0  # file offset of raw[0]
        self.member_start = 0
        self.decomp: zlib._Decompress | None = None
        self.broken = False

    def next_segment(self) -> _Lines | None:
        self.member_start = self.raw_offset
        if len(self.raw) < len(GZIP_MAGIC):
            self.raw += self.fh.read(CHUNK)
        if not self.raw:
            return None
        if not self.raw.startswith(GZIP_MAGIC):
            self.decomp, self.broken = None, True
            raise _Damage("bytes that are not a gzip member where one should start")
        self.decomp, self.broken = zlib.decompressobj(16 + zlib.MAX_WBITS), False
        return _Lines(self)

    def offset(self, lines: _Lines) -> int:
        return self.member_start

    def position(self) -> int:
        """Where the next segment (gzip member) starts."""
        return self.raw_offset

    def read(self, size: int) -> bytes:
        """Decompressed bytes of the current member only: b"" at its end."""
        decomp = self.decomp
        if decomp is None or decomp.eof or size <= 0:
            return b""
        if self.broken:
            raise _Damage("corrupt gzip data")
        while True:
            if not self.raw:
                self.raw = self.fh.read(CHUNK)
                if not self.raw:
                    self.broken = True
                    raise _Damage("gzip member cut off: the file ends inside it")
            before = len(self.raw)
            try:
                out = decomp.decompress(self.raw, size)
            except zlib.error as exc:
                self.broken = True
                raise _Damage(f"corrupt gzip data ({exc})") from None
            rest = decomp.unused_data if decomp.eof else decomp.unconsumed_tail
            self.raw_offset += before - len(rest)
            self.raw = rest
            if out or decomp.eof:
                return out

    def skip(self, size: int) -> int:
        skipped = 0
        while skipped < size:
            data = self.read(min(CHUNK, size - skipped))
            if not data:
                break
            skipped += len(data)
        return skipped

    def resync(self, after: int) -> None:
        """Go on with the member after the damaged one: where it ends if it decompresses, else the next gzip header."""
        if self.decomp is not None and not self.broken:
            try:
                while self.read(CHUNK):
                    pass
                self.decomp = None
                return
            except _Damage:
                pass
        self.decomp = None
        base = self.member_start + 1
        self.fh.seek(base)
        carry = b""
        while True:
            chunk = self.fh.read(CHUNK)
            if not chunk:
                self.raw, self.raw_offset = b"", base + len(carry)
                return
            data = carry + chunk
            found = data.find(GZIP_MAGIC)
            if found >= 0:
                self.raw, self.raw_offset = data[found:], base + found
                return
            keep = len(GZIP_MAGIC) - 1
            base += len(data) - keep
            carry = data[-keep:]


def read_warc(path: Path, max_record_bytes: int = MAX_RECORD_BYTES) -> Iterator[Document | Skipped]:
    """Every document in a WARC or WET file (plain or gzip-compressed), read lazily."""
    origin = str(path)
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed when the generator ends
    except PermissionError:
        yield Skipped(origin, "permission denied")
        return
    except IsADirectoryError:
        yield Skipped(origin, "is a folder")
        return
    except OSError as exc:
        yield Skipped(origin, f"cannot read: {exc.strerror or exc}")
        return
    with fh:
        yield from iter_warc(fh, origin, max_record_bytes)


def iter_warc(fh: BinaryIO, origin: str, max_record_bytes: int = MAX_RECORD_BYTES) -> Iterator[Document | Skipped]:
    """The documents of an archive open for binary reading (it must be seekable), one record at a time."""
    try:
        head = fh.read(len(GZIP_MAGIC))
        fh.seek(0)
        if not head:
            yield Skipped(origin, "empty file")
            return
        source: _PlainSource | _GzipSource = _GzipSource(fh) if head.startswith(GZIP_MAGIC[:2]) else _PlainSource(fh)
        yield from _records(source, origin, max_record_bytes)
    except OSError as exc:
        yield Skipped(origin, f"cannot read: {exc.strerror or exc}")


def _records(source: _PlainSource | _GzipSource, origin: str, limit: int) -> Iterator[Document | Skipped]:
    number = 0  # records (and damaged stretches) seen so far: `origin#number` names one
    first_record = True
    reported = 0  # documents and skipped records yielded
    damage: tuple[int, int, str, str | None] | None = None  # (number, byte offset, reason, url) not yet reported
    while True:
        record_start, url = source.position(), None
        try:
            lines = source.next_segment()
            if lines is None:
                break
            while True:
                record_start, url = source.offset(lines), None
                line = lines.readline()
                while line and not line.strip():
                    record_start = source.offset(lines)
                    line = lines.readline()
                if not line:
                    break  # end of the segment
                if not line.startswith(b"WARC/"):
                    if first_record:
                        yield Skipped(origin, f"not a WARC file (it starts with {line[:40]!r})")
                        return
                    raise _Damage("no WARC record header where a record should start")
                first_record = False
                headers = _parse_headers(_WARC_PARSER, lines, line)
                if lines.at_end:
                    raise _Damage("record header cut off: the data ends inside it")
                number += 1
                url = _target_uri(headers)
                if damage is not None:
                    yield _damage_report(origin, damage, record_start)
                    damage = None
                result = _record(lines, headers, url, f"{origin}#{number}", limit)
                if result is not None:
                    reported += 1
                    yield result
        except _Damage as exc:
            first_record = False
            if damage is None:
                if url is None:
                    number += 1
                damage = (number, record_start, exc.reason, url)
            source.resync(record_start + 1)
    if damage is not None:
        yield _damage_report(origin, damage, None)
    elif not reported and not number:
        yield Skipped(origin, "empty archive: no WARC records")  # nothing dropped silently, not even nothing
    elif not reported:
        yield Skipped(origin, "no documents in this archive (only request, metadata or warcinfo records)")


def _damage_report(origin: str, damage: tuple[int, int, str, str | None], resumed: int | None) -> Skipped:
    number, start, reason, url = damage
    what = "damaged record" if url else "damaged data"
    after = f"reading resumed at byte {resumed}" if resumed is not None else "no readable record after it"
    return Skipped(f"{origin}#{number}", f"{what} at byte {start}: {reason}; {after}", url)


def _parse_headers(
    parser: StatusAndHeadersParser, lines: _Lines, first: bytes, stream: _Lines | LimitReader | None = None
) -> StatusAndHeaders:
    """Headers after their first line, read from `stream` (by default `lines`), at most MAX_HEADER_BYTES."""
    lines.budget = MAX_HEADER_BYTES - len(first)
    try:
        return parser.parse(stream or lines, first)
    except (StatusAndHeadersParserException, EOFError, ValueError) as exc:
        raise _Damage(f"unreadable record header ({exc})") from None
    finally:
        lines.budget = None


def _target_uri(headers: StatusAndHeaders) -> str | None:
    uri = (headers.get_header("WARC-Target-URI") or "").strip()
    if uri.startswith("<") and uri.endswith(">"):  # as wget 1.19 wrote it
        uri = uri[1:-1].strip()
    return uri or None


def _record(
    lines: _Lines, headers: StatusAndHeaders, url: str | None, where: str, limit: int
) -> Document | Skipped | None:
    """One record, read to its end and checked, as a document, a skip, or nothing (not a document)."""
    try:
        length = int(headers.get_header("Content-Length") or "")
        if length < 0:
            raise ValueError
    except ValueError:
        raise _Damage("record without a valid Content-Length") from None
    body = LimitReader(lines, length)
    result = _content(lines, headers, body, url, where, length, limit)
    body.limit -= lines.skip(body.limit)
    if body.limit > 0:
        raise _Damage(f"record cut off: {length - body.limit} of its {length} bytes are there")
    # A record ends with a blank line or two; anything else means its Content-Length was wrong
    # (other bytes after the blank lines are a damage of their own, reported with the next record).
    line, blank = lines.readline(), 0
    while line and not line.strip():
        line, blank = lines.readline(), blank + 1
    if line:
        lines.unread(line)
        if not blank and not line.startswith(b"WARC/"):
            raise _Damage("record does not end where its Content-Length says")
    return result


def _content(
    lines: _Lines,
    headers: StatusAndHeaders, body: LimitReader, url: str | None, where: str, length: int, limit: int
) -> Document | Skipped | None:
    rec_type = (headers.get_header("WARC-Type") or "").strip().lower()
    if rec_type in IGNORED_TYPES:
        return None
    if rec_type == "revisit":
        return Skipped(where, "revisit record (a repeat capture whose content is not stored here)", url)
    if rec_type not in DOCUMENT_TYPES:
        return Skipped(where, f"'{rec_type or 'untyped'}' record is not a document", url)
    if url is None:
        return Skipped(where, f"{rec_type} record without a WARC-Target-URI")
    if length > limit:
        return Skipped(where, f"record too large ({_size(length)}; limit {_size(limit)})", url)
    media_type, charset = _media_type(headers.get_header("Content-Type"))
    stream = body
    if rec_type == "response" and url.lower().startswith(("http:", "https:")):
        status_line = body.readline()
        if not status_line.upper().startswith(b"HTTP/"):
            return Skipped(where, "response record without an HTTP status line", url)
        http = _parse_headers(_HTTP_PARSER, lines, status_line, body)
        refusal = _http_refusal(http)
        if refusal:
            return Skipped(where, refusal, url)
        media_type, charset = _media_type(http.get_header("Content-Type"))
        encoding = (http.get_header("Content-Encoding") or "").strip().lower()
        if encoding and encoding != "identity" and encoding not in BufferedReader.get_supported_decompressors():
            return Skipped(where, f"unsupported content encoding '{encoding}'", url)
        record = ArcWarcRecord("warc", rec_type, headers, body, http, None, length)
        stream = record.content_stream()
    if rec_type == "conversion":
        media_type = "text/html" if media_type in HTML_TYPES else "text/plain"
    elif media_type is not None and media_type not in HTML_TYPES:
        return Skipped(where, f"not HTML ({media_type})", url)
    data = stream.read(limit + 1)
    if len(data) > limit:
        return Skipped(where, f"content too large once decoded (over {_size(limit)})", url)
    if media_type is None:
        if not _HTML_START.match(data[:4096]):
            return Skipped(where, "not HTML (no Content-Type and the content does not look like HTML)", url)
        media_type = "text/html"
    if not data.strip():
        return Skipped(where, "empty content", url)
    if charset is None and media_type in HTML_TYPES:
        found = _META_CHARSET.search(data[:4096])
        charset = found.group(1).decode("ascii") if found else None
    try:
        text, warnings = _decode(data, charset, where)
    except InputError as exc:
        return Skipped(where, exc.reason, url)
    if not text.strip():
        return Skipped(where, "empty content", url)
    kind = "text/plain" if media_type == "text/plain" else "text/html"
    return Document(
        url, where, kind, text, content_hash(text), url=url,
        published=_iso_day(headers.get_header("WARC-Date")), warnings=warnings,
    )


def _http_refusal(http: StatusAndHeaders) -> str | None:
    """Why an HTTP response is not a page's content (a redirect, an error), or None."""
    code = (http.get_statuscode() or "").strip()
    if not code.isdigit():
        return f"HTTP status line without a status code ({http.statusline!r})"
    status = int(code)
    if 300 <= status < 400:
        location = http.get_header("Location")
        return f"HTTP {status} redirect" + (f" to {location}" if location else "")
    if not 200 <= status < 300:
        return f"HTTP {status} response, not a page's content"
    return None


def _media_type(value: str | None) -> tuple[str | None, str | None]:
    """('text/html', 'utf-8') from 'text/html; charset="UTF-8"'; (None, None) when nothing is declared."""
    if not value or not value.strip():
        return None, None
    kind, *params = value.split(";")
    charset = None
    for param in params:
        name, _, val = param.partition("=")
        if name.strip().lower() == "charset" and val.strip().strip("\"'"):
            charset = val.strip().strip("\"'")
    return kind.strip().lower() or None, charset


def _codec(charset: str) -> str | None:
    try:
        info = codecs.lookup(charset)
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True):  # base64, zlib, rot13: codecs, not charsets
        return None
    name = info.name
    # As browsers do: a page labelled Latin-1 or ASCII is read as Windows-1252.
    return "cp1252" if name in {"iso8859-1", "latin-1", "ascii"} else name


def _decode(data: bytes, charset: str | None, where: str) -> tuple[str, tuple[str, ...]]:
    """The body decoded by its declared charset; when none is declared (or it fails), as the project decodes files."""
    warnings: tuple[str, ...] = ()
    if charset and not data.startswith(tuple(bom for bom, _ in BOMS)):
        codec = _codec(charset)
        if codec is None:
            warnings = (f"{where}: unknown charset '{charset}' declared; the encoding was detected instead",)
        else:
            try:
                return data.decode(codec), ()
            except UnicodeDecodeError:
                warnings = (f"{where}: content is not valid {charset} as declared; the encoding was detected instead",)
    text, more = decode_bytes(data, where)
    return text, warnings + more


def _iso_day(value: str | None) -> str | None:
    day = (value or "").strip()[:10]
    return day if _ISO_DAY.fullmatch(day) else None


def _size(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 1024 * 1024 else f"{size} bytes"
