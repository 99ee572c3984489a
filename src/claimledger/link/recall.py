"""Figures that recall an earlier incident ("On May 14, three people were shot dead on Harbor Street", in a
report of a later shooting): they belong to that incident, not to a conflict with the report's own toll.

Read in two halves. Where the document is processed, `recall_of` finds the day such a sentence dates and the
places or names told with it; across documents, `RecalledIncidents` finds the incident of the corpus that
matches them (by place or name and day), else the recall keeps an id of its own.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from datetime import date, timedelta

from claimledger import dates
from claimledger.link.cues import EventCues, kind_of
from claimledger.link.days import event_day
from claimledger.link.places import places, sites
from claimledger.ontology import Ontology

SAME_DAY_SLACK = 1  # "late Friday" and "early Saturday" are one shooting
FUTURE = re.compile(r"\b(?:due to|will|is to|are to|scheduled|expected to|set to)\b", re.IGNORECASE)


def days_apart(a: str, b: str) -> int:
    return abs((date.fromisoformat(a) - date.fromisoformat(b)).days)


def near_days(day: str, slack: int = SAME_DAY_SLACK) -> list[str]:
    start = date.fromisoformat(day)
    return [(start + timedelta(days=k)).isoformat() for k in range(-slack, slack + 1)]


def _calendar_date(sentence: str) -> bool:
    """Does the sentence write a date with its month ("On May 14", "on 3 May 2017", "14/02/2024")?"""
    return any(p.search(sentence) for p in (*dates.FULL_DATES, dates.DAY_MONTH, dates.MONTH_DAY))


def recall_of(sentence: str, report: EventCues, ontology: Ontology) -> tuple[str, tuple[str, ...], str] | None:
    """(day, places or names, an id of its own) of the earlier incident a sentence recalls, or None."""
    if not report.date or not report.published or FUTURE.search(sentence) or not _calendar_date(sentence):
        return None  # "is due to appear in court on Thursday" is no earlier day; a weekday alone too loose
    day = event_day(sentence, report.published, ontology)[0]
    if not day or days_apart(day, report.date) <= SAME_DAY_SLACK or day > report.date:
        return None  # its own incident, or what followed it (a death in hospital, an arrest)
    towns, named = places([sentence]), sites(sentence)
    keys = set(towns) | set(named) or set(report.keys[:1])
    ranked = towns or named or Counter(keys)
    best = min(ranked, key=lambda k: (-ranked[k], k)) if ranked else None
    own = "-".join(p for p in (best, kind_of([sentence], ontology) or report.kind, day) if p)
    return day, tuple(sorted(keys)), own


class RecalledIncidents:
    """Finds the incident of the corpus a recalled day and place point to."""

    def __init__(self, cues: Mapping[str, EventCues], canonical: Mapping[str, str]):
        self.cues, self.canonical = cues, canonical
        self.by_day: dict[str, list[str]] = defaultdict(list)
        for d, c in cues.items():
            if c.date:
                self.by_day[c.date].append(d)

    def incident_of(self, day: str, keys: tuple[str, ...], own: str) -> str:
        wanted = set(keys)
        matches = sorted({self.canonical[d] for n in near_days(day) for d in self.by_day.get(n, ())
                          if wanted & set(self.cues[d].keys)})
        return matches[0] if len(matches) == 1 else own
