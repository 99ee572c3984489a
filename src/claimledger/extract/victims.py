"""Victims counted within one sentence: who each counted figure is, lists added up, subgroups as tolls.

A report names its victims more often than it counts them: "killed four women and a child" is a
toll of 5, "the principal and a custodian were killed" one of 2, "two men were found dead" one
of 2 (with its subgroup beside it). Each claim leaves this step as a `Reading`: the claim and
what the document pass (`tally.py`) needs to count each person once across the report.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from claimledger.extract.attach import Draft, TriggerMatch, is_active
from claimledger.extract.people import ordinal_of
from claimledger.ontology import Ontology
from claimledger.records import Claim

# Words that say who one person is, for telling a second mention from a new victim.
MALE = {"man", "boy", "husband", "father", "son", "brother", "grandfather", "uncle", "nephew", "grandson",
        "stepfather", "boyfriend", "fiance", "he", "him", "gentleman", "male"}
FEMALE = {"woman", "girl", "wife", "mother", "daughter", "sister", "grandmother", "aunt", "niece", "granddaughter",
          "stepmother", "girlfriend", "fiancee", "she", "her", "lady", "female"}
BACK_REFERENCE = {"the", "this", "that"}
GENERIC = {"people", "person", "victim", "civilian", "casualty", "other", "one"}  # a count, then who they were
TALLY_WORDS = {"toll", "number", "tally", "count", "total", "totaling", "totalling", "death", "fatality",
               "casualty", "injury"}

WOUNDED = ("wounded", "severely_wounded")  # the measures of the hurt, severely or not


@dataclass(slots=True)
class Reading:
    """A claim on its way out of extraction, with what the document pass needs to know of its victims."""

    claim: Claim
    sentence: int  # the position of its sentence among the document's parsed sentences
    person: str | None = None  # one person counted: a name, a role ("principal"), or a pronoun
    gender: str | None = None  # "m", "f" where the words say
    definite: bool = False  # a mention that may refer back ("the victim", "the injured woman", "him")
    continues: bool = False  # "two more", "another", "an additional three", "six others": new victims
    sequence: bool = False  # "then killed", "before killing", "later shot": the story goes on to new victims
    implied_total: bool = False  # a subgroup's figure standing for the whole toll ("two men were found dead")
    hidden: bool = False  # folded into another reading (a list's part, a second mention of one person)
    headline: bool = False  # stands in the report's headline: a summary, never a part of a running count
    count_noun: bool = False  # "the toll rose to 12": a tally, never a part of a running count
    harm: tuple[int, ...] | None = None  # the tokens of the harm's words in the sentence's parse
    harm_lemmas: tuple[str, ...] = ()  # and their lemmas ("shoot", "kill")
    noun: str | None = None  # the lemma of the noun counted ("people", "woman")
    after_marker: bool = False  # stands after "including", "among them": a breakdown
    bare: bool = False  # a figure with no noun of its own ("one died", "killing two")
    named: bool = False  # one person told by name ("Dario Quintel, 38, succumbed")
    by_doer: str | None = None  # the pronoun that did the harm ("he … killing the woman inside")
    summed: bool = False  # a part of a running total the report adds up
    among: bool = False  # told as among others ("Among the dead were five children", "were among the injured")
    refers_to: int | None = None  # the claim a plural pronoun stands for ("shot three, killing them all")
    part_of: int | None = None  # the claim this one is a part of, with a harm of its own ("two of them died")
    age: int | None = None  # one person's age where the words tell it
    restated: bool = False  # people the report counted already, told again ("had shot his wife and children")
    ordinal: int | None = None  # the place one person is told in: "a third victim has died" (3)


def describe(reading: Reading, draft: Draft, doc: Doc, ontology: Ontology) -> Reading:
    """Fill in who a draft's victims are: one person's name, role and gender, and the words that say the
    count goes on ("two more", "another") or the story does ("then", "before killing")."""
    noun = draft.noun if draft.noun is not None else draft.root
    words = ontology.victims
    reading.harm = draft.trigger.tokens if draft.trigger is not None else None
    reading.harm_lemmas = tuple(doc[i].lemma_.lower() for i in reading.harm or ())
    reading.noun = noun.lemma_.lower()
    reading.age = draft.age
    reading.ordinal = ordinal_of(noun) if reading.claim.value == 1 else None
    # "including 9 children", or "76 of whom are teenagers": a breakdown, whichever side its marker stands
    reading.after_marker = draft.after_marker or bool(re.match(
        r"\s*(?:of whom|of them|of which)\b", doc.text[draft.quantity.end:], re.IGNORECASE))
    reading.among = draft.part_told_who or any(t.lower_ == "among" and t.head.i in (noun.head.i, noun.i) for t in doc)
    reading.bare = draft.noun is None and not draft.pronoun and draft.quantity.number_start == draft.tokens[0].idx
    modifiers = {c.lower_ for c in noun.children} | {c.lower_ for c in draft.tokens}
    if noun.i + 1 < len(doc) and doc[noun.i + 1].lower_ in ("more", "others", "other"):
        modifiers.add(doc[noun.i + 1].lower_)  # "two more", "killing two others"
    reading.continues = bool(modifiers & words.continuation) or noun.lemma_.lower() in ("other", "another") \
        or noun.lower_ in ("another", "others") or _died_of_their_wounds(draft, doc, ontology) \
        or (draft.noun is None and noun.lower_ in words.continuation)  # "two died and a third was injured"
    reading.sequence = _story_goes_on(draft, doc, ontology)
    reading.by_doer = _doer_of(draft, doc)
    # "the toll rose to 12", "a total of", "totaling one death": the report's own tally, no part of a sum
    reading.count_noun = (draft.trigger is not None and doc[draft.trigger.tokens[0]].pos_ != "VERB" and any(
        doc[i].lemma_.lower() in TALLY_WORDS for i in draft.trigger.tokens)) or noun.lemma_.lower() in TALLY_WORDS \
        or any(t.lemma_.lower() in TALLY_WORDS for t in doc[max(0, draft.root.i - 3):draft.root.i])
    number_det = doc[draft.root.i - 1].lower_ if draft.root.i > 0 else ""
    plural_back = number_det in ("the", "these", "those", "all", "both") or (draft.partitive is None and any(
        c.dep_ == "det" and c.lower_ in ("the", "these", "those") for c in noun.children))
    if reading.claim.value == 1 or draft.pronoun:
        if draft.pronoun:
            reading.person, reading.definite = draft.pronoun, True
            named = _named_before(draft.root, ontology)
            if (named is not None and named.lemma_.lower() in words.perpetrators) or _done_by_responders(draft, doc, words):
                # "opened fire on the shooter, wounding him": the pronoun is the attacker
                reading.claim = replace(reading.claim, victim="perpetrator", subgroup=None)
            elif named is not None and not any(c.dep_ == "det" and c.lower_ in BACK_REFERENCE for c in named.children):
                reading.person = _person_key(named)  # "forcing his wife into a home, where he killed her"
        else:
            # a name: the tagger's person, a bare surname, or a name read as a person by its age ("Ruth Ames, 80")
            named = noun.ent_type_ == "PERSON" or _bare_name(noun, ontology) or (noun.pos_ == "PROPN" and (
                draft.noun is None or any(c.dep_ == "compound" and c.pos_ == "PROPN" for c in noun.children)))
            name = [noun] if named else []
            reading.person = _person_key(noun)
            reading.named = named
            det = next((c for c in noun.children if c.dep_ == "det"), None)
            reading.definite = (bool(name) or (det is not None and det.lower_ in BACK_REFERENCE)) \
                and not reading.continues  # "the second victim died in hospital" is another person
        reading.gender = _gender(noun, draft.pronoun)
    elif plural_back or draft.antecedent is not None or noun.lower_ == "both":
        reading.definite = True  # "the four victims", "all three", "them": people already counted
    return reading


def _bare_name(noun: Token, ontology: Ontology) -> bool:
    """ "Lindqvist was pronounced dead": a capitalised proper noun with no determiner, where the recogniser
    said nothing, and no word for a kind of person ("Teen", "Mother" opening a headline)."""
    lemma = noun.lemma_.lower()
    return noun.pos_ == "PROPN" and noun.is_title and not any(c.dep_ == "det" for c in noun.children) \
        and lemma not in ontology.person_nouns and lemma not in ontology.subgroup_of_word \
        and noun.ent_type_ in ("", "PERSON")


def _done_by_responders(draft: Draft, doc: Doc, words) -> bool:
    """ "before police shot him", "he was killed by officers": the one police stopped is the attacker."""
    if draft.trigger is None:
        return False
    verb = doc[draft.trigger.tokens[0]]
    doers = [c for c in verb.children if c.dep_ == "nsubj"] + [
        t for t in verb.subtree if t.i > verb.i and t.dep_ in ("pobj", "compound")]  # "killed by police", "in a
    return any(d.lemma_.lower() in words.responders or d.lower_ in words.responders for d in doers)  # shoot-out with police"


def _person_key(noun: Token) -> str:
    """Who one person is, for telling the same person again: the last word of a name, else the noun."""
    if noun.ent_type_ == "PERSON":
        name = [t for t in noun.subtree if t.ent_type_ == "PERSON"]
        return name[-1].lower_
    return noun.lemma_.lower()


def _named_before(pronoun: Token, ontology: Ontology) -> Token | None:
    """The person a pronoun most likely stands for in its own sentence: the nearest noun before it that
    names a person of its gender (a name, a person noun, the attacker), or None."""
    gender = "m" if pronoun.lower_ in ("he", "him") else "f" if pronoun.lower_ in ("she", "her") else None
    if gender is None:
        return None
    for t in reversed(pronoun.doc[:pronoun.i]):
        perpetrator = t.lemma_.lower() in ontology.victims.perpetrators
        if t.pos_ not in ("NOUN", "PROPN") or (t.dep_ not in ("nsubj", "nsubjpass", "dobj", "conj", "appos", "attr")
                                               and not (perpetrator and t.dep_ == "pobj")):
            continue  # people are a clause's arguments, not "to Stroger Hospital" (but "opened fire on the shooter")
        if t.tag_ in ("NNS", "NNPS"):
            continue  # "Gunmen opened fire, killing her": one person is no plural's pronoun
        lemma = t.lemma_.lower()
        said = _gender(t, None)
        if said == gender or (said is None and (t.ent_type_ == "PERSON" or lemma in ontology.victims.perpetrators)):
            return t
    return None


def _died_of_their_wounds(draft: Draft, doc: Doc, ontology: Ontology) -> bool:
    """ "Three of the four injured students died": people counted among the wounded who died are new dead."""
    if draft.partitive is None or draft.measure != "killed":
        return False
    wounded = {w for t in ontology.measures["wounded"].triggers for w in t.lemmas[:1]}
    return any(t.lemma_.lower() in wounded or t.lower_ in wounded for t in draft.partitive.subtree)


def _gender(noun: Token, pronoun: str | None) -> str | None:
    words = {noun.lemma_.lower(), noun.lower_, pronoun or ""} | {c.lower_ for c in noun.children if c.dep_ == "amod"}
    if words & MALE:
        return "m"
    if words & FEMALE:
        return "f"
    return None


def _story_goes_on(draft: Draft, doc: Doc, ontology: Ontology) -> bool:
    """Is the harm told as a next step ("then killed", "before killing two students", "later shot")?"""
    if draft.trigger is None:
        return False
    sequence = ontology.victims.sequence
    verb = doc[draft.trigger.tokens[0]]
    for _ in range(4):  # up from the harm's word to the verb of its clause: "he then went in, killing two more"
        if any(c.lower_ in sequence and c.dep_ in ("advmod", "prep", "mark", "cc") and _tells_a_step(c)
               for c in verb.children):
            return True
        if verb.dep_ in ("pcomp", "advcl") and verb.head.lower_ in sequence:
            return True  # "before killing two students", "after killing his grandfather"
        if verb.dep_ == "xcomp" and verb.head.lower_ in sequence:
            return True  # "continued killing"
        if verb.dep_ not in ("conj", "advcl", "xcomp", "pcomp", "prep") or verb.head.i == verb.i:
            return False
        verb = verb.head
    return False


def _governs(inner: TriggerMatch, outer: TriggerMatch, doc: Doc) -> bool:
    """Does the outer harm's word stand above the inner one's in the parse ("shot three, killing them")?"""
    head = doc[inner.tokens[0]].head
    return head.i in outer.tokens or (head.dep_ == "conj" and head.head.i in outer.tokens)


def mark_parts_that_died(drafts: list[Draft], doc: Doc) -> None:
    """ "shot four people, killing two and wounding two others": those killed and those wounded are parts
    of those shot, told in participles of the same verb."""
    for d in drafts:
        if d.measure not in ("killed", "wounded", "severely_wounded") or d.part_of is not None \
                or d.trigger is None or d.dropped is not None:
            continue
        verb = doc[d.trigger.tokens[0]]
        while verb.dep_ == "conj" and verb.head.tag_ == "VBG":
            verb = verb.head  # "killing two and wounding two others": both hang on the first participle
        participle = doc[d.trigger.tokens[0]].tag_ == "VBG" and verb.dep_ in ("advcl", "xcomp", "conj")
        # "Four people were shot and one died": the dead told as a bare figure in the clause joined to the shooting
        joined = verb.dep_ == "conj" and d.noun is None and d.measure == "killed"
        if not (participle or joined):
            continue
        for m, w in enumerate(drafts):
            if w is not d and w.measure in ("wounded", "severely_wounded") and w.trigger is not None \
                    and w.dropped is None and verb.head.i in w.trigger.tokens \
                    and (w.quantity.value or 0) >= (d.quantity.value or 0) > 0:
                d.part_of = m


def _doer_of(draft: Draft, doc: Doc) -> str | None:
    """The pronoun subject of the harm's clause ("He fled and …, killing the woman inside"), if one."""
    if draft.trigger is None:
        return None
    verb = doc[draft.trigger.tokens[0]]
    for _ in range(4):
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is not None and is_active(verb):
            if subject.lower_ in ("he", "she"):
                return subject.lower_
            if subject.tag_ == "NN":  # "a 36-year-old employee … began shooting, killing four"
                return "she" if _gender(subject, None) == "f" else "he"
            return None
        if subject is not None:
            return None
        if verb.head.i == verb.i or verb.dep_ not in ("conj", "advcl", "xcomp", "pcomp", "prep"):
            return None
        verb = verb.head
    return None


