"""HTML pages → main text and metadata (title, publication date, site, author).

The main text comes from trafilatura through a cascade of its own settings,
cheapest first; each later step only runs when the earlier ones under-delivered:

1. ``precision-fast``: ``favor_precision`` without trafilatura's comparison with
   readability/justext. On news pages this is both the cleanest and the fastest:
   it leaves out teasers, related-link lists and sharing widgets that the default
   settings keep.
2. ``precision``: the same with trafilatura's own fallbacks (readability, justext),
   when step 1 found less than `SHORT_TEXT` characters. The longer result is kept.
3. ``balanced``: trafilatura's default settings, still when the text is short. They
   replace the precise text only when `LONGER_FACTOR` times longer: a short precise
   text is usually a short article (the default settings then add boilerplate), but
   a much longer default text means precision mode missed the article.
4. ``recall``: ``favor_recall``, when nothing was found so far.
5. ``justext``: the paragraphs jusText keeps (stop lists of all its languages).
6. ``html2txt``: the page's visible text, so a page never loses its text silently.

Metadata comes from trafilatura's metadata extraction (meta tags, JSON-LD, the
page's markup) with htmldate for the publication date; categories, tags and
licence, which the ledger does not keep, are not looked for.

The HTML is parsed once; every step works on (a copy of) that tree. The text
returned is what the ledger stores, and claims' offsets index it.

On the article extraction benchmark (../shared/data/aeb, 181 news pages) the
main text scores token F1 0.973 against plain ``trafilatura.extract``'s 0.948,
at about the same speed (benchmarks/clean_speed.py). The thresholds are not
sharp: any SHORT_TEXT from 400 to 750 and LONGER_FACTOR from 2 to 5 score the same.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import trafilatura
from lxml.html import HtmlElement

try:  # the parts of trafilatura.extract_metadata the ledger needs, without the rest
    from courlan import extract_domain
    from htmldate import find_date
    from trafilatura.metadata import (
        META_URL,
        examine_meta,
        extract_author,
        extract_meta_json,
        extract_sitename,
        extract_title,
        extract_url,
    )
    from trafilatura.settings import set_date_params
    from trafilatura.utils import load_html
except ImportError:  # pragma: no cover - another trafilatura layout: use its public API
    _PARTS = False
    from trafilatura.utils import load_html
else:
    _PARTS = True

SHORT_TEXT = 500  # characters: less than a short news story, so precision mode may have missed it
LONGER_FACTOR = 3  # how much longer the default settings' text must be to replace a short precise one

STRATEGIES = ("precision-fast", "precision", "balanced", "recall", "justext", "html2txt", "empty")


@dataclass(frozen=True, slots=True)
class PageMetadata:
    title: str | None = None
    published: str | None = None  # as htmldate gives it: YYYY-MM-DD
    site: str | None = None
    url: str | None = None
    author: str | None = None


@dataclass(frozen=True, slots=True)
class HtmlExtraction:
    text: str
    strategy: str  # which step of the cascade gave the text, one of STRATEGIES
    metadata: PageMetadata


def parse_html(html: str | bytes) -> HtmlElement | None:
    """The page's lxml tree, or None when there is no HTML to speak of."""
    try:
        return load_html(html)
    except (ValueError, TypeError):
        return None


def extract_html(html: str | bytes, url: str | None = None) -> HtmlExtraction:
    """Main text and metadata of one page."""
    tree = parse_html(html)
    if tree is None:
        return HtmlExtraction("", "empty", PageMetadata(url=url))
    text, strategy = main_text(tree, url)
    return HtmlExtraction(text, strategy, page_metadata(tree, url))


def main_text(tree: HtmlElement, url: str | None = None) -> tuple[str, str]:
    """(main text, strategy) of a parsed page; the tree is left untouched."""
    text = _trafilatura(tree, url, fast=True, favor_precision=True)
    strategy = "precision-fast"
    if len(text) < SHORT_TEXT:
        full = _trafilatura(tree, url, favor_precision=True)
        if len(full) > len(text):
            text, strategy = full, "precision"
    if len(text) < SHORT_TEXT:
        balanced = _trafilatura(tree, url)
        if len(balanced) > LONGER_FACTOR * len(text):
            text, strategy = balanced, "balanced"
    if text.strip():
        return text, strategy
    for strategy, fallback in (
        ("recall", lambda: _trafilatura(tree, url, favor_recall=True)),
        ("justext", lambda: _justext(tree)),
        ("html2txt", lambda: trafilatura.html2txt(tree) or ""),
    ):
        try:
            text = fallback()
        except ValueError:  # lxml refuses some control-character entities ("&#12;"): try the next way
            text = ""
        if text.strip():
            return text, strategy
    return "", "empty"


def _trafilatura(tree: HtmlElement, url: str | None, **options) -> str:
    try:
        result = trafilatura.bare_extraction(
            tree, url=url, deduplicate=False, include_comments=False, **options
        )
    except Exception:  # noqa: BLE001 - one odd page must not stop a run: the next step tries
        return ""
    return (result.text if result is not None else None) or ""


@lru_cache(maxsize=1)
def _justext_stoplist() -> frozenset[str]:
    import justext

    return frozenset(word for language in justext.get_stoplists() for word in justext.get_stoplist(language))


def _justext(tree: HtmlElement) -> str:
    import justext
    from lxml.html import tostring

    try:
        paragraphs = justext.justext(tostring(tree, encoding="unicode"), _justext_stoplist())
    except Exception:  # noqa: BLE001 - jusText raises bare errors on odd markup; html2txt follows
        return ""
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def page_metadata(tree: HtmlElement, url: str | None = None) -> PageMetadata:
    """Title, publication date, site name, canonical url and author of a parsed page."""
    meta = _metadata_parts(tree, url) if _PARTS else trafilatura.extract_metadata(tree, default_url=url)
    if meta is None:
        return PageMetadata(url=url)
    return PageMetadata(
        title=meta.title or None,
        published=meta.date or None,
        site=meta.sitename or meta.hostname or None,
        url=meta.url or url,
        author=meta.author or None,
    )


def _metadata_parts(tree: HtmlElement, url: str | None):
    """trafilatura.extract_metadata's steps for the fields the ledger keeps, in its order."""
    metadata = examine_meta(tree)
    if metadata.author and " " not in metadata.author:
        metadata.author = None  # a single word is a handle or a site, not a name
    try:
        metadata = extract_meta_json(tree, metadata)
    except Exception:  # noqa: BLE001 - trafilatura's JSON-LD reader has bugs on odd data
        pass
    if not metadata.title:
        metadata.title = extract_title(tree)
    if not metadata.author:
        metadata.author = extract_author(tree)
    if not metadata.url:
        metadata.url = extract_url(tree, url)
    if metadata.url:
        metadata.hostname = extract_domain(metadata.url, fast=True)
    date_config = set_date_params(True)
    date_config["url"] = metadata.url
    try:
        metadata.date = find_date(tree, **date_config)
    except Exception:  # noqa: BLE001 - a date is optional; htmldate fails on odd markup
        metadata.date = None
    if not metadata.sitename:
        metadata.sitename = extract_sitename(tree)
    if metadata.sitename:
        metadata.sitename = metadata.sitename.lstrip("@")
        if metadata.sitename and "." not in metadata.sitename and not metadata.sitename[0].isupper():
            metadata.sitename = metadata.sitename.title()
    elif metadata.url:
        match = META_URL.match(metadata.url)
        if match:
            metadata.sitename = match[1]
    metadata.clean_and_trim()
    return metadata
