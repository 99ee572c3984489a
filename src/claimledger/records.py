"""The typed, immutable records that pass between the pipeline's stages.

Every stage takes and returns these; none of them knows how it is stored or
which engine carries it.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Document:
    """One input as read: raw bytes (or already-decoded text) plus where it came from."""

    doc_id: str
    origin: str  # the file (and line or record) it was read from, for messages
    media_type: str  # "text/plain" or "text/html"
    content: str  # decoded text or HTML
    content_hash: str  # sha256 of the decoded content: the idempotency key
    title: str | None = None
    url: str | None = None
    published: str | None = None  # ISO date given by the input itself (JSONL, WARC)
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input that could not be used, with the reason a user can act on."""

    origin: str
    reason: str
    doc_id: str | None = None


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Text:
    """A document's text as the ledger stores it, with boilerplate spans marked.

    Offsets of claims index `text`. For plain text it is the file's decoded
    text unchanged; for HTML it is the extracted main text.
    """

    doc_id: str
    text: str
    boilerplate: tuple[Span, ...] = ()
    title: str | None = None
    published: str | None = None
    site: str | None = None
    url: str | None = None
    author: str | None = None
    language: str | None = None

    def content_spans(self) -> list[Span]:
        """The spans of `text` that are not boilerplate, in order."""
        spans, cursor = [], 0
        for bp in sorted(self.boilerplate, key=lambda s: s.start):
            if bp.start > cursor:
                spans.append(Span(cursor, bp.start))
            cursor = max(cursor, bp.end)
        if cursor < len(self.text):
            spans.append(Span(cursor, len(self.text)))
        return spans


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number as written, with its hedge, read as an interval."""

    start: int  # the hedge's start when there is one
    end: int
    value: int | None  # None for vague amounts and ranges
    qualifier: str  # exact, at_least, more_than, at_most, less_than, about, range, vague
    low: int | None
    high: int | None
    number_start: int  # where the number itself starts (after the hedge)


@dataclass(frozen=True, slots=True)
class Claim:
    """One reported figure: what was counted, how many, who says so, where it stands.

    `start:end` is the figure as written, hedge included ("at least 12", "two men", "the mayor and his
    driver"): the export's `quote` is the document's text over that span.
    """

    doc_id: str
    measure: str
    subgroup: str | None
    value: int | None
    qualifier: str
    low: int | None
    high: int | None
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    event: str | None = None
    claimant: str | None = None
    victim: str | None = None
    scope: str | None = None
    wider_scope: bool = False  # the scope makes it a figure about the wider conflict, not the incident
    breakdown_of: int | None = None  # index of the total this claim breaks down, within its document
    index: int = 0  # position of the claim within its document's claims
    # a running total the report adds up across sentences ("killing two ... then two more"): its parts' indices
    derived_from: tuple[int, ...] = ()

    @property
    def claim_id(self) -> str:
        """A stable id: the same document and extraction always give the same id (document, span, measure, subgroup)."""
        return claim_id(self.doc_id, self.start, self.end, self.measure, self.subgroup, self.victim)


def claim_id(doc_id: str, start: int, end: int, measure: str, subgroup: str | None, victim: str | None = None) -> str:
    """`doc:start-end:measure[:subgroup]`; an attacker's own death on the same words gets `:perpetrator`."""
    parts = [doc_id, f"{start}-{end}", measure]
    if subgroup:
        parts.append(subgroup)
    if victim == "perpetrator":
        parts.append("perpetrator")
    return ":".join(parts)


@dataclass(frozen=True, slots=True)
class DocumentResult:
    """Everything the per-document stages produced for one document."""

    document: Document
    text: Text
    claims: tuple[Claim, ...] = ()
    status: str = "ok"
    reason: str | None = None
    event_names: tuple[str, ...] = field(default=())
    # what the link stage read of the document's incident (JSON-ready), stored with it so the cross-document
    # pass never reads its text again
    cues: dict | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    """The reconciled view of one (event, measure, subgroup) across documents."""

    event: str
    measure: str
    subgroup: str | None
    status: str  # consistent, conflicting, single
    low: int | None
    high: int | None
    doc_ids: tuple[str, ...]
    claims: int
    independent_sources: int
    values: tuple[str, ...]  # distinct figures as written, for display
    first_published: str | None = None
    last_published: str | None = None
    flags: tuple[str, ...] = ()
    support: tuple[FigureSupport, ...] = ()  # who stands behind each distinct figure

    @property
    def figures_differ(self) -> bool:
        """Do the claims state different figures? ("at least 27" and 240 differ, yet may be consistent.)"""
        return len(self.values) > 1


@dataclass(frozen=True, slots=True)
class FigureSupport:
    """One distinct figure of a finding and what stands behind it."""

    figure: str  # as a reader would say it: "at least 27", "200–999 (vague)"
    doc_ids: tuple[str, ...]
    independent_sources: int  # distinct source clusters among doc_ids
    claimants: tuple[str, ...]
    first_published: str | None = None


@dataclass(frozen=True, slots=True)
class Relation:
    """Two documents that share text: a syndicated copy or a quoted passage."""

    doc_a: str
    doc_b: str
    jaccard: float  # shared shingles over all shingles of both
    containment: float  # shared shingles over the smaller document's shingles
    kind: str  # "copy" (near-duplicate) or "reuse" (one quotes much of the other)
    # where they say the same words: (start, end) in doc_a's text and (start, end) in doc_b's, character offsets
    passages: tuple[tuple[int, int, int, int], ...] = ()
