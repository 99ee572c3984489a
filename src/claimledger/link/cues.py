"""What a report says about its incident: its name, where, what kind, and on which day.

Cues are read from the text alone (no parse needed): names are proper words
before an incident noun ("the Harbor Street shooting"), places follow "in",
"near", "town of"; the day is the date written nearest the incident, with
"on Sunday" and "yesterday" counted back from the day of publication.
"""
from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta
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
    # words that open a sentence
    "because", "although", "though", "if", "it", "they", "we", "he", "she", "there", "here", "some", "many", "most",
    "all", "both", "each", "every", "no", "not", "once", "two", "three", "four", "five", "six", "seven", "eight",
    # the labels of event records, bylines and statements ("Notes:", "Country:", "STATEMENT —", "Posted")
    "notes", "note", "country", "location", "date", "summary", "statement", "posted", "id", "actor", "admin1",
    "admin2", "admin3", "event", "type", "source", "sources", "update", "live", "breaking", "timeline", "by",
    # who did it, not what it is called
    "gunmen", "gunman", "militants", "militant", "rebels", "rebel", "army", "troops", "soldiers",
    "attackers", "insurgents", "forces", "jihadists", "fighters", "assailants", "bandits", "terrorists", "mob",
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
    rf"(?<![.!?]\s)(?<!^)\b(?P<place>(?<![A-Z]\w\s)[A-Z][a-z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)"
    rf"(?=\s+{LOCALITY}\b(?!\s+of\b)|,\s+an?\s+(?:[a-z]+\s+){{0,2}}{LOCALITY}\b)", re.MULTILINE)
# event records: "Location: Tundu", "Event date: 14 May 2023", "Admin1: Kobiri State" (a field per line or per "|")
FIELD = re.compile(r"(?:^|\|)[ \t]*(?P<key>[A-Za-z][A-Za-z0-9 ]{0,18}?)[ \t]*:[ \t]*(?P<value>[^|\n]+)", re.MULTILINE)
PLACE_FIELDS = {"location", "place", "village", "town", "city", "locality", "site"}
DATE_FIELDS = {"event date", "date", "date of event", "incident date"}
REGION_FIELDS = {"country", "region", "province", "state", "district", "county", "admin1", "admin2", "admin3"}
NAME_FIELD = re.compile(rf"^{NAME_WORD}(?:[ \t]+{NAME_WORD}){{0,2}}(?:,[^|]*|[ \t]*\([^|]*\))?$")
DESCRIPTION_WORDS = 6  # a field of this many words is the record's description
RECORD_PLACE_WEIGHT = 8
PREPOSITION_BEFORE = re.compile(r"\b(?:in|near|outside|at|of|on|from)\s+$")
DATELINE_PLACE = re.compile(r"^\s*([A-Z][A-Z'’. -]{2,})(?:,|\s+[—–-])", re.MULTILINE)
# "DUNMORE, June 12 (Wire) —": a wire dateline gives the day of writing without its year
YEARLESS_DATELINE = re.compile(
    rf"^\s*[A-Z][A-Z'’. -]{{2,}},\s+(?:({dates.MONTH_WORDS})\.?\s+(\d{{1,2}})|(\d{{1,2}})\s+({dates.MONTH_WORDS})\.?)"
    rf"(?!\d|,?\s+\d{{4}})", re.MULTILINE | re.IGNORECASE)
