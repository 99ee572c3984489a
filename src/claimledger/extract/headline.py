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
CLAUSE_ENDS = {"after", "before", "when", "following", "as", "while", ";", "since", "because"}
AGE_TOKENS = {"-", "year", "years", "old"}


def headline_drafts(doc: Doc, matches: list[TriggerMatch], quantities: list[Quantity], taken: list[tuple[int, int]],
                    ontology: Ontology) -> list[Draft]:
    """Drafts for the victims a headline names next to each harm, skipping words another draft already reads."""
    drafts = []
    harms = sorted((m for m in matches if m.measure in ontology.victims.person_measures
                    and not (len(m.tokens) == 1 and doc[m.tokens[0]].tag_ == "VBG")  # "Army vet shooting": the event
                    and not any(set(m.tokens) < set(o.tokens) for o in matches)),  # "stabbed to death", not "stabbed"
                   key=lambda m: max(m.tokens))
    opening = _phrase_ending_at(doc, _opening_end(doc))
    match = _opening_harm(doc, opening, harms, ontology) if opening else None
    if match is not None:
        # "Man shot outside Bootle pub dies in hospital": the headline's subject, by what befell it last
        # (whatever the parse made of it: headlines lead it astray)
        harms = [m for m in harms if m is not match]
        draft = _draft(opening, quantities, match, ontology)
        if draft is not None:
            taken.append((opening[0].idx, opening[-1].idx + len(opening[-1].text)))
            drafts.append(draft)
    for match in harms:
        first, last = doc[min(match.tokens)], doc[max(match.tokens)]
        # "Gunman kills manager, cashier": a harm done (the tagger may take "kills" for a plural noun)
        acts = first.lemma_.lower() in ontology.agentive_verbs and (
            first.tag_ in ("VBZ", "VBP") or (first.tag_ == "NNS" and first.i > 0))
        words = None if acts else _victims_before(doc, first.i)
        if words is None and (first.pos_ == "VERB" or acts) and (acts or is_active(first)):
            words = _victims_after(doc, last.i)  # "Road-rage shooting kills Delaware woman, 26"
        if words is not None and all(t.like_num for t in words) and words[0].i >= 2 \
                and doc[words[0].i - 1].lower_ == "of" and doc[words[0].i - 2].lemma_.lower() in ontology.person_nouns:
            words = _phrase_ending_at(doc, words[0].i - 2)  # "Mother of three stabbed": the mother, not three
        if words is None or not _names_people(words, ontology, at_start=words[0].i == 0):
            continue
        items = _listed_with(doc, words, ontology, forward=words[0].i > last.i)
        words = [t for item in items for t in item] if len(items) > 1 else words
        start, end = words[0].idx, words[-1].idx + len(words[-1].text)
        if any(a < end and start < b and not (len(items) > 1 and start <= a and b <= end) for a, b in taken):
            continue  # (a list takes the place of the parse's reading of one of its items)
        draft = _draft(words, quantities, match, ontology) if len(items) == 1 else _list_draft(items, quantities,
                                                                                                 match, ontology)
        if draft is not None:
            taken.append((start, end))
            drafts.append(draft)
    return drafts


def acting_opening(doc: Doc, matches: list[TriggerMatch], ontology: Ontology) -> int:
    """Where a headline's opening people end when a verb of what they did follows them, no harm ("Woman charged
    after mother found dead", "Teen arrested in shooting"): they are no victims. 0 otherwise."""
    opening = _phrase_ending_at(doc, _opening_end(doc))
    if not opening or not _names_people(opening, ontology, at_start=True):
        return 0
    k = opening[-1].i + 1
    while k < len(doc) and (doc[k].lower_ in BRIDGE or doc[k].pos_ == "ADV"):
        k += 1
    harmed = {i for m in matches if m.measure in ontology.victims.person_measures for i in m.tokens}
    if k < len(doc) and doc[k].pos_ == "VERB" and doc[k].tag_ in ("VBN", "VBD", "VBZ") and k not in harmed:
        return opening[-1].idx + len(opening[-1].text)
    return 0


def _opening_end(doc: Doc) -> int:
    """Where the headline's opening words end: "Man", "Boy, 17,", "Elderly couple" (before its first verb)."""
    k = 0
    while k < len(doc) and (doc[k].pos_ in NOMINAL or doc[k].lower_ in AGE_TOKENS or k == 0):
        k += 1
    return k - 1


