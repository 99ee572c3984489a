"""Figures written without a number: one person ("a soldier was killed", "a 17-year-old
was shot") and nobody ("no one was hurt", "there were no casualties").

They become drafts like any number, so the same attachment, breakdown and
claimant rules apply to them.
"""
from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc, Token

from claimledger.extract.attach import AMOUNT_NOUNS, Draft, hyphenated_end, intended, is_active, match_phrase, words_of
from claimledger.ontology import Ontology
from claimledger.records import Quantity

SINGLE_DETERMINERS = {"a", "an", "another", "one"}
# Pronouns that stand for one person or several; who they are is for the document pass to say.
PERSONAL_PRONOUNS = {"he": "he", "him": "he", "she": "she", "her": "she", "they": "they", "them": "they"}
ARGUMENT_DEPS = {"dobj", "nsubjpass", "nsubj", "conj", "appos", "pobj", "attr"}
# Entities that are never one person: places, organisations, dates.
NOT_PERSON_ENTITIES = {"GPE", "LOC", "ORG", "FAC", "DATE", "TIME", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "MONEY",
                       "PERCENT", "QUANTITY", "LANGUAGE", "NORP", "CARDINAL", "ORDINAL"}
# The place a person is told in: "a third was hurt", "a second person has died" (2).
ORDINAL = {word: n for n, word in enumerate(("second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
                                             "ninth", "tenth"), start=2)}
NEXT_ONE = frozenset(ORDINAL)


def ordinal_of(draft_noun: Token) -> int | None:
    """The place a person is told in ("a third victim", "A second person", "a fourth"), or None."""
    if draft_noun.lower_ in ORDINAL:
        return ORDINAL[draft_noun.lower_]
    return next((ORDINAL[c.lower_] for c in draft_noun.children if c.lower_ in ORDINAL and c.dep_ == "amod"), None)
IRREGULAR_PLURALS = {"man": "men", "woman": "women", "child": "children", "person": "people", "policeman": "policemen",
                     "policewoman": "policewomen", "gunman": "gunmen", "fisherman": "fishermen", "militiaman": "militiamen"}


def plural(word: str) -> str:
    """A rough English plural, for the free-text victim field ("soldier" → "soldiers")."""
    head, _, last = word.rpartition(" ")
    if last in IRREGULAR_PLURALS:
        last = IRREGULAR_PLURALS[last]
    elif last.endswith(("s", "x", "ch", "sh")):
        last += "es"
    elif last.endswith("y") and last[-2:-1] not in "aeiou":
        last = last[:-1] + "ies"
    else:
        last += "s"
    return f"{head} {last}".strip()


def _age(token: Token) -> int | None:
    """The age in "a 17-year-old" (spaCy splits it into 17 - year - old), or None."""
    if token.lower_ != "old" or token.i < 4:
        return None
    doc = token.doc
    n, dash1, year, dash2 = doc[token.i - 4], doc[token.i - 3], doc[token.i - 2], doc[token.i - 1]
    if dash1.text == "-" and dash2.text == "-" and year.lower_ in ("year", "years") and n.text.isdecimal():
        return int(n.text)
    return None


def _age_apposition(token: Token) -> bool:
    """ "The woman, 27, ...": a bare number between commas right after the noun."""
    doc = token.doc
    return token.i + 3 < len(doc) and doc[token.i + 1].text == "," and doc[token.i + 2].like_num \
        and doc[token.i + 3].text == ","


def _is_person(token: Token, ontology: Ontology) -> bool:
    lemma = token.lemma_.lower()
    return lemma in ontology.person_nouns or lemma in ontology.subgroup_of_word


def _draft(doc: Doc, first: Token, last: Token, root: Token, noun: Token | None, value: int) -> Draft:
    start, end = first.idx, hyphenated_end(doc.text, last.idx + len(last.text))
    quantity = Quantity(start, end, value, "exact", value, value, start)
    draft = Draft(quantity, [first], root, noun)
    draft.extent_end = end
    draft.direct_only = True
    return draft