HEADLINE_PLACE = re.compile(rf"^\s*(?P<place>{NAME_WORD}(?:[ \t]+{NAME_WORD}){{0,2}}):\s")  # "Ashby Cross: shooting at ..."
TRAILING_PLACE = re.compile(  # "at the Millfield football ground, Ashby Cross," / "on Harbor Street, Port Calder."
    rf"\b(?:at|on|near|in|outside)\s+(?:the\s+)?[^,.;\n]{{2,40}}?,\s+(?P<place>{NAME_WORD}(?:[ \t]+{NAME_WORD})?)\s*[,.;]"
)
LOCAL_FORCE = re.compile(rf"\b(?P<place>{NAME_WORD}(?:[ \t]+{NAME_WORD})?)\s+(?:police|fire department|sheriff)\b")
YEAR = re.compile(r"(?<!since )(?<!until )(?<!before )(?<![-–])\b(1[89]\d\d|20\d\d)\b(?![-–]\d)")
WINDOW = 150  # characters around an incident word in which its date is looked for
OPENING_CHARS = 350  # the headline, dateline and first sentence
LEAD_CHARS = 700  # the opening of a report, where the incident is named, placed and dated
DATELINE_CHARS = 200
HEADLINE_CHARS = 160
CLAUSE_CHARS = 80
DAYS_AFTER = re.compile(r"\b(a|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+(days?|weeks?)\s+(?:after|since)\b",
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
CLAUSE_WORDS = 6  # "a fifth man died in hospital on Tuesday", not "died of wounds suffered in Tuesday's blast"


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
    window: tuple[str, str] | None = None  # first and last day, when the text says only "last week's attack"
    opening_names: tuple[str, ...] = ()  # the names its headline and first sentence give (no recalled incidents)
    dateline: str | None = None  # "06-12": the month and day of a dateline that gives no year, when nothing else does

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


def _background(ontology: Ontology) -> re.Pattern:
    """Compiled once: `re` keeps its recent patterns."""
    words = sorted(ontology.background_markers, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) + r")\b", re.IGNORECASE)


def foreground(content: str, ontology: Ontology, published: str | None = None) -> str:
    """The content with its background sentences blanked: they tell of other incidents ("It came on the same
    day as a separate attack on Kovanu"; after the opening, "On 5 June 2021, gunmen killed 14 in Tamberi" in a
    report written years later). Offsets are kept."""
    pattern = _background(ontology)

    def background(m: re.Match) -> bool:
        # an old date in the opening is the report's own subject (an anniversary, a massacre decades ago)
        return bool(pattern.search(m.group(0))) or (
            published is not None and m.start() >= OPENING_CHARS and _recalls(m.group(0), published))

    return re.sub(r"[^.!?\n]+[.!?]?", lambda m: " " * len(m.group(0)) if background(m) else m.group(0), content)


def _recalls(sentence: str, published: str) -> bool:
    """Does the sentence date something long before the report was written?"""
    for pattern in dates.FULL_DATES:
        for m in pattern.finditer(sentence):
            day = dates.parse_full_date(m.group(0))
            if day and _days_before(day, published) > RECALL_DAYS:
                return True
    return False


def content_of(text: Text) -> str:
    return " ".join(text.text[s.start:s.end] for s in text.content_spans())


def names(content: str, ontology: Ontology) -> Counter[str]:
    """Proper names given to the incident: "the Khan Street shooting", "Velmora market attack"."""
    nouns = "|".join(sorted(ontology.incident_nouns, key=len, reverse=True))
    pattern = re.compile(rf"((?:{NAME_WORD}[ \t-]+){{1,3}})(?:[a-z]+[ \t]+)?(?i:{nouns})s?\b")
    counts: Counter[str] = Counter()
    for m in pattern.finditer(content):
        name = slug(" ".join(_name_words(m.group(1))))
        if name:
            counts[name] += 1
    return counts


SITE_WORDS = {"street", "st", "road", "rd", "avenue", "ave", "lane", "row", "square", "boulevard", "drive", "way",
              "hospital", "clinic", "school", "university", "college", "church", "mosque", "temple", "stadium",
              "park", "market", "station", "bridge", "hotel", "mall", "centre", "center", "club", "bar", "pub",
              "estate", "camp", "base", "prison", "airport", "port", "harbour", "harbor", "infirmary", "close", "crescent",
              "terrace", "court", "courts", "gardens", "chapel", "cathedral", "plaza", "arcade", "precinct"}
