"""The clean stage: a `Document` → the `Text` the ledger stores, with boilerplate marked.

HTML goes through trafilatura (main text plus title, date, site, url,
author). Plain text is kept whole, so offsets point into the file a user
opens; menus, related-article lists, footers and script notices are marked
as boilerplate spans, never deleted.
"""
from __future__ import annotations

import trafilatura

from claimledger.clean.boilerplate import BoilerplateRules, mark_boilerplate
from claimledger.clean.dates import find_published, iso_date, parse_date
from claimledger.records import Document, Span, Text


class Cleaner:
    """Cleans documents; holds the boilerplate rules, loaded once."""

    def __init__(self, rules: BoilerplateRules | None = None):
        self.rules = rules or BoilerplateRules.load()

    def clean(self, document: Document) -> Text:
        if document.media_type == "text/html":
            return self.clean_html(document)
        return self.clean_plain(document)

    def clean_plain(self, document: Document) -> Text:
        text = document.content
        boilerplate = mark_boilerplate(text, self.rules)
        title = _first_content_line(text, boilerplate)
        published = iso_date(document.published) or find_published(text, boilerplate)
        return Text(
            doc_id=document.doc_id,
            text=text,
            boilerplate=tuple(boilerplate),
            title=document.title or title,
            published=published,
            url=document.url,
        )

    def clean_html(self, document: Document) -> Text:
        extracted = trafilatura.bare_extraction(
            document.content, url=document.url, deduplicate=False, with_metadata=True
        )
        text = (extracted.text if extracted is not None else None) or ""
        if not text.strip():
            # trafilatura found no article: fall back to the page's visible text.
            text = trafilatura.html2txt(document.content) or ""
        meta = extracted if extracted is not None else trafilatura.extract_metadata(document.content)
        return Text(
            doc_id=document.doc_id,
            text=text,
            boilerplate=(),
            title=document.title or (meta.title if meta else None),
            published=iso_date(document.published) or iso_date(meta.date if meta else None),
            site=(meta.sitename or meta.hostname) if meta else None,
            url=document.url or (meta.url if meta else None),
            author=meta.author if meta else None,
        )


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
