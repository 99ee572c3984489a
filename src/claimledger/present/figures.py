"""Figures as a reader meets them: the words the report wrote, the tool's reading of them, the range
someone reported, and documents named by outlet and title rather than by id.

Everything here is a pure function over claims (records or rows with
`qualifier`, `value`, `low`, `high`) and strings: the pages, the report,
`show` and the exports all say a figure the same way.
"""
from __future__ import annotations

import re
from functools import lru_cache

# Qualifiers whose interval is a convention of the ontology ("hundreds" = 200–999, "about 60" = 54–66), not a
# bound anyone reported.
CONVENTION_QUALIFIERS = frozenset({"vague", "about"})
# Qualifiers that leave a figure open above: the reported number is a floor.
OPEN_ABOVE = frozenset({"at_least", "more_than"})
MAX_WORDS = 60  # characters of a figure as written before it is cut (a long list of victims' names)
MAX_VARIANTS = 3  # different wordings of one figure named together ("some 60 / about 60")

_NUMBER_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen"
    " seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds thousand"
    " thousands million millions billion billions dozen dozens score scores few several handful couple"
)
_NUMBER_TOKEN = re.compile(
    r"\d[\d,.]*|\b(?:" + "|".join(_NUMBER_WORDS.split()) + r")(?:-(?:one|two|three|four|five|six|seven|eight|nine))?\b",
    re.IGNORECASE)


@lru_cache(maxsize=65536)
def figure_words(quote: str | None) -> str:
    """The number and its hedge as the text writes them, without the noun after them.

    "at least 27 unarmed civilians" → "at least 27"; "hundreds of thousands of people" →
    "hundreds of thousands"; words that count victims without a number ("the mayor and his driver") stay
    whole. A capital that only starts the sentence is lowered ("Hundreds" → "hundreds").
    """
    text = " ".join((quote or "").split())
    if not text:
        return ""
    numbers = list(_NUMBER_TOKEN.finditer(text))
    before = text[: numbers[0].start()] if numbers else ""
    if numbers and before.count(" ") <= 3 and " and " not in f" {before}":  # a hedge before it, not a list
        text = text[: numbers[-1].end()].rstrip(" ,;:")
        if text[:1].isupper() and text[1:2].islower():
            text = text[0].lower() + text[1:]
    if len(text) > MAX_WORDS:
        text = text[: MAX_WORDS - 1].rstrip() + "…"
    return text


def _n(value: int | None) -> str:
    return f"{value:,}"


def interval_text(low: int | None, high: int | None) -> str:
    """An interval as a reader says it: "240", "27 or more", "up to 35", "200–999"."""
    if low is None and high is None:
        return "any number"
    if high is None:
        return f"{_n(low)} or more"
    if not low:
        return f"up to {_n(high)}"
    return _n(low) if low == high else f"{_n(low)}–{_n(high)}"


def reading_text(claim) -> str:
    """How the tool reads a figure's words, saying where the bounds are a convention rather than reported."""
    text = interval_text(claim.low, claim.high)
    if claim.qualifier in CONVENTION_QUALIFIERS:
        return f"read as {text} (a convention for such wording)"
    return f"read as {text}"


def stated_numbers(claim) -> list[int]:
    """The numbers a claim's words state ("between 10 and 15": 10 and 15; "hundreds": none)."""
    if claim.qualifier == "range":
        return [n for n in (claim.low, claim.high) if n is not None]
    if claim.qualifier == "vague" or claim.value is None:
        return []
    return [claim.value]


def reported_range(claims: list, words) -> dict:
    """The range of what was reported, from the numbers the claims state, with the hedge of each end.

    `words(claim)` gives a claim's figure as written. Bounds that only a
    convention gives (the 999 of "hundreds", the 66 of "about 60") never make
    the range; where such a reading reaches past it, `note` says so. A vague
    amount wholly beyond the numbers stated is an end in its own words
    ("hundreds to 1,275"). When no claim states a number, the range is the
    vague amounts' words and the note gives the convention's interval.
    """
    stated = [(n, c) for c in claims for n in stated_numbers(c)]
    if not stated:
        lows = sorted(claims, key=lambda c: (c.low or 0, c.high if c.high is not None else float("inf")))
        first, last = words(lows[0]), words(max(claims, key=lambda c: (c.high is None, c.high or 0)))
        text = first if first == last else f"{first} to {last}"
        low = min((c.low for c in claims if c.low is not None), default=None)
        high = None if any(c.high is None for c in claims) else max(c.high for c in claims)
        return {"text": text, "low": None, "high": None,
                "note": f"read as {interval_text(low, high)} by convention"}
    low_n, high_n = min(n for n, _ in stated), max(n for n, _ in stated)

    def end_words(n: int) -> str:
        holders = [c for m, c in stated if m == n]
        plain = [c for c in holders if c.qualifier in ("exact", "range")]
        return _n(n) if plain else words(holders[0])

    low_text, high_text = end_words(low_n), end_words(high_n)
    vague = [c for c in claims if c.qualifier == "vague" and c.low is not None]
    below = [c for c in vague if c.high is not None and c.high < low_n]  # "hundreds" beside 1,275
    above = [c for c in vague if c.low > high_n]  # "thousands" beside 240
    if below:
        low_text = words(min(below, key=lambda c: c.low))
    if above:
        high_text = words(max(above, key=lambda c: c.low))
    text = low_text if low_text == high_text else f"{low_text} to {high_text}"
    beyond = []
    for c in claims:
        if c.qualifier in CONVENTION_QUALIFIERS and (
                (c.low is not None and c.low < low_n) or c.high is None or c.high > high_n):
            entry = f"“{words(c)}” is read as {interval_text(c.low, c.high)} by convention"
            if entry not in beyond:
                beyond.append(entry)
    return {"text": text, "low": low_n, "high": high_n, "note": "; ".join(beyond) or None}


def wording_label(quotes: list[str]) -> str:
    """One figure's different wordings, each once ("some 60 / about 60"), at most MAX_VARIANTS."""
    seen: dict[str, str] = {}
    for q in quotes:
        words = figure_words(q)
        if words and words.casefold() not in seen:
            seen[words.casefold()] = words
    variants = list(seen.values())
    label = " / ".join(variants[:MAX_VARIANTS])
    return label + (" / …" if len(variants) > MAX_VARIANTS else "")


# -- documents by name ---------------------------------------------------------------------------------------

def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip(" ,;:-–—") + "…"


def document_name(doc_id: str, title: str | None = None, site: str | None = None, limit: int = 48) -> str:
    """What a reader calls a document: its outlet, else its title, else (only then) its id."""
    if site and site.strip():
        return _cut(site, limit)
    if title and title.strip():
        return _cut(title, limit)
    return doc_id


def document_label(doc_id: str, title: str | None = None, site: str | None = None,
                   published: str | None = None, limit: int = 90) -> str:
    """A document in full: "outlet — title (date)", whichever of them are known; the id when none is."""
    parts = [p for p in (site, title) if p and p.strip()]
    label = _cut(" — ".join(parts), limit) if parts else doc_id
    return f"{label} ({published})" if published else label