CARE_WORDS = {"hospital", "clinic", "infirmary"}
SITE_WORD = "|".join(sorted((w.capitalize() for w in SITE_WORDS), key=len, reverse=True))
SITE = re.compile(rf"\b((?:{NAME_WORD}[ \t]+){{1,3}}?)({SITE_WORD})\b")  # "Harbor Street", "the Old Grain Market"
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
                  r"camps?|arrested|detained|custody|court|transferred|evacuated)\b", re.IGNORECASE)


def _is_site(passage: str, m: re.Match) -> bool:
    """ "St Brendan's Hospital", "Canal Row": a building or a street, not a town."""
    words = m.group("place").lower().split()
    following = re.match(r"\s*['’]?s?\s*([A-Za-z]+)", passage[m.end("place"):])
    return words[-1] in SITE_WORDS or bool(following and following.group(1).lower() in SITE_WORDS)


def sites(passage: str) -> Counter[str]:
    """Streets and buildings the opening places the incident at ("on Harbor Street", "the Old Grain Market"):
    names, not towns. Hospitals are where the wounded were taken, shared by every incident of a city."""
    counts: Counter[str] = Counter()
    for m in VENUE.finditer(passage):  # "killed at the Lantern Room"
        words = _name_words(m.group(1))
        if words and words[-1].lower() not in CARE_WORDS:
            counts[slug(" ".join(words))] += 1
    for m in CAMP.finditer(passage):  # "Hadeeb camp", "the Zarechna covered market": named, if lower-cased
        words = _name_words(m.group(1))
        if words:
            counts[slug(" ".join([*words, m.group(2).split()[-1]]))] += 1
    for m in SITE.finditer(passage):
        words = _name_words(m.group(1))
        if words and m.group(2).lower() not in CARE_WORDS:
            counts[slug(" ".join([*words, m.group(2)]))] += 1
    return counts


def persons(content: str) -> set[str]:
    """Words of people's names the text gives ("Rana Tesvir, 34,", "Ms Cartwright", "said Abel Korrun"):
    a name that is a person's is no place."""
    words: set[str] = set()
    for m in PERSON.finditer(content):
        words.update(w.lower() for w in _name_words(next(g for g in m.groups() if g)))
    return words


def _not_the_place(passage: str, m: re.Match) -> bool:
    """A name in a place's position that is not where the incident happened: a street or building, a person,
    where people went afterwards ("fled to the town of Oren", "doctors in Kalmeth")."""
    before = passage[max(0, m.start("place") - 50):m.start("place")]
    clause = re.split(r"[.;:,—–()]", before)[-1]
    return (_is_site(passage, m) or _is_person_of(passage, m) or bool(DESTINATION.search(before))
            or bool(AWAY.search(clause)))


def places(passages: list[str], people: frozenset[str] = frozenset()) -> Counter[str]:
    """Towns the passages put events in: "in X", "town of X", "..., X.", "X police". A district, province
    or region ("in Ressa district") counts only when no town is named."""
    counts: Counter[str] = Counter()
    regions: Counter[str] = Counter()
    for passage in passages:
        for pattern in (PLACE, TRAILING_PLACE, LOCAL_FORCE, HEADLINE_PLACE):
            for m in pattern.finditer(passage):
                # "in Lakeport's Birchmere neighbourhood": the town it is in
                words = _name_words(re.split(r"['’]s\s", m.group("place"))[0])
                name = slug(" ".join(words))
                if not name or _not_the_place(passage, m) or any(w.lower() in people for w in words):
                    continue
                before = passage[max(0, m.start("place") - 30):m.start("place")]
                if (REGION_AFTER.match(passage, m.end("place")) or REGION_BEFORE.search(before)
                        or REGION_NAME.search(m.group("place"))):
                    regions[name] += 1
                else:  # "the village of Brask", "Tamberi village", "Ndolla, a village in ..." name the very settlement
                    counts[name] += 2 if LOCALITY_OF.search(before) or LOCALITY_AFTER.match(passage, m.end("place")) else 1
        for m in SETTLEMENT_NAMED.finditer(passage):  # "attacked Tamberi village", "stormed Ndolla, a village"
            words = _name_words(m.group("place"))
            if PREPOSITION_BEFORE.search(passage, max(0, m.start() - 12), m.start()):
                continue  # "in Dalvara village": counted above
            if (words and not any(w.lower() in people for w in words) and not _not_the_place(passage, m)
                    and not REGION_NAME.search(m.group("place"))):
                counts[slug(" ".join(words))] += 2
    return counts or regions


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
    words = (set(ontology.incident_nouns) | set(ontology.harm_words)
             | {w for ws in (ontology.event_kinds or {}).values() for w in ws})
    pattern = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return [m.start() for m in re.finditer(rf"\b(?:{pattern})", content, re.IGNORECASE)]