def _tells_a_step(word: Token) -> bool:
    """ "then", "later", "before killing", "after he reloaded" (not "after a stabbing": that names a cause)."""
    if word.lower_ not in ("before", "after"):
        return True
    # "before killing two students", not "after being stabbed" (a cause) nor "charged after two were stabbed"
    return any(c.dep_ == "pcomp" and c.tag_ == "VBG" and c.lower_ not in ("being", "having", "dying")
               and not any(g.dep_ == "auxpass" for g in c.children) for c in word.children)


def resolve_plural_pronouns(drafts: list[Draft]) -> None:
    """ "shot three of his professors, killing them all": "them" counts the figure it stands for."""
    for n, draft in enumerate(drafts):
        if draft.pronoun != "they" or draft.dropped is not None:
            continue
        # people a harm was done to, in the clause the pronoun's harm hangs on: "shot three …, killing them all"
        earlier = [d for d in drafts[:n] if d.dropped is None and not d.pronoun and (d.quantity.value or 0) > 1
                   and d.trigger is not None and draft.trigger is not None
                   and _governs(draft.trigger, d.trigger, draft.root.doc)]
        if not earlier:
            draft.dropped = "a plural pronoun with no figure before it in its sentence"
            continue
        value = earlier[-1].quantity.value
        draft.quantity = replace(draft.quantity, value=value, low=value, high=value)
        draft.antecedent = drafts.index(earlier[-1])


