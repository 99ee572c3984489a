"""What a report says about its incident: its name, where, what kind, and on which day.

`event_cues` puts together the place (`places.py`), the day (`days.py`), the kind, and what an event record's
fields give ("Location: Tundu | Event date: 14 May 2023"), after blanking the sentences that tell of other
incidents ("a separate attack ... the same day").
"""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, fields
from pathlib import Path

from claimledger import dates
from claimledger.link.days import (
    LEAD_CHARS, OPENING_CHARS, event_day, incident_window, recalls, word_bounds, yearless_dateline,
)
from claimledger.link.gazetteer import COUNTY, county_town, gazetteer, named_in, writes_month_first
from claimledger.link.people import people as people_named
from claimledger.link.places import (
    DATELINE_PLACE, HEADLINE_PLACE, NAME_WORD, REGION_NAME, common_word, entry_place, name_words, names, persons,
    places, sites, slug,
)
from claimledger.ontology import Ontology
from claimledger.records import Claim, Text

# event records: "Location: Tundu", "Event date: 14 May 2023", "Admin1: Kobiri State" (a field per line or per "|")
FIELD = re.compile(r"(?:^|\|)[ \t]*(?P<key>[A-Za-z][A-Za-z0-9 ]{0,18}?)[ \t]*:[ \t]*(?P<value>[^|\n]+)", re.MULTILINE)
PLACE_FIELDS = {"location", "place", "village", "town", "city", "locality", "site"}
DATE_FIELDS = {"event date", "date", "date of event", "incident date"}
REGION_FIELDS = {"country", "region", "province", "state", "district", "county", "admin1", "admin2", "admin3"}
NAME_FIELD = re.compile(rf"^{NAME_WORD}(?:[ \t]+{NAME_WORD}){{0,2}}(?:,[^|]*|[ \t]*\([^|]*\))?$")
DESCRIPTION_WORDS = 6  # a field of this many words is the record's description
RECORD_PLACE_WEIGHT = 8
HEADLINE_CHARS = 160
PUBLISHED_HEAD_CHARS = 300  # where a page writes its day of writing ("Posted: 03/04/2019 10:41 PM")
# what follows an incident, besides the ontology's aftermath phrases: the courts' words
COURT_WORDS = ("sentenced", "pleaded", "pled", "convicted", "indicted", "trial", "verdict", "jury", "lawsuit", "sued",
               "hearing", "bond", "arraigned", "acquitted", "guilty", "suspect", "accused")


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
    people: tuple[str, ...] = ()  # its victims' and suspects' full names, as slugs ("tremaine-joseph")
    follow_up: bool = False  # its opening tells what followed an incident: an arrest, a hearing, a funeral
    descriptions: tuple[str, ...] = ()  # what its opening calls the incident, no town: "the Riverside Plaza stabbing"
    day_told_with_incident: bool = False  # its day is written beside the incident's words ("Tuesday's shooting")
    weapon: str | None = None  # its kind when the kind is told by the weapon (a shooting, a stabbing)
    # figures recalling an earlier incident: (claim index, its day, the places or names told with it, an id of its own)
    recalls: tuple[tuple[int, str, tuple[str, ...], str], ...] = ()

    @property
    def keys(self) -> tuple[str, ...]:
        return self.places + tuple(n for n in self.names if n not in self.places)

    def as_json(self) -> dict:
        """The form the ledger stores, marked with the reading that made it."""
        return {"reader": READER, **{f.name: getattr(self, f.name) for f in fields(self)}}

    @classmethod
    def from_json(cls, raw: dict | None) -> EventCues | None:
        """The cues as stored; None when there are none, or an older reading made them (to be read again)."""
        if not raw or raw.get("reader") != READER:
            return None
        values = {f.name: raw.get(f.name) for f in fields(cls)}
        for name in ("places", "weights", "names", "opening_names", "people", "descriptions"):
            values[name] = tuple(values[name] or ())
        values["window"] = tuple(values["window"]) if values["window"] else None
        values["recalls"] = tuple((i, day, tuple(keys), own) for i, day, keys, own in values["recalls"] or ())
        return cls(**values)


