"""What a report says about its incident: its name, where, what kind, and on which day.

Cues are read from the text alone (no parse needed): names are proper words
before an incident noun ("the Harbor Street shooting"), places follow "in",
"near", "town of"; the day is the date written nearest the incident, with
"on Sunday" and "yesterday" counted back from the day of publication.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from claimledger import dates
from claimledger.ontology import Ontology
from claimledger.records import Claim, Text

NOT_NAMES = {
    "the", "this", "that", "a", "an", "last", "deadly", "latest", "recent", "terror", "terrorist", "suicide",
    "brutal", "savage", "bloody", "horrific", "fatal", "mass", "armed", "its", "their", "his", "her", "our",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october", "november", "december", "morning", "night",
    "weekend", "gun", "knife", "car", "bomb", "truck", "market", "another", "first", "second", "third", "new", "in",
    "on", "of", "after", "before", "during", "since", "following", "and", "or", "but", "as", "at", "by", "for",
    "from", "when", "while", "where", "police", "officials", "witnesses", "residents", "yesterday", "today",
    # words a title-case headline or a data line capitalises
    "killed", "dead", "shot", "wounded", "injured", "fatalities", "attack", "source", "sources", "weapon", "motive",
    "perpetrator", "perpetrators", "published", "updated", "victims", "casualties", "report", "reports", "teen",
    # who did it, not what it is called
    "gunmen", "gunman", "militants", "militant", "rebels", "rebel", "army", "troops", "soldiers",
    "attackers", "insurgents", "forces", "jihadists", "fighters", "assailants", "bandits", "terrorists", "mob",
}
NAME_WORD = r"[A-Z][\w'’-]*"
PLACE = re.compile(
    rf"\b(?:in|near|outside|at|of|from)\s+(?:the\s+(?:town|city|village|district|province|region|state|county|area|suburb|"
    rf"neighbourhood|neighborhood)\s+of\s+)?({NAME_WORD}(?:\s+{NAME_WORD})?)"
)
DATELINE_PLACE = re.compile(r"^\s*([A-Z][A-Z'’. -]{2,})(?:,|\s+[—–-])", re.MULTILINE)
HEADLINE_PLACE = re.compile(rf"^\s*({NAME_WORD}(?:\s+{NAME_WORD}){{0,2}}):\s")  # "Ashby Cross: shooting at ..."
TRAILING_PLACE = re.compile(  # "at the Millfield football ground, Ashby Cross," / "on Harbor Street, Port Calder."
    rf"\b(?:at|on|near|in|outside)\s+(?:the\s+)?[^,.;\n]{{2,40}}?,\s+({NAME_WORD}(?:\s+{NAME_WORD})?)\s*[,.;]"
)
STREET = re.compile(rf"\b({NAME_WORD}(?:\s+{NAME_WORD})?\s+(?:Street|Road|Avenue|Lane|Row|Square|Boulevard|Drive))\b")
LOCAL_FORCE = re.compile(rf"\b({NAME_WORD}(?:\s+{NAME_WORD})?)\s+(?:police|fire department|sheriff)\b")
YEAR = re.compile(r"(?<!since )(?<!until )(?<!before )(?<![-–])\b(1[89]\d\d|20\d\d)\b(?![-–]\d)")
WINDOW = 150  # characters around an incident word in which its date is looked for
LEAD_CHARS = 700  # the opening of a report, where the incident is named, placed and dated
DATELINE_CHARS = 200


@dataclass(frozen=True, slots=True)
class EventCues:
    """One document's description of its incident."""

    places: tuple[str, ...]  # slugs of where it happened, strongest first
    weights: tuple[int, ...]  # how strongly the text puts it at each of `places`
    names: tuple[str, ...]  # slugs of the names it goes by ("harbor-street" for "the Harbor Street shooting")
    kind: str | None
    date: str | None  # YYYY-MM-DD when the text gives the day
    year: str | None
    published: str | None

    @property
    def keys(self) -> tuple[str, ...]:
        return self.places + tuple(n for n in self.names if n not in self.places)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _name_words(raw: str) -> list[str]:
    words = [re.sub(r"['’]s$", "", w) for w in re.split(r"[\s-]+", raw.strip()) if w[:1].isupper()]
    if any(w.isupper() and len(w) <= 5 for w in words):
        return []  # "IED", "UN": acronyms, not places
    while words and words[0].lower() in NOT_NAMES:
        words.pop(0)
    return [] if any(w.lower() in NOT_NAMES for w in words) else words


def content_of(text: Text) -> str:
    return " ".join(text.text[s.start:s.end] for s in text.content_spans())