def fold_lists(readings: list[Reading], doc: Doc, ontology: Ontology, next_index) -> list[Reading]:
    """Add up the victims a harm lists ("four women and a child", "the dean, a professor, a student",
    "his mother, stepfather, and grandmother"): the list's total is a claim; its parts of a subgroup stay
    as its breakdown, its other parts are folded into it. Two names joined by a comma alone are one
    person described twice ("his wife, a teacher") unless the second says it is another ("six others")."""
    out: list[Reading] = []
    things = ontology.not_people | ontology.victims.not_victims
    for group in _list_groups(readings, doc, things):
        items = [readings[n] for n in group]
        if items[0].among:
            for r in items:
                r.among = True  # "Among the dead are six children and four women": parts of a toll, no toll
            continue
        start = items[0].claim.sentence_start
        trailing, end = _trailing_items(doc, items[-1].claim.end - start, things)
        if trailing and _apposition_opens(items[-1], _tokens(doc, items[-1].claim.end - start, end)):
            trailing -= 1  # "a farmer, Mykola Bondar, and his brother": the name says who the farmer is
        total = _list_total(items, doc, trailing, things)
        if total is None:
            continue
        first = items[0].claim
        qualifier = "at_least" if any(r.claim.qualifier == "at_least" for r in items) else "exact"
        claim = replace(first, index=next_index(), subgroup=None, value=total, qualifier=qualifier, low=total,
                        high=None if qualifier == "at_least" else total, end=start + end, victim=None,
                        breakdown_of=None)
        head = Reading(claim, items[0].sentence, sequence=any(r.sequence for r in items),
                       continues=items[0].continues, harm=items[0].harm, harm_lemmas=items[0].harm_lemmas)
        for r in items:
            if r.claim.subgroup is not None:
                r.claim = replace(r.claim, breakdown_of=claim.index)  # "four women and a child": 4 women, 1 child
            else:
                r.hidden = True  # "the principal and a custodian", "18 civilians and two soldiers": the total's words
        out.append(head)
        out += _one_breakdown_per_subgroup([r for r in items if r.claim.subgroup is not None], next_index)
        for r in readings:  # "the bodies of a farmer and his brother …, both with gunshot wounds": counted already
            if all(r is not i for i in items) and not r.hidden and claim.start <= r.claim.start and r.claim.end <= claim.end \
                    and r.claim.subgroup is None and (r.claim.measure == claim.measure
                                                      or (claim.measure == "killed" and r.claim.measure in WOUNDED)):
                r.hidden = True
    return out