def _reader_fingerprint() -> str:
    """Stored cues are read again when the code that reads them changes: a hash of that code."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")) + [Path(dates.__file__)]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


READER = _reader_fingerprint()


def _background(ontology: Ontology) -> re.Pattern:
    """Compiled once: `re` keeps its recent patterns."""
    words = sorted(ontology.background_markers, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) + r")\b", re.IGNORECASE)


SENTENCE_PIECE = r"[^.!?\n]+[.!?]?"  # a sentence, or a line without a sentence's end


def foreground(content: str, ontology: Ontology, published: str | None = None) -> str:
    """The content with its background sentences blanked: they tell of other incidents ("It came on the same
    day as a separate attack on Kovanu"; after the opening, "On 5 June 2021, gunmen killed 14 in Tamberi" in a
    report written years later). Offsets are kept."""
    pattern = _background(ontology)

    def background(m: re.Match) -> bool:
        # an old date in the opening is the report's own subject (an anniversary, a massacre decades ago)
        return bool(pattern.search(m.group(0))) or (
            published is not None and m.start() >= OPENING_CHARS and recalls(m.group(0), published))

    return re.sub(SENTENCE_PIECE, lambda m: " " * len(m.group(0)) if background(m) else m.group(0), content)


def content_of(text: Text) -> str:
    return " ".join(text.text[s.start:s.end] for s in text.content_spans())


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
    words = name_words(head)
    return slug(" ".join(words)) if words and len(words) <= 3 else None


def event_cues(text: Text, claims: list[Claim], ontology: Ontology, published: str | None = None) -> EventCues:
    """What the document says of its incident; `published` stands in for a publication date the text lacks."""
    published = text.published or published
    content = foreground(content_of(text), ontology, published)
    lead = content[:word_bounds(content, 0, LEAD_CHARS)[1]]
    opening = content[:word_bounds(content, 0, OPENING_CHARS)[1]]
    sentences = [text.text[c.sentence_start:c.sentence_end] for c in claims if not c.wider_scope]
    sentences = [s for s in sentences if not _background(ontology).search(s)]
    record = record_cues(text.text[:LEAD_CHARS])  # the fields themselves, which cleaning may mark as a menu
    site_names = set(sites(lead)) | set(names(lead, ontology))
    named = people_named(_without_other_incidents(content, ontology), frozenset(site_names))
    person_words = frozenset(w for p in named for w in p.split("-"))
    scores = _place_scores(content, lead, opening, sentences, record, ontology, person_words)
    named = Counter({p: n for p, n in named.items() if p not in scores})
    told = _without_other_incidents(content, ontology)  # "a day after a man was shot on Sherman Boulevard"
    if told != content:
        told = _elsewhere_blanked(told, scores, person_words)
    name_counts = names(told, ontology) + sites(told[:len(lead)])
    dateline = DATELINE_PLACE.search(lead)
    month_first = writes_month_first([*sorted(scores, key=lambda k: -scores[k])[:3],
                                      *([dateline.group(1)] if dateline else [])], text.text)
    in_convention = _published_in_convention(text, month_first)
    if in_convention and in_convention != published:  # "Posted: 03/04/2019" in a Memphis paper is 4 March
        published = in_convention
        content = foreground(content_of(text), ontology, published)
    day, year, told_with_incident = event_day(content, published, ontology, month_first)
    if record.date and (published is None or record.date <= published):
        day, year, told_with_incident = record.date, record.date[:4], True  # "Event date: 14 May 2023"
    window = incident_window(content, published, ontology)
    if window and day and not (told_with_incident and window[0] <= day <= window[1]):
        # "killed in last week's shooting": the vigil's day is not the incident's; a day the text gives in that
        # window is ("last month's fatal shooting ... shot around 6:50 p.m. on June 12")
        day, _, told_with_incident = event_day(content, published, ontology, month_first, within=window)
        day = day if told_with_incident else None
    ordered = tuple(sorted(scores, key=lambda k: (-scores[k], k)))
    kind = kind_of([lead, *sentences], ontology)
    return EventCues(
        places=ordered,
        weights=tuple(scores[k] for k in ordered),
        names=tuple(sorted(name_counts, key=lambda k: (-name_counts[k], k))),
        opening_names=tuple(sorted(set(names(opening, ontology)) | set(sites(opening)))),
        kind=kind,
        weapon=kind if kind in ontology.weapon_kinds else None,
        date=day,
        window=window if not day else None,
        year=year,
        published=published,
        dateline=None if text.published else yearless_dateline(lead),
        people=tuple(sorted(named)),
        follow_up=_tells_aftermath(opening, ontology),
        descriptions=tuple(sorted(d for d in names(opening, ontology) if d not in scores and not known_town(d))),
        day_told_with_incident=bool(day and told_with_incident),
    )


def known_town(name: str) -> bool:
    return gazetteer().town(name) is not None


def _published_in_convention(text: Text, month_first: bool | None) -> str | None:
    """The day of writing read again in the report's convention, when it was read from a numeric date at the
    head of the text that reads both ways ("Posted: 03/04/2019")."""
    if month_first is None or not text.published:
        return None
    head = text.text[:PUBLISHED_HEAD_CHARS]
    m = dates.NUMERIC.search(head)
    if m is None or dates.parse_full_date(m.group(0)) != text.published:
        return None
    return dates.parse_full_date(m.group(0), month_first)


def _tells_aftermath(opening: str, ontology: Ontology) -> bool:
    words = sorted({*ontology.aftermath_phrases, *COURT_WORDS}, key=len, reverse=True)
    return re.search(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")", opening, re.IGNORECASE) is not None


def _place_scores(content: str, lead: str, opening: str, sentences: list[str], record: RecordCues, ontology: Ontology,
                  person_words: frozenset[str] = frozenset()) -> Counter[str]:
    """How strongly the report puts its incident in each town: the opening counts most, then the lead, the
    figures' own sentences, a labelled headline, a dateline, an event record's fields, a list entry's heading;
    a town the headline names gains; one named in passing is dropped."""
    people = frozenset(persons(content)) | person_words
    content, lead, opening = (_without_other_incidents(t, ontology) for t in (content, lead, opening))
    sentences = [_without_other_incidents(t, ontology) for t in sentences]
    scores: Counter[str] = Counter()
    for place, n in places([opening], people).items():
        scores[place] += n  # the first lines most of all
    for place, n in places([lead], people).items():
        scores[place] += 2 * n
    for place, n in places(sentences, people).items():
        scores[place] += n
    labelled = HEADLINE_PLACE.match(content)  # "Ashby Cross: shooting at ..."
    if labelled and not common_word(labelled.group(1), content):
        scores[slug(" ".join(name_words(labelled.group(1))))] += 2
    dateline = DATELINE_PLACE.search(lead)
    if dateline:
        place = slug(" ".join(name_words(dateline.group(1).title())))
        if place in scores or not scores:  # the story's place beats the dateline ("ATLANTA (AP) — ... in Macon")
            scores[place] += 2
    if record.place:
        scores[record.place] += RECORD_PLACE_WEIGHT  # "Location: Tundu", "24/10/2020 | Lakeport, Birchmere | ..."
    heading = entry_place(content, people)
    if heading and heading != record.place:
        scores[heading] += RECORD_PLACE_WEIGHT  # "12 June 1998 – Korrovo, Drenza district: ..."
    for region in record.regions:
        scores.pop(region, None)
    if not scores:
        scores.update(places([content], people))
    if not scores:  # "a Bernalillo County judge", "a Duval County jury": the county whose court it is, nothing finer
        scores.update(slug(m.group(0)) for m in COUNTY.finditer(content) if slug(m.group(0)) in gazetteer().us_counties)
    headline = content.lstrip().split("\n", 1)[0][:HEADLINE_CHARS]
    for place in list(scores):
        if named_in(place, headline):
            scores[place] += 2  # "Brask buries its dead", "Army vows to hunt down Dalmak attackers"
    scores.pop("", None)
    if scores:
        # a place named in passing ("80 km from Port Calder, where ...") is no place of this incident
        top = max(scores.values())
        scores = Counter({k: n for k, n in scores.items() if n * 2 >= top})
        first = max(scores, key=lambda k: (scores[k], k))
        town = county_town(first, content) if REGION_NAME.search(" " + first.replace("-", " ")) else None
        if town and town not in scores:
            scores[town] = scores[first]  # "a Duval County jury" and nothing finer: Jacksonville too
    return scores


# "hours after a teen's killing in Algiers", "a day after a drive-by in Englewood", "Less than seven hours
# earlier, a teenager was shot near ...": the place of another incident, told to set the scene
OTHER_INCIDENT = re.compile(r"\b(?:(?:hours|minutes|a\s+day|days|a\s+week|weeks|a\s+month|months)\s+"
                            r"(?:after|before|earlier)|(?:began|started)\s+with|(?:the\s+)?(?:second|third|fourth|"
                            r"fifth|latest|another)\s+(?:fatal\s+|deadly\s+)?(?:shooting|stabbing|killing|homicide|"
                            r"attack|death)s?\b)[^.;\n]*", re.IGNORECASE)


def _elsewhere_blanked(content: str, own_places: Counter[str], people: frozenset[str]) -> str:
    """A report that tells of another incident too ("the second shooting in the city in 24 hours") may tell it
    further down without a word to say so ("Early Saturday, a man was wounded on Vine Street in Over-the-Rhine"):
    its sentences that put themselves in other places than the report's own are blanked (offsets kept)."""
    def elsewhere(m: re.Match) -> bool:
        told = places([m.group(0)], people)
        return bool(told) and not any(p in own_places for p in told)

    return re.sub(SENTENCE_PIECE, lambda m: " " * len(m.group(0)) if elsewhere(m) else m.group(0), content)


def _harm(ontology: Ontology) -> re.Pattern:
    """Words of harm or of an incident: "hours after" tells of another incident only with one of them ("hours after
    a teen's killing", not "minutes before the fire started"). Compiled once: `re` keeps its recent patterns."""
    kind_words = (w for words in (ontology.event_kinds or {}).values() for w in words)
    words = {*ontology.harm_words, *ontology.incident_nouns, *kind_words}
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")",
                      re.IGNORECASE)


def _without_other_incidents(passage: str, ontology: Ontology) -> str:
    """The passage with the clauses that tell of another incident blanked (offsets kept)."""
    harm = _harm(ontology)
    return OTHER_INCIDENT.sub(lambda m: " " * len(m.group(0)) if harm.search(m.group(0)) else m.group(0), passage)


def provisional_id(cues: EventCues, doc_id: str) -> str:
    """The event id one document gives its incident before documents are compared."""
    parts = [cues.keys[0] if cues.keys else f"doc-{slug(doc_id)}"]
    if cues.kind:
        parts.append(cues.kind)
    if cues.date or cues.year:
        parts.append(cues.date or cues.year)
    return "-".join(parts)
