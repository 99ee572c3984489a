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
        head = re.split(r"\s[—–-]{1,2}\s", stripped, maxsplit=1)[0] if len(stripped) > MAX_DATELINE_CHARS else stripped
        if len(head) <= MAX_DATELINE_CHARS * 2:
            found = parse_date(head)
            if found:
                return found
    return None
