"""The language a text is written in, as an ISO 639-1 code.

py3langid carries its model inside the package (nothing is downloaded at run
time); it is loaded once per process, on first use. Its labels that are not
ISO 639-1 codes (regional varieties such as Egyptian Arabic, or `zxx` for "no
language") are left out, so their texts go to the nearest ISO 639-1 language.
"""
from __future__ import annotations

import threading
from collections.abc import Iterable

from claimledger.records import Span

MIN_LETTERS = 20  # fewer letters than this is too little text to tell
MIN_CONFIDENCE = 0.3  # below this (normalised probability) the identifier is guessing
MAX_CHARS = 2_000  # the start of a long text says as much as all of it, and costs less

_LOCK = threading.Lock()
_IDENTIFIER = None


def _identifier():
    global _IDENTIFIER
    if _IDENTIFIER is None:
        with _LOCK:
            if _IDENTIFIER is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
                identifier.set_languages([code for code in identifier.labels if len(code) == 2])
                _IDENTIFIER = identifier
    return _IDENTIFIER


def _has_letters(text: str, wanted: int) -> bool:
    for ch in text:
        if ch.isalpha():
            wanted -= 1
            if wanted <= 0:
                return True
    return False


def detect_language(text: str | None) -> str | None:
    """ISO 639-1 code of `text`'s language; None when there is too little text to tell."""
    if not text:
        return None
    sample = text[:MAX_CHARS]
    if not _has_letters(sample, MIN_LETTERS):
        return None
    code, confidence = _identifier().classify(sample)
    if confidence < MIN_CONFIDENCE:
        return None
    return code


def content_language(text: str, boilerplate: Iterable[Span] = ()) -> str | None:
    """The language of a flattened page's content: menus and footers (boilerplate spans)
    left out, unless nothing else is left."""
    spans, cursor = [], 0
    for span in sorted(boilerplate, key=lambda s: s.start):
        if span.start > cursor:
            spans.append(text[cursor:span.start])
        cursor = max(cursor, span.end)
    spans.append(text[cursor:])
    return detect_language("\n".join(spans)) or detect_language(text)
