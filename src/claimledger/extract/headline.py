"""Victims in a headline's clipped grammar: "Man, 52, dies after Eastgate shooting", "Clerk killed in
robbery", "Elderly couple found slain", "Murder inquiry after man stabbed to death", "leaves 1 dead, 6 hurt".

Headlines drop articles and auxiliaries, and the parser often reads them astray ("Boy" as an interjection),
so the words right before a harm (or right after a harm done, "kills Delaware woman, 26") are read as its
victims by their surface: a short run of nominal words ending in a noun, a number, or an age.
"""
from __future__ import annotations

from spacy.tokens import Doc, Token

from claimledger.extract.attach import Draft, TriggerMatch, is_active
from claimledger.ontology import Ontology
from claimledger.records import Quantity

# Words that may stand between a headline's victims and their harm: "Man, 52, dies", "couple found slain",
# "teen fatally shot", "boy is fighting for his life".
BRIDGE = {"found", "is", "was", "are", "were", "fatally", "critically", "seriously", "badly", "gravely", "later",
          "now", "still", "been", "has", "have"}
NOMINAL = {"NOUN", "PROPN", "ADJ", "DET", "NUM"}
AGE_TOKENS = {"-", "year", "years", "old"}


def headline_drafts(doc: Doc, matches: list[TriggerMatch], quantities: list[Quantity], taken: list[tuple[int, int]],
                    ontology: Ontology) -> list[Draft]:
    """Drafts for the victims a headline names next to each harm, skipping words another draft already reads."""
    drafts = []
    for match in matches:
        if match.measure not in ontology.victims.person_measures:
            continue
        first, last = doc[min(match.tokens)], doc[max(match.tokens)]
        words = _victims_before(doc, first.i)
        if words is None and first.pos_ == "VERB" and is_active(first):
            words = _victims_after(doc, last.i)  # "Road-rage shooting kills Delaware woman, 26"
        if words is None:
            continue
        start, end = words[0].idx, words[-1].idx + len(words[-1].text)
        if any(a < end and start < b for a, b in taken):
            continue
        draft = _draft(words, quantities, match, ontology)
        if draft is not None:
            taken.append((start, end))
            drafts.append(draft)
    return drafts


def _victims_before(doc: Doc, at: int) -> list[Token] | None:
    k = at - 1
    while k >= 0 and (doc[k].lower_ in BRIDGE or doc[k].pos_ == "ADV"):
        k -= 1
    if k >= 2 and doc[k].text == "," and doc[k - 1].like_num and doc[k - 2].text == ",":
        k -= 3  # "Boy, 17, fighting for life": the age set off by commas
    return _phrase_ending_at(doc, k)


def _victims_after(doc: Doc, at: int) -> list[Token] | None:
    k = at + 1
    words = []
    while k < len(doc) and (doc[k].pos_ in NOMINAL or doc[k].lower_ in AGE_TOKENS or doc[k].tag_ == "PRP$"):
        words.append(doc[k])
        k += 1
    return _trimmed(words)


def _phrase_ending_at(doc: Doc, k: int) -> list[Token] | None:
    words = []
    while k >= 0 and (doc[k].pos_ in NOMINAL or doc[k].lower_ in AGE_TOKENS or doc[k].tag_ == "PRP$"
                      or (k == 0 and doc[k].is_title)):  # a headline's first word, whatever the parser calls it
        words.insert(0, doc[k])
        k -= 1
    return _trimmed(words)


def _trimmed(words: list[Token]) -> list[Token] | None:
    while words and words[-1].pos_ in ("DET", "ADJ") and words[-1].lower_ not in AGE_TOKENS:
        words.pop()
    if not words or len(words) > 6:
        return None
    return words


def _draft(words: list[Token], quantities: list[Quantity], match: TriggerMatch, ontology: Ontology) -> Draft | None:
    head = words[-1]
    lemma = head.lemma_.lower()
    start, end = words[0].idx, head.idx + len(head.text)
    age = _age(words)
    number = next((q for q in quantities if start <= q.number_start < end and age is None), None)
    if lemma in ontology.not_people or lemma in ontology.victims.not_victims or head.ent_type_ in (
            "GPE", "LOC", "ORG", "FAC", "DATE", "EVENT", "NORP") and age is None:
        return None
    if number is not None:
        value, quantity = number.value, number
    elif lemma in ontology.victims.pairs or head.lower_ in ontology.victims.pairs:
        value, quantity = 2, None  # "Elderly couple found slain"
    elif head.tag_ in ("NNS", "NNPS") or (head.lower_.endswith("s") and ontology.subgroup_for(head.lower_) is None
                                          and lemma != head.lower_):
        return None  # people not counted ("Residents flee")
    else:
        value, quantity = 1, None
    if quantity is None:
        quantity = Quantity(start, end, value, "exact", value, value, start)
    draft = Draft(quantity, list(words), head, head)
    draft.extent_end = end
    draft.direct_only = True
    draft.trigger = match
    draft.measure = match.measure
    subgroups = {ontology.subgroup_for(t.lower_) for t in words if t.lower_ not in AGE_TOKENS} - {None}
    if age is not None:
        subgroups = {"children"} if age < ontology.adult_age else subgroups - {"children"}
    draft.subgroup = subgroups.pop() if len(subgroups) == 1 else None
    if lemma in ontology.victims.perpetrators:
        draft.perpetrator, draft.victim, draft.subgroup = True, "perpetrator", None  # "Suspect dead after chase"
    return draft


def _age(words: list[Token]) -> int | None:
    """The age in "19-year-old", if the words are one."""
    for t in words:
        if t.like_num and t.i + 2 < len(t.doc) and t.doc[t.i + 1].text == "-" and t.doc[t.i + 2].lower_ in (
                "year", "years") and t.text.isdigit():
            return int(t.text)
    return None
