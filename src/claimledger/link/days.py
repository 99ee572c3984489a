"""When a report's incident happened: the day its dates point to, or a window ("last week's shooting").

Dates are read around the incident's words and weighed: beside them most ("Tuesday's explosion", "attacked the
village on Sunday night"), in the opening more than later, the days of statements, arrests, deaths in hospital
and funerals least; "on Sunday", "ten days ago", "three days after" are counted back from the day of writing or
from the day just named.
"""
from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta

from claimledger import dates
from claimledger.ontology import Ontology

# "DUNMORE, June 12 (Wire) —": a wire dateline gives the day of writing without its year
YEARLESS_DATELINE = re.compile(
    rf"^\s*[A-Z][A-Z'’. -]{{2,}},\s+(?:({dates.MONTH_WORDS})\.?\s+(\d{{1,2}})|(\d{{1,2}})\s+({dates.MONTH_WORDS})\.?)"
    rf"(?!\d|,?\s+\d{{4}})", re.MULTILINE | re.IGNORECASE)
YEAR = re.compile(r"(?<!since )(?<!until )(?<!before )(?<![-–])\b(1[89]\d\d|20\d\d)\b(?![-–]\d)")
WINDOW = 150  # characters around an incident word in which its date is looked for
OPENING_CHARS = 350  # the headline, dateline and first sentence
LEAD_CHARS = 700  # the opening of a report, where the incident is named, placed and dated
DATELINE_CHARS = 200
CLAUSE_CHARS = 80
DAYS_AFTER = re.compile(r"\b(a|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+(days?|weeks?)\s+"
                        r"(?:after|since|earlier|before)\b",
                        re.IGNORECASE)
RECALL_DAYS = 90  # a sentence dating something this long before the report recalls an older incident
# "police said on Monday", "told reporters late on Friday": the day of a statement
STATEMENT = re.compile(r"\b(?:said|says|told(?:\s+\w+)?|announced|confirmed|reported|added|stated|declared|warned|"
                       r"called|urged|demanded)"
                       r"(?:\s+(?:late|early))?(?:\s+on)?\s*$", re.IGNORECASE)
# "the Observatory today called for", "groups called on Tuesday for": the day of a statement
STATEMENT_AFTER = re.compile(r"(?:on\s+)?\S+\s+(?:\w+\s+)?(?:said|says|called|announced|urged|demanded|told|reported|"
                             r"rejected|denied|insisted|condemned|accused|vowed|pledged|"
                             r"confirmed|issued|released|published)\b", re.IGNORECASE)
NEXT_TO = 40  # characters between an incident word and a date in its clause ("gunmen attacked the village on Sunday")
# "6:50 p.m.", "11.30pm": a time of day, whose colon and periods end no clause
CLOCK_TIME = re.compile(r"\b\d{1,2}(?:[:.]\d\d)?\s*[ap]\.?m\.?(?!\w)|\b\d{1,2}:\d\d\b", re.IGNORECASE)
CLAUSE_WORDS = 6  # "a fifth man died in hospital on Tuesday", not "died of wounds suffered in Tuesday's blast"


def recalls(sentence: str, published: str) -> bool:
    """Does the sentence date something long before the report was written?"""
    for pattern in dates.FULL_DATES:
        for m in pattern.finditer(sentence):
            day = dates.parse_full_date(m.group(0))
            if day and days_before(day, published) > RECALL_DAYS:
                return True
    return False


def incident_positions(content: str, ontology: Ontology) -> list[int]:
    words = (set(ontology.incident_nouns) | set(ontology.harm_words)
             | {w for ws in (ontology.event_kinds or {}).values() for w in ws})
    pattern = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return [m.start() for m in re.finditer(rf"\b(?:{pattern})", content, re.IGNORECASE)]


def word_bounds(content: str, start: int, end: int) -> tuple[int, int]:
    """A slice widened to whole words: "14 April" is not to be read as "4 April"."""
    start, end = max(0, start), min(len(content), end)
    while start > 0 and content[start - 1].isalnum():
        start -= 1
    while end < len(content) and content[end].isalnum():
        end += 1
    return start, end


