"""The link stage: which incident each report, and each figure, is about.

Per document, where it is processed (`document_cues`), the link stage reads its incident's cues (name, place,
kind, day, and the figures that recall an earlier incident) and gives its claims a readable provisional id,
`<place>-<kind>-<day>`; the cues are stored with the document. Across documents, `link_documents` reads only
those stored cues: `canonical_events` joins the reports of one incident, those that share a name or place and
whose days agree within a day, even when they share no sentence, and gives each incident one id, the same at
every re-ingest; every report gets one, with or without figures. Figures on a wider scope ("since the war
began") go to `<incident>-wider`, never mixed with the incident's own figures; a figure in a sentence recalling
an earlier dated incident goes to that incident.

The reading is in `places.py` (where), `days.py` (when), `cues.py` (the two together with the kind and an
event record's fields) and `recall.py` (figures about an earlier incident).
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date, timedelta

from claimledger import dates
from claimledger.link.cues import EventCues, event_cues, provisional_id
from claimledger.link.gazetteer import gazetteer
from claimledger.link.places import slug
from claimledger.link.recall import SAME_DAY_SLACK, RecalledIncidents, recall_of
from claimledger.ontology import Ontology
from claimledger.records import Claim, Text
from claimledger.unionfind import UnionFind

__all__ = ["EventCues", "canonical_events", "corpus_cues", "document_cues", "event_cues", "link_across_documents",
           "link_documents", "provisional_events", "slug", "WIDER"]

WIDER = "-wider"
FOLLOW_UP_DAYS = 10  # a report of the aftermath names its incident within this many days
SAME_SITE_DAYS = 7  # a report of what followed, in the days after, at the site it names first
AFTERMATH_DAYS = 120  # an arrest, a hearing, a death in hospital told weeks after the incident it names
UNDATED_LOOKBACK = 8  # a report without the day joins an incident of the week before it
PERSON_REACH_DAYS = 1100  # a trial or a sentencing may come three years after the incident
PERSON_REPORTS_MOST = 40
DESCRIPTION_REACH_DAYS = 400  # "the Riverside Plaza stabbing" in a court report months later  # reports naming one person: more, and the name is too common to tell incidents apart
CITY_PEOPLE = 100_000  # a town this large has more than one incident of a kind on some days
DATELINE_REACH = 62  # days: a year-less dateline takes the year that puts it this close after a related report

# reads one document's cues again with a publication date found across documents (a year-less dateline)
Reread = Callable[[str, str], EventCues]


def document_cues(text: Text, claims: list[Claim], ontology: Ontology, published: str | None = None) -> EventCues:
    """All the cross-document pass needs of one document: its incident's cues and the figures recalling another."""
    cues = event_cues(text, claims, ontology, published)
    recalls = []
    for claim in claims:
        if not claim.wider_scope:
            recalled = recall_of(text.text[claim.sentence_start:claim.sentence_end], cues, ontology)
            if recalled:
                recalls.append((claim.index, *recalled))
    return replace(cues, recalls=tuple(recalls))


def provisional_events(claims: list[Claim], cues: EventCues, doc_id: str) -> list[Claim]:
    """The claims of one document with the event id it gives its incident before documents are compared."""
    incident = provisional_id(cues, doc_id)
    return [replace(c, event=incident + WIDER if c.wider_scope else incident) for c in claims]


def _days_apart(a: str, b: str) -> int:
    return abs((date.fromisoformat(a) - date.fromisoformat(b)).days)


class DatedIndex:
    """The dated reports under each of their keys (place or name), in date order: the reports of a key within a
    stretch of days are found by bisection, so a town with thousands of reports is never scanned whole."""

    def __init__(self, cues: Mapping[str, EventCues], docs: list[str]):
        by_key: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for d in docs:
            if cues[d].date:
                for key in cues[d].keys:
                    by_key[key].append((cues[d].date, d))
        self.members = {key: sorted(found) for key, found in by_key.items()}
        self.days = {key: [day for day, _ in found] for key, found in self.members.items()}

    def within(self, key: str, first: str, last: str) -> list[str]:
        days = self.days.get(key)
        if not days:
            return []
        return [d for _, d in self.members[key][bisect_left(days, first):bisect_right(days, last)]]

    def sharing(self, keys: tuple[str, ...], first: str, last: str, but: str) -> list[str]:
        """Reports sharing one of `keys` dated from `first` to `last`, `but` one, in doc-id order."""
        return sorted({c for key in keys for c in self.within(key, first, last) if c != but})


