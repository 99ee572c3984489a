"""Where a figure, a document or an event links to: pages of the web app, or anchors inside the report.

Ids come from input (a document id may be `2024/report-7`, or hold `#`, `?`
or worse): they are percent-encoded in paths, and hashed into anchors, so a
link always leads where it says and never carries markup or a scheme.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from urllib.parse import quote, urlencode


@lru_cache(maxsize=65536)  # a page of 10,000 claims links to each of its documents many times
def _digest(value: str) -> str:
    return hashlib.sha1(value.encode("utf-8")).hexdigest()[:12]


@lru_cache(maxsize=65536)
def _document_path(doc_id: str) -> str:
    return "/documents/" + quote(doc_id, safe="/")


class WebLinks:
    """Links between the pages of `claimledger serve`."""

    def claim(self, doc_id: str, idx: int) -> str:
        return f"{self.document(doc_id)}#claim-{idx}"

    def permalink(self, claim_id: str, doc_id: str, idx: int) -> str:
        """An address that keeps naming one figure: its stable claim id (it redirects to the sentence)."""
        return "/claims/" + quote(claim_id, safe="/:")

    def document(self, doc_id: str) -> str:
        return _document_path(doc_id)

    def event(self, event: str) -> str:
        return "/events/" + quote(event, safe="")

    def group(self, event: str, anchor: str) -> str:
        """One measure (and subgroup) of an event: its section of the event page."""
        return f"{self.event(event)}#{self.group_id(event, anchor)}"

    def group_id(self, event: str, anchor: str) -> str:
        return anchor

    def search(self, query: str) -> str:
        return "/search?" + urlencode({"q": query})

    def claim_anchor(self, doc_id: str, idx: int) -> str:
        """The id of a claim's row in an event page's table (its sentence is on the document page)."""
        return f"row-{_digest(doc_id)}-{idx}"


class ReportLinks(WebLinks):
    """Links inside the one-file report: each figure to its claim's row, which shows the sentence."""

    def claim(self, doc_id: str, idx: int) -> str:
        return "#" + self.claim_anchor(doc_id, idx)

    def permalink(self, claim_id: str, doc_id: str, idx: int) -> str:
        return self.claim(doc_id, idx)

    def document(self, doc_id: str) -> str:
        return "#" + self.document_anchor(doc_id)

    def document_anchor(self, doc_id: str) -> str:
        return f"doc-{_digest(doc_id)}"

    def event(self, event: str) -> str:
        return "#" + self.event_anchor(event)

    def event_anchor(self, event: str) -> str:
        return f"event-{_digest(event)}"

    def group(self, event: str, anchor: str) -> str:
        return "#" + self.group_id(event, anchor)

    def group_id(self, event: str, anchor: str) -> str:
        return f"{self.event_anchor(event)}-{anchor}"

    def claim_anchor(self, doc_id: str, idx: int) -> str:
        return f"claim-{_digest(doc_id)}-{idx}"
