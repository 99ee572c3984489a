"""Dates as reports write them: month names, full dates, and days relative to the day of writing.

A base module like `records`: the clean stage uses it for publication dates,
the link stage for the day an incident happened. It imports nothing of the package.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4,
    "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
COUNT_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
               "ten": 10}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
MONTH_WORDS = "|".join(sorted(MONTHS, key=len, reverse=True))
DAY = r"(\d{1,2})(?:st|nd|rd|th)?"  # "3", "3rd"
DAY_MONTH_YEAR = re.compile(rf"\b{DAY}(?:\s*[-–]\s*\d{{1,2}})?\s+(?:of\s+)?({MONTH_WORDS})\.?,?\s+(\d{{4}})\b", re.IGNORECASE)
MONTH_DAY_YEAR = re.compile(rf"\b({MONTH_WORDS})\.?\s+{DAY}(?:\s*[-–]\s*\d{{1,2}})?,?\s+(\d{{4}})\b", re.IGNORECASE)
ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
# "13/11/2021", "16-05-2023", "16.09.2018": day first, as event records and most of the world write it,
# unless the second number cannot be a month ("10/24/2020")
NUMERIC = re.compile(r"(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?![\d/.-])")
FULL_DATES = (DAY_MONTH_YEAR, MONTH_DAY_YEAR, ISO, NUMERIC)
DAY_MONTH = re.compile(rf"\b{DAY}(?:\s*[-–]\s*\d{{1,2}})?\s+(?:of\s+)?({MONTH_WORDS})\b\.?(?!,?\s+\d{{4}})", re.IGNORECASE)
MONTH_DAY = re.compile(rf"\b({MONTH_WORDS})\.?\s+{DAY}\b(?!\s*[-–]?\s*\d{{0,2}},?\s+\d{{4}})(?!:)", re.IGNORECASE)
RELATIVE = re.compile(
    r"\b(?:(last|this|on|late|early)\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?:'s)?\b"
    r"|\b(yesterday|today|tonight|last night|this morning|this afternoon|this evening|overnight"
    r"|(?:last|this past|at the)\s+weekend|(?:a|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+(?:days?|weeks?)\s+ago)\b",
    re.IGNORECASE,
)

NAMES_A_DATE = re.compile(rf",?\s+(?:\d{{1,2}}\s+(?:{MONTH_WORDS})|(?:{MONTH_WORDS})\.?\s+\d{{1,2}})\b", re.IGNORECASE)


def valid(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def parse_full_date(text: str, month_first: bool | None = None, near: str | None = None) -> str | None:
    """An ISO date from the first full written date in `text` ("25 February 2020", "Feb. 25, 2020").

    A numeric date that reads both ways ("03/04/2019") is read in the writer's convention when it is known
    (`month_first`: a US report writes 4 March); else the reading on or before `near` (the day of writing)
    and closest to it; else day first, as most of the world writes it.
    """
    found = []
    for pattern, order in ((ISO, "ymd"), (DAY_MONTH_YEAR, "dmy"), (MONTH_DAY_YEAR, "mdy"), (NUMERIC, "numeric")):
        m = pattern.search(text)
        if m:
            found.append((m.start(), m, order))
    if not found:
        return None
    _, m, order = min(found, key=lambda f: f[0])
    if order == "ymd":
        return valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if order == "numeric":
        first, second, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
        if second > 12 or first > 12 or first == second:
            return valid(year, first, second) if second > 12 else valid(year, second, first)
        month_day, day_month = valid(year, first, second), valid(year, second, first)
        if month_first is not None:
            return month_day if month_first else day_month
        if near is not None:
            before = [d for d in (month_day, day_month) if d and d <= near]
            if before:
                return max(before)
        return day_month
    if order == "dmy":
        return valid(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
    return valid(int(m.group(3)), MONTHS[m.group(1).lower()], int(m.group(2)))


def resolve_relative(word: str, modifier: str | None, published: str) -> str | None:
    """The day a relative expression names, counted back from the day of writing.

    "on Sunday" in a Monday paper is the day before; "last Tuesday" a week or
    more back; "yesterday" and "last night" the day before.
    """
    base = date.fromisoformat(published)
    word, modifier = " ".join(word.lower().split()), (modifier or "").lower()
    if word in ("today", "tonight", "this morning", "this afternoon", "this evening"):
        return base.isoformat()
    if word in ("yesterday", "last night", "overnight"):
        return (base - timedelta(days=1)).isoformat()
    if word.endswith(" ago"):  # "ten days ago", "a week ago"
        count, unit = word.split()[:2]
        n = int(count) if count.isdigit() else COUNT_WORDS[count]
        return (base - timedelta(days=n * (7 if unit.startswith("week") else 1))).isoformat()
    if word.endswith("weekend"):  # the Saturday before the day of writing
        return (base - timedelta(days=(base.weekday() - 5) % 7 or 7)).isoformat()
    if word in WEEKDAYS:
        back = (base.weekday() - WEEKDAYS[word]) % 7
        if modifier == "last" and back == 0:
            back = 7
        return (base - timedelta(days=back)).isoformat()
    return None


# "last week's shooting", "earlier this month": a stretch of days, not a day
VAGUE = re.compile(r"\b(last week|last month|earlier this week|earlier this month|this week|this month|last weekend)"
                   r"(?:['’]s)?\b", re.IGNORECASE)


def vague_window(phrase: str, published: str) -> tuple[str, str] | None:
    """The first and last day a vague expression can mean, counted from the day of writing."""
    base = date.fromisoformat(published)
    phrase = " ".join(phrase.lower().split())
    monday = base - timedelta(days=base.weekday())
    if phrase == "last week":
        return (monday - timedelta(days=7)).isoformat(), (monday - timedelta(days=1)).isoformat()
    if phrase == "last weekend":
        saturday = date.fromisoformat(resolve_relative(phrase, None, published))
        return saturday.isoformat(), (saturday + timedelta(days=1)).isoformat()
    if phrase in ("earlier this week", "this week"):
        return monday.isoformat(), published
    if phrase in ("earlier this month", "this month"):
        return base.replace(day=1).isoformat(), published
    if phrase == "last month":
        last = base.replace(day=1) - timedelta(days=1)
        return last.replace(day=1).isoformat(), last.isoformat()
    return None


def with_year(month: int, day: int, published: str) -> str | None:
    """A day and month without a year: the latest such day on or before the day of writing."""
    base = date.fromisoformat(published)
    for year in (base.year, base.year - 1):
        found = valid(year, month, day)
        if found and found <= published:
            return found
    return None
