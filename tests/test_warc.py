"""Web-crawl input: WARC and WET files written here with warcio, read back record by record.

HTML responses and WET conversions become documents whose id is the record's
URL; everything else is reported with a reason (or, for request, metadata and
warcinfo records, passed over); a damaged record is reported and the rest of
the file is still read; and the reader is lazy.
"""
from __future__ import annotations

import gzip
import io
import random

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from claimledger.read import read_paths
from claimledger.read.warc import iter_warc, read_warc
from claimledger.records import Document, Skipped

DATE = "2024-03-01T10:15:00Z"
PAGE = (
    "<html><head><title>Attack</title></head>"
    "<body><p>Police said {n} people were killed in {place}.</p></body></html>"
)
WET_TEXT = "Attack in Lindor\nPolice said 12 people were killed and 30 wounded in the attack.\n"


def _http(content_type: str | None, status: str = "200 OK", extra: tuple = ()) -> StatusAndHeaders:
    headers = [("Content-Type", content_type)] if content_type else []
    return StatusAndHeaders(status, headers + list(extra), protocol="HTTP/1.1")


def _response(writer, url, body: bytes, content_type="text/html; charset=utf-8", status="200 OK", extra=()):
    return writer.create_warc_record(
        url, "response", payload=io.BytesIO(body), http_headers=_http(content_type, status, extra),
        warc_headers_dict={"WARC-Date": DATE},
    )


def _request(writer, url):
    http = StatusAndHeaders("GET / HTTP/1.1", [("Host", "news.example")], is_http_request=True)
    return writer.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=http)


def _revisit(writer, url):
    return writer.create_revisit_record(
        url, digest="sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", refers_to_uri=url, refers_to_date=DATE,
        http_headers=_http("text/html"),
    )


def _conversion(writer, url, text: str):
    return writer.create_warc_record(
        url, "conversion", payload=io.BytesIO(text.encode()), warc_content_type="text/plain",
        warc_headers_dict={"WARC-Date": DATE},
    )


