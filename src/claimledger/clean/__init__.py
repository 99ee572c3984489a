"""The clean stage: a `Document` → the `Text` the ledger stores, with boilerplate marked.

HTML goes through trafilatura (main text plus title, date, site, url,
author). Plain text is kept whole, so offsets point into the file a user
opens; menus, related-article lists, footers and script notices are marked
as boilerplate spans, never deleted. A document's site is its outlet: the
page's metadata, else a masthead, copyright line, wire dateline or byline in
its text, else the host of its address (`clean/outlet.py`).
"""
from __future__ import annotations

from claimledger.clean.boilerplate import BoilerplateRules, mark_boilerplate
from claimledger.clean.dates import find_published, iso_date, parse_date
from claimledger.clean.html import extract_html
from claimledger.clean.language import content_language, detect_language
from claimledger.clean.outlet import OutletRules, outlet_from_text, site_from_url
from claimledger.records import Document, Span, Text


class Cleaner:
    """Cleans documents; holds the boilerplate rules, loaded once."""

    def __init__(self, rules: BoilerplateRules | None = None, outlets: OutletRules | None = None):
        self.rules = rules or BoilerplateRules.load()
        self.outlets = outlets or OutletRules.load()

    def clean(self, document: Document) -> Text:
        if document.media_type == "text/html":
            return self.clean_html(document)
        return self.clean_plain(document)

    def clean_plain(self, document: Document) -> Text:
        text = with_headline(document.title, document.content)
        boilerplate = mark_boilerplate(text, self.rules)
        title = _first_content_line(text, boilerplate)
        published = iso_date(document.published) or find_published(text, boilerplate)
        return Text(
            doc_id=document.doc_id,
            text=text,
            boilerplate=tuple(boilerplate),
            title=document.title or title,
            published=published,
            site=outlet_from_text(text, self.outlets) or site_from_url(document.url),
            url=document.url,
            language=content_language(text, boilerplate),
        )

    def clean_html(self, document: Document) -> Text:
        extracted = extract_html(document.content, url=document.url)
        meta = extracted.metadata
        title = document.title or meta.title
        text = with_headline(title, extracted.text)
        return Text(
            doc_id=document.doc_id,
            text=text,
            boilerplate=(),
            title=title,
            published=iso_date(document.published) or iso_date(meta.published),
            site=meta.site or site_from_url(document.url or meta.url),
            url=document.url or meta.url,
            author=meta.author,
            language=detect_language(extracted.text) or detect_language(text),
        )


def with_headline(headline: str | None, body: str) -> str:
    """The report's text with its headline as the first line, when the body does not already open with it:
    many reports give their toll only there ("Man, 52, dies after Eastgate shooting"), and claim offsets
    must index one text. A file's own first line is its headline already; a JSONL record's `title` and a
    page's headline come before the body they head."""
    if not headline or not headline.strip():
        return body
    head = " ".join(headline.split())
    if " ".join(body[:len(head) + 200].split()).lower().startswith(head.lower()):
        return body
    return f"{head}\n\n{body}"


def _first_content_line(text: str, boilerplate: list[Span]) -> str | None:
    """The headline of a flattened page: its first short line that is not boilerplate."""
    pos = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped and not any(b.start <= pos < b.end for b in boilerplate):
            if stripped.startswith("[") or (len(stripped) < 40 and parse_date(stripped)):
                pos += len(line)
                continue  # an editor's note or a dateline, not the headline
            if len(stripped.split()) <= 20 and not stripped.endswith((".", "!", "?")):
                return stripped
            return None
        pos += len(line)
    return None
