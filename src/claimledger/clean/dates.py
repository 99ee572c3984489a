"""Publication dates: normalising given dates, and finding a dateline near the top of a text."""
from __future__ import annotations

import re
from datetime import date

from claimledger.records import Span


MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4,
    "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})\s+({_MONTH})\.?,?\s+(\d{{4}})\b", re.IGNORECASE)
MONTH_DAY_YEAR = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}}),?\s+(\d{{4}})\b", re.IGNORECASE)
ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
HEAD_LINES = 8  # a dateline stands among the first lines of the article
MAX_DATELINE_CHARS = 60


def _valid(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def parse_date(text: str) -> str | None:
    """An ISO date from one of the common written forms, or None."""
    m = ISO.search(text)
    if m:
        return _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = DAY_MONTH_YEAR.search(text)
    if m:
        return _valid(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
    m = MONTH_DAY_YEAR.search(text)
    if m:
        return _valid(int(m.group(3)), MONTHS[m.group(1).lower()], int(m.group(2)))
    return None


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
        head = re.split(r"\s[—–-]{1,2}\s", stripped, maxsplit=1)[0] if len(stripped) > MAX_DATELINE_CHARS else stripped
        if len(head) <= MAX_DATELINE_CHARS * 2:
            found = parse_date(head)
            if found:
                return found
    return None