def person_drafts(doc: Doc, ontology: Ontology) -> list[Draft]:
    """Drafts for single persons and for nobody, in text order."""
    drafts: list[Draft] = []
    for tok in doc:
        if tok.dep_ == "poss":
            continue  # "his girlfriend's sister": the girlfriend owns the victim, she is not one
        if tok.i > 1 and doc[tok.i - 1].text == "-" and not doc[tok.i - 2].whitespace_ \
                and not doc[tok.i - 1].whitespace_ and _age(tok) is None and doc[tok.i - 2].head.i != tok.i:
            continue  # the "worker" of "co-worker": the word began before it
        det = next((c for c in tok.children if c.dep_ == "det"), None)
        age_word = next((c for c in tok.children if c.dep_ == "amod" and _age(c) is not None), None)
        if tok.dep_ == "appos" and (tok.head.like_num or tok.head.pos_ == "PRON"):
            continue  # "One of them, a 15-year-old boy, ...": the number already counts him
        if tok.lemma_.lower() in ontology.victims.generic_people and any(
                c.dep_ == "appos" and _is_person(c, ontology) for c in tok.children):
            continue  # "A third person, a 20-year-old man, ...": the apposition says more
        if tok.tag_ in ("NN", "NNP") and _is_person(tok, ontology) and det is None and tok.i == 0 \
                and tok.dep_ in ("nsubj", "nsubjpass", "ROOT"):
            drafts.append(_draft(doc, tok, tok, tok, tok, 1))  # a headline: "Teen wounded", "Man, 52, dies"
        elif tok.tag_ == "NN" and _is_person(tok, ontology) and det is not None and det.lower_ in SINGLE_DETERMINERS:
            draft = _draft(doc, det, tok, tok, tok, 1)
            age = draft.age = _age(age_word) if age_word is not None else None
            if age is not None and age < ontology.adult_age and ontology.subgroup_for(tok.lower_) is None:
                draft.modifier_after = "child"
            drafts.append(draft)
        elif tok.tag_ == "NN" and _is_person(tok, ontology) and det is None and age_word is not None \
                and age_word.i >= 4 and tok.dep_ in ARGUMENT_DEPS:
            draft = _draft(doc, doc[age_word.i - 4], tok, tok, tok, 1)  # "the shots killed 14-year-old girl"
            draft.age = _age(age_word)
            if draft.age < ontology.adult_age and ontology.subgroup_for(tok.lower_) is None:
                draft.modifier_after = "child"
            drafts.append(draft)
        elif tok.tag_ == "NN" and det is not None and det.lower_ == "the" and (
            tok.lemma_.lower() == "victim" or (_is_person(tok, ontology) and (age_word is not None or _age_apposition(tok)))
        ):
            drafts.append(_draft(doc, det, tok, tok, tok, 1))  # "the victim died", "the woman, 27, is in critical condition"
        elif tok.tag_ == "NN" and _is_person(tok, ontology) and det is None and any(
            c.dep_ == "poss" and c.tag_ == "PRP$" for c in tok.children
        ):
            poss = next(c for c in tok.children if c.dep_ == "poss")
            draft = _draft(doc, poss, tok, tok, tok, 1)  # "her husband seriously injured"
            if _age_apposition(tok) and doc[tok.i + 2].text.isdigit():
                draft.age = int(doc[tok.i + 2].text)  # "his grandmother, 84,"
            drafts.append(draft)
        elif _age(tok) is not None and tok.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "conj"):
            # "a 17-year-old was shot": the age stands for the person.
            first = doc[tok.i - 5] if tok.i >= 5 and doc[tok.i - 5].lower_ in ("a", "an") else doc[tok.i - 4]
            draft = _draft(doc, first, tok, tok, None, 1)
            draft.age = _age(tok)
            draft.modifier_after = "child" if draft.age < ontology.adult_age else (
                "elderly" if draft.age >= ontology.elderly_age else None)
            drafts.append(draft)
        elif (tok.ent_type_ == "PERSON" or (_age_apposition(tok) and tok.ent_type_ not in ("GPE", "LOC", "FAC"))
              or age_word is not None) \
                and tok.pos_ == "PROPN" and (tok.i + 1 == len(doc) or doc[tok.i + 1].ent_type_ != "PERSON") \
                and (tok.dep_ in ("nsubj", "nsubjpass", "dobj") or (tok.dep_ == "conj" and age_word is not None)):
            # a name with its age is a person, whatever the tagger said: "Ruth Ames, 80,", "16-year-old Aaliyah Grant"
            first = tok
            while first.i > 0 and (doc[first.i - 1].ent_type_ == "PERSON" or (
                    doc[first.i - 1].pos_ == "PROPN" and doc[first.i - 1].dep_ == "compound")):
                first = doc[first.i - 1]
            if age_word is not None and age_word.i >= 4 and age_word.i < first.i:
                first = doc[age_word.i - 4]  # "27-year-old Marcus Bell"
            draft = _draft(doc, first, tok, tok, None, 1)  # a named victim: "Jaylen Brooks, who was fatally shot"
            if tok.i + 2 < len(doc) and doc[tok.i + 1].text == "," and doc[tok.i + 2].like_num \
                    and doc[tok.i + 2].text.isdigit() and int(doc[tok.i + 2].text) < 120:
                draft.age = int(doc[tok.i + 2].text)  # "Ja'Nae Whitfield, 7,", "Ruth Ames, 80,"
            elif age_word is not None:
                draft.age = _age(age_word)
            if draft.age is not None:
                draft.modifier_after = "child" if draft.age < ontology.adult_age else None
            drafts.append(draft)
        elif tok.lower_ == "another" and tok.dep_ in ("nsubj", "nsubjpass", "dobj", "conj") \
                and not [c for c in tok.children if c.dep_ not in ("cc", "conj")]:
            drafts.append(_draft(doc, tok, tok, tok, None, 1))  # "one was killed and another injured"
        elif tok.lower_ in NEXT_ONE and tok.i > 0 and doc[tok.i - 1].lower_ == "a" \
                and tok.dep_ in ("nsubj", "nsubjpass", "conj") \
                and not [c for c in tok.children if c.dep_ not in ("det", "cc", "conj")]:
            drafts.append(_draft(doc, doc[tok.i - 1], tok, tok, None, 1))  # "two died and a third was injured"
        elif tok.tag_ == "NN" and _is_person(tok, ontology) and det is None and tok.i > 0 and (
                tok.dep_ in ("dobj", "nsubjpass", "conj", "appos") or (tok.dep_ == "nsubj" and not is_active(tok.head))) \
                and tok.lemma_.lower() not in ontology.trigger_words() and not any(
                    c.dep_ in ("poss", "nummod") or c.like_num for c in tok.children):
            drafts.append(_general(_draft(doc, tok, tok, tok, tok, 1), tok, ontology))  # "man killed wife, two kids"
        elif _more_kin_in_a_list(tok, det, ontology):
            draft = _draft(doc, tok.left_edge, tok, tok, tok, 2)  # "killed his parents and his sisters": 2 or more
            if not any(c.lemma_.lower() in ("twin", "twins") for c in tok.children):  # "their twin babies": two
                draft.quantity = replace(draft.quantity, qualifier="at_least", high=None)
            drafts.append(_general(draft, tok, ontology))
        elif _pair(tok, det, ontology):
            first = tok.left_edge if tok.left_edge.i < tok.i and tok.lower_ != "both" else tok
            drafts.append(_general(_draft(doc, first, tok, tok, tok, 2), tok, ontology))  # "his parents", "a couple"
        elif _named_by_role(tok, det, ontology):
            # "the police chief was killed", "killed the dean": any noun is a person when harm is done to it
            first = tok.left_edge if tok.left_edge.i < tok.i else tok
            drafts.append(_general(_draft(doc, first, tok, tok, tok, 1), tok, ontology))
        elif tok.lower_ in ("whom", "who") and tok.dep_ in ("dobj", "nsubjpass", "nsubj") and tok.head.dep_ == "relcl" \
                and tok.head.head.tag_ in ("NN", "NNP") and not any(c.like_num for c in tok.head.head.children):
            # "a business rival, whom he killed", "a vigil for Jaylen Brooks, who was fatally shot": the relative
            # pronoun brings the harm to the person it stands for
            named = tok.head.head
            draft = _draft(doc, named.left_edge, named, tok, named, 1)
            draft.relative = True
            drafts.append(_general(draft, named, ontology))
        elif tok.tag_ == "PRP" and tok.lower_ in PERSONAL_PRONOUNS and tok.dep_ in ("nsubjpass", "nsubj", "dobj"):
            both = next((c for c in tok.children if c.lower_ == "both"), None) or (
                doc[tok.i + 1] if tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "both" else None)
            draft = _draft(doc, tok, both or tok, tok, None, 2 if both is not None else 1)
            if both is None:
                draft.pronoun = PERSONAL_PRONOUNS[tok.lower_]  # "he was pronounced dead", "killing him"
            drafts.append(_general(draft, tok, ontology))
        else:
            zero = _zero_draft(doc, tok, det, ontology)
            if zero is not None:
                drafts.append(zero)
    selves = self_harm_drafts(doc, ontology)
    told = {d.tokens[0].i for d in selves}  # "he died of a self-inflicted wound": "he" is the attacker
    return [d for d in drafts if d.tokens[0].i not in told] + selves