def _shift(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def canonical_events(cues: Mapping[str, EventCues]) -> dict[str, str]:
    """One incident id per document: reports of one incident share it.

    Reports with a day are joined when they share a name or place and their
    days lie within a day of each other; a report of the aftermath, dated by
    its own day of writing, joins the earlier incident it names by street or
    building; a report without a day joins the incident of the same name or
    place it most plausibly follows; one without a place, the one incident of
    its kind on its day. Documents are compared only within the blocks of a
    shared place or name and a stretch of days, so a large corpus is not
    compared pair by pair.
    """
    docs = sorted(cues)
    incidents = UnionFind(docs)
    root, join = incidents.root, incidents.join
    index = DatedIndex(cues, docs)
    for members in index.members.values():
        for i, (day_a, a) in enumerate(members):
            for j in range(i + 1, len(members)):  # (no slice: a town's thousands of reports are not copied each time)
                day_b, b = members[j]
                if _days_apart(day_a, day_b) > SAME_DAY_SLACK:
                    break
                if _same_place_or_name(cues[a], cues[b]):
                    join(a, b)

    _join_by_people(cues, docs, join)
    _join_by_description(cues, docs, join)
    dated = [d for d in docs if cues[d].date]
    for d in dated:
        c = cues[d]
        # dated by its day of writing, or by what followed ("was charged Tuesday"), not by the incident's own day
        later = c.follow_up and not c.day_told_with_incident
        reach = FOLLOW_UP_DAYS if c.date == c.published else AFTERMATH_DAYS if later else 0
        if reach:
            earlier = index.sharing(c.keys, _shift(c.date, -reach), _shift(c.date, -1), d)
            target = _follow_up_target(c, earlier, cues, reach)
        elif c.follow_up and c.names and c.places:
            # a vigil, an arrest in the days after, at the street or building the report names first
            earlier = index.sharing(c.keys, _shift(c.date, -SAME_SITE_DAYS), _shift(c.date, -1), d)
            target = max((o for o in earlier if c.names[0] in cues[o].names and _same_place_or_name(cues[o], c)),
                         key=lambda o: (cues[o].date, o), default=None)
        else:
            target = None
        if target is not None:
            join(d, target)
    for d in docs:
        c = cues[d]
        if c.date or not c.keys:
            continue  # dated reports are joined above; a report with no place joins nothing by its day alone
        reach = _undated_reach(c)
        if reach:
            candidates = [o for o in index.sharing(c.keys, *reach, d) if _same_place_or_name(cues[o], c)]
            target = _undated_target(c, candidates, cues)
            if target is not None:
                join(d, target)
    # an undated report still alone that shares a street or place with undated reports already placed
    # ("the Larkspur Close fire" in two reports, one of them dated by its publication): their one incident;
    # by a town only in the year the report tells, never whatever the year
    keyed: dict[str, list[str]] = defaultdict(list)
    for d in docs:
        for key in cues[d].keys:
            keyed[key].append(d)
    sizes = Counter(root(d) for d in docs)
    for d in docs:
        if not cues[d].date and sizes[root(d)] == 1:
            groups: set[str] = set()
            sites = set(_sites_of(cues[d]))
            for c in (c for key in cues[d].keys for c in keyed[key]):
                in_year = not cues[d].year or (cues[c].date or cues[c].published or "")[:4] == cues[d].year
                if (c != d and sizes[root(c)] > 1 and _same_place_or_name(cues[c], cues[d])
                        and (in_year or sites & set(cues[c].names))):
                    groups.add(root(c))
                    if len(groups) > 1:
                        break
            if len(groups) == 1:
                join(d, groups.pop())
    groups_by_root: dict[str, list[str]] = {}
    for d in docs:
        groups_by_root.setdefault(root(d), []).append(d)
    out: dict[str, str] = {}
    for members in groups_by_root.values():
        name = _group_id([cues[m] for m in members], members[0])
        for m in members:
            out[m] = name
    return out


def _sites_of(cues: EventCues) -> list[str]:
    return [n for n in cues.names if n not in cues.places]


def _join_by_people(cues: Mapping[str, EventCues], docs: list[str], join) -> None:
    """Reports naming the same victim or suspect in full tell of one incident, however far apart their days (a
    sentencing two years on); a name in too many reports to tell incidents apart joins nothing."""
    by_person: dict[str, list[str]] = defaultdict(list)
    for d in docs:
        for person in cues[d].people:
            by_person[person].append(d)
    for members in by_person.values():
        if len(members) > PERSON_REPORTS_MOST:
            continue
        dated = sorted((cues[d].date or cues[d].published or "", d) for d in members)
        for (day_a, a), (day_b, b) in zip(dated, dated[1:]):
            if not day_a or not day_b or _days_apart(day_a, day_b) <= PERSON_REACH_DAYS:
                join(a, b)


def _join_by_description(cues: Mapping[str, EventCues], docs: list[str], join) -> None:
    """A report of what followed ("the man accused of the Riverside Plaza stabbing pleaded not guilty") joins the
    earlier reports that call the incident by the same name, within months; a town's name is no such name."""
    by_name: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for d in docs:
        day = cues[d].date or cues[d].published
        if day:
            for name in cues[d].descriptions:
                by_name[name].append((day, d))
    for members in by_name.values():
        if len(members) > PERSON_REPORTS_MOST:
            continue
        members.sort()
        for i, (day_a, a) in enumerate(members):
            for day_b, b in members[i + 1:]:
                if cues[b].follow_up and _days_apart(day_a, day_b) <= DESCRIPTION_REACH_DAYS:
                    join(a, b)


def _undated_reach(cues: EventCues) -> tuple[str, str] | None:
    """The days an undated report's incident may lie in: its window ("last week's shooting"), or the week before
    its publication; none without either (no join by default)."""
    if cues.window:
        return cues.window
    if cues.published:
        return _shift(cues.published, -UNDATED_LOOKBACK), cues.published
    return None


def _same_place_or_name(a: EventCues, b: EventCues) -> bool:
    """Two reports speak of one place when their main places agree, or each names the
    other's (a town and its suburb), or they share the incident's name. A place one
    report only mentions ("80 km from Port Calder") does not join it to that place's incident."""
    if set(a.names) & set(b.names):
        return True
    if not a.places or not b.places or (a.weapon and b.weapon and a.weapon != b.weapon):
        return False  # a stabbing and a shooting in one town are two incidents
    if a.places[0] == b.places[0]:
        return not _apart_in_a_city(a, b, a.places[0])
    return _close_second(a, b.places[0]) or _close_second(b, a.places[0])


def _apart_in_a_city(a: EventCues, b: EventCues, place: str) -> bool:
    """A city has several shootings a week: two reports that put theirs in one city but at streets or buildings
    none of which they share tell of two incidents. (In a village one incident a day is the rule, and reports of
    it name its market, its church and its main road in turn.)"""
    town = gazetteer().town(place)
    if town is None or town[1] < CITY_PEOPLE:
        return False
    sites_a, sites_b = set(a.names) - set(a.places), set(b.names) - set(b.places)
    return bool(sites_a and sites_b and not sites_a & sites_b)


def _close_second(cues: EventCues, place: str) -> bool:
    """A report torn between two places ("villagers in Brask ... fled to the town of Oren")
    may belong with either; one that clearly prefers its first does not."""
    return len(cues.places) > 1 and cues.places[1] == place and cues.weights[1] * 4 >= cues.weights[0] * 3



def _follow_up_target(follow_up: EventCues, earlier: list[str], cues: Mapping[str, EventCues],
                      reach: int) -> str | None:
    """A report of the aftermath ("two men were bailed on Tuesday over the Wexley Street stabbing"), dated by its
    own day of writing or by what followed (an arrest, a hearing weeks later), joins the latest earlier incident
    of its kind it names by its street or building, in its town."""
    # the sites its opening names; else the one it names most ("the shooting on Pennsylvania Avenue" further down)
    sites = set(follow_up.opening_names) - set(follow_up.places)
    if not sites and follow_up.follow_up:
        sites = set(follow_up.names[:1]) - set(follow_up.places)
    candidates = [c for c in earlier
                  if _days_apart(cues[c].date, follow_up.date) <= reach
                  and sites & (set(cues[c].names) - set(cues[c].places))
                  and (reach <= FOLLOW_UP_DAYS or not follow_up.kind or cues[c].kind in (None, follow_up.kind))
                  and (not follow_up.places or not cues[c].places or _same_place_or_name(cues[c], follow_up))]
    return max(candidates, key=lambda c: (cues[c].date, c)) if candidates else None


def _undated_target(undated: EventCues, candidates: list[str], cues: Mapping[str, EventCues]) -> str | None:
    if undated.window:  # "last week's shooting": the latest incident of its place in that week
        within = [c for c in candidates if undated.window[0] <= cues[c].date <= undated.window[1]]
        return max(within, key=lambda c: (cues[c].date, c)) if within else None
    before = [c for c in candidates if undated.published and cues[c].date <= undated.published]
    return max(before, key=lambda c: (cues[c].date, c)) if before else None


def _group_id(members: list[EventCues], first_doc: str) -> str:
    """A readable id from what the group's reports say most: place or name, kind, day."""
    keys = Counter(m.places[0] if m.places else m.names[0] for m in members if m.keys)
    kinds = Counter(m.kind for m in members if m.kind)
    days = Counter(m.date for m in members if m.date)
    years = Counter(m.year for m in members if m.year)
    parts = [min(keys, key=lambda k: (-keys[k], k)) if keys else f"doc-{slug(first_doc)}"]
    if kinds:
        parts.append(min(kinds, key=lambda k: (-kinds[k], k)))
    if days:
        parts.append(min(days, key=lambda d: (-days[d], d)))
    elif years:
        parts.append(min(years, key=lambda y: (-years[y], y)))
    return "-".join(parts)


def with_dateline_years(cues: Mapping[str, EventCues], reread: Reread) -> dict[str, EventCues]:
    """Each document's cues, read with what the other documents tell: a wire dateline without a year
    ("DUNMORE, June 12 (Wire) —") takes the year of the reports about the same place it follows (only those
    documents are read again)."""
    out = dict(cues)
    waiting = [d for d in sorted(cues) if cues[d].dateline and not cues[d].published]
    if not waiting:
        return out
    index = DatedIndex(cues, sorted(cues))
    published_years = {c.published[:4] for c in cues.values() if c.published}
    for d in waiting:
        c = cues[d]
        related = [cues[o] for o in index.sharing(c.keys, "0000-01-01", "9999-12-31", d)
                   if _same_place_or_name(cues[o], c)]
        year = _dateline_year(c, related, published_years - {None})
        if year:
            out[d] = reread(d, f"{year}-{c.dateline}")
    return out


def _dateline_year(cues_d: EventCues, related: list[EventCues], published_years: set[str]) -> str | None:
    """The year that puts a year-less dateline closest after a dated report of the same place or name;
    else the one year of the corpus, when its reports all come from one."""
    best: tuple[int, str] | None = None
    for other in related:
        for year in {int(other.date[:4]), int(other.date[:4]) + 1}:
            day = dates.valid(year, int(cues_d.dateline[:2]), int(cues_d.dateline[3:]))
            if day and day >= other.date and _days_apart(day, other.date) <= DATELINE_REACH:
                best = min(best or (10**6, ""), (_days_apart(day, other.date), day[:4]))
    if best:
        return best[1]
    return next(iter(published_years)) if len(published_years) == 1 else None


def link_documents(cues: Mapping[str, EventCues], claims: list[Claim],
                   reread: Reread | None = None) -> tuple[dict[str, str], list[Claim], dict[str, EventCues]]:
    """The incident of every document and every claim, from the documents' stored cues alone.

    Returns (event by document, claims with their event ids, the cues as used: a year-less dateline's report
    read again with its year, when `reread` is given). A claim in a sentence that recalls an earlier incident
    ("On May 14, three people were shot dead outside a pub on Harbor Street") goes to that incident.
    """
    if reread is not None:
        cues = with_dateline_years(cues, reread)
    canonical = canonical_events(cues)
    recalled = RecalledIncidents(cues, canonical)
    recalls = {(d, i): (day, keys, own) for d, c in cues.items() for i, day, keys, own in c.recalls}
    out = []
    for claim in claims:
        incident = canonical.get(claim.doc_id)
        if incident is None:
            out.append(claim)
        elif claim.wider_scope:
            out.append(replace(claim, event=incident + WIDER))
        else:
            recall = recalls.get((claim.doc_id, claim.index))
            out.append(replace(claim, event=recalled.incident_of(*recall) if recall else incident))
    return canonical, out, dict(cues)


def corpus_cues(texts: Mapping[str, Text], claims_by_doc: Mapping[str, list[Claim]],
                ontology: Ontology) -> dict[str, EventCues]:
    """Each document's cues read from its text, with year-less datelines resolved across documents."""
    cues = {d: document_cues(texts[d], cs, ontology) for d, cs in claims_by_doc.items() if d in texts}
    return with_dateline_years(cues, lambda d, published: document_cues(texts[d], claims_by_doc[d], ontology,
                                                                         published))


def link_across_documents(texts: Mapping[str, Text], claims: list[Claim], ontology: Ontology) -> list[Claim]:
    """Every claim with the event id of its incident as all documents together see it (reading the texts)."""
    by_doc: dict[str, list[Claim]] = {d: [] for d in texts}
    for claim in claims:
        by_doc.setdefault(claim.doc_id, []).append(claim)
    return link_documents(corpus_cues(texts, by_doc, ontology), claims)[1]
