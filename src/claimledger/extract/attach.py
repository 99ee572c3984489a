"""Attaching numbers to what they count, through the dependency parse.

A number counts a measure when a trigger word of that measure stands close to
it in the parse tree ("40 were killed", "gunmen killed 5", "the death toll
rose to 12", "claimed the lives of thousands"). Breakdowns ("including 106
women") take the measure of the figure they break down.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from claimledger.ontology import Ontology, Trigger
from claimledger.records import Quantity

NOUNISH = {"NOUN", "PROPN", "NUM", "PRON"}
NOT_COUNT_ENTITIES = {"DATE", "TIME", "MONEY", "PERCENT", "ORDINAL"}
LIST_SEPARATOR = re.compile(r"^[\s,;]*(?:and|as well as|plus|along with)?[\s,]*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class TriggerMatch:
    measure: str
    tokens: tuple[int, ...]


@dataclass(slots=True)
class Draft:
    """A quantity on its way to becoming a claim."""

    quantity: Quantity
    tokens: list[Token]
    root: Token
    noun: Token | None
    measure: str | None = None
    subgroup: str | None = None
    victim: str | None = None
    parent: int | None = None  # index of the draft this one breaks down
    trigger: TriggerMatch | None = None
    extent_end: int = 0  # end of the quantity and its noun, in sentence offsets
    modifier_after: str | None = None  # "12 of them seriously"
    after_marker: bool = False  # stands right after "including"/"among them": a breakdown
    partitive: Token | None = None  # "three of the hostages": the set the figure is taken from
    zero_measures: tuple[str, ...] = ()  # "no casualties": the measures a zero speaks of without a trigger
    part_told_who: bool = False  # "Eleven of the dead were women": a part of the harmed, told by who they were
    also_measures: tuple[str, ...] = ()  # "were abducted and killed": hostages too, beside the killed it is read as
    direct_only: bool = False  # "a soldier", "no one": must be an argument of the trigger itself
    general: bool = False  # a noun known as a person only by what was done to it ("killed the dean")
    relative: bool = False  # told by a relative pronoun ("a rival, whom he killed"): the pronoun is the argument
    pronoun: str | None = None  # "he was pronounced dead", "killing him": who it is, the document pass says
    antecedent: int | None = None  # the draft a plural pronoun stands for ("shot three, killing them all")
    part_of: int | None = None  # the draft this one is a part of with a harm of its own ("two of them died")
    perpetrator: bool = False  # the attacker's own death ("killed himself", "the gunman was shot dead")
    age: int | None = None  # one person's age where the words tell it ("a 71-year-old man", "Ruth Ames, 80,")
    dropped: str | None = None
    notes: list[str] = field(default_factory=list)


HYPHENATED = re.compile(r"(?:-[A-Za-z]+)+")


def hyphenated_end(text: str, end: int) -> int:
    """The end of a word joined on by hyphens: "co-workers", "brother-in-law", not "co"."""
    more = HYPHENATED.match(text, end)
    return more.end() if more else end


def words_of(token: Token) -> tuple[str, ...]:
    """The forms a trigger may match: lemma, lower-cased text, and the verb behind -ing/-ed nouns.
    Kept with the parse (its `user_data`), since every rule asks for them."""
    cache = token.doc.user_data.setdefault("claimledger_forms", {})
    forms = cache.get(token.i)
    if forms is None:
        forms = cache[token.i] = _forms(token)
    return forms


def _forms(token: Token) -> tuple[str, ...]:
    lower = token.lower_
    forms = [token.lemma_.lower(), lower]
    if token.pos_ not in ("VERB", "ADJ", "AUX"):
        return tuple(forms)  # "a shooting" names the event; only the verb "shooting 5" counts
    for suffix in ("ing", "ed"):
        if lower.endswith(suffix) and len(lower) > len(suffix) + 2:
            stem = lower[: -len(suffix)]
            forms += [stem, stem + "e"]
    return tuple(forms)


def _matches(token: Token, lemma: str) -> bool:
    return lemma in words_of(token)


class TriggerIndex:
    """Triggers by their first lemma, for matching a parsed sentence quickly."""

    def __init__(self, ontology: Ontology):
        self.ontology = ontology
        self.by_first: dict[str, list[Trigger]] = {}
        for trigger in ontology.triggers:
            self.by_first.setdefault(trigger.lemmas[0], []).append(trigger)
        self.blocks_by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in ontology.not_triggers:
            self.blocks_by_first.setdefault(phrase[0], []).append(phrase)

    def find(self, doc: Doc) -> list[TriggerMatch]:
        """The triggers in a parsed sentence (found once per parse, kept in its `user_data`)."""
        if "claimledger_triggers" not in doc.user_data:
            doc.user_data["claimledger_triggers"] = self._find(doc)
        return doc.user_data["claimledger_triggers"]

    def _find(self, doc: Doc) -> list[TriggerMatch]:
        lemmas = {w for tok in doc for w in words_of(tok)}
        gap = self.ontology.phrase_gap
        blocked = {i for tok in doc for word in set(words_of(tok)) for phrase in self.blocks_by_first.get(word, ())
                   for i in (match_phrase(doc, tok.i, phrase, 5) or ())}
        found: list[TriggerMatch] = []
        for tok in doc:
            if tok.i in blocked:
                continue
            for word in dict.fromkeys(words_of(tok)):  # in order: the same matches in every process
                for trigger in self.by_first.get(word, ()):
                    measure = self.ontology.measures[trigger.measure]
                    if measure.requires_any and not (measure.requires_any & lemmas):
                        continue
                    tokens = match_phrase(doc, tok.i, trigger.lemmas, gap)
                    if tokens is not None and not blocked.intersection(tokens):  # "being held on bail"
                        found.append(TriggerMatch(trigger.measure, _with_count_noun(doc, tokens)))
        return found


COUNT_NOUNS = {"number", "toll", "tally", "count", "total", "figure"}


def _with_count_noun(doc: Doc, tokens: tuple[int, ...]) -> tuple[int, ...]:
    """ "the number of injured rose to 45", "bringing the total number of displaced people … to 180,000":
    the count noun speaks for the trigger it is "of"."""
    head = doc[tokens[0]].head
    if doc[tokens[0]].dep_ == "amod" and head.pos_ == "NOUN":
        head = head.head  # "displaced people": the people are what the number is of
    if head.lower_ == "of" and head.head.lemma_.lower() in COUNT_NOUNS and head.head.i not in tokens:
        return tuple(sorted((*tokens, head.head.i)))
    if doc[tokens[0]].dep_ == "acl" and head.lemma_.lower() in COUNT_NOUNS and head.i not in tokens:
        return tuple(sorted((*tokens, head.i)))  # "the total number of people displaced", parsed onto "number"
    return tokens


def match_phrase(doc: Doc, start: int, lemmas: tuple[str, ...], gap: int) -> tuple[int, ...] | None:
    """The tokens of a phrase starting at `start`: its words in order, at most `gap` words apart.

    A phrase that starts again before it is complete ("lost one parent and 9 lost both
    parents") takes the nearer start.
    """
    if not _matches(doc[start], lemmas[0]):
        return None
    tokens = [start]
    # The verb's own object may stand between its words, however long: "shot his wife and her sister to death".
    obj = {t.i for c in doc[start].children if c.dep_ == "dobj" for t in c.subtree}
    subject_between = False
    for lemma in lemmas[1:]:
        nxt, skipped = None, 0
        for k in range(tokens[-1] + 1, len(doc)):
            if _matches(doc[k], lemma):
                if doc[k].pos_ == "VERB" and (obj or subject_between) and any(
                        c.dep_ in ("dobj", "nsubj", "nsubjpass") for c in doc[k].children):
                    return None  # "shot five people and killed two others": two harms, each with its own people
                nxt = k
                break
            subject_between = subject_between or doc[k].dep_ in ("nsubj", "nsubjpass")
            if _matches(doc[k], lemmas[0]) or (doc[k].pos_ == "VERB" and k not in obj
                                                and doc[k].dep_ not in ("amod", "compound")):
                break  # never across another verb: "fatally shot two and wounded three" is no "fatally wounded"
            skipped += k not in obj
            if skipped > gap:
                break
        if nxt is None:
            return None
        tokens.append(nxt)
    return tuple(tokens)


def _ancestors(token: Token) -> list[Token]:
    chain = [token]
    while chain[-1].head.i != chain[-1].i:
        chain.append(chain[-1].head)
    return chain


def tree_path(a: Token, b: Token) -> list[Token]:
    """The tokens on the parse-tree path from a to b, both included."""
    up_a, up_b = _ancestors(a), _ancestors(b)
    ids_b = {t.i: n for n, t in enumerate(up_b)}
    for n, t in enumerate(up_a):
        if t.i in ids_b:
            return up_a[: n + 1] + list(reversed(up_b[: ids_b[t.i]]))
    return up_a + list(reversed(up_b))  # different sentences: no shared root


BREAKDOWN_PREPS = {"including", "among", "include", "includes", "included"}


CLAUSE_EDGES = {"advcl", "ccomp", "parataxis", "relcl"}


DIRECT_DOWN = {"conj", "prep", "pobj", "oprd", "acomp", "xcomp", "advmod", "dobj", "attr", "amod", "compound", "npadvmod"}


def _is_direct(path: list[Token], undergo_verbs: frozenset[str] = frozenset()) -> bool:
    """From a person up to their own verb, then down at most two steps to the trigger:
    "a woman was shot dead", "a man was found shot to death". Never from the doer of an
    active verb ("a gunman opened fire, wounding four")."""
    if any(c.dep_ == "acl" and c.tag_ in ("VBD", "VBZ", "VBP") and c.i > path[0].i for c in path[0].children):
        return False  # "when a driver plowed into a crowd", parsed astray: the driver is the doer of "plowed"
    while len(path) > 2 and path[0].dep_ in ("conj", "appos") and path[1].i == path[0].head.i \
            and path[1].pos_ in ("NOUN", "PROPN"):
        path = path[1:]  # "three men and a woman were shot": the woman shares the men's verb
    if len(path) == 2 and path[1].head.i == path[0].i and path[1].dep_ in ("relcl", "acl") \
            and any(c.dep_ == "dobj" for c in path[1].children) and not _passive(path[1]):
        return False  # "a man to shoot his girlfriend", "the man who shot two officers": the doer
    if len(path) <= 2:
        return len(path) < 2 or path[1].i == path[0].head.i or path[0].i == path[1].head.i
    if len(path) == 3 and path[1].lower_ == "of" and path[0].head.i == path[1].i and path[1].head.i == path[2].i \
            and (path[2].pos_ == "NOUN" or path[2].tag_ == "VBG"):
        return True  # "the fatal shooting of a 6-year-old girl", "the body of a man": the harm's noun names them
    if _wounds_they_bear(path):
        return True  # "police found a man with a gunshot wound": the wounds are his
    head = path[1]
    relative = head.head.i == path[0].i and head.dep_ in ("relcl", "acl")  # "Jaylen Brooks, who was fatally shot"
    if (head.i != path[0].head.i and not relative) or len(path) > 4:
        return False
    if any(t.dep_ == "conj" and any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children) for t in path[2:]):
        return False  # "a man was killed and several residents were injured": another subject's verb
    if path[0].dep_ == "nsubj" and len(path) >= 3 and path[2].dep_ == "conj" and path[2].head.i == head.i \
            and _passive(path[2]) and not any(c.dep_ in ("nsubj", "nsubjpass") for c in path[2].children) \
            and all(t.head.i == prev.i and t.dep_ in DIRECT_DOWN for prev, t in zip(path[2:], path[3:])):
        return True  # "The gunman fled in his truck and was shot dead": the subject of the passive too
    if path[0].dep_ == "nsubj" and is_active(head) and head.lemma_ not in ("be", *undergo_verbs) \
            and head.i != path[-1].i:
        return False  # the doer of an act, unless the verb says what they underwent ("suffered a wound")
    if path[0].dep_ in ("dobj", "nsubj") and any(
            t.dep_ in ("conj", "xcomp", "relcl") and t.pos_ == "VERB" and any(c.dep_ == "dobj" for c in t.children)
            for t in path[2:]):
        return False  # "led a man to shoot his girlfriend, kill her daughter": that verb has an object of its own
    if path[0].dep_ == "nsubj" and any(t.dep_ == "conj" and t.lemma_.lower() != "die" and is_active(t)
                                       and not any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children)
                                       for t in path[2:]):
        return False  # "the shooter was angry and shot and killed five": the subject of both verbs did it
    return all(t.head.i == prev.i and t.dep_ in DIRECT_DOWN for prev, t in zip(path[1:], path[2:]))


def _wounds_they_bear(path: list[Token]) -> bool:
    """A person and the harm's noun they are told "with": "a man with a gunshot wound", "two men with stab
    wounds" (a path person → with → wound)."""
    return len(path) == 3 and path[1].lower_ == "with" and path[1].head.i == path[0].i \
        and path[2].head.i == path[1].i and path[2].pos_ == "NOUN"


def _clause_crossings(path: list[Token]) -> int:
    """How many clause boundaries a path crosses ("rose to 10, with three others wounded")."""
    ids = {t.i for t in path}
    return sum(1 for t in path if t.dep_ in CLAUSE_EDGES and t.head.i in ids and t.head.i != t.i)


def _leaves_own_clause(path: list[Token]) -> bool:
    """The subject of its own verb ("three men were shot") is not counted by a trigger in
    another clause ("; one of the men later died")."""
    start = 1 if path[0].dep_ in ("nummod", "quantmod") and len(path) > 1 else 0
    subject = path[start]
    if len(path) < start + 3 or subject.dep_ not in ("nsubj", "nsubjpass") or path[start + 1].i != subject.head.i:
        return False
    if subject.head.lemma_ == "be":
        # "76 of whom are teenagers": a copula says who, the event is elsewhere; but "One of the injured was an
        # officer who …, killing the attacker": a harm hung on an identity clause is not the subject's
        return any(c.dep_ == "attr" for c in subject.head.children) and len(path) > start + 2 \
            and path[start + 2].dep_ in ("advcl", "xcomp", "conj", "relcl")
    ids = {t.i for t in path[start + 1:]}
    return any(t.dep_ in CLAUSE_EDGES and t.head.i in ids and t.head.i != t.i for t in path[start + 1:])


def _path_is_open(path: list[Token], through_breakdown: bool = False) -> bool:
    """A number reaches a trigger through nouns and verbs, not through most prepositions.

    "the deaths of 5", "the toll rose to 12" are open; "killed in 3 attacks",
    "of 3,000 people in the town, 600 were killed" are not.
    """
    for tok in path[1:-1] if len(path) > 2 else []:
        if tok.dep_ in ("prep", "agent") or tok.pos_ == "ADP":
            word = tok.lower_
            if path[-1].head.i == tok.i:
                continue  # "23 were in critical condition": the preposition governs the trigger itself
            if word == "of" and (tok.head.pos_ in NOUNISH or (tok.head.tag_ == "VBG" and not any(
                    c.dep_ == "dobj" for c in tok.head.children))):
                continue  # "the deaths of 5"; a headline's "Killing of six aid workers" (a noun tagged as a verb)
            if word in ("to", "at") or (through_breakdown and word in BREAKDOWN_PREPS):
                continue
            return False
    return True


def _passive(verb: Token) -> bool:
    return any(c.dep_ == "auxpass" for c in verb.children)


# Verbs whose object clause is a state, not an act: "police found a woman fatally shot".
STATE_VERBS = {"find", "locate", "leave", "see", "discover", "declare", "pronounce", "report", "confirm", "list"}


def is_active(verb: Token) -> bool:
    """A verb in the active voice: "gunmen killed", "had killed" (not "were killed", "found shot")."""
    if verb.pos_ not in ("VERB", "AUX") or any(c.dep_ == "auxpass" for c in verb.children):
        return False
    if verb.dep_ in ("ccomp", "xcomp", "oprd") and verb.head.lemma_ in STATE_VERBS \
            and not any(c.dep_ in ("dobj", "aux") for c in verb.children):
        return False
    if verb.tag_ == "VBN" or (verb.dep_ == "conj" and _passive(verb.head) and not any(
            c.dep_ in ("aux", "dobj") for c in verb.children)):
        # "6 were killed and 4 women abducted": the second verb shares the first one's passive
        return any(c.dep_ == "aux" and c.lemma_ == "have" for c in verb.children)
    if verb.dep_ == "conj" and verb.head.lemma_ == "be" and not any(
            c.dep_ in ("dobj", "nsubj", "aux") for c in verb.children):
        return False  # "were handcuffed and fatally shot", parsed as a verb joined to "were": its participle
    if verb.tag_ == "VBD" and _counted_subject_without_object(verb):
        return False  # "Four people killed and twenty wounded", "three others wounded": a headline's passive
    return verb.tag_ in ("VBD", "VBZ", "VBP", "VBG", "VB")


def _counted_subject_without_object(verb: Token) -> bool:
    """A past form with a counted subject and nothing it acts on: a passive without its auxiliary."""
    if any(c.dep_ in ("dobj", "aux", "ccomp", "xcomp", "prt", "attr", "acomp") for c in verb.children):
        return False
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None or subject.pos_ not in ("NOUN", "NUM"):
        return False
    bare_singular = subject.tag_ == "NN" and not any(c.dep_ in ("det", "poss") for c in subject.children)
    return bare_singular or any(c.like_num or c.dep_ == "nummod" for c in [subject, *subject.children])


def names_the_doer(path: list[Token], ontology: Ontology) -> bool:
    """Does the path run through the subject of an active harming verb? ("5 gunmen killed 12")"""
    for here, nxt in zip(path, path[1:]):
        if here.dep_ == "nsubj" and here.head.i == nxt.i and nxt.lemma_.lower() in ontology.agentive_verbs \
                and is_active(nxt) and _acts_on_something(nxt):
            return True
    for here, nxt in zip(path, path[1:]):
        if nxt.dep_ == "relcl" and nxt.head.i == here.i and is_active(nxt) \
                and nxt.lemma_.lower() in ontology.agentive_verbs \
                and any(c.dep_ == "nsubj" and c.lower_ in ("who", "that") for c in nxt.children):
            return True  # "Two guards who shot and killed an intruder" (not "his son, who died in hospital")
    if path[0].dep_ == "nsubj" or (len(path) > 1 and path[1].dep_ == "nsubj" and path[0].head.i == path[1].i):
        # "Two shooters entered a house and shot the residents": the subject of both verbs did it
        return any(t.dep_ == "conj" and t.lemma_.lower() in ontology.agentive_verbs and is_active(t)
                   and not any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children) for t in path[2:])
    return False