def names(content: str, ontology: Ontology) -> Counter[str]:
    """Proper names given to the incident: "the Khan Street shooting", "Velmora market attack"."""
    nouns = "|".join(sorted(ontology.incident_nouns, key=len, reverse=True))
    pattern = re.compile(rf"((?:{NAME_WORD}[\s-]+){{1,3}})(?:[a-z]+\s+)?(?i:{nouns})s?\b")
    counts: Counter[str] = Counter()
    for m in pattern.finditer(content):
        name = slug(" ".join(_name_words(m.group(1))))
        if name:
            counts[name] += 1
    return counts


SITE_WORDS = {"street", "st", "road", "rd", "avenue", "ave", "lane", "row", "square", "boulevard", "drive", "way",
              "hospital", "clinic", "school", "university", "college", "church", "mosque", "temple", "stadium",
              "park", "market", "station", "bridge", "hotel", "mall", "centre", "center", "club", "bar", "pub",
              "estate", "camp", "base", "prison", "airport", "port", "harbour", "harbor"}


KIN_OF = re.compile(r"\b(?:funeral|family|death|killing|murder|son|daughter|wife|husband|mother|father|name|"
                    r"identity|memory|relatives|parents|brother|sister|friend|friends)\s+of\s+$", re.IGNORECASE)


def _is_person_of(passage: str, m: re.Match) -> bool:
    """ "the funeral of Caleb Ostrow": a person, not a place."""
    return bool(KIN_OF.search(passage[max(0, m.start(1) - 30):m.start(1)]))


def _is_site(passage: str, m: re.Match) -> bool:
    """ "St Brendan's Hospital", "Canal Row": a building or a street, not a town."""
    words = m.group(1).lower().split()
    following = re.match(r"\s*['’]?s?\s*([A-Za-z]+)", passage[m.end(1):])
    return words[-1] in SITE_WORDS or bool(following and following.group(1).lower() in SITE_WORDS)


def sites(passage: str) -> Counter[str]:
    """Streets and buildings the opening places the incident at ("on Harbor Street"): names, not towns."""
    counts: Counter[str] = Counter()
    for pattern in (PLACE, TRAILING_PLACE, STREET):
        for m in pattern.finditer(passage):
            if _is_site(passage, m) or pattern is STREET:
                name = slug(" ".join(_name_words(m.group(1))))
                if name:
                    counts[name] += 1
    return counts


def places(passages: list[str]) -> Counter[str]:
    """Towns the passages put events in: "in X", "town of X", "..., X.", "X police"."""
    counts: Counter[str] = Counter()
    for passage in passages:
        for pattern in (PLACE, TRAILING_PLACE, LOCAL_FORCE, HEADLINE_PLACE):
            for m in pattern.finditer(passage):
                name = slug(" ".join(_name_words(m.group(1))))
                if name and not _is_site(passage, m) and not _is_person_of(passage, m):
                    counts[name] += 1
    return counts


def kind_of(passages: list[str], ontology: Ontology) -> str | None:
    """The kind of incident the passages speak of most ("shooting", "bombing")."""
    counts: Counter[str] = Counter()
    order = list(ontology.event_kinds or {})
    for passage in passages:
        lowered = passage.lower()
        for kind, words in (ontology.event_kinds or {}).items():
            counts[kind] += sum(len(re.findall(rf"\b{re.escape(w)}s?\b", lowered)) for w in words)
    counts = Counter({k: n for k, n in counts.items() if n})
    if not counts:
        return None
    return max(counts, key=lambda k: (counts[k], -order.index(k)))


def _incident_positions(content: str, ontology: Ontology) -> list[int]:
    words = set(ontology.incident_nouns) | {w for ws in (ontology.event_kinds or {}).values() for w in ws}
    pattern = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return [m.start() for m in re.finditer(rf"\b(?:{pattern})", content, re.IGNORECASE)]