def _general(draft: Draft, tok: Token, ontology: Ontology) -> Draft:
    draft.general = True
    draft.perpetrator = tok.lemma_.lower() in ontology.victims.perpetrators or tok.lower_ in ontology.victims.perpetrators
    return draft


def _pair(tok: Token, det: Token | None, ontology: Ontology) -> bool:
    """Two people: "his parents", "a couple", "shooting and killing both"."""
    if tok.lower_ not in ontology.victims.pairs and tok.lemma_.lower() not in ontology.victims.pairs:
        return False
    if tok.lower_ == "both":
        return tok.dep_ in ("dobj", "nsubjpass", "nsubj") and not list(tok.children)
    if tok.tag_ in ("NN", "NNP"):  # "a couple", "the couple", "A Couple" opening a sentence
        return tok.lemma_.lower() == "couple" and det is not None and tok.dep_ in ARGUMENT_DEPS
    return tok.tag_ == "NNS" and tok.dep_ in ARGUMENT_DEPS and not any(c.like_num for c in tok.children) and (
        det is not None or any(c.dep_ == "poss" for c in tok.children))


def _more_kin_in_a_list(tok: Token, det: Token | None, ontology: Ontology) -> bool:
    """ "his parents and his sisters", "a couple and their sons": people named in the plural without a number,
    as a later item of a list of victims, are two at least."""
    return tok.tag_ == "NNS" and tok.dep_ == "conj" and tok.head.pos_ in ("NOUN", "PROPN") \
        and _is_person(tok, ontology) and tok.lemma_.lower() not in ontology.victims.generic_people \
        and not any(c.like_num or c.dep_ == "nummod" for c in tok.children) \
        and (any(c.dep_ == "poss" for c in tok.children) or (det is not None and det.lower_ == "the")) \
        and (_is_person(tok.head, ontology) or tok.head.lemma_.lower() in ontology.victims.pairs)


