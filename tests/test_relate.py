"""Source independence on the team's syndication corpus (tests/data/syndication): wire stories
reprinted under other headlines and boilerplate, long quoted passages, and independent reports
of the same events that must stay apart."""
from __future__ import annotations

import itertools
import json
from pathlib import Path

from claimledger.clean import Cleaner
from claimledger.read import read_paths
from claimledger.relate import find_relations, source_clusters

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