def _opening_harm(doc: Doc, opening: list[Token], harms: list[TriggerMatch], ontology: Ontology):
    """The harm a headline's opening words suffered: the words must be followed by a harm done to them
    ("Man shot …", "Boy, 17, fighting for life", "Elderly couple found slain"; not "Gunfire at …" nor
    "Gunfire kills 3"), and it is the last harm before other people are named ("Man shot outside Bootle pub
    dies" is killed; "Woman killed, man dead" is two)."""
    if not _names_people(opening, ontology, at_start=True):
        return None
    k = opening[-1].i + 1
    if k + 2 < len(doc) and doc[k].text == "," and doc[k + 1].like_num and doc[k + 2].text == ",":
        k += 3  # "Boy, 17, …"
    while k < len(doc) and (doc[k].lower_ in BRIDGE or doc[k].pos_ == "ADV"):
        k += 1
    after = [m for m in harms if min(m.tokens) >= k]
    if not after or min(after[0].tokens) != k:
        return None
    verb = doc[k]
    if verb.tag_ in ("VBZ", "VBP") and verb.lemma_.lower() in ontology.agentive_verbs:
        return None  # "Gunfire kills 3": the opening did it
    chosen = after[0]
    for m in after[1:]:
        between = doc[max(chosen.tokens) + 1:min(m.tokens)]
        if any(_names_people([t], ontology, at_start=False) for t in between if t.pos_ in ("NOUN", "PROPN", "NUM")):
            break  # "Woman killed, man dead": the man is another
        if any(t.lower_ in CLAUSE_ENDS for t in between):
            break  # "Man, 52, dies after being shot": what follows tells how, not what befell him last
        chosen = m
    return chosen


def _listed_with(doc: Doc, words: list[Token], ontology: Ontology, forward: bool) -> list[list[Token]]:
    """The victims a headline lists with commas for "and": "Man, two sons shot dead", "Mother, stepfather found
    dead", "kills supervisor, co-worker"; the words alone when they stand in no such list."""
    items = [words]
    while True:
        if forward:
            k = items[-1][-1].i + 1
            if k + 1 >= len(doc) or doc[k].lower_ not in (",", "and", "&"):
                break
            nxt = _victims_after(doc, k)
        else:
            k = items[0][0].i - 1
            if k < 1 or doc[k].lower_ not in (",", "and", "&"):
                break
            nxt = _phrase_ending_at(doc, k - 1)
        if nxt is None or not _names_people(nxt, ontology, at_start=nxt[0].i == 0) or _age(nxt) is not None \
                and len(nxt) == 1 or all(t.like_num for t in nxt):
            break  # ("Boy, 17, dies": an age, no one more)
        items = items + [nxt] if forward else [nxt] + items
    return items


def _list_draft(items: list[list[Token]], quantities: list[Quantity], match: TriggerMatch,
                ontology: Ontology) -> Draft | None:
    """One draft for a headline's list, its value the sum of its items' ("Man, two sons": 3)."""
    drafts = [_draft(item, quantities, match, ontology) for item in items]
    if any(d is None or d.quantity.value is None or d.perpetrator for d in drafts):
        return None
    value = sum(d.quantity.value for d in drafts)
    start, end = items[0][0].idx, items[-1][-1].idx + len(items[-1][-1].text)
    draft = Draft(Quantity(start, end, value, "exact", value, value, start), [t for item in items for t in item],
                  items[-1][-1], items[-1][-1])
    draft.extent_end, draft.direct_only, draft.trigger, draft.measure = end, True, match, match.measure
    subgroups = {d.subgroup for d in drafts}
    draft.subgroup = subgroups.pop() if len(subgroups) == 1 else None
    return draft


def _names_people(words: list[Token], ontology: Ontology, at_start: bool) -> bool:
    """Do the words name people: a person noun, a subgroup, an age, a figure, a pair, a name; or any common
    noun opening the headline ("Clerk killed in robbery"), not "Bootle pub"."""
    head = words[-1]
    lemma = head.lemma_.lower()
    known = ontology.person_nouns | set(ontology.subgroup_of_word) | ontology.victims.perpetrators \
        | ontology.victims.pairs
    if lemma in known or head.lower_ in known or _age(words) is not None or any(t.like_num for t in words):
        return True
    return at_start and head.pos_ in ("NOUN", "PROPN", "INTJ") and head.ent_type_ not in ("GPE", "LOC", "ORG", "FAC")


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
