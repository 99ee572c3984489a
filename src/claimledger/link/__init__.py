"""The link stage: which event each claim is about.

An event id is a readable slug of the incident's name or place and its year
("velmora-market-attack-2023" style), so the same incident reported by
several documents gets the same id, and re-ingesting gives the same ids.
Figures put on a wider scope ("during the war") go to the wider event
(`<incident>-wider`), never mixed with the incident's own figures.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from claimledger.ontology import Ontology
from claimledger.records import Claim, Text

NOT_NAMES = {
    "the", "this", "that", "a", "an", "last", "deadly", "latest", "recent", "terror", "terrorist", "suicide",
    "brutal", "savage", "bloody", "horrific", "fatal", "mass", "armed", "its", "their", "his", "her", "our",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october", "november", "december", "morning", "night",
    "weekend", "gun", "knife", "car", "bomb", "truck", "market", "another", "first", "second", "new", "in", "on",
    "of", "after", "before", "during", "since", "following", "and", "or", "but", "as", "at", "by", "for", "from",
    # who did it, not what it is called
    "gunmen", "gunman", "militants", "militant", "rebels", "rebel", "police", "army", "troops", "soldiers",
    "attackers", "insurgents", "forces", "jihadists", "fighters", "assailants", "bandits", "terrorists", "mob",
}
DATELINE_CHARS = 200
WINDOW = 120  # characters around an incident noun in which its year is looked for
YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
NAME_WORD = r"[A-Z][\w'’-]*"
PLACE = re.compile(
    rf"\b(?:in|near|outside|at|of)\s+(?:the\s+(?:town|city|village|district|province|region|state|county|area)\s+of\s+)?"
    rf"({NAME_WORD}(?:\s+{NAME_WORD})?)"
)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _content(text: Text) -> str:
    return " ".join(text.text[s.start:s.end] for s in text.content_spans())


def _name_words(raw: str) -> list[str]:
    words = [re.sub(r"['’]s$", "", w) for w in re.split(r"[\s-]+", raw.strip()) if w[:1].isupper()]
    while words and words[0].lower() in NOT_NAMES:
        words.pop(0)
    return [] if any(w.lower() in NOT_NAMES for w in words) else words


def event_name(content: str, ontology: Ontology) -> str | None:
    """The incident's own name: proper words before an incident noun ("the Velmora market attack")."""
    nouns = "|".join(sorted(ontology.incident_nouns, key=len, reverse=True))
    pattern = re.compile(rf"((?:{NAME_WORD}[\s-]+){{1,3}})(?:[a-z]+\s+)?(?i:{nouns})s?\b")
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for m in pattern.finditer(content):
        name = slug(" ".join(_name_words(m.group(1))))
        if name:
            counts[name] += 1
            first_seen.setdefault(name, m.start())
    if not counts:
        return None
    return max(counts, key=lambda n: (counts[n], -first_seen[n]))


DATED_YEAR = re.compile(r"\d{1,2}(?:\s*[-–]\s*\d{1,2})?,?\s+(?:of\s+)?\w+\.?,?\s+$|\b[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:\s*[-–]\s*\d{1,2})?,?\s+$")


def event_year(content: str, published: str | None, ontology: Ontology) -> str | None:
    """The year the incident happened, from years written near an incident noun.

    A year inside a full date ("25-26 February 1992") weighs more than a bare
    year ("Baku 2017 volunteers"); years after "since" or in ranges are periods.
    """
    limit = int(published[:4]) if published else 9999
    nouns = "|".join(sorted(ontology.incident_nouns, key=len, reverse=True))
    weights: dict[int, tuple[str, int]] = {}
    for m in re.finditer(rf"\b(?:{nouns})", content, re.IGNORECASE):
        lo = max(0, m.start() - WINDOW)
        window = content[lo: m.end() + WINDOW]
        for y in re.finditer(r"(?<!since )(?<!until )(?<!before )(?<![-–])\b(1[89]\d\d|20\d\d)\b(?![-–]\d)", window):
            if int(y.group(1)) <= limit:
                dated = DATED_YEAR.search(content[max(0, lo + y.start() - 30): lo + y.start()])
                if dated and lo + y.start() < DATELINE_CHARS and published and y.group(1) == published[:4]:
                    continue  # the dateline says when it was written, not when it happened
                weights[lo + y.start()] = (y.group(1), 3 if dated else 1)
    counts: Counter[str] = Counter()
    for year, weight in weights.values():
        counts[year] += weight
    if counts:
        return max(counts, key=lambda y: (counts[y], -int(y)))
    return published[:4] if published else None


def _places(sentences: list[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for sentence in sentences:
        for m in PLACE.finditer(sentence):
            name = slug(" ".join(_name_words(m.group(1))))
            if name:
                counts[name] += 1
    return counts


def event_place(text: Text, claims: list[Claim], content: str) -> str | None:
    """Where it happened: the commonest "in/near X" in the claims' sentences, else in the text."""
    counts = _places([text.text[c.sentence_start:c.sentence_end] for c in claims]) or _places([content])
    return counts.most_common(1)[0][0] if counts else None


def incident_id(text: Text, claims: list[Claim], ontology: Ontology) -> str:
    content = _content(text)
    base = event_name(content, ontology) or event_place(text, claims, content) or f"doc-{slug(text.doc_id)}"
    year = event_year(content, text.published, ontology)
    return f"{base}-{year}" if year else base


def link_claims(text: Text, claims: list[Claim], ontology: Ontology) -> list[Claim]:
    """The claims with their event ids set."""
    if not claims:
        return []
    incident = incident_id(text, claims, ontology)
    return [replace(c, event=f"{incident}-wider" if c.wider_scope else incident) for c in claims]
