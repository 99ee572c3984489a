"""Bytes → text: byte-order marks, strict UTF-8, then charset-normalizer's detection.

A file no encoding explains (binary data) is refused; a UTF-8 file with a few
invalid bytes is decoded with replacement characters and a warning. Line
endings are kept as in the file so offsets index what a user opens.
"""
from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from claimledger.errors import InputError

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
MAX_CONTROL_SHARE = 0.05  # more control characters than this: binary, not text
MAX_INVALID_UTF8_SHARE = 0.01


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    controls = sum(1 for c in text if (ord(c) < 32 and c not in "\t\n\r\f\v") or 0x7F <= ord(c) < 0xA0)
    return controls / len(text)


def _checked(text: str, origin: str, warnings: tuple[str, ...] = ()) -> tuple[str, tuple[str, ...]]:
    if not text or text.isspace():  # not text.strip(): that would copy a file of many megabytes once more
        raise InputError(origin, "empty file")
    if _control_share(text) > MAX_CONTROL_SHARE:
        raise InputError(origin, "binary data, not text")
    return text, warnings


def looks_utf16(data: bytes) -> str | None:
    """UTF-16 without a byte-order mark: NUL bytes on one side of ASCII text."""
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _plausible(text: str) -> bool:
    """Does text decoded by a guess read like writing? Junk bytes give symbols, no spaces, long "words"."""
    sample = text[:20000]
    if not sample.strip():
        return False
    ordinary = sum(1 for c in sample if c.isalnum() or c.isspace() or c in ".,;:!?'\"()-–—%/&«»“”‘’")
    spaces = sum(1 for c in sample if c.isspace())
    words = sample.split()
    mean_word = sum(map(len, words)) / len(words) if words else 99
    return ordinary / len(sample) >= 0.9 and spaces / len(sample) >= 0.05 and mean_word <= 15


def _western(data: bytes) -> str | None:
    """cp1252, when it decodes to plausible, mostly ASCII-lettered text: the likeliest 8-bit encoding."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isascii() for c in letters) / len(letters) >= 0.8 and _plausible(text):
        return text
    return None


def decode_bytes(data: bytes, origin: str) -> tuple[str, tuple[str, ...]]:
    """Decode a file's bytes, or raise InputError naming the file and the reason."""
    if not data or data.isspace():
        raise InputError(origin, "empty file")
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                raise InputError(origin, f"invalid {encoding} data after its byte-order mark") from None
            if not _plausible(text):
                raise InputError(origin, "binary data, not text")
            return _checked(text, origin)
    # Before UTF-8: ASCII text in UTF-16 is valid UTF-8 too (every other byte NUL), and would be refused as binary.
    utf16 = looks_utf16(data)
    if utf16:
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError:
            text = ""
        if not _plausible(text):
            raise InputError(origin, "looks like UTF-16 without a byte-order mark but does not decode to text")
        return _checked(text, origin)
    try:
        return _checked(data.decode("utf-8"), origin)
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise InputError(origin, "binary data, not text")
    replaced = data.decode("utf-8", errors="replace")
    bad = replaced.count("\ufffd")
    multibyte = sum(1 for c in replaced if ord(c) > 127 and c != "\ufffd")
    if multibyte and bad <= max(3, MAX_INVALID_UTF8_SHARE * len(replaced)):
        # Valid UTF-8 multibyte characters beside a few bad bytes: damaged UTF-8, not another encoding.
        return _checked(replaced, origin, (f"{origin}: {bad} invalid UTF-8 byte(s) replaced",))
    western = _western(data)
    if western is not None:
        return _checked(western, origin)
    best = from_bytes(data).best()
    if best is None or not _plausible(str(best)):
        raise InputError(origin, "invalid UTF-8 and no other text encoding explains it (binary data?)")
    return _checked(str(best), origin)
