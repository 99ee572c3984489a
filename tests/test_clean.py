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

Caption Close
Sign up for our daily newsletter to get the news in your inbox.
Related: 2 killed in Dunmere market blast on Friday

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
    assert "Caption Close" in marked and "newsletter" in marked
    assert "2 killed in Dunmere" in marked, "a link to another page on its line is no sentence of this report"
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


def test_a_report_is_named_by_its_outlet():
    """The site is the outlet a reader would name: a copyright line or masthead, a wire dateline, a byline with
    an outlet, else the host of the address; never a guess from an ordinary sentence."""
    assert Cleaner().clean(_doc(PAGE)).site == "The Arlen Daily"
    cases = {
        "TARVEL, Ostrevia, May 4 (Reuters) - At least 14 people were killed.\n": "Reuters",
        "Bridge collapse\nBy Anna Berg, The Lussa Post\n\nAt least 14 people were killed.\n": "The Lussa Post",
        "Bridge collapse\nBy Anna Berg, Tarvel\n\nAt least 14 people were killed.\n": None,  # a place, not an outlet
        "Six were killed.\n\nOffice: 0123\nCopyrights 2001 The Kessar Times Company  Banner Exchange\n": "The Kessar Times",
        "The above story is contributed by the embassy in Velmora.\n": None,
    }
    for text, outlet in cases.items():
        assert Cleaner().clean(_doc(text)).site == outlet, text
    record = Document("w", "w.jsonl:1", "text/plain", "Six were killed.", content_hash("Six were killed."),
                      url="https://www.lussa-news.example/2023/05/bridge")
    assert Cleaner().clean(record).site == "lussa-news.example"
    page = Document("h", "h.html", "text/html", "<html><body><article><p>Six people were killed in Arlen on"
                    " Tuesday when a bus was attacked, police said, and fourteen were wounded.</p></article></body>"
                    "</html>", "x", url="https://www.arlen-daily.example/bus")
    assert Cleaner().clean(page).site == "arlen-daily.example"