def _one_breakdown_per_subgroup(parts: list[Reading], next_index) -> list[Reading]:
    """ "a teenage girl and a toddler": one breakdown of 2 children, on the words of both."""
    merged = []
    for subgroup in sorted({r.claim.subgroup for r in parts}):
        same = [r for r in parts if r.claim.subgroup == subgroup]
        if len(same) < 2 or any(r.claim.value is None for r in same):
            continue
        value = sum(r.claim.value for r in same)
        first, last = same[0].claim, same[-1].claim
        claim = replace(first, index=next_index(), value=value, low=value, high=value, end=last.end, victim=None)
        for r in same:
            r.hidden = True
        merged.append(replace(same[0], claim=claim, hidden=False))
    return merged


def _list_groups(readings: list[Reading], doc: Doc, things: frozenset[str]) -> list[list[int]]:
    """Runs of readings of one harm whose words are joined only by commas, "and" and people named
    without a figure; a single reading followed by such names is a run too."""
    groups: list[list[int]] = []
    for n, r in enumerate(readings):
        c = r.claim
        if c.breakdown_of is not None or c.victim == "perpetrator" or c.qualifier not in ("exact", "at_least") \
                or r.hidden or r.after_marker:
            continue  # ("Those killed, including 9 children and 6 women": parts of a total told elsewhere)
        if groups:
            prev = readings[groups[-1][-1]]
            p = prev.claim
            between = doc.text[p.end - c.sentence_start:c.start - c.sentence_start]
            if between.count("(") > between.count(")"):
                continue  # "three adults (one of them pregnant), a boy": an aside inside the list
            same_harm = r.harm is not None and r.harm == prev.harm
            if same_harm and p.measure == c.measure and p.end <= c.start \
                    and _gap_people(prev, _tokens(doc, p.end - c.sentence_start, c.start - c.sentence_start),
                                    things) is not None:
                groups[-1].append(n)
                continue
        groups.append([n])
    return [g for g in groups if len(g) > 1 or _trailing_items(
        doc, readings[g[0]].claim.end - readings[g[0]].claim.sentence_start, things)[0]]