def _dates_near(content: str, at: int, published: str | None, year_hint: str | None = None,
                month_first: bool | None = None) -> list[tuple[int, int, str, int]]:
    """Dates written in the window around an incident word: (start, end, date or year, weight). Without a day
    of writing, "14 April" takes the year the text gives elsewhere (`year_hint`), weekdays nothing."""
    lo, hi = word_bounds(content, at - WINDOW, at + WINDOW)
    window = content[lo:hi]
    found: list[tuple[int, int, str, int]] = []  # (start, end, date or year, weight)
    taken: list[tuple[int, int]] = []
    for pattern in dates.FULL_DATES:
        for m in pattern.finditer(window):
            day = dates.parse_full_date(m.group(0), month_first, published)
            if day and (published is None or day <= published):
                found.append((lo + m.start(), lo + m.end(), day, 3))
                taken.append((m.start(), m.end()))
    reference = published or (f"{year_hint}-12-31" if year_hint else None)
    if reference:
        for pattern, month_first in ((dates.DAY_MONTH, False), (dates.MONTH_DAY, True)):
            for m in pattern.finditer(window):
                if any(a <= m.start() < b for a, b in taken):
                    continue
                month, day = (m.group(1), m.group(2)) if month_first else (m.group(2), m.group(1))
                resolved = dates.with_year(dates.MONTHS[month.lower()], int(day), reference)
                if resolved:  # a year only guessed from elsewhere in the text weighs less
                    found.append((lo + m.start(), lo + m.end(), resolved, 2 if published else 1))
    if published:
        for m in dates.RELATIVE.finditer(window):
            if dates.NAMES_A_DATE.match(window, m.end()):
                continue  # "Friday 26 May 2023": the weekday of a date written in full
            resolved = dates.resolve_relative(m.group(2) or m.group(3), m.group(1), published)
            if resolved:
                # "on Thursday" six days back is more likely a day still to come ("due in court on Thursday")
                far = m.group(2) and (m.group(1) or "").lower() != "last" and days_before(resolved, published) >= 5
                found.append((lo + m.start(), lo + m.end(), resolved, 1 if far else 2))
    for m in YEAR.finditer(window):
        if not any(a <= m.start() < b for a, b in taken) and (published is None or m.group(1) <= published[:4]):
            found.append((lo + m.start(), lo + m.end(), m.group(1), 1))
    return found


def event_day(content: str, published: str | None, ontology: Ontology, month_first: bool | None = None,
              within: tuple[str, str] | None = None) -> tuple[str | None, str | None, bool]:
    """(day, year, told with the incident?) the incident happened, from the dates written near its words.

    A full date weighs most, a day resolved from "on Sunday" or "14 May" next,
    a bare year least; the dateline (the day of writing) is left out.
    """
    mentions: dict[int, tuple[int, str, int]] = {}  # by where the date ends: (start, value, weight)
    attached: set[str] = set()  # days told right beside an incident's words
    aftermath = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in sorted(ontology.aftermath_phrases)) + r")",
                           re.IGNORECASE)
    incident_next = re.compile(r"[\w ]{0,20}?['’]s\s+(?:[a-z-]+\s+)?(?:" + "|".join(
        re.escape(w) for w in sorted(ontology.incident_nouns, key=len, reverse=True)) + ")", re.IGNORECASE)
    # "the Feb. 19 shooting death", "the March 3 stabbing": a day written as the incident's own name
    noun_next = re.compile(r"\s+(?:[a-z-]+\s+)?(?:" + "|".join(
        re.escape(w) for w in sorted(ontology.incident_nouns, key=len, reverse=True)) + r")\b", re.IGNORECASE)
    # "on Wednesday for the funeral of": the day of what follows ("late on Friday have arrested" is not)
    aftermath_after = re.compile(r"\S+(?:\s+\w+)?\s+(?:for|at|during)\s+(?:the\s+|a\s+|an\s+)?" + aftermath.pattern,
                                 re.IGNORECASE)
    year_hint = None if published else _year_of(content)
    dateline_day = None
    for at in incident_positions(content, ontology):
        for pos, end, value, weight in _dates_near(content, at, published, year_hint, month_first):
            if pos < DATELINE_CHARS and value == published and not dates.RELATIVE.match(content, pos):
                dateline_day = value
                continue  # the dateline says when it was written, not when it happened
            # the opening says when it happened (its first lines most of all); later paragraphs tell what followed
            weight += (pos < OPENING_CHARS) + (pos < LEAD_CHARS)
            before = _clause_before(content, pos)
            after = _words_after(content, pos)
            if aftermath.search(before) or aftermath_after.match(after) or STATEMENT.search(before) \
                    or STATEMENT_AFTER.match(after):
                weight -= 1  # "a fifth victim died in hospital on Tuesday", "police said on Monday": a day after
            elif incident_next.match(content, pos) or noun_next.match(content, end) or _one_clause(content, at, pos):
                weight += 1  # "Tuesday's explosion", "the bombing on Sunday": the incident's own day
                attached.add(value)
            # one mention however many incident words see it (windows may cut "on Tuesday" to "Tuesday")
            if end not in mentions or mentions[end][2] < weight:
                mentions[end] = (pos, value, weight)
    _count_back(content, mentions)
    days: Counter[str] = Counter()
    years: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for pos, value, weight in sorted(mentions.values()):
        if len(value) == 10:
            days[value] += weight
            first_seen.setdefault(value, pos)
        years[value[:4]] += weight
    year = max(years, key=lambda y: (years[y], -int(y))) if years else (published[:4] if published else None)
    in_year = {d: n for d, n in days.items() if d[:4] == year}
    if within:  # the days of a window the text gives ("last month's shooting ... on June 12")
        in_year = {d: n for d, n in days.items() if within[0] <= d <= within[1]}
        if not in_year:
            return None, year, False
    # on a tie, the day told first: a report opens on its incident and recalls others after
    day = max(in_year, key=lambda d: (in_year[d], -first_seen[d])) if in_year else None
    if day is None and dateline_day:
        # no other date: the date heading the text is the incident's ("12 June 1998 – Soldiers killed 41 ...")
        return dateline_day, dateline_day[:4], False
    return day, year, day in attached


