"""The people a report's incident is about: its victims and suspects, by full name ("Tremaine Joseph, 17,",
"the killing of Shanice Wallace", "Darius Hebert was arrested"). A follow-up months later (a hearing, a
sentencing, a funeral) names them again when it names no day of the incident: they join it.

Officials are left out (a name after a title, "Det.", "Judge", "Sgt."): one detective or judge speaks of many
incidents. A news report names a person in full once and by surname after ("Tyrell Banks ... Banks, 23, was shot
to death"): a surname told as a victim's or a suspect's makes the full name it stands for one of them.
"""
from __future__ import annotations

import re
from collections import Counter

from claimledger.link.places import NAME_WORD, NOT_NAMES, slug

# a full name: two or three capitalised words, a middle initial allowed ("Jalen T. Tyler")
FULL_NAME = rf"(?P<name>{NAME_WORD}(?:[ \t]+[A-Z]\.)?(?:[ \t]+{NAME_WORD}){{1,2}})"
TITLES = (r"(?:Mr|Mrs|Ms|Miss|Dr|Det|Detective|Sgt|Sergeant|Officer|Cpl|Lt|Lieutenant|Capt|Captain|Chief|Judge|"
          r"Justice|Rev|Reverend|Father|Pastor|Imam|Mayor|Governor|Gov|Sen|Senator|Rep|Sheriff|Deputy|Commissioner|"
          r"Colonel|Col|General|Gen|Major|Maj|Inspector|Supt|Superintendent|Prosecutor|Attorney|DCI|DS|DC|PC|"
          r"Coroner|Councilman|Councilwoman|Councillor|Alderman|President|Minister|Trooper|Agent|Spokesman|"
          r"Spokeswoman|Spokesperson|spokesman|spokeswoman|spokesperson|lawyer|attorney|prosecutor|judge|detective)")
AGE = r"(?:(?:a|an|the)\s+)?(?:\d{1,3}-year-old\s+)?"  # "the shooting of 17-year-old Tremaine Joseph"
AGE_AFTER = re.compile(rf"\b{FULL_NAME},\s+(?:aged\s+|now\s+)?\d{{1,3}}\b")
OF_HARM = re.compile(rf"\b(?:killing|death|murder|shooting|stabbing|slaying|beating|homicide|funeral|vigil|memory|"
                     rf"memorial|family|relatives|mother|father|son|daughter|wife|husband|girlfriend|boyfriend|"
                     rf"brother|sister|grandmother|grandfather|justice|prayers|vigil|funeral|memorial)\s+(?:of|for)\s+{AGE}{FULL_NAME}")
IDENTIFIED_AS = re.compile(rf"\b(?:identified|named)\s+(?:\w+\s+){{0,3}}?as\s+{AGE}{FULL_NAME}")
DOER_VERBS = (r"(?:was|is|has\s+been|had\s+been|were|remains|remained)\s+(?:\w+\s+)?(?:charged|arrested|sentenced|"
              r"convicted|indicted|accused|booked|killed|shot|stabbed|pronounced|identified|found|taken|held|jailed|"
              r"acquitted|released|wounded|injured|hit|struck)|pleaded|pled|died|admitted|faces|faced|"
              r"(?:will|would)\s+be\s+sentenced")
# "Devonte Gaines, a family friend who was manning the grill, was killed": a clause between the name and its verb
APPOSITION = r"(?:,[^,.;:\n]{2,60},)?"
NAME_DOES = re.compile(rf"\b{FULL_NAME}{APPOSITION}\s+(?:{DOER_VERBS})\b")
DONE_TO = re.compile(rf"\b(?:charged|arrested|sentenced|convicted|accused|indicted|killing|killed|shot|stabbed|"
                     rf"shooting|stabbing|wounding|murdering|murdered|struck|found)\s+{AGE}{FULL_NAME}")
# "his girlfriend, Shanice Wallace,", "taco truck owner Luis Cárdenas": the victim or suspect by who they were
KIN = (r"(?:girlfriend|boyfriend|wife|husband|son|daughter|mother|father|brother|sister|cousin|nephew|niece|"
       r"grandson|granddaughter|partner|fiancée?|stepson|stepdaughter)")