def _archive(records, *, gzip_members: bool) -> tuple[bytes, list[int]]:
    """The archive's bytes, and the offset where each record starts (plus the end)."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzip_members)
    offsets = []
    for make in records:
        offsets.append(out.tell())
        writer.write_record(make(writer))
    offsets.append(out.tell())
    return out.getvalue(), offsets


def _split(items):
    items = list(items)
    docs = [i for i in items if isinstance(i, Document)]
    skipped = [i for i in items if isinstance(i, Skipped)]
    return docs, skipped


def _crawl_records():
    return [
        lambda w: w.create_warcinfo_record("crawl.warc", {"software": "test"}),
        lambda w: _request(w, "https://news.example/a"),
        lambda w: _response(w, "https://news.example/a", PAGE.format(n=12, place="Lindor").encode()),
        lambda w: _response(w, "https://news.example/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(200), "image/png"),
        lambda w: _revisit(w, "https://news.example/a-again"),
        lambda w: _response(
            w, "https://news.example/b", PAGE.format(n=7, place="Le café").encode("cp1252"),
            "text/html; charset=windows-1252",
        ),
        lambda w: _response(w, "https://news.example/damaged", PAGE.format(n=99, place="Nowhere" * 200).encode()),
        lambda w: _response(w, "https://news.example/after", PAGE.format(n=3, place="Tavush").encode()),
    ]


DAMAGED = 6  # index of the record the tests damage


def _damage(data: bytes, offsets: list[int], how: str) -> bytes:
    start, end = offsets[DAMAGED], offsets[DAMAGED + 1]
    if how == "corrupt":  # flip bytes in the middle of the record's gzip member
        mid = (start + end) // 2
        return data[:mid] + bytes(b ^ 0x55 for b in data[mid : mid + 16]) + data[mid + 16 :]
    # truncated: the second half of the record is missing, the next record follows at once
    return data[: (start + end) // 2] + data[end:]


@pytest.mark.parametrize(
    ("gzip_members", "how"), [(True, "corrupt"), (True, "truncated"), (False, "truncated")]
)
def test_warc_responses_become_documents_and_the_rest_is_reported(tmp_path, gzip_members, how):
    data, offsets = _archive(_crawl_records(), gzip_members=gzip_members)
    path = tmp_path / ("crawl.warc.gz" if gzip_members else "crawl.warc")
    path.write_bytes(_damage(data, offsets, how))

    docs, skipped = _split(read_paths([path]))

    assert [d.doc_id for d in docs] == [
        "https://news.example/a", "https://news.example/b", "https://news.example/after"
    ]
    for doc in docs:
        assert doc.media_type == "text/html"
        assert doc.url == doc.doc_id
        assert doc.published == "2024-03-01"
        assert doc.origin.startswith(f"{path}#")
    assert "12 people were killed in Lindor" in docs[0].content
    assert "Le café" in docs[1].content  # decoded by the declared charset
    assert not docs[1].warnings

    reasons = {s.doc_id: s.reason for s in skipped if s.doc_id}
    assert reasons["https://news.example/logo.png"] == "not HTML (image/png)"
    assert reasons["https://news.example/a-again"].startswith("revisit record")
    damaged = [s for s in skipped if "damaged" in s.reason]
    assert len(damaged) == 1, skipped
    assert f"at byte {offsets[DAMAGED]}" in damaged[0].reason
    assert "reading resumed at byte" in damaged[0].reason
    assert damaged[0].doc_id in (None, "https://news.example/damaged")
    assert len(skipped) == 3, skipped  # the request and the warcinfo record are passed over silently
    assert all(s.origin.startswith(f"{path}#") for s in skipped)


@pytest.mark.parametrize("gzip_members", [True, False])
def test_a_file_cut_off_inside_its_last_record(tmp_path, gzip_members):
    data, offsets = _archive(_crawl_records(), gzip_members=gzip_members)
    path = tmp_path / "cut.warc"
    path.write_bytes(data[: (offsets[-2] + offsets[-1]) // 2])
    docs, skipped = _split(read_warc(path))
    assert [d.doc_id for d in docs] == [
        "https://news.example/a", "https://news.example/b", "https://news.example/damaged"
    ]
    assert "cut off" in skipped[-1].reason
    assert "no readable record after it" in skipped[-1].reason


@pytest.mark.parametrize("gzip_members", [True, False])
def test_wet_conversion_records_are_plain_text(tmp_path, gzip_members):
    data, _ = _archive(
        [
            lambda w: w.create_warcinfo_record("crawl.wet", {"software": "test"}),
            lambda w: _conversion(w, "https://news.example/a", WET_TEXT),
            lambda w: _conversion(w, "https://news.example/b", "Über 40 Menschen wurden getötet.\n"),
            lambda w: _conversion(w, "https://news.example/empty", "   \n"),
        ],
        gzip_members=gzip_members,
    )
    path = tmp_path / ("crawl.wet.gz" if gzip_members else "crawl.wet")
    path.write_bytes(data)
    docs, skipped = _split(read_paths([path]))
    assert [(d.doc_id, d.media_type) for d in docs] == [
        ("https://news.example/a", "text/plain"), ("https://news.example/b", "text/plain")
    ]
    assert docs[0].content == WET_TEXT
    assert docs[1].content.startswith("Über 40")
    assert docs[0].published == "2024-03-01"
    assert [(s.doc_id, s.reason) for s in skipped] == [("https://news.example/empty", "empty content")]


def test_a_folder_mixing_a_crawl_with_text_files(tmp_path):
    data, _ = _archive(_crawl_records()[:3], gzip_members=True)
    (tmp_path / "crawls").mkdir()
    (tmp_path / "crawls" / "one.warc.gz").write_bytes(data)
    (tmp_path / "notes.txt").write_text("Officials said 5 people were wounded.\n")
    (tmp_path / "crawls" / "more.txt").write_text("At least 8 people were killed.\n")
    docs, skipped = _split(read_paths([tmp_path]))
    assert not skipped
    assert sorted(d.doc_id for d in docs) == ["crawls/more", "https://news.example/a", "notes"]
    (page,) = [d for d in docs if d.media_type == "text/html"]
    assert page.origin == f"{tmp_path / 'crawls' / 'one.warc.gz'}#3"


class _CountingFile(io.BytesIO):
    """A seekable file that counts the bytes read from it."""

    bytes_read = 0

    def read(self, size=-1):
        data = super().read(size)
        self.bytes_read += len(data)
        return data


@pytest.mark.parametrize("gzip_members", [True, False])
def test_the_reader_is_lazy(gzip_members):
    rng = random.Random(7)
    words = "police said people were killed wounded attack village market weather army report".split()

    def page(i):  # text that does not compress to nothing, so the gzip file is large too
        filler = " ".join(rng.choice(words) + str(rng.randrange(1000)) for _ in range(2000))
        return (PAGE.format(n=i, place="Lindor") + f"<p>{filler}</p>").encode()

    records = [(lambda w, i=i: _response(w, f"https://news.example/{i}", page(i))) for i in range(200)]
    data, _ = _archive(records, gzip_members=gzip_members)
    fh = _CountingFile(data)
    reader = iter_warc(fh, "big.warc")
    assert fh.bytes_read == 0  # nothing is read before the first document is asked for
    first = next(reader)
    assert isinstance(first, Document) and first.doc_id == "https://news.example/0"
    assert fh.bytes_read < len(data) / 10
    assert sum(1 for _ in reader) == 199
    assert fh.bytes_read >= len(data)


def test_files_that_are_not_warc(tmp_path):
    (tmp_path / "notes.warc").write_text("Just some notes, not a crawl.\n")
    (tmp_path / "notes2.warc.gz").write_bytes(gzip.compress(b"Just some notes, not a crawl.\n"))
    (tmp_path / "empty.wet").write_bytes(b"")
    (tmp_path / "image.warc").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    docs, skipped = _split(read_paths([tmp_path]))
    assert not docs
    reasons = {s.origin.rsplit("/", 1)[-1]: s.reason for s in skipped}
    assert reasons["notes.warc"].startswith("not a WARC file")
    assert reasons["notes2.warc.gz"].startswith("not a WARC file")
    assert reasons["image.warc"].startswith("not a WARC file")
    assert reasons["empty.wet"] == "empty file"


def _chunked(body: bytes, size: int = 50) -> bytes:
    parts = [body[i : i + size] for i in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\n\r\n"


def test_http_details_sizes_and_encodings(tmp_path):
    big = PAGE.format(n=1, place="x" * 5000).encode()
    latin = "<html><head><meta charset='iso-8859-1'></head><body><p>Le café de Lindor</p></body></html>"
    data, _ = _archive(
        [
            lambda w: _response(w, "https://news.example/big", big),
            lambda w: _response(w, "https://news.example/moved", b"", "text/html", "301 Moved Permanently",
                                (("Location", "https://news.example/new"),)),
            lambda w: _response(w, "https://news.example/missing", b"<html>Not found</html>", "text/html",
                                "404 Not Found"),
            lambda w: _response(w, "https://news.example/api", b'{"killed": 3}', "application/json"),
            lambda w: _response(w, "https://news.example/zipped",
                                gzip.compress(PAGE.format(n=4, place="Berd").encode()),
                                "text/html; charset=utf-8", extra=(("Content-Encoding", "gzip"),)),
            lambda w: _response(w, "https://news.example/meta", latin.encode("latin-1"), "text/html"),
            lambda w: _response(w, "https://news.example/chunked", _chunked(PAGE.format(n=9, place="Ijevan").encode()),
                                extra=(("Transfer-Encoding", "chunked"),)),
            lambda w: _response(w, "https://news.example/untyped", PAGE.format(n=2, place="Goris").encode(), None),
            lambda w: _response(w, "https://news.example/bomb", gzip.compress(b"<html>" + b" " * 20000 + b"</html>"),
                                "text/html", extra=(("Content-Encoding", "gzip"),)),
        ],
        gzip_members=True,
    )
    path = tmp_path / "details.warc.gz"
    path.write_bytes(data)
    docs, skipped = _split(read_warc(path, max_record_bytes=4000))
    assert {d.doc_id: d.content for d in docs} == {
        "https://news.example/zipped": PAGE.format(n=4, place="Berd"),
        "https://news.example/meta": latin,
        "https://news.example/chunked": PAGE.format(n=9, place="Ijevan"),
        "https://news.example/untyped": PAGE.format(n=2, place="Goris"),
    }
    reasons = {s.doc_id: s.reason for s in skipped}
    assert reasons["https://news.example/big"].startswith("record too large")
    assert reasons["https://news.example/moved"] == "HTTP 301 redirect to https://news.example/new"
    assert reasons["https://news.example/missing"].startswith("HTTP 404")
    assert reasons["https://news.example/api"] == "not HTML (application/json)"
    assert reasons["https://news.example/bomb"].startswith("content too large once decoded")


def test_the_same_url_twice_in_a_crawl(tmp_path):
    body = PAGE.format(n=12, place="Lindor").encode()
    data, _ = _archive(
        [
            lambda w: _response(w, "https://news.example/a", body),
            lambda w: _response(w, "https://news.example/a", body),
            lambda w: _response(w, "https://news.example/a", body.replace(b"12", b"13")),
        ],
        gzip_members=False,
    )
    (tmp_path / "dup.warc").write_bytes(data)
    docs, skipped = _split(read_paths([tmp_path / "dup.warc"]))
    assert [d.doc_id for d in docs] == ["https://news.example/a"]
    assert [s.reason for s in skipped] == ["same document given twice", "duplicate id"]
