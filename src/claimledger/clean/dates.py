"""Publication dates: normalising given dates, and finding a dateline near the top of a text."""
from __future__ import annotations

import re

from claimledger.dates import parse_full_date as parse_date
from claimledger.records import Span

HEAD_LINES = 8  # a dateline stands among the first lines of the article
MAX_DATELINE_CHARS = 60


def iso_date(value: str | None) -> str | None:
    if not value:
        return None
    return parse_date(value)


def find_published(text: str, boilerplate: list[Span] = ()) -> str | None:
    """The date of a dateline near the top: a line of its own ("27 February 2017"),
    or the head of the first paragraph ("VELMORA, 15 March 2023 (Wire) — ...")."""
    seen, pos = 0, 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        in_boilerplate = any(b.start <= pos < b.end for b in boilerplate)
        pos += len(line)
        if not stripped:
            continue
        seen += not in_boilerplate  # menus above the article do not push the dateline out
        if seen > HEAD_LINES:
            break
        for head in _dateline_heads(stripped):
            found = parse_date(head)
            if found:
                return found
    return None


def _dateline_heads(line: str) -> list[str]:
    """Where a line may give its date: all of a short line; each part of a byline line of short parts
    ("Statement — 14 June 2021 — Civilian Protection Mission"); else the head of a first paragraph."""
    if len(line) <= MAX_DATELINE_CHARS:
        return [line]
    parts = re.split(r"\s[—–|-]{1,2}\s", line)
    if len(line) <= MAX_DATELINE_CHARS * 3 and all(len(p) <= MAX_DATELINE_CHARS for p in parts):
        return parts
    return [parts[0]] if len(parts[0]) <= MAX_DATELINE_CHARS * 2 else []