def _subject_of_a_passive_too(subject: Token, match: TriggerMatch) -> bool:
    """ "The gunman fled in his truck and was shot dead": the harm's verb shares the subject of the first."""
    return subject.dep_ in ("nsubj", "nsubjpass") and any(
        c.dep_ == "conj" and c.i in match.tokens and _passive(c)
        and not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children) for c in subject.head.children)


def _object_of_another_act(anchor: Token, match: TriggerMatch) -> bool:
    """ "had killed 23 protesters and detained more than 1,500", "were evacuated, and about 40 people
    sheltered": the object or subject of a verb that is no harm is what that verb did or underwent,
    whatever harm stands beside it (not "left two dead", "found five dead")."""
    verb = anchor.head
    if anchor.dep_ not in ("dobj", "nsubj") or verb.pos_ != "VERB" or verb.i in match.tokens \
            or verb.lemma_.lower() in STATE_VERBS or any(t.i in match.tokens for c in anchor.children
                                                          if c.dep_ in ("relcl", "acl") for t in c.subtree):
        return False  # (what became of them told in their own clause: "shot his son, who died in hospital")
    within = verb.subtree if anchor.dep_ == "nsubj" else verb.children  # "are sheltering … after fleeing"
    return not any(t.i in match.tokens for t in within)


