"""The clean stage: boilerplate marked (never deleted) in flattened pages, HTML metadata kept."""
from __future__ import annotations

from claimledger.clean import Cleaner
from claimledger.read import content_hash
from claimledger.records import Document

PAGE = """Home
World
Sport
Top 10 stories
Weather

Bus attack near Arlen leaves 6 dead

ARLEN, 4 May 2022 — Six people were killed and 14 wounded when gunmen opened fire on a bus near Arlen on Tuesday, police said.

The attack happened on the main road north of the town, officials told reporters at a briefing in the evening.

Related articles
    3 killed in flood last year ...
    Election results 2021 ...

Copyright 2022 The Arlen Daily. All rights reserved.
"""


def _doc(content: str, media_type: str = "text/plain") -> Document:
    return Document("page", "page.txt", media_type, content, content_hash(content))


def test_plain_text_boilerplate_is_marked_and_offsets_are_kept():
    text = Cleaner().clean(_doc(PAGE))
    assert text.text == PAGE  # kept whole
    marked = " ".join(PAGE[s.start:s.end] for s in text.boilerplate)
    assert "Top 10 stories" in marked and "3 killed in flood" in marked and "Copyright" in marked
    assert "Six people were killed" not in marked
    assert text.title == "Bus attack near Arlen leaves 6 dead"
    assert text.published == "2022-05-04"


def test_no_claim_comes_from_boilerplate(pipeline):
    result = pipeline.process(_doc(PAGE))
    spans = [(c.start, c.end) for c in result.claims]
    assert spans, "the article's figures are found"
    for start, end in spans:
        assert not any(b.start <= start < b.end for b in result.text.boilerplate)
    assert {(c.measure, c.value) for c in result.claims} >= {("killed", 6), ("wounded", 14)}


def test_html_main_text_and_metadata():
    html = """<html><head><title>Bus attack near Arlen</title>
    <meta property="og:site_name" content="Arlen Daily">
    <meta property="article:published_time" content="2022-05-04T10:00:00Z"></head>
    <body><nav><a href="/">Home</a> <a href="/top10">Top 10 stories</a></nav>
    <article><h1>Bus attack near Arlen</h1>
    <p>Six people were killed and 14 wounded when gunmen opened fire on a bus near Arlen on Tuesday, police said.</p>
    <p>The attack happened on the main road north of the town, officials told reporters at a briefing.</p></article>
    <footer>Copyright 2022 Arlen Daily</footer></body></html>"""
    text = Cleaner().clean(_doc(html, "text/html"))
    assert "Six people were killed" in text.text
    assert "Top 10 stories" not in text.text
    assert text.title == "Bus attack near Arlen"
    assert text.published == "2022-05-04"
    assert text.site == "Arlen Daily"
