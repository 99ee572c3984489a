"""Source independence on the team's syndication corpus (tests/data/syndication): wire stories
reprinted under other headlines and boilerplate, long quoted passages, and independent reports
of the same events that must stay apart."""
from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

from claimledger.clean import Cleaner
from claimledger.read import read_paths
from claimledger.records import Span, Text
from claimledger.relate import find_relations, source_clusters
from claimledger.relate.passages import shared_passages, with_passages

CORPUS = Path(__file__).parent / "data" / "syndication"


def test_copied_from_pairs_precision_and_recall():
    truth = json.loads((CORPUS / "truth.json").read_text("utf-8"))
    cleaner = Cleaner()
    texts = {}
    for document in read_paths([CORPUS]):
        if document.doc_id == "truth":
            continue
        text = cleaner.clean(document)
        texts[document.doc_id] = " ".join(text.text[s.start:s.end] for s in text.content_spans())
    assert len(texts) >= 30
    clusters = source_clusters(sorted(texts), find_relations(texts))
    predicted = {p for p in itertools.combinations(sorted(texts), 2) if clusters[p[0]] == clusters[p[1]]}
    gold = {tuple(sorted(p)) for p in truth["copies"]}
    true_positives = len(predicted & gold)
    precision = true_positives / len(predicted)
    recall = true_positives / len(gold)
    assert precision >= 0.95 and recall >= 0.95, (sorted(predicted - gold), sorted(gold - predicted))


ORIGINAL = (
    "Floodwater from the burst Halvern dam swept through three villages before dawn on Friday, and rescue teams "
    "said at least 23 people had drowned while dozens more were still unaccounted for late in the evening. "
    "The regional governor said the reservoir had been filled beyond its safe level for weeks despite repeated "
    "warnings from engineers who inspected the wall in the spring."
)
QUOTED = (
    "The regional governor said the reservoir had been filled beyond its safe level for weeks despite repeated "
    "warnings from engineers who inspected the wall in the spring."
)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def test_a_quoted_passage_is_recorded_as_a_span_in_each_document():
    menu = "Home | News | Sport | warnings from engineers who inspected the wall in the spring | Weather\n"
    commentary = (f"{menu}Opinion: who answers for Halvern?\n\nIn its first report the agency wrote: \"{QUOTED}\" "
                  "Nobody has yet explained why those warnings went unheeded, and the families deserve an answer.")
    a = Text("agency", ORIGINAL)
    b = Text("commentary", commentary, boilerplate=(Span(0, len(menu)),))
    passages = shared_passages(a, b)
    assert len(passages) == 1, "one quoted passage; the menu's copy of a phrase is boilerplate"
    a0, a1, b0, b1 = passages[0]
    assert _words(ORIGINAL[a0:a1]) == _words(commentary[b0:b1]) == _words(QUOTED)
    assert b0 > len(menu)


def test_unrelated_reports_share_no_passage():
    other = Text("other", "Two people were killed when a gas cylinder exploded in a restaurant kitchen in the "
                          "port district on Friday, the fire service said, and the building was evacuated at once.")
    assert shared_passages(Text("agency", ORIGINAL), other) == ()


def test_every_copy_in_the_syndication_corpus_shows_its_shared_text():
    cleaner = Cleaner()
    texts = {d.doc_id: cleaner.clean(d) for d in read_paths([CORPUS]) if d.doc_id != "truth"}
    contents = {d: " ".join(t.text[s.start:s.end] for s in t.content_spans()) for d, t in texts.items()}
    relations = [with_passages(r, texts) for r in find_relations(contents)]
    assert relations
    for r in relations:
        assert r.passages, (r.doc_a, r.doc_b)
        for a0, a1, b0, b1 in r.passages:
            assert _words(texts[r.doc_a].text[a0:a1]) == _words(texts[r.doc_b].text[b0:b1])
            assert len(_words(texts[r.doc_a].text[a0:a1])) >= 12
