"""The reconcile stage: claims of one (event, measure, subgroup) → a `Finding`.

It never picks a true figure. It says whether one value could satisfy every
claim (consistent) or none can (conflicting), the range reported, how many
independent sources stand behind the figures, and flags what a researcher
should look at: a part larger than its whole, subgroups past their total, a
cumulative figure that shrinks in later reports, figures carried only by
copies of one source.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import TYPE_CHECKING

from claimledger.records import Claim, FigureSupport, Finding

if TYPE_CHECKING:  # the ontology (YAML, JSON Schema) is passed in; `show` reads findings without loading it
    from claimledger.ontology import Ontology

HEDGE_WORDS = {"at_least": "at least", "more_than": "more than", "at_most": "up to", "less_than": "fewer than",
               "about": "about"}
CUMULATIVE = {"killed", "wounded", "severely_wounded", "disabled", "orphaned", "half_orphaned", "families_destroyed"}


def interval(claim: Claim) -> tuple[float, float]:
    low = claim.low if claim.low is not None else 0
    high = claim.high if claim.high is not None else float("inf")
    return low, high


def figure_text(claim: Claim) -> str:
    """A claim's figure as a reader would say it: "at least 27", "200–999 (vague)"."""
    if claim.qualifier == "exact":
        return f"{claim.value:,}"
    if claim.qualifier in ("range", "vague"):
        high = f"{claim.high:,}" if claim.high is not None else "…"
        return f"{claim.low:,}–{high}" + (" (vague)" if claim.qualifier == "vague" else "")
    return f"{HEDGE_WORDS.get(claim.qualifier, claim.qualifier)} {claim.value:,}"


def group_key(claim: Claim) -> tuple[str, str, str | None] | None:
    """Breakdowns by a free-text victim ("among them 8 police officers") stay out of the totals."""
    if claim.event is None or (claim.breakdown_of is not None and claim.subgroup is None and claim.victim):
        return None
    return claim.event, claim.measure, claim.subgroup


def status_of(claims: list[Claim]) -> str:
    if len(claims) == 1:
        return "single"
    lows, highs = zip(*(interval(c) for c in claims))
    return "consistent" if max(lows) <= min(highs) else "conflicting"


def reconcile(
    claims: list[Claim],
    clusters: Mapping[str, str],
    published: Mapping[str, str | None],
    ontology: Ontology,
) -> list[Finding]:
    groups: dict[tuple, list[Claim]] = defaultdict(list)
    for claim in claims:
        key = group_key(claim)
        if key is not None:
            groups[key].append(claim)
    findings = {key: _finding(key, group, clusters, published) for key, group in groups.items()}
    flags = _cross_flags(groups, findings, ontology)
    out = []
    for key in sorted(findings, key=lambda k: (k[0], k[1], k[2] or "")):
        f = findings[key]
        extra = tuple(flags.get(key, ()))
        out.append(Finding(**{**_as_dict(f), "flags": f.flags + extra}))
    return out


def _as_dict(f: Finding) -> dict:
    return {name: getattr(f, name) for name in Finding.__slots__}


def _finding(key, group: list[Claim], clusters, published) -> Finding:
    event, measure, subgroup = key
    doc_ids = tuple(sorted({c.doc_id for c in group}))
    sources = {clusters.get(d, d) for d in doc_ids}
    lows = [c.low for c in group if c.low is not None]
    highs = [c.high for c in group if c.high is not None]
    dates = sorted(p for d in doc_ids if (p := published.get(d)))
    flags = []
    if len(doc_ids) > 1 and len(sources) == 1:
        flags.append("carried only by copies of one source")
    if measure in CUMULATIVE and _shrinks(group, published):
        flags.append("a later report gives a lower figure")
    values = []
    for c in sorted(group, key=lambda c: (c.low or 0, c.high or 0)):
        text = figure_text(c)
        if text not in values:
            values.append(text)
    support = tuple(_support(figure, [c for c in group if figure_text(c) == figure], clusters, published)
                    for figure in values)
    return Finding(
        event=event,
        measure=measure,
        subgroup=subgroup,
        status=status_of(group),
        low=min(lows) if lows else None,
        high=max(highs) if highs else None,
        doc_ids=doc_ids,
        claims=len(group),
        independent_sources=len(sources),
        values=tuple(values),
        first_published=dates[0] if dates else None,
        last_published=dates[-1] if dates else None,
        flags=tuple(flags),
        support=support,
    )


def _support(figure: str, claims: list[Claim], clusters, published) -> FigureSupport:
    doc_ids = tuple(sorted({c.doc_id for c in claims}))
    dates = sorted(p for d in doc_ids if (p := published.get(d)))
    return FigureSupport(
        figure=figure,
        doc_ids=doc_ids,
        independent_sources=len({clusters.get(d, d) for d in doc_ids}),
        claimants=tuple(sorted({c.claimant for c in claims if c.claimant})),
        first_published=dates[0] if dates else None,
    )


def _shrinks(group: list[Claim], published) -> bool:
    """A cumulative toll should not fall: flag an exact figure below an earlier report's lower bound."""
    dated = [(published[c.doc_id], c) for c in group if published.get(c.doc_id)]
    best_low = None
    for date, claim in sorted(dated, key=lambda x: x[0]):
        if best_low is not None and claim.high is not None and claim.high < best_low[1] and date > best_low[0]:
            return True
        if claim.low is not None and (best_low is None or claim.low > best_low[1]):
            best_low = (date, claim.low)
    return False


def _cross_flags(groups, findings, ontology: Ontology) -> dict[tuple, list[str]]:
    """Flags that compare one finding with another: parts and wholes, subgroups and totals."""
    flags: dict[tuple, list[str]] = defaultdict(list)
    for key, finding in findings.items():
        event, measure, subgroup = key
        whole_measure = ontology.measures[measure].part_of if measure in ontology.measures else None
        if whole_measure:
            whole = findings.get((event, whole_measure, subgroup))
            if whole and whole.high is not None and finding.low is not None and finding.low > whole.high:
                flags[key].append(f"larger than its whole ({whole_measure})")
        if subgroup is not None:
            total = findings.get((event, measure, None))
            if total and total.high is not None and finding.low is not None and finding.low > total.high:
                flags[key].append("subgroup larger than the total")
    flags_for_sums(groups, flags)
    return flags


def flags_for_sums(groups, flags) -> None:
    """Within one document, breakdowns that add up past the total they break down."""
    by_doc: dict[str, dict[int, Claim]] = defaultdict(dict)
    for group in groups.values():
        for claim in group:
            by_doc[claim.doc_id][claim.index] = claim
    for doc_id, claims in by_doc.items():
        parts: dict[int, int] = defaultdict(int)
        for claim in claims.values():
            if claim.breakdown_of is not None and claim.subgroup is not None and claim.low is not None:
                parts[claim.breakdown_of] += claim.low
        for index, total in parts.items():
            whole = claims.get(index)
            if whole is not None and whole.high is not None and total > whole.high:
                key = group_key(whole)
                flags[key].append(f"subgroups add up past the total in {doc_id}")