def _word_bounds(content: str, start: int, end: int) -> tuple[int, int]:
    """A slice widened to whole words: "14 April" is not to be read as "4 April"."""
    start, end = max(0, start), min(len(content), end)
    while start > 0 and content[start - 1].isalnum():
        start -= 1
    while end < len(content) and content[end].isalnum():
        end += 1
    return start, end


def _dates_near(content: str, at: int, published: str | None) -> list[tuple[int, int, str, int]]:
    """Dates written in the window around an incident word: (start, end, date or year, weight)."""
    lo, hi = _word_bounds(content, at - WINDOW, at + WINDOW)
    window = content[lo:hi]
    found: list[tuple[int, int, str, int]] = []  # (start, end, date or year, weight)
    taken: list[tuple[int, int]] = []
    for pattern in dates.FULL_DATES:
        for m in pattern.finditer(window):
            day = dates.parse_full_date(m.group(0))
            if day and (published is None or day <= published):
                found.append((lo + m.start(), lo + m.end(), day, 3))
                taken.append((m.start(), m.end()))
    if published:
        for pattern, month_first in ((dates.DAY_MONTH, False), (dates.MONTH_DAY, True)):
            for m in pattern.finditer(window):
                if any(a <= m.start() < b for a, b in taken):
                    continue
                month, day = (m.group(1), m.group(2)) if month_first else (m.group(2), m.group(1))
                resolved = dates.with_year(dates.MONTHS[month.lower()], int(day), published)
                if resolved:
                    found.append((lo + m.start(), lo + m.end(), resolved, 2))
        for m in dates.RELATIVE.finditer(window):
            if dates.NAMES_A_DATE.match(window, m.end()):
                continue  # "Friday 26 May 2023": the weekday of a date written in full
            resolved = dates.resolve_relative(m.group(2) or m.group(3), m.group(1), published)
            if resolved:
                # "on Thursday" six days back is more likely a day still to come ("due in court on Thursday")
                far = m.group(2) and (m.group(1) or "").lower() != "last" and _days_before(resolved, published) >= 5
                found.append((lo + m.start(), lo + m.end(), resolved, 1 if far else 2))
    for m in YEAR.finditer(window):
        if not any(a <= m.start() < b for a, b in taken) and (published is None or m.group(1) <= published[:4]):
            found.append((lo + m.start(), lo + m.end(), m.group(1), 1))
    return found


def event_day(content: str, published: str | None, ontology: Ontology) -> tuple[str | None, str | None, bool]:
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
    # "on Wednesday for the funeral of": the day of what follows ("late on Friday have arrested" is not)
    aftermath_after = re.compile(r"\S+(?:\s+\w+)?\s+(?:for|at|during)\s+(?:the\s+|a\s+|an\s+)?" + aftermath.pattern,
                                 re.IGNORECASE)
    for at in _incident_positions(content, ontology):
        for pos, end, value, weight in _dates_near(content, at, published):
            if pos < DATELINE_CHARS and value == published and not dates.RELATIVE.match(content, pos):
                continue  # the dateline says when it was written, not when it happened
            # the opening says when it happened (its first lines most of all); later paragraphs tell what followed
            weight += (pos < OPENING_CHARS) + (pos < LEAD_CHARS)
            before = _clause_before(content, pos)
            after = _words_after(content, pos)
            if aftermath.search(before) or aftermath_after.match(after) or STATEMENT.search(before) \
                    or STATEMENT_AFTER.match(after):
                weight -= 1  # "a fifth victim died in hospital on Tuesday", "police said on Monday": a day after
            elif incident_next.match(content, pos) or _one_clause(content, at, pos):
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
    # on a tie, the day told first: a report opens on its incident and recalls others after
    day = max(in_year, key=lambda d: (in_year[d], -first_seen[d])) if in_year else None
    return day, year, day in attached


