"""Where a report puts its incident: the town, and the streets, buildings and camps it names.

Read from the text alone (no parse): places follow "in", "near", "the village of", "a raid on"; a name that
is a street or building ("Harbor Street", "at the Lantern Room") is a *name* of the incident, not a town; a
person ("Rana Tesvir, 34,"), a region ("Ressa district") and where people went afterwards ("fled to the town
of Oren", "doctors in Kalmeth") are not where it happened.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter

from claimledger.link.gazetteer import gazetteer
from claimledger.ontology import Ontology

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
    # words that open a sentence
    "because", "although", "though", "if", "it", "they", "we", "he", "she", "there", "here", "some", "many", "most",
    "all", "both", "each", "every", "no", "not", "once", "two", "three", "four", "five", "six", "seven", "eight",
    # the labels of event records, bylines and statements ("Notes:", "Country:", "STATEMENT —", "Posted")
    "notes", "note", "country", "location", "date", "summary", "statement", "posted", "id", "actor", "admin1",
    "admin2", "admin3", "event", "type", "source", "sources", "update", "live", "breaking", "timeline", "by",
    # who did it, not what it is called
    "gunmen", "gunman", "militants", "militant", "rebels", "rebel", "army", "troops", "soldiers",
    "attackers", "insurgents", "forces", "jihadists", "fighters", "assailants", "bandits", "terrorists", "mob",
    # days of the calendar ("the Thanksgiving weekend killing", "a Mother's Day shooting")
    "thanksgiving", "christmas", "easter", "halloween", "day", "eve", "holiday",
    # page furniture ("Caption Close", "Photo: ... (Courtesy ...)", "Skip to content")
    "caption", "photo", "photos", "courtesy", "skip", "share", "advertisement", "video", "watch",
}
NAME_WORD = r"[A-Z][\w'’-]*"
SETTLEMENT = r"(?:town|city|village|district|province|region|state|county|area|suburb|neighbourhood|neighborhood)"
LOCALITY = r"(?:town|city|village|suburb|neighbou?rhood|hamlet|settlement)"
LOCALITY_OF = re.compile(rf"\b{LOCALITY}\s+of\s+$")
LOCALITY_AFTER = re.compile(rf"(?:\s+{LOCALITY}\b|,\s+an?\s+(?:[a-z]+\s+){{0,2}}{LOCALITY}\b)")
PLACE = re.compile(  # "in X", "near the town of X", "a raid on X" (not "from X": where people came from)
    rf"\b(?:in|near|outside|at|of|(?i:attack|raid|assault|strike|airstrike|shelling|bombing|ambush|offensive)s?\s+on|"
    rf"(?:kidnapped|abducted|seized|snatched)\s+(?:\w+\s+)?from)\s+"
    rf"(?:the\s+(?:[a-z]+\s+)?{SETTLEMENT}\s+of\s+)?(?P<place>{NAME_WORD}(?:[ \t]+{NAME_WORD})?)"
)
# a settlement named without a preposition before it: "attacked Tamberi village", "stormed Ndolla, a village in"
SETTLEMENT_NAMED = re.compile(
    rf"\b(?P<place>(?<![A-Z]\w\s)[A-Z][a-z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*)?)"
    rf"(?=\s+{LOCALITY}\b(?!\s+of\b)|,\s+an?\s+(?:[a-z]+\s+){{0,2}}{LOCALITY}\b)", re.MULTILINE)
PREPOSITION_BEFORE = re.compile(r"\b(?:in|near|outside|at|of|on|from)\s+$")
DATELINE_PLACE = re.compile(r"^\s*([A-Z][A-Z'’. -]{2,})(?:,|\s+[—–-])", re.MULTILINE)
HEADLINE_PLACE = re.compile(rf"^\s*(?P<place>{NAME_WORD}(?:[ \t]+{NAME_WORD}){{0,2}}):\s")  # "Ashby Cross: shooting at ..."
TRAILING_PLACE = re.compile(  # "at the Millfield football ground, Ashby Cross," / "on Harbor Street, Port Calder."
    rf"\b(?:at|on|near|in|outside)\s+(?:the\s+)?[^,.;\n]{{2,40}}?,\s+(?P<place>{NAME_WORD}(?:[ \t]+{NAME_WORD})?)\s*[,.;]"
)
ABBREVIATED = re.compile(r"\b(St|Ste|Ft|Mt)\.\s+(?=[A-Z])")  # "St. Louis", "Ft. Worth"
KNOWN_LONGER = re.compile(r"[ \t]+([A-Z][\w'’-]*)")  # the word after a place, kept when the gazetteer knows the three
LOCAL_FORCE = re.compile(rf"\b(?P<place>{NAME_WORD}(?:[ \t]+{NAME_WORD})?)\s+(?:police|fire department|sheriff)\b")


def slug(text: str) -> str:
    """ "Luis Cárdenas" → luis-cardenas: accents folded, so a name is one key however it is typed."""
    folded = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


def name_words(raw: str) -> list[str]:
    words = [re.sub(r"['’]s?$", "", w) for w in re.split(r"[\s-]+", raw.strip()) if w[:1].isupper()]
    if any(w.isupper() and len(w) <= 5 for w in words):
        return []  # "IED", "UN": acronyms, not places
    if len(words) > 1 and words[0].lower() in NOT_NAMES and all(w.lower() not in NOT_NAMES for w in words[1:]) \
            and gazetteer().town(" ".join(words)):
        return words  # "New Orleans": a known town keeps its whole name
    while words and words[0].lower() in NOT_NAMES:
        words.pop(0)
    return [] if any(w.lower() in NOT_NAMES for w in words) else words


def names(content: str, ontology: Ontology) -> Counter[str]:
    """Proper names given to the incident: "the Khan Street shooting", "Velmora market attack"."""
    nouns = "|".join(sorted(ontology.incident_nouns, key=len, reverse=True))
    pattern = re.compile(rf"((?:{STREET_NAME_WORD}[ \t-]+){{1,3}})(?:[a-z]+[ \t]+)?(?i:{nouns})s?\b")
    counts: Counter[str] = Counter()
    for m in pattern.finditer(content):
        street = street_key(m.group(1))
        words = name_words(m.group(1))
        if street:
            counts[street] += 1
        elif words and not _institution(words):
            counts[slug(" ".join(words))] += 1
    return counts


# a street, however a report writes it: "SW 29th Street", "South Kinnickinnic Ave.", "N. Sherman Blvd"
STREET_KINDS = {"street": "street", "st": "street", "road": "road", "rd": "road", "avenue": "avenue", "ave": "avenue",
                "boulevard": "boulevard", "blvd": "boulevard", "lane": "lane", "drive": "drive", "way": "way",
                "row": "row", "close": "close", "crescent": "crescent", "terrace": "terrace", "parkway": "parkway",
                "highway": "highway", "pike": "pike"}
DIRECTION = re.compile(r"(?:[NSEW]|[NS][EW]|North|South|East|West)\.?")
ORDINAL = re.compile(r"\d{1,3}(?:st|nd|rd|th)")
STREET_NAME_WORD = rf"(?:{NAME_WORD}|{ORDINAL.pattern})"


def street_key(raw: str) -> str | None:
    """One key for a street however it is written: its direction and abbreviation dropped ("SW 29th Street" and
    "29th St." are 29th-street; "North Sherman Boulevard" is sherman-boulevard, but "North Avenue" stays)."""
    words = [re.sub(r"['’]s?$", "", w).rstrip(".") for w in raw.split()]
    if len(words) < 2 or words[-1].lower() not in STREET_KINDS:
        return None
    *body, kind = words
    while len(body) > 1 and DIRECTION.fullmatch(body[0]):
        body.pop(0)
    body = [w for w in body if (w[:1].isupper() and w.lower() not in NOT_NAMES) or ORDINAL.fullmatch(w)]
    if not body or _institution(body):
        return None
    return slug(" ".join([*body, STREET_KINDS[kind.lower()]]))


ENTRY_LINE_CHARS = 80  # a first line this short is a heading
SITE_WORDS = {"street", "st", "road", "rd", "avenue", "ave", "lane", "row", "square", "boulevard", "blvd", "drive",
              "way", "parkway", "highway", "pike", "lounge", "tavern", "nightclub", "restaurant", "cafe", "diner",
              "grill", "motel", "inn", "apartments", "shop", "store", "laundromat", "saloon",
              "hospital", "clinic", "school", "university", "college", "church", "mosque", "temple", "stadium",
              "park", "market", "station", "bridge", "hotel", "mall", "centre", "center", "club", "bar", "pub",
              "estate", "camp", "base", "prison", "airport", "port", "harbour", "harbor", "infirmary", "close", "crescent",
              "terrace", "court", "courts", "gardens", "chapel", "cathedral", "plaza", "arcade", "precinct"}
CARE_WORDS = {"hospital", "clinic", "infirmary"}
# where the wounded, the accused and the families went afterwards: institutions every incident of a city shares
INSTITUTION_WORDS = CARE_WORDS | {"courthouse", "justice", "jail", "prison", "detention", "correctional", "police",
                                  "sheriff", "medical", "health", "morgue", "coroner"}
# "Criminal Court", "Crown Court": a court of law, not "Magnolia Court" where people live
COURT_KINDS = {"criminal", "district", "circuit", "superior", "municipal", "county", "crown", "pleas", "supreme",
               "federal", "magistrate", "magistrates", "family", "juvenile", "civil", "appeals", "judicial", "sessions"}
SITE_WORD = "|".join(sorted((w.capitalize() for w in SITE_WORDS), key=len, reverse=True))
# "Harbor Street", "the Old Grain Market", "SW 29th Street"
SITE = re.compile(rf"\b((?:{STREET_NAME_WORD}[ \t]+){{1,3}}?)({SITE_WORD})\b")
CAMP = re.compile(rf"\b({NAME_WORD}(?:[ \t]+{NAME_WORD})?)[ \t]+((?:[a-z]+[ \t]+)?(?:camp|market|mosque|church|"
                  rf"temple|school|village\s+school|bazaar|refugee\s+camp))\b")
VENUE = re.compile(rf"\b(?:at|inside|outside)\s+the\s+({NAME_WORD}(?:[ \t]+{NAME_WORD}){{0,2}})\b(?!\s+{SITE_WORD})")
KIN_OF = re.compile(r"\b(?:funerals?|vigils?|memory|family|death|killing|murder|son|daughter|wife|husband|mother|father|name|"
                    r"identity|memory|relatives|parents|brother|sister|friends?|coffins?|bod(?:y|ies)|graves?|"
                    r"burials?)\s+of\s+$", re.IGNORECASE)
# "fled to the district town of Oren", "were taken to Oren": where people went, not where it happened
DESTINATION = re.compile(r"\b(?:to|into|towards?)\s+(?:the\s+)?(?:[a-z]+\s+)?(?:town|city|village|district|province|"
                         r"region|camps?|hospitals?)\s+(?:of|in)\s+$|\b(?:fled|taken|moved|evacuated|transferred|"
                         r"airlifted|rushed|flown|driven|relocated)\s+(?:[a-z]+\s+){0,5}(?:to|in)\s+$")


def _is_person_of(passage: str, m: re.Match) -> bool:
    """ "the funeral of Caleb Ostrow": a person, not a place."""
    return bool(KIN_OF.search(passage[max(0, m.start("place") - 30):m.start("place")]))


# "Rana Tesvir, 34,", "Ms Cartwright", "Colonel Arven Tsibe", "said Abel Korrun", "Joel Teranga, said"
PERSON = re.compile(
    rf"\b({NAME_WORD}[ \t]+{NAME_WORD}),\s+\d{{1,3}}\b"
    rf"|\b(?:Mr|Mrs|Ms|Miss|Dr|Colonel|Col|General|Gen|Major|Captain|Capt|Sergeant|Sgt|Inspector|Detective|Officer|"
    rf"Chief|Mayor|Governor|Minister|Commissioner|President|Judge|Father|Imam|Rev)\.?\s+((?:{NAME_WORD}[ \t]+)*{NAME_WORD})"
    rf"|\bsaid\s+({NAME_WORD}[ \t]+{NAME_WORD})\b|\b({NAME_WORD}[ \t]+{NAME_WORD}),\s+(?:said|told|who|whose|a|an|the)\b"
)
REGION_WORDS = (r"(?:district|province|region|county|state|governorate|oblast|prefecture|valley|area|commune|"
                r"municipality|department|territory|parish|borough|township)")
# "Ressa district", "Upper Marrel's Tesvani district", "Kossou commune"
REGION_AFTER = re.compile(rf"(?:['’]s\s+(?:{NAME_WORD}\s+)?)?\s*{REGION_WORDS}\b")
REGION_BEFORE = re.compile(rf"\b{REGION_WORDS}\s+of\s+$")
REGION_NAME = re.compile(rf"(?i:\s{REGION_WORDS})$")  # "Okanee County", "Banfara Province": the name says it
# the clause says where people were afterwards: in hospital, in a shelter, in custody, at a funeral
AWAY = re.compile(r"\b(?:hospitals?|health\s+cent(?:re|er)s?|doctors|treated|treating|patients|fled|flee|fleeing|shelters?|sheltering|refuge|"
                  r"camps?|arrested|detained|custody|court|courthouse|jail|prison|bail|transferred|evacuated)\b", re.IGNORECASE)


# "Ministry of Defence", "University of Tessa": an institution's name, not a place of the incident
INSTITUTION_OF = re.compile(r"\b(?:ministry|minister|department|office|university|bank|secretary|council|institute|"
                            r"college|museum|committee|commission|bureau|agency|chamber|court|division)"
                            r"\s+of\s+(?:the\s+)?$",
                            re.IGNORECASE)
# a list entry or record heading that opens on its place: "Korrovo (Drenza district), 12 June 1998",
# "27 June 1998 – Sutina, Drenza district: ...", "Mahrin village, Lower Tessa district: On ..."
ENTRY_PLACE = re.compile(
    rf"\A\s*(?:(?:\d{{1,2}}(?:st|nd|rd|th)?\s+[A-Z][a-z]+\.?\s+\d{{4}}|[A-Z][a-z]+\.?\s+\d{{1,2}},?\s+\d{{4}}|"
    rf"\d{{1,4}}[./-]\d{{1,2}}[./-]\d{{1,4}})\s*[–—-]+\s*)?"
    rf"(?P<place>{NAME_WORD}(?:[ \t]+{NAME_WORD}){{0,2}})(?=[ \t]*\(|,|:|[ \t]+(?:village|town|city|parish|camp)\b)")


def entry_place(text: str, people: frozenset[str] = frozenset()) -> str | None:
    """The place a list entry or record heading opens on, when it opens so (a short first line, a date, a
    bracket or a settlement word after it), not a news lead opening on a person ("Ann Reddy, 34, ...")."""
    m = ENTRY_PLACE.match(text)
    if not m or re.match(r",\s*\d{1,3}\s*,", text[m.end():]) or common_word(m.group("place"), text):
        return None  # "Man, 27, appears in court", "Ann Reddy, 34, ...": a person and an age; "Family, neighbors hold"
    first_line = text.lstrip().split("\n", 1)[0]
    dated = m.start("place") > len(text) - len(text.lstrip())
    if not (dated or len(first_line) <= ENTRY_LINE_CHARS or re.match(r"[ \t]*\(|[ \t]+[a-z]", text[m.end():])):
        return None
    words = name_words(m.group("place"))
    if not words or any(w.lower() in people for w in words) or REGION_NAME.search(m.group("place")):
        return None
    return slug(" ".join(words))


def common_word(name: str, text: str) -> bool:
    """A one-word name the text also writes in lower case is a common word a headline opens on ("Family,
    neighbors hold vigil", "Investigators: fire was set"), not a place; a known town never is."""
    words = name.split()
    return len(words) == 1 and bool(re.search(rf"\b{re.escape(words[0].lower())}\b", text)) \
        and gazetteer().town(words[0]) is None


def _is_site(passage: str, m: re.Match) -> bool:
    """ "St Brendan's Hospital", "Canal Row", "East 13th Street": a building or a street, not a town."""
    words = m.group("place").lower().split()
    # the name may run on before its site word: "of Greater Mount Nebo Baptist Church", "North Memorial Health
    # Hospital", "East 13th Street"
    following = re.match(rf"((?:[ \t]+{STREET_NAME_WORD}){{0,3}})\s*['’]?s?\s*([A-Za-z]+)?", passage[m.end("place"):])
    run = [*following.group(1).split(), following.group(2) or ""] if following else []
    return words[-1] in SITE_WORDS or any(w.lower() in SITE_WORDS for w in run)


def sites(passage: str) -> Counter[str]:
    """Streets and buildings the opening places the incident at ("on Harbor Street", "the Old Grain Market"):
    names, not towns. Hospitals are where the wounded were taken, shared by every incident of a city."""
    counts: Counter[str] = Counter()
    for m in VENUE.finditer(passage):  # "killed at the Lantern Room"
        words = name_words(m.group(1))
        if words and not _institution(words):
            counts[slug(" ".join(words))] += 1
    for m in CAMP.finditer(passage):  # "Hadeeb camp", "the Zarechna covered market": named, if lower-cased
        words = name_words(m.group(1))
        if words:
            counts[slug(" ".join([*words, m.group(2).split()[-1]]))] += 1
    for m in SITE.finditer(passage):
        if INSTITUTION_AFTER.match(passage, m.end()):
            continue
        street = street_key(m.group(0))
        words = name_words(m.group(1))
        if street:
            counts[street] += 1
        elif words and not ORDINAL.search(m.group(1)) and not _institution([*words, m.group(2)]):
            counts[slug(" ".join([*words, m.group(2)]))] += 1
    return counts


# "the Orleans Parish Criminal District Court", "Frank Murphy Hall of Justice": the rest of an institution's name
INSTITUTION_AFTER = re.compile(r"[ \t]+(?:[A-Z][\w'’-]*[ \t]+){0,3}?(?:Court|Courthouse|Justice|Jail|Prison|Center|Centre)\b"
                               r"|[ \t]+of[ \t]+Justice\b")


def _institution(words: list[str]) -> bool:
    lowered = [w.lower() for w in words]
    return any(w in INSTITUTION_WORDS for w in lowered) or (
        lowered[-1] in ("court", "courts") and any(w in COURT_KINDS for w in lowered))


def persons(content: str) -> set[str]:
    """Words of people's names the text gives ("Rana Tesvir, 34,", "Ms Cartwright", "said Abel Korrun"):
    a name that is a person's is no place."""
    words: set[str] = set()
    for m in PERSON.finditer(content):
        words.update(w.lower() for w in name_words(next(g for g in m.groups() if g)))
    return words


def _not_the_place(passage: str, m: re.Match) -> bool:
    """A name in a place's position that is not where the incident happened: a street or building, a person,
    where people went afterwards ("fled to the town of Oren", "doctors in Kalmeth")."""
    before = passage[max(0, m.start("place") - 50):m.start("place")]
    clause = re.split(r"[.;:,—–()]", before)[-1]
    return (_is_site(passage, m) or _is_person_of(passage, m) or bool(DESTINATION.search(before))
            or bool(AWAY.search(clause)) or bool(INSTITUTION_OF.search(before)) or bool(HOMETOWN.search(before))
            or _named_person_of(before))


# "Gordon Wallace Pruitt of Pembrook": a person's full name, then where they live
NAME_THEN_OF = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?\s+([A-Z][a-z]+)\s+of\s+$")
NOT_A_SURNAME = {"city", "town", "county", "republic", "kingdom", "university", "bank", "port", "isle", "bay", "gulf",
                 "lake", "mount", "state", "province", "district", "ministry", "department", "office", "mayor",
                 "governor", "chief", "minister", "people", "government", "council", "museum", "institute", "head",
                 "president", "secretary", "members", "friends", "archbishop", "bishop", "duke", "prince", "king",
                 "queen", "center", "centre", "north", "south", "east", "west", "outskirts", "edge", "heart"}


def _named_person_of(before: str) -> bool:
    m = NAME_THEN_OF.search(before)
    if m is None:
        return False
    words = [w.lower() for w in m.group(0).split()[:-1]]
    return not any(w in NOT_A_SURNAME or w in NOT_NAMES or w in SITE_WORDS or w in INSTITUTION_WORDS for w in words)


# "Darren Mowbray, 31, of Lyle Creek", "a resident of Oren", "a Dunmore man": where someone lives, not the scene
HOMETOWN = re.compile(r"(?:\b\d{1,3},\s+(?:both\s+)?of|\b(?:residents?|natives?|man|woman|men|women|boy|girl|teen|"
                      r"teenager|mother|father|couple|family)\s+(?:of|from)|\b(?:grew\s+up|raised|born)\s+in)\s+$")


def places(passages: list[str], people: frozenset[str] = frozenset()) -> Counter[str]:
    """Towns the passages put events in: "in X", "town of X", "..., X.", "X police". A district, province
    or region ("in Ressa district") counts only when no town is named."""
    counts: Counter[str] = Counter()
    regions: Counter[str] = Counter()
    known = gazetteer()
    for passage in passages:
        passage = ABBREVIATED.sub(lambda a: a.group(1) + " ", passage)  # "St. Louis" as one name; offsets unused
        for pattern in (PLACE, TRAILING_PLACE, LOCAL_FORCE, HEADLINE_PLACE):
            for m in pattern.finditer(passage):
                # "in Lakeport's Birchmere neighbourhood", "New Orleans' Mid-City": the town it is in
                words = name_words(re.split(r"['’]s?\s", m.group("place"))[0])
                longer = KNOWN_LONGER.match(passage, m.end("place"))
                if longer and known.town(" ".join([*words, longer.group(1)])):
                    words = [*words, longer.group(1)]  # "East St Louis": a known town of three words
                name = slug(" ".join(words))
                if not name or _not_the_place(passage, m) or any(w.lower() in people for w in words):
                    continue
                before = passage[max(0, m.start("place") - 30):m.start("place")]
                if (REGION_AFTER.match(passage, m.end("place")) or REGION_BEFORE.search(before)
                        or REGION_NAME.search(m.group("place")) or known.is_region(name)):
                    regions[name] += 1
                else:  # "the village of Brask", "Tamberi village", "Ndolla, a village in ..." name the very settlement
                    counts[name] += 2 if LOCALITY_OF.search(before) or LOCALITY_AFTER.match(passage, m.end("place")) else 1
        for m in SETTLEMENT_NAMED.finditer(passage):  # "attacked Tamberi village", "stormed Ndolla, a village"
            if known.is_region(m.group("place")):
                continue
            words = name_words(m.group("place"))
            if PREPOSITION_BEFORE.search(passage, max(0, m.start() - 12), m.start()):
                continue  # "in Dalvara village": counted above
            if (words and not any(w.lower() in people for w in words) and not _not_the_place(passage, m)
                    and not REGION_NAME.search(m.group("place"))):
                counts[slug(" ".join(words))] += 2
    return counts or regions