def _named_by_role(tok: Token, det: Token | None, ontology: Ontology) -> bool:
    """A singular noun with its determiner or owner in the place of a harm's victim: the attachment
    then says whether harm was done to it, and only harms done to people count it."""
    if tok.tag_ not in ("NN", "NNP") or tok.pos_ not in ("NOUN", "PROPN") or tok.like_num:
        return False
    if tok.tag_ == "NNP" and det is None and tok.is_title and tok.dep_ in ("nsubjpass", "dobj") \
            and tok.ent_type_ not in ("GPE", "LOC", "FAC", "DATE", "TIME", "NORP", "EVENT") \
            and (tok.i + 1 == len(tok.doc) or tok.doc[tok.i + 1].tag_ != "NNP"):
        return True  # "Councillor Ines Varga was assassinated": a name, where no recogniser said otherwise
    if tok.dep_ not in ARGUMENT_DEPS or tok.ent_type_ in NOT_PERSON_ENTITIES:
        return False
    if tok.dep_ == "attr" and any(c.lower_ in NEXT_ONE | {"first", "latest", "last"} for c in tok.children):
        return False  # "Amari was the fourth child shot in the city this month": who she was, a rank
    lemma = tok.lemma_.lower()
    named_thing = lemma in ontology.victims.not_victims and not any(c.dep_ == "compound" for c in tok.children)
    if named_thing or lemma in ontology.not_people or lemma in ontology.trigger_words() \
            or lemma in ontology.incident_nouns or lemma in ontology.wider_nouns \
            or lemma in AMOUNT_NOUNS or any(c.dep_ == "nummod" for c in tok.children):
        return False  # "a total of four", "the two men": the number counts them
    owner = det is not None and det.lower_ in ("the", "this", "that", "a", "an") or any(
        c.dep_ == "poss" for c in tok.children)
    return owner