def _acts_on_something(verb: Token) -> bool:
    """ "Gunmen killed 12", "he shot and killed them" (not "a family of five burned to death", "two drowned":
    a harm verb with nothing it acts on tells what its subject underwent)."""
    verbs = [verb] + [c for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB"]
    return any(c.dep_ in ("dobj", "ccomp", "xcomp") or (c.dep_ == "prep" and c.lower_ in ("at", "on", "into", "upon"))
               for v in verbs for c in v.children) or verb.dep_ == "conj"


def attachment_distance(anchors: list[Token], match: TriggerMatch, doc: Doc, ontology: Ontology,
                        through_breakdown: bool = False, direct: bool = False) -> tuple[int, float] | None:
    """How far the trigger stands from the figure: (clause boundaries crossed, steps), or None
    when no open path joins them. Paths within the figure's own clause always rank first."""
    if any(_object_of_another_act(anchor, match) for anchor in anchors):
        return None  # "arrested 43 suspects after gunmen killed …"
    if any(a.lemma_.lower() in ontology.victims.perpetrators and a.head.i not in match.tokens
           and not (a.dep_ == "conj" and a.head.head.i in match.tokens) and not is_partitive(a, anchors[0])  # ("one of the gunmen")
           and not _subject_of_a_passive_too(a, match)
           for a in anchors):
        return None  # "two gunmen on a motorcycle fired at least 15 rounds": attackers only as the harm's own object
    best = None
    for anchor in anchors:
        for i in match.tokens:
            path = tree_path(anchor, doc[i])
            if not _path_is_open(path, through_breakdown) or names_the_doer(path, ontology) \
                    or _leaves_own_clause(path) or (direct and not _is_direct(path, ontology.undergo_verbs)):
                continue
            crossings = _clause_crossings(path)
            if direct:
                # One person is counted only as the argument of the trigger's own verb ("a man was
                # stabbed and critically injured", "was taken to hospital in critical condition").
                d = 1 + 0.1 * (len(path) - 2) if len(path) > 1 else 0
                if len(path) == 2 and path[1].dep_ in ("acl", "relcl") and path[1].head.i == path[0].i \
                        and path[0].dep_ not in ("nsubj", "nsubjpass"):
                    # "two men were shot dead and a woman wounded": her own participle; "shot his son, who died
                    # in hospital": his own clause says what became of him
                    crossings, d = 0, 0.5
            else:
                d = len(path) - 1 + 0.5 * crossings
                if not through_breakdown:  # a list of breakdowns is a coordination by nature
                    # Crossing a coordination ("killed 5 and wounded 12") costs one more step.
                    d += sum(1 for t in path[1:] if t.dep_ == "conj" and t.head in path)
            if best is None or (crossings, d) < best:
                best = (crossings, d)
    return best


def counted_noun(tokens: list[Token], root: Token) -> Token | None:
    """The noun a number counts: "40 civilians", "hundreds of civilians"."""
    ids = {t.i for t in tokens}
    if root.dep_ in ("nummod", "quantmod", "amod", "compound", "nmod", "det") and root.head.i not in ids \
            and root.head.pos_ in ("NOUN", "PROPN") \
            and not any(t.text in "()[]" for t in root.doc[min(root.i, root.head.i):max(root.i, root.head.i)]):
        return root.head  # (not across a bracket: "Killed: 4 (incl. 1 woman)")
    owners = list(tokens)
    if root.head.lower_ in ("more", "others", "other") and root.head.i not in ids:
        owners.append(root.head)  # "two more of his cousins"
    for tok in owners:
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                objs = [c for c in child.children if c.dep_ == "pobj" and c.i not in ids]
                if objs and (objs[0].pos_ in ("NOUN", "PROPN") or is_partitive(objs[0], tokens[0])):
                    return objs[0]
    return None


def is_partitive(noun: Token | None, root: Token) -> bool:
    """ "three of the hostages": a part of a set already counted, not a count of hostages."""
    if noun is None or noun.head.lower_ != "of" or noun.head.head.i != root.i or root.pos_ != "NUM":
        return False
    return any(c.dep_ in ("det", "poss") and c.lower_ not in ("a", "an") for c in noun.children)


def quantity_tokens(doc: Doc, q: Quantity) -> list[Token]:
    return [t for t in doc if t.idx < q.end and t.idx + len(t.text) > q.number_start]


def span_root(tokens: list[Token]) -> Token:
    ids = {t.i for t in tokens}
    heads = [t for t in tokens if t.head.i not in ids or t.head.i == t.i]
    return heads[0] if heads else tokens[-1]


ENTITY_GLUE = {"between", "and", "to", "or", "-", "–", "about", "some", "around", "nearly", "over", "least", "at",
               "more", "than", "up", "as", "many"}


def _not_a_count_entity(token: Token, doc: Doc) -> bool:
    """Dates, times, money, percentages and ordinals are no counts; but the small
    model also calls "between 10 and 15" a DATE, so a DATE of bare numbers stays a count."""
    if token.ent_type_ not in NOT_COUNT_ENTITIES:
        return False
    if token.ent_type_ != "DATE":
        return True
    entity = next((e for e in doc.ents if e.start <= token.i < e.end), None)
    return entity is None or any(not t.like_num and t.lower_ not in ENTITY_GLUE for t in entity)


# Nouns that only carry the figure they are "of": "a total of 1,320", "the fate of 85", "a group of 12".
AMOUNT_NOUNS = {"total", "number", "toll", "tally", "count", "figure", "sum", "estimate", "group", "crowd", "fate",
                "life", "whereabouts", "death", "body", "family", "one", "all", "most", "some", "many", "dozens"}


def _qualifies_another_noun(root: Token, noun: Token | None, ontology: Ontology) -> bool:
    """ "seven members of one family": the figure sits in an of-phrase of a noun that is no trigger."""
    if noun is None or root.head.i != noun.i or noun.dep_ != "pobj" or noun.head.lower_ != "of":
        return False
    owner = noun.head.head
    if owner.pos_ not in ("NOUN", "PROPN") or owner.like_num:
        return False
    words = ontology.trigger_words()
    return not any(w in words for w in words_of(owner)) and owner.lemma_.lower() not in AMOUNT_NOUNS


def _part_of_a_name(tokens: list[Token], noun: Token | None) -> bool:
    """ "Red Dead Redemption 2", "Senators 4, Red Wings 3": a number closing a proper name."""
    first = tokens[0]
    doc = first.doc
    if first.like_num and first.text[:1].isupper() and 0 < first.i < len(doc) - 1 \
            and doc[first.i - 1].pos_ == "PROPN" and doc[first.i + 1].pos_ == "PROPN" \
            and doc[first.i - 1].text[:1].isupper() and doc[first.i + 1].text[:1].isupper():
        return True  # "Regional One Health", "Channel Four News": a word-number inside a name
    if first.i == 0 or not first.like_num or not first.text[0].isdecimal():
        return False
    before = first.doc[first.i - 1]
    if not (before.pos_ == "PROPN" and before.text[:1].isupper() and before.i > 0):
        return False
    # "Destiny 2", "Redemption 2 port": a name's number counts no people after it
    return noun is None or noun.tag_ != "NNS"


def _between_commas(token: Token) -> bool:
    """ "The victim, 34, died", "kills Delaware woman, 26": a bare number set off after a noun."""
    doc = token.doc
    return 0 < token.i and doc[token.i - 1].text == "," and (
        token.i == len(doc) - 1 or doc[token.i + 1].text in (",", ")", ".", ";"))


def make_draft(doc: Doc, q: Quantity, ontology: Ontology) -> Draft | None:
    tokens = quantity_tokens(doc, q)
    if not tokens:
        return None
    root = span_root(tokens)
    noun = counted_noun(tokens, root)
    draft = Draft(q, tokens, root, noun)
    if is_partitive(noun, root):
        draft.partitive = noun
    if any(_not_a_count_entity(t, doc) for t in tokens):
        draft.dropped = "date, time, money or ordinal"
    elif _part_of_a_name(tokens, noun):
        draft.dropped = "part of a name (Destiny 2, Wi-Fi 6)"
    elif noun is None and _between_commas(root) and q.value is not None and q.value < 120 and (
            (root.dep_ in ("appos", "amod", "npadvmod") and root.head.pos_ in ("NOUN", "PROPN"))
            or (root.i >= 2 and doc[root.i - 2].pos_ in ("NOUN", "PROPN"))):
        draft.dropped = "an age"  # "The victim, 34, died", "kills Delaware woman, 26"
    elif noun is None and root.dep_ in ("attr", "acomp") and root.head.lemma_ == "be" and q.qualifier == "exact" \
            and any(c.dep_ in ("nsubj", "nsubjpass") and c.pos_ in ("NOUN", "PROPN", "PRON") for c in root.head.children):
        draft.dropped = "an age"  # "The victim who died was 34"
    elif q.qualifier == "year_like" and (noun is None or root.ent_type_ == "DATE" or (
            noun.lemma_.lower() not in ontology.person_nouns and noun.lemma_.lower() not in ontology.subgroup_of_word
            and noun.lemma_.lower() not in ("people", "person", "civilian"))):
        draft.dropped = "a year"  # "the 1994 massacre" (the parse may come without its entities)
    elif noun is None and root.dep_ == "pobj" and root.head.lower_ == "of" \
            and root.head.head.lemma_.lower() in ontology.person_nouns:
        draft.dropped = "how many children someone has ('a mother of three')"
    elif _qualifies_another_noun(root, noun, ontology):
        draft.dropped = "describes another noun (members of one family)"
    elif noun is not None and noun.tag_ == "NN" and q.value is not None and q.value > 1 and noun.i > root.i \
            and noun.lemma_.lower() not in ontology.trigger_words() and noun.lemma_.lower() not in ontology.person_nouns:
        draft.dropped = "a number before a singular noun (a label, not a count)"
    elif noun is not None and (noun.lemma_.lower() in ontology.not_people or noun.lower_ in ontology.not_people):
        draft.dropped = f"counts {noun.lower_}, not people"
    elif (noun is not None and noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.like_num
          and noun.head.head.i < root.i and not any(c.dep_ in ("acl", "relcl") for c in noun.children)) or (
            tokens[0].i >= 2 and doc[tokens[0].i - 1].lower_ == "of" and doc[tokens[0].i - 2].like_num):
        draft.dropped = "the set a part is taken from ('four of her eight children', 'three of four members')"
    if noun is None:
        # "70 elderly": a subgroup word right after the figure is what it counts.
        after = doc[tokens[-1].i + 1] if tokens[-1].i + 1 < len(doc) else None
        if after is not None and any(w in ontology.subgroup_of_word for w in words_of(after)):
            draft.noun = noun = after
    end = q.end
    if noun is not None and noun.idx >= q.start:
        end = max(end, noun.idx + len(noun.text))
    last = tokens[-1]
    if last.i + 1 < len(doc) and doc[last.i + 1].lower_ in ("more", "others") and noun in (None, doc[last.i + 1]):
        end = max(end, doc[last.i + 1].idx + len(doc[last.i + 1].text))  # "three more": the words that go on
    draft.extent_end = hyphenated_end(doc.text, end)
    return draft


def _part_of_an_age(word: Token) -> bool:
    """The "old" of "15-year-old" and "20-year old" says an age, not that someone is elderly."""
    return word.i > 0 and (word.nbor(-1).text == "-" or word.nbor(-1).lower_ in ("year", "years"))


def subgroup_of(token: Token | None, ontology: Ontology) -> str | None:
    if token is None:
        return None
    joined = [c for c in token.children if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN")
              and not any(g.dep_ in ("nummod", "poss") or g.like_num or g.lower_ in ("a", "an", "another")
                          for g in c.children)]  # "men and boys" share the figure; "women and a child" do not
    if joined and any(_own_subgroup(c, ontology) != _own_subgroup(token, ontology) for c in joined):
        return None  # "1,400 men and boys": the figure counts both
    appositive = next((c for c in token.children if c.dep_ == "appos"), None)
    if appositive is not None and token.pos_ in ("NUM", "PRON"):
        return subgroup_of(appositive, ontology)  # "One of them, a 15-year-old boy"
    if any(c.dep_ == "amod" and ontology.subgroup_of_word.get(c.lower_) == "elderly" and not _part_of_an_age(c)
           for c in token.children if c.i > 0):
        return "elderly"  # "an elderly man" is counted among the elderly
    if token.lemma_.lower() == "elder" and any(c.dep_ in ("compound", "amod") for c in token.children):
        return None  # "village elders", "tribal elders": leaders of a community, not the elderly
    if any(c.dep_ == "poss" and c.lower_ == "its" for c in token.children):
        return None  # "seven of its men": a force's members, whoever they are
    for word in words_of(token):
        if word in ontology.subgroup_of_word:
            return ontology.subgroup_of_word[word]
    for child in token.children:
        if child.dep_ in ("amod", "compound") and child.lower_ in ontology.subgroup_of_word \
                and not _part_of_an_age(child):
            found = ontology.subgroup_of_word[child.lower_]
            if found == "elderly":
                return found
    return None


def _own_subgroup(token: Token, ontology: Ontology) -> str | None:
    return next((ontology.subgroup_of_word[w] for w in words_of(token) if w in ontology.subgroup_of_word), None)


def victim_of(noun: Token | None, ontology: Ontology) -> str | None:
    """Who was counted, when the text says more than a number of people."""
    if noun is None or subgroup_of(noun, ontology) or noun.lemma_.lower() in GENERIC_PEOPLE \
            or noun.lemma_.lower() in COUNT_NOUNS:
        return None
    if noun.pos_ not in ("NOUN", "PROPN"):
        return None
    parts = [c for c in noun.children if c.dep_ == "compound" and c.i < noun.i] + [noun]
    return " ".join(t.lower_ for t in sorted(parts, key=lambda t: t.i))


GENERIC_PEOPLE = {"people", "person", "individual", "other", "one", "victim", "casualty", "human", "life", "soul",
                  "body", "corpse", "death", "fatality", "injury", "dead", "hostage", "captive", "refugee"}


def link_breakdowns(drafts: list[Draft], sentence: str, ontology: Ontology) -> None:
    """Mark each figure that breaks down an earlier one ("including 106 women", "76 of whom")."""
    markers = "|".join(re.escape(m) for m in ontology.breakdown_markers)
    ends_with_marker = re.compile(rf"\b(?:{markers})\s*[:,]?\s*$", re.IGNORECASE)
    follows_marker = re.compile(rf"^\s*(?:{markers})\b", re.IGNORECASE)
    live = [n for n, d in enumerate(drafts) if d.dropped is None]
    set_opening = re.compile(r"(?:^|[,;]\s*)(?:of|among) the\s*$", re.IGNORECASE)
    for pos, n in enumerate(live):
        draft = drafts[n]
        start = drafts[live[pos - 1]].extent_end if pos else 0
        draft.after_marker = bool(ends_with_marker.search(sentence[start:draft.quantity.start]))
        if pos + 1 < len(live) and re.match(  # a participle phrase may stand between ("journalists working for ...")
            r"^(?:\s+[\w'’-]+){0,8}?\s*(?:were|was|are|is)\s+(?:also\s+)?among\s+(?:the\s+)?$",
            sentence[draft.extent_end:drafts[live[pos + 1]].quantity.start],
        ):
            draft.parent = live[pos + 1]  # "Four police officers were among the 11 wounded"
            continue
        if pos == 0:
            continue
        prev_n = live[pos - 1]
        prev = drafts[prev_n]
        gap = sentence[prev.extent_end:draft.quantity.start]
        after = sentence[draft.quantity.end:]
        severity = re.match(r"\s*(?:of them\s+)?([a-z]+ly)\b", after)
        if draft.noun is None and severity and re.search(r",\s*$", gap) and any(
                severity.group(1) in m.modifiers for m in ontology.measures.values()):
            draft.parent = prev.parent if prev.parent is not None else prev_n
            draft.modifier_after = severity.group(1)  # "six people were injured, one seriously"
            continue
        if draft.noun is None and severity and re.search(r",\s*$", gap) \
                and severity.group(1) in ontology.trigger_words():
            draft.part_of = prev.parent if prev.parent is not None else prev_n  # "four were shot, two fatally"
            continue
        opens_set = next((m for m in live[:pos] if set_opening.search(sentence[: drafts[m].quantity.start])), None)
        if ends_with_marker.search(gap):
            draft.parent = prev.parent if prev.parent is not None else prev_n
        elif opens_set is not None and re.match(r"\s*(?:were|was|are|is)\b", after):
            draft.parent = opens_set  # "Of the 40 wounded, 12 were children and 3 were women"
        elif prev.parent is not None and LIST_SEPARATOR.match(gap):
            draft.parent = prev.parent
        elif prev.after_marker and LIST_SEPARATOR.match(gap):
            draft.after_marker = True  # the list goes on: "including 9 children and 6 women"
        copula_word = re.match(r"\s*(?:were|are|was|is)\s+([A-Za-z-]+)", after)
        if copula_word and draft.noun is None:
            draft.modifier_after = copula_word.group(1).lower()  # "of whom 3 were women"
        if draft.parent is None and not draft.after_marker and follows_marker.match(after):
            # "76 of whom are teenagers": the marker follows the number.
            draft.parent = prev.parent if prev.parent is not None else prev_n
            rest = after[follows_marker.match(after).end():]
            word = re.match(r"\s*(?:were|are|was|is)?\s*([A-Za-z-]+)", rest)
            if word:
                draft.modifier_after = word.group(1).lower()


def best_trigger(draft: Draft, matches: list[TriggerMatch], doc: Doc, ontology: Ontology) -> TriggerMatch | None:
    """The trigger that says what the figure counts, or None.

    A trigger right after the figure ("40 were killed", "25 children lost
    one") wins: English puts the subject before its verb, and this holds even
    where the parser goes astray on scraped text. Otherwise the trigger nearest
    in the parse tree, within the ontology's distance.
    """
    anchors = [draft.root] + ([draft.noun] if draft.noun is not None else [])
    head = draft.noun
    while head is not None and head.dep_ == "conj" and head.head.pos_ in ("NOUN", "PROPN"):
        head = head.head  # "four civilians and two police officers": later items share the first one's harm
    if head is not None and head is not draft.noun:
        anchors.append(head)
    if head is not None and head.dep_ == "pobj" and head.head.lower_ == "of" \
            and head.head.head.lemma_.lower() in ("family", "group", "total"):
        anchors.append(head.head.head)  # "A family of six children and two parents were … fatally shot"
    anchor_ids = {t.i for t in draft.tokens}
    counted = draft.noun.lemma_.lower() if draft.noun is not None else None
    restricted = {m.name for m in ontology.measures.values() if counted in m.counted}
    usable = []
    for match in matches:
        counts_object = len(match.tokens) == 2 and draft.noun is not None and draft.noun.i == match.tokens[-1]
        if len(match.tokens) > 1 and not counts_object and (
            anchor_ids & set(match.tokens) or (draft.noun is not None and draft.noun.i in match.tokens)
        ):
            draft.dropped = "part of a trigger phrase"
            return None
        measure = ontology.measures[match.measure]
        if anchor_ids & set(match.tokens) or (measure.counted and counted not in measure.counted):
            continue
        if draft.partitive is not None and set(match.tokens) & {t.i for t in draft.partitive.subtree}:
            continue  # the set ("of the 41 passengers kidnapped") says what they were, not what happened to them
        if restricted and match.measure not in restricted:
            continue
        if counted in measure.not_counted:
            continue  # "two suspects fled": those who flee the scene are not the displaced
        of_it = draft.noun is not None and draft.noun.head.lower_ == "of" and draft.noun.head.head.i in match.tokens
        if draft.direct_only and not of_it and any(doc[i].lemma_.lower() in ontology.incident_nouns
                                                   for i in match.tokens):
            continue  # one person next to "the massacre" is no count of its dead (but "the fatal stabbing of a boy")
        usable.append(match)
    if draft.noun is not None:  # "eleven displaced villagers killed": who they were yields to their death
        describing = [m for m in usable if doc[m.tokens[0]].head.i == draft.noun.i and m.tokens[0] < draft.noun.i
                      and doc[m.tokens[0]].dep_ in ("amod", "compound") and draft.noun.i not in m.tokens]
        governs = [m for m in usable if m.measure == "killed" and m not in describing and (
            (draft.noun.head.i in m.tokens and draft.noun.dep_ != "conj")
            or (doc[m.tokens[0]].head.i == draft.noun.i and doc[m.tokens[0]].dep_ in ("acl", "relcl")))]
        if describing and governs:
            usable = [m for m in usable if m not in describing]
    following = None if draft.direct_only else _trigger_right_after(draft, usable, doc)
    if following is not None and not any(
        names_the_doer(tree_path(anchor, doc[following.tokens[0]]), ontology) for anchor in anchors
    ):
        return following
    best, best_key = None, None
    for match in usable:
        found = attachment_distance(anchors, match, doc, ontology, draft.after_marker, draft.direct_only)
        if found is None:
            continue
        crossings, d = found
        if d >= (1 if draft.direct_only else ontology.max_attachment_distance) + 1:
            continue
        linear = min(abs(i - draft.root.i) for i in match.tokens)
        key = (crossings, d, -len(match.tokens), linear)  # "shot and killed" says more than "shot"
        if draft.direct_only and anchors[-1].dep_ in ("nsubj", "nsubjpass"):
            # One person's verbs: the last states the outcome ("was stabbed and critically injured"); of two ending
            # on one word, the longer ("died of his wounds", not "wounds")
            key = (crossings, d // 1, -max(match.tokens), -len(match.tokens))
        if best_key is None or key < best_key:
            best, best_key = match, key
    if best is None and not draft.direct_only:
        best = _verb_right_before(draft, usable, doc)
    return best


def outcome_told_after(match: TriggerMatch, matches: list[TriggerMatch], doc: Doc) -> TriggerMatch | None:
    """The death a harm's verb is joined to, with the same people as its subject ("were stabbed and killed",
    "were abducted and later killed", "beat two men and killed them"): what became of them."""
    verb = doc[match.tokens[-1]]
    for other in matches:
        if other.measure != "killed" or other is match:
            continue
        joined = doc[other.tokens[0]]
        if joined.dep_ == "conj" and joined.head.i == verb.i and joined.pos_ == "VERB" \
                and not any(c.dep_ in ("nsubj", "nsubjpass") or (c.dep_ == "dobj" and c.tag_ != "PRP")
                            for c in joined.children):
            return other  # (not "abducted 12 villagers and killed three of them": its own people)
    return None


def harm_told_before(match: TriggerMatch, matches: list[TriggerMatch], doc: Doc) -> TriggerMatch | None:
    """The harm a death's verb follows with the same people as its object ("abducted and killed five men")."""
    verb = doc[match.tokens[0]]
    if verb.dep_ != "conj" or verb.head.pos_ != "VERB" or any(c.dep_ == "dobj" for c in verb.head.children):
        return None
    return next((m for m in matches if m is not match and m.measure != "killed" and verb.head.i in m.tokens), None)


def _verb_right_before(draft: Draft, matches: list[TriggerMatch], doc: Doc) -> TriggerMatch | None:
    """ "..., killing at least nine people": the figure is the object of the verb just before it, even where
    the parse hangs it elsewhere (on "said"); "Killed: 4": the field a record labels with it."""
    for m in matches:
        verb = doc[max(m.tokens)]
        end = verb.idx + len(verb.text)
        between = doc.text[end:draft.quantity.start].strip() if end <= draft.quantity.start else None
        if between == "" and verb.pos_ == "VERB" and verb.tag_ in ("VBG", "VBD"):
            return m  # the hedge ("at least") belongs to the figure
        if between == ":":
            return m  # a record's field: "Killed: 4", "Injured: 13"
    return None


# Tags that may stand between a figure and the trigger that follows it: "40 were killed",
# "150 people still missing", "8 families were totally annihilated".
BRIDGE_TAGS = {"NOUN", "PROPN", "ADJ", "AUX", "ADV", "PART", "DET", "NUM"}


def _trigger_right_after(draft: Draft, matches: list[TriggerMatch], doc: Doc) -> TriggerMatch | None:
    """When the parse goes astray, a trigger right after the figure still names what it counts."""
    starts: dict[int, TriggerMatch] = {}
    for m in matches:  # the longest phrase starting at a token speaks for it
        if m.tokens[0] not in starts or len(m.tokens) > len(starts[m.tokens[0]].tokens):
            starts[m.tokens[0]] = m
    last = max(t.i for t in draft.tokens)
    for k in range(last + 1, min(len(doc), last + 6)):
        if k in starts:
            if draft.noun is not None and k == draft.noun.i and doc[k].pos_ == "NOUN":
                # the counted noun is itself a trigger ("60 refugees", "12 hostages"); a verb of harm
                # after it says what happened to them ("60 refugees were killed")
                verb = _verb_after(draft.noun, starts, doc)
                return verb or starts[k]
            return starts[k]
        if doc[k].pos_ not in BRIDGE_TAGS or doc[k].like_num:
            return None
    return None


def _verb_after(noun: Token, starts: dict[int, TriggerMatch], doc: Doc) -> TriggerMatch | None:
    """A trigger verb of which the noun is the subject, within a few words after it (and after the nouns joined to
    it: "14 hostages and two security guards were killed")."""
    joined = {t.i for c in noun.children if c.dep_ in ("conj", "cc") for t in c.subtree}
    for k in range(noun.i + 1, min(len(doc), noun.i + 5 + len(joined))):
        if k in joined:
            continue
        if k in starts and doc[k].pos_ in ("VERB", "AUX", "ADJ") and noun.head.i in (k, doc[k].head.i):
            return starts[k]
        if doc[k].pos_ not in ("AUX", "ADV", "PART", "VERB", "ADJ"):
            return None
    return None


def refine(measure: str, trigger: TriggerMatch, doc: Doc, ontology: Ontology, extra_word: str | None = None) -> str:
    """"seriously wounded" is severely_wounded: a refinement of wounded named by a modifier."""
    for candidate in ontology.measures.values():
        if candidate.refines != measure:
            continue
        words = set()
        for i in trigger.tokens:
            tok = doc[i]
            words.update(c.lower_ for c in tok.children
                         if c.dep_ in ("advmod", "amod", "npadvmod") and abs(c.i - i) <= 2)
            if i > 0:
                words.add(doc[i - 1].lower_)
                joined = doc[max(0, i - 5):i].text.lower().replace(" ", "")
                if not re.search(r"non-(?:life-)?[a-z-]*$", joined):  # "non-life-threatening injuries"
                    words.add(doc[max(0, i - 3):i].text.lower().replace(" ", ""))  # "life-threatening" as tokens
                else:
                    words.discard(doc[i - 1].lower_)
        if extra_word:
            words.add(extra_word)
        if words & candidate.modifiers:
            return candidate.name
    return measure


def harm_argument(noun: Token, match: TriggerMatch) -> bool:
    """Is the noun what the harm was done to: its object or passive subject ("killed the dean", "the dean
    was shot"), the subject of a state the harm's word completes ("was found dead", "was stabbed and
    died"), or what a harm noun is of ("the killing of a clerk")? A list's later items stand for its first."""
    while noun.dep_ in ("conj", "appos") and noun.head.pos_ in ("NOUN", "PROPN", "PRON"):
        noun = noun.head
    for i in match.tokens:
        harm = noun.doc[i]
        if harm.i == noun.head.i:
            return True
        if harm.head.i == noun.head.i and noun.dep_ in ("nsubj", "nsubjpass") \
                and harm.dep_ in ("oprd", "acomp", "xcomp", "ccomp", "advmod", "conj"):
            # "was found dead", "was stabbed and died" (not when the second verb has a subject of its own)
            return not (harm.dep_ == "conj" and any(c.dep_ in ("nsubj", "nsubjpass") for c in harm.children))
        if harm.head.i == noun.head.i and noun.dep_ == "dobj" and harm.dep_ in ("oprd", "acomp", "ccomp"):
            return True  # "left a man dead"
        if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.i == harm.i:
            return True
        if noun.dep_ == "poss" and noun.head.i == harm.i:
            return True  # "the clerk's killing"
        if _wounds_they_bear([noun, harm.head, harm]):
            return True  # "found a man with a gunshot wound"
        if harm.dep_ == "relcl" and harm.head.i == noun.i and any(
                c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("who", "that") for c in harm.children) \
                and not any(c.dep_ == "dobj" for c in harm.children):
            return True  # "his son, who died in hospital", "a clerk who was shot": their own clause
    return False


def intended(verb: Token, ontology: Ontology) -> bool:
    """ "threatened to kill", "a plan to kill", "was trying to kill", "tried to commit suicide by shooting
    himself" (not "led a man to shoot his girlfriend")."""
    head = verb.head
    while head.dep_ in ("xcomp", "conj", "pcomp", "prep", "advcl") and head.head.i != head.i \
            and head.lemma_.lower() not in ontology.intent_verbs:
        head = head.head
    return head.i == verb.i or head.lemma_.lower() in ontology.intent_verbs