KIN_NAMED = re.compile(rf"\b(?:his|her|their)\s+(?:\w+\s+)?{KIN},\s+{FULL_NAME}\b")
POSSESSIVE = re.compile(rf"\b{FULL_NAME}['’]s\s+(?:mother|father|family|relatives|death|killing|murder|body|"
                        rf"funeral|sister|brother|son|daughter|wife|husband|friends|grandmother|attorney|lawyer)\b")
PATTERNS = (AGE_AFTER, OF_HARM, IDENTIFIED_AS, NAME_DOES, DONE_TO, POSSESSIVE, KIN_NAMED)
# the same told of a surname alone, after the first mention: "Banks, 23, was shot", "Hebert was arrested",
# "Hollins' sister", "Prosecutors allege Molina fired"
SURNAME = r"(?P<surname>[A-Z][^\W\d_A-Z][\w'’-]*)"  # "Banks", "Cárdenas"
SURNAME_PATTERNS = (
    re.compile(rf"\b{SURNAME},\s+(?:aged\s+|now\s+)?\d{{1,3}},"),
    re.compile(rf"\b{SURNAME}\s+(?:{DOER_VERBS})\b"),
    re.compile(rf"\b{SURNAME}['’]s?\s+(?:mother|father|family|relatives|sister|brother|son|daughter|"
               rf"wife|widow|husband|attorney|lawyer|cousin|funeral|death|killing)\b"),
)
TITLED = re.compile(rf"\b{TITLES}\.?\s+$")
# an outlet, a county, a team: not a person
NOT_PERSON_WORDS = {"county", "parish", "press", "reporter", "ledger", "news", "times", "post", "herald", "gazette",
                    "courier", "tribune", "journal", "wire", "daily", "city", "police", "department", "office", "court",
                    "street", "avenue", "road", "boulevard", "center", "centre", "church", "school", "university",
                    "high", "park", "club", "lounge", "bar", "state", "district", "hospital", "jail", "prison",
                    "academy", "collegiate", "college", "store", "market", "church"}


def people(passage: str, places: frozenset[str] = frozenset()) -> Counter[str]:
    """Full names of the victims and suspects the passage tells of, as slugs ("tremaine-joseph")."""
    found: Counter[str] = Counter()
    for pattern in PATTERNS:
        for m in pattern.finditer(passage):
            name = _person(passage, m, places)
            if name:
                found[name] += 1
    surnames = {slug(m.group("surname")) for pattern in SURNAME_PATTERNS for m in pattern.finditer(passage)}
    surnames -= NOT_NAMES | NOT_PERSON_WORDS
    if surnames:
        # the full names those surnames stand for, wherever the report gives them ("Tyrell Banks" in its headline)
        for m in re.finditer(rf"\b{FULL_NAME}\b(?![ \t]+[A-Z])", passage):
            name = _person(passage, m, places)
            if name and name.rsplit("-", 1)[-1] in surnames:
                found[name] += 1
    return found


def _person(passage: str, m: re.Match, places: frozenset[str]) -> str | None:
    """The slug of the full name `m` found, "first-last"; None when it is an official's or no person's."""
    if TITLED.search(passage[max(0, m.start("name") - 16):m.start("name")]):
        return None  # "Det. Lionel Kenner": an official
    words = [w for w in re.split(r"[ \t]+", m.group("name")) if not re.fullmatch(r"[A-Z]\.", w)]
    if any(re.search(r"['’]s?$", w) for w in words[:-1]) or re.search(
            rf"\b(?:in|near|outside)\s+{re.escape(m.group('name'))}\b", passage):
        return None  # "Ashgrove's Harbourfest", "neighbors in Orange Mound": a place, not a person
    words = [re.sub(r"['’]s$", "", w) for w in words]
    if (any(w.lower() in NOT_NAMES or w.lower() in NOT_PERSON_WORDS or w.isupper() for w in words)
            or re.fullmatch(TITLES, words[0].rstrip("."))
            or slug(" ".join(words)) in places):
        return None
    return slug(f"{words[0]} {words[-1]}")