def self_harm_drafts(doc: Doc, ontology: Ontology) -> list[Draft]:
    """The attacker's own death ("then killed himself", "took his own life"): killed 1, counted apart."""
    drafts = []
    for tok in doc:
        for phrase in ontology.victims.self_harm:
            if phrase[0] not in words_of(tok):
                continue
            tokens = match_phrase(doc, tok.i, phrase, 2)
            if tokens is not None and not intended(doc[tokens[0]], ontology) \
                    and not any(t.lemma_.lower() == "survive" for t in doc):  # "tried to …, but he survived"
                first = doc[tokens[0]]
                dying = _who_died_of_it(first)
                if dying is not None:  # "the man was found dead of a self-inflicted gunshot wound"
                    draft = _draft(doc, dying.left_edge, dying, dying, None, 1)
                    draft.measure, draft.perpetrator, draft.victim = "killed", True, "perpetrator"
                    drafts.append(draft)
                    break
                if first.lower_ == "self":
                    continue  # a wound of one's own that killed no one told
                victims = [t for c in first.children if c.dep_ == "dobj" for t in c.subtree]
                if victims and victims[-1].i < tokens[-1]:
                    first = doc[victims[-1].i + 1]  # "killed five relatives and then himself": not the five
                elif victims and victims[0].i < tokens[-1] <= victims[-1].i:
                    first = doc[tokens[-1]]  # the reflexive read as one of the list: "killed five … and then himself"
                draft = _draft(doc, first, doc[tokens[-1]], doc[tokens[0]], None, 1)
                draft.measure, draft.perpetrator, draft.victim = "killed", True, "perpetrator"
                drafts.append(draft)
                break
    return drafts


DYING_WORDS = {"die", "dead", "succumb", "pronounce"}


def _who_died_of_it(word: Token) -> Token | None:
    """The one whose death a wound of his own caused: the subject of "died of", "was found dead of"."""
    if word.lower_ != "self":
        return None
    for verb in word.ancestors:
        if verb.pos_ in ("VERB", "AUX", "ADJ") and verb.lemma_.lower() in DYING_WORDS | {"find", "be"}:
            subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subject is not None and any(t.lemma_.lower() in DYING_WORDS for t in verb.subtree):
                return subject
    return None


def _zero_draft(doc: Doc, tok: Token, det: Token | None, ontology: Ontology) -> Draft | None:
    lower = tok.lower_
    if lower in ("nobody", "none", "no-one") and tok.dep_ in ("nsubj", "nsubjpass"):
        return _draft(doc, tok, tok, tok, None, 0)
    if lower == "one" and det is not None and det.lower_ == "no":
        return _draft(doc, det, tok, tok, None, 0)
    if det is not None and det.lower_ == "no" and tok.pos_ == "NOUN":
        lemma = tok.lemma_.lower()
        draft = _draft(doc, det, tok, tok, tok, 0)
        if lemma in (ontology.zero_nouns or {}):
            draft.zero_measures = ontology.zero_nouns[lemma]
            return draft
        if lemma in ontology.trigger_words() or _is_person(tok, ontology):
            return draft  # "no injuries", "no civilians were hurt" (not "no symptoms")
    return None
