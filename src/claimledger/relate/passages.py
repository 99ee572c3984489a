"""Shared passages: where two related documents say the same words, as a span in each.

Relate decides from shingle sets that two documents share text; a reader
wants to see which text. Each run of at least `MIN_PASSAGE_WORDS` words that
both documents' main texts contain (in any order, so a paragraph moved down
the page still counts) becomes a pair of character spans, one per document,
in the text the ledger stores, so the browser can mark them.
"""
from __future__ import annotations

import re
from dataclasses import replace

from claimledger.records import Relation, Text

MIN_PASSAGE_WORDS = 12  # shorter runs are stock phrases ("police said on Sunday that the")
SEED_WORDS = 5  # a run is found from its first five words, as relate's shingles
MAX_STARTS = 16  # places one five-word phrase is tried at in the other document
WORD = re.compile(r"\w+")

Word = tuple[str, int, int]  # lowercased word, start, end


def words_of(text: Text) -> list[Word]:
    """The main text's words with their offsets in `text.text` (boilerplate left out)."""
    return [(m.group(0).lower(), m.start(), m.end())
            for span in text.content_spans() for m in WORD.finditer(text.text, span.start, span.end)]


def shared_passages(a: Text, b: Text) -> tuple[tuple[int, int, int, int], ...]:
    """(a_start, a_end, b_start, b_end) for every run of words the two main texts share, longest first found."""
    words_a, words_b = words_of(a), words_of(b)
    starts: dict[tuple[str, ...], list[int]] = {}
    for j in range(len(words_a) - SEED_WORDS + 1):
        starts.setdefault(tuple(w for w, _, _ in words_a[j:j + SEED_WORDS]), []).append(j)
    found = []
    i = 0
    while i <= len(words_b) - SEED_WORDS:
        seed = tuple(w for w, _, _ in words_b[i:i + SEED_WORDS])
        best_j, best_len = -1, 0
        for j in starts.get(seed, ())[:MAX_STARTS]:
            length = SEED_WORDS
            while (i + length < len(words_b) and j + length < len(words_a)
                   and words_b[i + length][0] == words_a[j + length][0]):
                length += 1
            if length > best_len:
                best_j, best_len = j, length
        if best_len >= MIN_PASSAGE_WORDS:
            found.append((words_a[best_j][1], words_a[best_j + best_len - 1][2],
                          words_b[i][1], words_b[i + best_len - 1][2]))
            i += best_len
        else:
            i += 1
    return tuple(sorted(found))


def with_passages(relation: Relation, texts: dict[str, Text]) -> Relation:
    """The relation with its shared passages, when both texts are at hand."""
    a, b = texts.get(relation.doc_a), texts.get(relation.doc_b)
    if a is None or b is None:
        return relation
    return replace(relation, passages=shared_passages(a, b))