def _tokens(doc: Doc, start: int, end: int) -> list[Token]:
    return [t for t in doc if start <= t.idx and t.idx + len(t.text) <= end]


NOMINAL = {"DET", "ADJ", "NOUN", "PROPN", "PART"}
SEPARATORS = {",", "and", "&"}


def _chunks(tokens: list[Token]) -> list[list[Token]]:
    chunks: list[list[Token]] = [[]]
    for t in tokens:
        if t.lower_ in SEPARATORS:
            chunks.append([])
        else:
            chunks[-1].append(t)
    return chunks


def _one_person(chunk: list[Token], things: frozenset[str]) -> bool:
    """A chunk of a list that names one person without a figure: "stepfather", "his girlfriend's father",
    "sister-in-law" (not a clause, a place, or people left uncounted like "his sisters")."""
    last = chunk[-1]
    if any(t.lemma_.lower() in things for t in chunk):
        return False  # "his mother and her dog"
    return all(t.pos_ in NOMINAL or t.tag_ == "PRP$" or t.text in ("-", "'s", "’s") or _hyphen_bound(t)
               for t in chunk) \
        and last.tag_ not in ("NNS", "NNPS", "DT", "POS", "PRP$") and last.pos_ not in ("DET", "PART") \
        and (last.ent_type_ not in ("GPE", "LOC", "FAC", "ORG", "DATE", "TIME") or chunk[0].tag_ == "PRP$") \
        and len(chunk) <= 6  # ("his cousin Hadi": whoever the tagger takes Hadi for)


