"""The people a report's incident is about: its victims and suspects, by full name ("Tremaine Joseph, 17,",
"the killing of Shanice Wallace", "Darius Hebert was arrested"). A follow-up months later (a hearing, a
sentencing, a funeral) names them again when it names no day of the incident: they join it.

Officials are left out (a name after a title, "Det.", "Judge", "Sgt."): one detective or judge speaks of many
incidents. Read from the report's opening only, where its own incident is told (other incidents are recalled
later, so only the headline and first lines are read).
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
AGE_AFTER = re.compile(rf"\b{FULL_NAME},\s+(?:aged\s+)?\d{{1,3}}\b")
OF_HARM = re.compile(rf"\b(?:killing|death|murder|shooting|stabbing|slaying|beating|homicide|funeral|vigil|memory|"
                     rf"memorial|family|relatives|mother|father|son|daughter|wife|husband|girlfriend|boyfriend|"
                     rf"brother|sister|grandmother|grandfather|justice|prayers|vigil|funeral|memorial)\s+(?:of|for)\s+{FULL_NAME}")
IDENTIFIED_AS = re.compile(rf"\b(?:identified|named)\s+(?:\w+\s+){{0,3}}?as\s+{FULL_NAME}")
DOER_VERBS = (r"(?:was|is|has\s+been|had\s+been|were|remains|remained)\s+(?:\w+\s+)?(?:charged|arrested|sentenced|"
              r"convicted|indicted|accused|booked|killed|shot|stabbed|pronounced|identified|found|taken|held|jailed|"
              r"acquitted|released|wounded|injured|hit|struck)|pleaded|pled|died|admitted|faces|faced|"
              r"(?:will|would)\s+be\s+sentenced")
NAME_DOES = re.compile(rf"\b{FULL_NAME}\s+(?:{DOER_VERBS})\b")
DONE_TO = re.compile(rf"\b(?:charged|arrested|sentenced|convicted|accused|indicted|killing|killed|shot|stabbed|"
                     rf"shooting|stabbing|wounding|murdering|murdered)\s+{FULL_NAME}")
POSSESSIVE = re.compile(rf"\b{FULL_NAME}['’]s\s+(?:mother|father|family|relatives|death|killing|murder|body|"
                        rf"funeral|sister|brother|son|daughter|wife|husband|friends|grandmother|attorney|lawyer)\b")
PATTERNS = (AGE_AFTER, OF_HARM, IDENTIFIED_AS, NAME_DOES, DONE_TO, POSSESSIVE)
TITLED = re.compile(rf"\b{TITLES}\.?\s+$")
# an outlet, a county, a team: not a person
NOT_PERSON_WORDS = {"county", "parish", "press", "reporter", "ledger", "news", "times", "post", "herald", "gazette",
                    "courier", "tribune", "journal", "wire", "daily", "city", "police", "department", "office", "court",
                    "street", "avenue", "road", "boulevard", "center", "centre", "church", "school", "university",
                    "high", "park", "club", "lounge", "bar", "state", "district", "hospital", "jail", "prison"}


def people(passage: str, places: frozenset[str] = frozenset()) -> Counter[str]:
    """Full names of the victims and suspects the passage tells of, as slugs ("tremaine-joseph")."""
    found: Counter[str] = Counter()
    for pattern in PATTERNS:
        for m in pattern.finditer(passage):
            if TITLED.search(passage[max(0, m.start("name") - 16):m.start("name")]):
                continue  # "Det. Lionel Kenner": an official
            words = [w for w in re.split(r"[ \t]+", m.group("name")) if not re.fullmatch(r"[A-Z]\.", w)]
            words = [re.sub(r"['’]s$", "", w) for w in words]
            if (any(w.lower() in NOT_NAMES or w.lower() in NOT_PERSON_WORDS or w.isupper() for w in words)
                    or re.fullmatch(TITLES, words[0].rstrip("."))
                    or slug(" ".join(words)) in places):
                continue
            found[slug(f"{words[0]} {words[-1]}")] += 1
    return found