def _dates_near(content: str, at: int, published: str | None) -> list[tuple[int, str, int]]:
    """Dates written in the window around an incident word: (position, date or year, weight)."""
    lo = max(0, at - WINDOW)
    window = content[lo: at + WINDOW]
    found: list[tuple[int, str, int]] = []
    taken: list[tuple[int, int]] = []
    for pattern in (dates.DAY_MONTH_YEAR, dates.MONTH_DAY_YEAR, dates.ISO):
        for m in pattern.finditer(window):
            day = dates.parse_full_date(m.group(0))
            if day and (published is None or day <= published):
                found.append((lo + m.start(), day, 3))
                taken.append((m.start(), m.end()))
    if published:
        for pattern, month_first in ((dates.DAY_MONTH, False), (dates.MONTH_DAY, True)):
            for m in pattern.finditer(window):
                if any(a <= m.start() < b for a, b in taken):
                    continue
                month, day = (m.group(1), m.group(2)) if month_first else (m.group(2), m.group(1))
                resolved = dates.with_year(dates.MONTHS[month.lower()], int(day), published)
                if resolved:
                    found.append((lo + m.start(), resolved, 2))
        for m in dates.RELATIVE.finditer(window):
            resolved = dates.resolve_relative(m.group(2) or m.group(3), m.group(1), published)
            if resolved:
                # "on Thursday" six days back is more likely a day still to come ("due in court on Thursday")
                far = m.group(2) and (m.group(1) or "").lower() != "last" and _days_before(resolved, published) >= 5
                found.append((lo + m.start(), resolved, 1 if far else 2))
    for m in YEAR.finditer(window):
        if not any(a <= m.start() < b for a, b in taken) and (published is None or m.group(1) <= published[:4]):
            found.append((lo + m.start(), m.group(1), 1))
    return found


def event_day(content: str, published: str | None, ontology: Ontology) -> tuple[str | None, str | None]:
    """(day, year) the incident happened, from the dates written near its words.

    A full date weighs most, a day resolved from "on Sunday" or "14 May" next,
    a bare year least; the dateline (the day of writing) is left out.
    """
    mentions: dict[int, tuple[str, int]] = {}
    for at in _incident_positions(content, ontology):
        for pos, value, weight in _dates_near(content, at, published):
            if pos < DATELINE_CHARS and published and value == published and weight == 3:
                continue  # the dateline says when it was written, not when it happened
            if value == published:
                weight -= 1  # "police were still there on Saturday morning": the aftermath, as a rule
            if pos < LEAD_CHARS:
                weight += 1  # the opening says when it happened; later paragraphs tell what followed
            mentions[pos] = (value, weight)
    days: Counter[str] = Counter()
    years: Counter[str] = Counter()
    for value, weight in mentions.values():
        if len(value) == 10:
            days[value] += weight
        years[value[:4]] += weight
    year = max(years, key=lambda y: (years[y], -int(y))) if years else (published[:4] if published else None)
    in_year = {d: n for d, n in days.items() if d[:4] == year}
    day = max(in_year, key=lambda d: (in_year[d], _neg(d))) if in_year else None
    return day, year


def _days_before(day: str, published: str) -> int:
    from datetime import date

    return (date.fromisoformat(published) - date.fromisoformat(day)).days


def _neg(day: str) -> int:
    """For ties: the earlier day first (events come before the reports about them)."""
    return -int(day.replace("-", ""))


def event_cues(text: Text, claims: list[Claim], ontology: Ontology) -> EventCues:
    content = content_of(text)
    lead = content[:LEAD_CHARS]
    sentences = [text.text[c.sentence_start:c.sentence_end] for c in claims if not c.wider_scope]
    scores: Counter[str] = Counter()
    for place, n in places([lead]).items():
        scores[place] += 2 * n
    for place, n in places(sentences).items():
        scores[place] += n
    headline = HEADLINE_PLACE.match(content)
    if headline:
        scores[slug(" ".join(_name_words(headline.group(1))))] += 2
    dateline = DATELINE_PLACE.search(lead)
    if dateline:
        scores[slug(dateline.group(1))] += 2
    if not scores:
        scores.update(places([content]))
    scores.pop("", None)
    if scores:
        # a place named in passing ("80 km from Port Calder, where ...") is no place of this incident
        top = max(scores.values())
        scores = Counter({k: n for k, n in scores.items() if n * 2 >= top})
    name_counts = names(content, ontology) + sites(lead)
    day, year = event_day(content, text.published, ontology)
    ordered = tuple(sorted(scores, key=lambda k: (-scores[k], k)))
    return EventCues(
        places=ordered,
        weights=tuple(scores[k] for k in ordered),
        names=tuple(sorted(name_counts, key=lambda k: (-name_counts[k], k))),
        kind=kind_of([lead, *sentences], ontology),
        date=day,
        year=year,
        published=text.published,
    )


def provisional_id(cues: EventCues, doc_id: str) -> str:
    """The event id one document gives its incident before documents are compared."""
    parts = [cues.keys[0] if cues.keys else f"doc-{slug(doc_id)}"]
    if cues.kind:
        parts.append(cues.kind)
    if cues.date or cues.year:
        parts.append(cues.date or cues.year)
    return "-".join(parts)