def _hyphen_bound(t: Token) -> bool:
    """The "in" of "sister-in-law": a word inside a hyphenated one."""
    doc = t.doc
    return (t.i > 0 and doc[t.i - 1].text == "-" and not doc[t.i - 1].whitespace_) or (
        t.i + 1 < len(doc) and doc[t.i + 1].text == "-" and not t.whitespace_)


def _unnamed_items(tokens: list[Token], things: frozenset[str]) -> int | None:
    """How many people the words between two counted items name ("his mother, stepfather, and
    grandmother": one), or None when they are no list."""
    tokens = [t for t in _outside_brackets(tokens) if not _age_between_commas(t)]  # "three adults (one of them
    # pregnant), a boy"; "his mother, 62, and his grandmother"
    while tokens and tokens[0].pos_ == "PROPN" and tokens[0].i > 0 and tokens[0].doc[tokens[0].i - 1].pos_ == "NOUN":
        tokens = tokens[1:]  # "his brother Sami, and ...": the name of the one just counted
    if len(tokens) > 1 and tokens[0].lower_ == "of" and tokens[1].pos_ == "PROPN":
        tokens = tokens[1:]  # "the village chief of Intahaka and two of his nephews": whose chief
        while tokens and tokens[0].pos_ == "PROPN":
            tokens = tokens[1:]
    while tokens and (tokens[-1].tag_ in ("PRP$", "POS") or tokens[-1].pos_ == "DET"
                      or (tokens[-1].pos_ == "PROPN" and tokens[-1].dep_ == "poss")):
        tokens = tokens[:-1]  # "her, her husband, and her two children", "and Yusuf's three sons": the next item's
    if any(t.lower_ not in SEPARATORS and not t.is_space for t in tokens) or not tokens:
        chunks = [c for c in _chunks(tokens) if c]
        if not tokens or tokens[0].lower_ not in SEPARATORS or tokens[-1].lower_ not in SEPARATORS:
            return None
        return len(chunks) if all(_one_person(c, things) for c in chunks) else None
    return 0


def _age_between_commas(t: Token) -> bool:
    """The "62" of "his mother, 62, and ...": a person's age set off by commas, no one more."""
    doc = t.doc
    return t.text.isdigit() and int(t.text) < 120 and 0 < t.i < len(doc) - 1 and doc[t.i - 1].text == "," \
        and doc[t.i + 1].text in (",", ".", ";")


def _outside_brackets(tokens: list[Token]) -> list[Token]:
    out, depth = [], 0
    for t in tokens:
        depth += t.text == "("
        if depth == 0:
            out.append(t)
        depth -= t.text == ")" and depth > 0
    return out


def _trailing_items(doc: Doc, end: int, things: frozenset[str]) -> tuple[int, int]:
    """People named after a list's last counted item, closed by "and" ("his mother, stepfather, and
    grandmother in a matter of seconds" names two more): how many, and where they end."""
    last = next((t for t in doc if t.idx + len(t.text) == end), None)
    said = _said_of(last) if last is not None else set()  # "a farmer from Dogo and his son"
    after = [t for t in doc if t.idx >= end and t.i not in said]
    count, closed, last_end, chunk = 0, False, end, []
    for t in after:
        if t.lower_ in SEPARATORS:
            if chunk:
                if not _one_person(chunk, things):
                    break
                count, last_end, chunk = count + 1, chunk[-1].idx + len(chunk[-1].text), []
                if closed:
                    break
            if t.lower_ in ("and", "&"):
                closed = True
            continue
        if t.pos_ in NOMINAL or t.tag_ == "PRP$" or t.text in ("-", "'s", "’s") or _hyphen_bound(t):
            if not chunk and (count == 0 and not closed and t.i > 0 and doc[t.i - 1].lower_ not in SEPARATORS):
                break
            chunk.append(t)
            continue
        break
    if chunk and closed and _one_person(chunk, things):
        count, last_end = count + 1, chunk[-1].idx + len(chunk[-1].text)
    elif not closed:
        return 0, end
    return count, last_end