def incident_window(content: str, published: str | None, ontology: Ontology) -> tuple[str, str] | None:
    """The stretch of days a vague date told with the incident's words covers ("last week's shooting",
    "the attack on Tamberi village earlier this month"), or None."""
    if not published:
        return None
    positions = _incident_positions(content, ontology)
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
    between = content[min(at, pos):max(at, pos)]
    return len(between) <= NEXT_TO and not re.search(r"[.,;:—–\n]|\b(?:as|after|when|while|since|before|because)\b",
                                                      between)


def _words_after(content: str, pos: int) -> str:
    """The words after a date ("on Wednesday for the funeral of"): what happened that day."""
    return " ".join(re.split(r"[.;:,—–]", content[pos:pos + CLAUSE_CHARS])[0].split()[:CLAUSE_WORDS])


def _days_before(day: str, published: str) -> int:
    return (date.fromisoformat(published) - date.fromisoformat(day)).days


@dataclass(frozen=True, slots=True)
class RecordCues:
    """What an event record's fields say: "Location: Tundu | Event date: 14 May 2023 | Admin1: Kobiri State"."""

    place: str | None = None
    date: str | None = None
    regions: tuple[str, ...] = ()


def record_cues(lead: str) -> RecordCues:
    """The place, date and enclosing regions an event record gives in labelled fields ("Location: X") or
    in the fields of a pipe-separated line ("24/10/2020 | Lakeport, Birchmere (Alder Crescent) | Shooting ...":
    its first date, and its last short name field before the description, the most specific)."""
    place = day = None
    regions: list[str] = []
    for m in FIELD.finditer(lead):
        key, value = m.group("key").strip().lower(), m.group("value").strip()
        if key in PLACE_FIELDS and place is None:
            place = _field_place(value)
        elif key in DATE_FIELDS and day is None:
            day = dates.parse_full_date(value)
        elif key in REGION_FIELDS or key.startswith("admin"):
            regions.append(_field_place(value) or "")
    for line in lead.splitlines():
        fields = [f.strip() for f in line.split("|")]
        if len(fields) < 3 or not any(_described(f) for f in fields):
            continue  # a record line has its description; a byline ("By X | 3 March 2020 | The Post") has none
        day = day or next((dates.parse_full_date(f) for f in fields if dates.parse_full_date(f)), None)
        names = []
        for f in fields:
            if _described(f):
                break
            if NAME_FIELD.match(f):
                names.append(_field_place(f))
        if names and place is None:
            place = names[-1]
            regions += names[:-1]
        break
    return RecordCues(place, day, tuple(r for r in regions if r and r != place))


def _described(field: str) -> bool:
    """A record's description, not a short field: a sentence of words."""
    return len(field.split()) >= DESCRIPTION_WORDS and not NAME_FIELD.match(field)


def _field_place(value: str) -> str | None:
    """ "Drumcallan, Co. Lisnagh" → drumcallan; "Oryana (city centre, Zarechna market)" → oryana."""
    head = re.split(r"[,(;]", value, maxsplit=1)[0]
    words = _name_words(head)
    return slug(" ".join(words)) if words and len(words) <= 3 else None


