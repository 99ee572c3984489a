"""The read stage: formats, doc ids, encodings, and bad input reported with a reason."""
from __future__ import annotations

import gzip
import json

from claimledger.read import read_paths
from claimledger.records import Document, Skipped

TEXT = "Police said 12 people were killed and 30 wounded in the attack on the café in Lindor.\n"


def _read(*paths):
    docs, skipped = [], []
    for item in read_paths(list(paths)):
        (docs if isinstance(item, Document) else skipped).append(item)
    return docs, skipped


def test_doc_ids_follow_the_contract(tmp_path):
    (tmp_path / "2024").mkdir()
    (tmp_path / "2024" / "report-7.txt").write_text(TEXT)
    (tmp_path / "page.html.gz").write_bytes(gzip.compress(b"<html><body><p>" + TEXT.encode() + b"</p></body></html>"))
    (tmp_path / "dump.jsonl").write_text(json.dumps({"id": "rec-1", "text": TEXT}) + "\n")
    docs, skipped = _read(tmp_path)
    assert sorted(d.doc_id for d in docs) == ["2024/report-7", "page", "rec-1"]
    assert not skipped
    single, _ = _read(tmp_path / "2024" / "report-7.txt")
    assert single[0].doc_id == "report-7"


def test_encodings_are_detected(tmp_path):
    (tmp_path / "bom.txt").write_bytes(TEXT.encode("utf-8-sig"))
    (tmp_path / "utf16.txt").write_bytes(TEXT.encode("utf-16"))
    (tmp_path / "utf16nobom.txt").write_bytes(TEXT.encode("utf-16-le"))
    (tmp_path / "cp1252.txt").write_bytes(("Le café où " + TEXT).encode("cp1252"))
    docs, skipped = _read(tmp_path)
    assert not skipped, skipped
    by_id = {d.doc_id: d.content for d in docs}
    assert by_id["bom"] == TEXT  # the byte-order mark is dropped, the text is unchanged
    assert by_id["utf16"] == TEXT
    assert by_id["utf16nobom"] == TEXT
    assert by_id["cp1252"].startswith("Le café où")


def test_line_endings_are_kept_so_offsets_index_the_file(tmp_path):
    (tmp_path / "crlf.txt").write_bytes(b"Headline\r\n\r\n" + TEXT.encode())
    (doc,), _ = _read(tmp_path / "crlf.txt")
    assert doc.content.startswith("Headline\r\n\r\n")


def test_bad_inputs_are_skipped_with_a_reason(tmp_path):
    (tmp_path / "good.txt").write_text(TEXT)
    (tmp_path / "empty.txt").write_text("   \n")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "broken.txt.gz").write_bytes(gzip.compress(TEXT.encode())[:20])
    (tmp_path / "dump.jsonl").write_text(
        json.dumps({"id": "ok-1", "text": TEXT}) + "\n{not json\n" + json.dumps({"text": "no id"}) + "\n"
        + json.dumps({"id": 5, "text": 7}) + "\n"
    )
    docs, skipped = _read(tmp_path)
    assert sorted(d.doc_id for d in docs) == ["good", "ok-1"]
    reasons = {s.origin.split("/")[-1]: s.reason for s in skipped}
    assert reasons["empty.txt"] == "empty file"
    assert "binary" in reasons["binary.txt"]
    assert "gzip" in reasons["broken.txt.gz"]
    assert "not valid JSON" in reasons["dump.jsonl:2"]
    assert "no 'id'" in reasons["dump.jsonl:3"]
    assert "'text' or 'html'" in reasons["dump.jsonl:4"]


def test_damaged_utf8_is_decoded_with_a_warning(tmp_path):
    (tmp_path / "damaged.txt").write_bytes("Café — ".encode() + b"\xff" + TEXT.encode())
    (doc,), skipped = _read(tmp_path / "damaged.txt")
    assert not skipped
    assert "\ufffd" in doc.content and doc.warnings


def test_duplicate_ids_with_different_content_are_skipped(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_text(TEXT)
    (tmp_path / "a" / "x.html").write_text("<html><body><p>Other text entirely about nothing.</p></body></html>")
    docs, skipped = _read(tmp_path)
    assert len(docs) == 1
    assert skipped[0].reason == "duplicate id" and skipped[0].doc_id == "a/x"


def test_symlink_loop_is_read_once(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "r.txt").write_text(TEXT)
    (tmp_path / "sub" / "loop").symlink_to(tmp_path)
    docs, skipped = _read(tmp_path)
    assert [d.doc_id for d in docs] == ["sub/r"]
    assert any("loop" in s.reason for s in skipped)