def _list_total(items: list[Reading], doc: Doc, trailing: int, things: frozenset[str]) -> int | None:
    """The sum of a list's parts, or None when the parts are one person told twice (the later is hidden)."""
    values = [r.claim.value for r in items]
    if any(v is None for v in values):
        return None
    start = items[0].claim.sentence_start
    gaps = [_tokens(doc, a.claim.end - start, b.claim.start - start) for a, b in zip(items, items[1:])]
    closed = trailing or any(t.lower_ in ("and", "&") for g in gaps for t in g)
    if not closed and len(items) > 1 and any(r.noun in ("one", "some", "many", "most") and not r.continues
                                             for r in items[1:]):
        for r in items[1:]:
            r.hidden = True  # "killing two students, one who had bullied him": one of the two
        return None
    told_twice = _appositions(items, gaps, doc)
    for n in told_twice:
        values[n] = 0  # "the headmaster, Samuel Okoro, and his wife": two people, the second words say who
        items[n].hidden = True
    between = sum(_gap_people(a, g, things) or 0 for a, g in zip(items, gaps))
    rest = sum(values[1:]) + between + trailing
    if items[0].noun in GENERIC and rest == values[0] and not items[1].continues:
        for r in items[1:]:
            r.hidden = True  # "killed 2 people, a village chief and his son": who the two were
        return None
    if not closed and len(items) == 2 and not items[1].continues:
        if values[0] > 1 and items[0].noun in ("people", "person", "victim"):
            return None  # "five people, two men and three women": a breakdown, not more people
        if values == [1, 1]:
            # "his wife, a teacher at the school": one person; keep the words that say more (a subgroup)
            items[0 if items[1].claim.subgroup is not None else 1].hidden = True
            return None
    return sum(values) + between + trailing


def _gap_people(item: Reading, gap: list[Token], things: frozenset[str]) -> int | None:
    """How many more people the words after a list's item name before its next counted item, or None when they
    are no list; none for words that only say again who the item is ("Marcus Bell, a father of three who had
    brought his children, and ...")."""
    if _apposition_opens(item, gap):
        gap = gap[next(k for k, t in enumerate(gap) if k > 0 and t.lower_ in SEPARATORS):]
    if gap and gap[0].i > 0:  # "a bus driver who had stopped for coffee, and ...": what is said of the item
        said = _said_of(gap[0].doc[gap[0].i - 1])
        gap = [t for t in gap if t.i not in said]
    return _unnamed_items(gap, things)


def _said_of(word: Token) -> set[int]:
    """The words after a list item's last word that describe it: its relative clause, its "of three"."""
    return {t.i for c in word.children if c.i > word.i and c.dep_ in ("relcl", "acl", "prep") for t in c.subtree}


def _apposition_opens(item: Reading, gap: list[Token]) -> bool:
    """Do the words after a list's item open by saying again who that one person is ("the headmaster,
    Samuel Okoro, and his wife": a name after a role; "his wife, a nurse, and their son")?"""
    if item.claim.value != 1 or len(gap) < 3 or gap[0].text != ",":
        return False
    chunk = []
    for t in gap[1:]:
        if t.lower_ in SEPARATORS:
            break
        chunk.append(t)
    if not chunk or len(chunk) + 1 >= len(gap) or gap[len(chunk) + 1].text != ",":
        return False  # the list must go on after it
    return (_a_full_name(chunk) and not item.named) or (
        chunk[0].lower_ in ("a", "an") and (item.named or _possessed(item, gap[0].doc)))


def _a_full_name(words: list[Token]) -> bool:
    """ "Samuel Okoro" (not "Father" capitalised in a list of kin)."""
    return len(words) >= 2 and all(t.pos_ == "PROPN" or t.ent_type_ == "PERSON" for t in words)


def _possessed(item: Reading, doc: Doc) -> bool:
    """ "his wife", "their neighbour": one person told by whose they are."""
    start = item.claim.sentence_start
    words = _tokens(doc, item.claim.start - start, item.claim.end - start)
    return bool(words) and words[0].tag_ == "PRP$" and item.claim.value == 1