def _year_of(content: str) -> str | None:
    """The one year a text without a day of writing gives ("April 1994"); none when it names several."""
    years = {m.group(1) for m in YEAR.finditer(content)}
    return years.pop() if len(years) == 1 else None


def incident_window(content: str, published: str | None, ontology: Ontology) -> tuple[str, str] | None:
    """The stretch of days a vague date told with the incident's words covers ("last week's shooting",
    "the attack on Tamberi village earlier this month"), or None."""
    if not published:
        return None
    positions = incident_positions(content, ontology)
    for m in dates.VAGUE.finditer(content):
        if any(_one_clause(content, at, m.start()) or 0 <= at - m.end() <= 2 for at in positions):
            return dates.vague_window(m.group(1), published)
    return None


def _count_back(content: str, mentions: dict[int, tuple[int, str, int]]) -> None:
    """ "on Monday, three days after a bomber struck": the day just dated, counted back, is the incident's."""
    for m in DAYS_AFTER.finditer(content):
        anchors = [(end, start, value, weight) for end, (start, value, weight) in mentions.items()
                   if len(value) == 10 and 0 <= m.start() - end <= CLAUSE_CHARS
                   and not re.search(r"[.!?\n]", content[end:m.start()])]
        if not anchors:
            continue
        end, start, value, weight = max(anchors)
        n = int(m.group(1)) if m.group(1).isdigit() else dates.COUNT_WORDS[m.group(1).lower()]
        back = n * (7 if m.group(2).lower().startswith("week") else 1)
        mentions[end] = (start, value, weight - 1)
        mentions[m.end()] = (m.start(), (date.fromisoformat(value) - timedelta(days=back)).isoformat(), weight + 2)


def _clause_before(content: str, pos: int) -> str:
    """The words leading up to a date within its clause: what the date is the date of."""
    before = content[max(0, pos - CLAUSE_CHARS):pos]
    clause = re.split(r"[.;:,—–]|\band\b|\bwhen\b|\bafter\b", before)[-1]
    return " ".join(clause.split()[-CLAUSE_WORDS:])


def _one_clause(content: str, at: int, pos: int) -> bool:
    """An incident word and a date close together with no clause boundary between them."""
    between = CLOCK_TIME.sub("time", content[min(at, pos):max(at, pos)])  # "shot around 6:50 p.m. on June 12"
    return len(between) <= NEXT_TO and not re.search(r"[.,;:—–\n]|\b(?:as|after|when|while|since|before|because)\b",
                                                      between)


def _words_after(content: str, pos: int) -> str:
    """The words after a date ("on Wednesday for the funeral of"): what happened that day."""
    return " ".join(re.split(r"[.;:,—–]", content[pos:pos + CLAUSE_CHARS])[0].split()[:CLAUSE_WORDS])


def days_before(day: str, published: str) -> int:
    return (date.fromisoformat(published) - date.fromisoformat(day)).days


def yearless_dateline(lead: str) -> str | None:
    """ "MM-DD" of a wire dateline without a year ("DUNMORE, June 12 (Meridian Wire) —")."""
    m = YEARLESS_DATELINE.search(lead[:DATELINE_CHARS])
    if not m:
        return None
    month, day = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
    found = dates.valid(2000, dates.MONTHS[month.lower().rstrip(".")], int(day))  # a leap year: 29 February is a day
    return found[5:] if found else None
