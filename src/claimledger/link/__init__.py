"""The link stage: which event each claim is about.

Per document, `link_claims` reads the incident's cues (name, place, kind,
day) and gives its claims a readable provisional id, `<place>-<kind>-<day>`.
Across documents, `canonical_events` joins the reports of one incident,
those that share a name or place and whose days agree within a day, even
when they share no sentence, and gives each incident one id, the same at
every re-ingest. Figures on a wider scope ("since the war began") go to
`<incident>-wider`, never mixed with the incident's own figures.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from datetime import date

from claimledger.link.cues import EventCues, event_cues, provisional_id, slug
from claimledger.ontology import Ontology
from claimledger.records import Claim, Text
from claimledger.unionfind import UnionFind

__all__ = ["EventCues", "canonical_events", "event_cues", "link_across_documents", "link_claims", "slug", "WIDER"]

WIDER = "-wider"
SAME_DAY_SLACK = 1  # "late Friday" and "early Saturday" are one shooting
UNDATED_LOOKBACK = 8  # a report without the day joins an incident of the week before it


def link_claims(text: Text, claims: list[Claim], ontology: Ontology) -> list[Claim]:
    """The claims of one document with their provisional event ids set."""
    if not claims:
        return []
    incident = provisional_id(event_cues(text, claims, ontology), text.doc_id)
    return [replace(c, event=incident + WIDER if c.wider_scope else incident) for c in claims]


def _days_apart(a: str, b: str) -> int:
    return abs((date.fromisoformat(a) - date.fromisoformat(b)).days)


def canonical_events(cues: Mapping[str, EventCues]) -> dict[str, str]:
    """One incident id per document: reports of one incident share it.

    Reports with a day are joined when they share a name or place and their
    days lie within a day of each other; a report without a day joins the
    incident of the same name or place it most plausibly follows.
    """
    docs = sorted(cues)
    incidents = UnionFind(docs)
    root, join = incidents.root, incidents.join

    dated = [d for d in docs if cues[d].date and cues[d].keys]
    for i, a in enumerate(dated):
        for b in dated[i + 1:]:
            if _same_place_or_name(cues[a], cues[b]) and _days_apart(cues[a].date, cues[b].date) <= SAME_DAY_SLACK:
                join(a, b)
    for d in docs:
        if cues[d].date and cues[d].keys:
            continue
        if cues[d].keys:
            candidates = [c for c in dated if _same_place_or_name(cues[c], cues[d])]
            target = _undated_target(cues[d], candidates, cues)
        else:
            target = _placeless_target(cues[d], dated, cues, root)
        if target is not None:
            join(d, target)

    groups: dict[str, list[str]] = {}
    for d in docs:
        groups.setdefault(root(d), []).append(d)
    out: dict[str, str] = {}
    for members in groups.values():
        name = _group_id([cues[m] for m in members], members[0])
        for m in members:
            out[m] = name
    return out


def _same_place_or_name(a: EventCues, b: EventCues) -> bool:
    """Two reports speak of one place when their main places agree, or each names the
    other's (a town and its suburb), or they share the incident's name. A place one
    report only mentions ("80 km from Port Calder") does not join it to that place's incident."""
    if set(a.names) & set(b.names):
        return True
    if not a.places or not b.places:
        return False
    return a.places[0] == b.places[0] or _close_second(a, b.places[0]) or _close_second(b, a.places[0])


def _close_second(cues: EventCues, place: str) -> bool:
    """A report torn between two places ("villagers in Brask ... fled to the town of Oren")
    may belong with either; one that clearly prefers its first does not."""
    return len(cues.places) > 1 and cues.places[1] == place and cues.weights[1] * 4 >= cues.weights[0] * 3


def _placeless_target(cues_d: EventCues, dated: list[str], cues: Mapping[str, EventCues], root) -> str | None:
    """A report that names no place joins the one incident of its kind on its day, if there is just one."""
    if not cues_d.date or not cues_d.kind:
        return None
    groups = {root(c) for c in dated
              if cues[c].kind == cues_d.kind and _days_apart(cues[c].date, cues_d.date) <= SAME_DAY_SLACK}
    return min(groups) if len(groups) == 1 else None


def _undated_target(undated: EventCues, candidates: list[str], cues: Mapping[str, EventCues]) -> str | None:
    if undated.published:
        before = [c for c in candidates
                  if cues[c].date <= undated.published
                  and _days_apart(cues[c].date, undated.published) <= UNDATED_LOOKBACK]
        if before:
            return max(before, key=lambda c: (cues[c].date, c))
    if undated.year:
        same_year = {cues[c].date for c in candidates if cues[c].date[:4] == undated.year}
        if len(same_year) == 1:
            return min(c for c in candidates if cues[c].date in same_year)
    if len({cues[c].date for c in candidates}) == 1:
        return min(candidates)
    return None


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


def link_across_documents(texts: Mapping[str, Text], claims: list[Claim], ontology: Ontology) -> list[Claim]:
    """Every claim with the event id of its incident as all documents together see it."""
    by_doc: dict[str, list[Claim]] = {}
    for claim in claims:
        by_doc.setdefault(claim.doc_id, []).append(claim)
    cues = {d: event_cues(texts[d], cs, ontology) for d, cs in by_doc.items() if d in texts}
    canonical = canonical_events(cues)
    out = []
    for claim in claims:
        incident = canonical.get(claim.doc_id)
        if incident is None:
            out.append(claim)
        else:
            out.append(replace(claim, event=incident + WIDER if claim.wider_scope else incident))
    return out