def _appositions(items: list[Reading], gaps: list[list[Token]], doc: Doc) -> set[int]:
    """The items that say again who the item before them is: set off by commas inside a list that goes on
    ("a farmer, Ali Musa, and his brother"; "his wife, a nurse, and their son"): a name after a role, or
    someone indefinite after someone definite."""
    out = set()
    for n in range(1, len(items)):
        before, item = items[n - 1], items[n]
        if before.claim.value != 1 or item.claim.value != 1 or [t.text for t in gaps[n - 1]] != [","]:
            continue
        start = item.claim.sentence_start
        words = _tokens(doc, item.claim.start - start, item.claim.end - start)
        said = _said_of(words[-1]) if words else set()
        end = max((doc[i].idx + len(doc[i].text) for i in said), default=item.claim.end - start)
        after = doc.text[end:].lstrip()
        if not after.startswith(",") and not (n == len(items) - 1 > 1 and after[:1] in ("", ".", ";")):
            continue  # "his wife, a nurse" alone is the pair rule's; a list's last: "…, and Nia Fox, a student."
        indefinite = bool(words) and words[0].lower_ in ("a", "an")
        if (_a_full_name(words) and not before.named) or (indefinite and (before.named or _possessed(before, doc))):
            out.add(n)
    return out


def whole_from_subgroup(readings: list[Reading], next_index) -> list[Reading]:
    """ "Two men were found dead": a subgroup figure with no total beside it is the report's toll too.
    The total is a claim of its own (subgroup null, same words) and the subgroup figure its breakdown;
    the document pass folds it away where a larger total of the report already counts these people."""
    out = []
    for r in readings:
        c = r.claim
        if c.subgroup is None or c.breakdown_of is not None or r.hidden or r.after_marker or r.among:
            continue
        if any(o.claim.measure == c.measure and o.claim.subgroup is None and not o.hidden and o.harm == r.harm
               and o.claim.breakdown_of is None for o in readings if o is not r):
            continue  # a total of the same harm stands in the sentence
        total = replace(c, index=next_index(), subgroup=None, breakdown_of=None)
        r.claim = replace(c, breakdown_of=total.index)
        out.append(replace(r, claim=total, implied_total=True))
    return out


def elderly_by_age(readings: list[Reading], ontology: Ontology, next_index) -> list[Reading]:
    """ "an 85-year-old woman was killed": one of the women, and by her age one of the elderly too; the
    second subgroup is a breakdown of the same toll."""
    out = []
    for r in readings:
        c = r.claim
        if r.age is None or r.age < ontology.elderly_age or r.hidden or c.subgroup == "elderly":
            continue
        total = c.index if c.subgroup is None else c.breakdown_of
        if total is None:
            continue
        claim = replace(c, index=next_index(), subgroup="elderly", breakdown_of=total)
        out.append(Reading(claim, r.sentence, harm=r.harm, harm_lemmas=r.harm_lemmas, headline=r.headline))
    return out


def doer_pronouns(doc: Doc, matches: list[TriggerMatch], ontology: Ontology) -> set[str]:
    """The pronouns that did harm in this sentence ("he killed two", "she opened fire, wounding three")."""
    harm_tokens = {i for m in matches for i in m.tokens}
    out = set()
    agentive = ontology.agentive_verbs
    perpetrators = ontology.victims.perpetrators
    for tok in doc:
        if tok.dep_ == "nsubj" and tok.lemma_.lower() in perpetrators and any(
                t.lower_ in ("he", "she") and t.i > tok.i for t in doc):
            # "The suspect led police on a chase before he was shot": the pronoun is the suspect
            out.update(t.lower_ for t in doc if t.lower_ in ("he", "she") and t.i > tok.i)
        if tok.tag_ != "PRP" or tok.lower_ not in ("he", "she") or tok.dep_ != "nsubj" or not is_active(tok.head):
            continue
        verbs = [tok.head] + [c for c in tok.head.children if c.dep_ == "conj"]
        if any(v.i in harm_tokens and v.lemma_.lower() in agentive for v in verbs) \
                or tok.head.lemma_.lower() in ("open", "fire"):
            out.add(tok.lower_)
    for tok in doc:  # "a 36-year-old former employee … killing six. He was later killed": the doer named by a noun
        if tok.dep_ == "nsubj" and tok.pos_ == "NOUN" and tok.tag_ == "NN" and is_active(tok.head) and (
                tok.head.lemma_.lower() in agentive and tok.head.i in harm_tokens
                or tok.head.lemma_.lower() in ("open", "begin", "start")):
            out.add("she" if _gender(tok, None) == "f" else "he")
    return out