def yearless_dateline(lead: str) -> str | None:
    """ "MM-DD" of a wire dateline without a year ("DUNMORE, June 12 (Meridian Wire) —")."""
    m = YEARLESS_DATELINE.search(lead[:DATELINE_CHARS])
    if not m:
        return None
    month, day = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
    found = dates.valid(2000, dates.MONTHS[month.lower().rstrip(".")], int(day))  # a leap year: 29 February is a day
    return found[5:] if found else None


def event_cues(text: Text, claims: list[Claim], ontology: Ontology, published: str | None = None) -> EventCues:
    """What the document says of its incident; `published` stands in for a publication date the text lacks."""
    published = text.published or published
    content = foreground(content_of(text), ontology, published)
    lead = content[:_word_bounds(content, 0, LEAD_CHARS)[1]]
    opening = content[:_word_bounds(content, 0, OPENING_CHARS)[1]]
    sentences = [text.text[c.sentence_start:c.sentence_end] for c in claims if not c.wider_scope]
    sentences = [s for s in sentences if not _background(ontology).search(s)]
    people = frozenset(persons(content))
    scores: Counter[str] = Counter()
    for place, n in places([opening], people).items():
        scores[place] += n  # the first lines most of all
    for place, n in places([lead], people).items():
        scores[place] += 2 * n
    for place, n in places(sentences, people).items():
        scores[place] += n
    labelled = HEADLINE_PLACE.match(content)  # "Ashby Cross: shooting at ..."
    if labelled:
        scores[slug(" ".join(_name_words(labelled.group(1))))] += 2
    dateline = DATELINE_PLACE.search(lead)
    if dateline:
        scores[slug(" ".join(_name_words(dateline.group(1).title())))] += 2
    record = record_cues(text.text[:LEAD_CHARS])  # the fields themselves, which cleaning may mark as a menu
    if record.place:
        scores[record.place] += RECORD_PLACE_WEIGHT  # "Location: Tundu", "24/10/2020 | Lakeport, Birchmere | ..."
    for region in record.regions:
        scores.pop(region, None)
    if not scores:
        scores.update(places([content], people))
    headline = content.lstrip().split("\n", 1)[0][:HEADLINE_CHARS]
    for place in list(scores):
        if re.search(r"\b" + r"[\s'’-]+".join(place.split("-")) + r"\b", headline, re.IGNORECASE):
            scores[place] += 2  # "Brask buries its dead", "Army vows to hunt down Dalmak attackers"
    scores.pop("", None)
    if scores:
        # a place named in passing ("80 km from Port Calder, where ...") is no place of this incident
        top = max(scores.values())
        scores = Counter({k: n for k, n in scores.items() if n * 2 >= top})
    name_counts = names(content, ontology) + sites(lead)
    day, year, told_with_incident = event_day(content, published, ontology)
    if record.date and (published is None or record.date <= published):
        day, year, told_with_incident = record.date, record.date[:4], True  # "Event date: 14 May 2023"
    window = incident_window(content, published, ontology)
    if window and day and not (told_with_incident and window[0] <= day <= window[1]):
        day = None  # "killed in last week's shooting": the vigil's day is not the incident's
    ordered = tuple(sorted(scores, key=lambda k: (-scores[k], k)))
    return EventCues(
        places=ordered,
        weights=tuple(scores[k] for k in ordered),
        names=tuple(sorted(name_counts, key=lambda k: (-name_counts[k], k))),
        opening_names=tuple(sorted(set(names(opening, ontology)) | set(sites(opening)))),
        kind=kind_of([lead, *sentences], ontology),
        date=day,
        window=window if not day else None,
        year=year,
        published=published,
        dateline=None if text.published else yearless_dateline(lead),
    )


def provisional_id(cues: EventCues, doc_id: str) -> str:
    """The event id one document gives its incident before documents are compared."""
    parts = [cues.keys[0] if cues.keys else f"doc-{slug(doc_id)}"]
    if cues.kind:
        parts.append(cues.kind)
    if cues.date or cues.year:
        parts.append(cues.date or cues.year)
    return "-".join(parts)
