"""Who makes a claim ("according to X", "X said", "claimed by X") and on what scope."""
from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from claimledger.extract.attach import tree_path
from claimledger.ontology import Ontology

MAX_CLAIMANT_CHARS = 90
CLOSING_SAID = re.compile(
    r",\s+((?:the\s+|a\s+|an\s+)?[A-Za-z][\w.'’ -]{1,60}?)\s+(?:said|says|reported|reports|added|stated|confirmed|told)"
    r"(?:\s+(?:on|late|early|in)\s+\w+|\s+\w+day|\s+\w+)?\s*[.!]?[\"”’]?\s*$"
)
SINCE_PERIOD = re.compile(
    r"\b(?:since (?:(?:early |late |mid-?)?(?:1[89]\d\d|20\d\d)|the (?:start|beginning|outbreak) of)"
    r"|over the (?:past|last) (?:\w+ )?(?:years?|decades?|months?))\b",
    re.IGNORECASE,
)


def _phrase(token: Token) -> str | None:
    """The noun phrase headed by `token`, cut at its first comma or relative clause."""
    if token.pos_ == "PRON":
        return None
    words = []
    for t in token.subtree:
        if t.i < token.i and (t.is_punct or t.text in ("—", "–")):
            words = []  # a dateline or an opening clause before the name: not part of it
            continue
        if t.i > token.i and (t.text in (",", "(", ";", "—", "–") or t.dep_ in ("relcl", "acl")):
            break
        words.append(t)
    text = "".join(t.text_with_ws for t in words).strip().strip(",.;:\"'“”")
    if not text or len(text) > MAX_CLAIMANT_CHARS:
        return None
    return text


def _according_to(doc: Doc) -> str | None:
    for tok in doc:
        if tok.lower_ == "according":
            for to in tok.children:
                if to.lower_ == "to":
                    objs = [c for c in to.children if c.dep_ == "pobj"]
                    if objs:
                        return _phrase(objs[0])
    return None


def _reporting_subject(verb: Token) -> str | None:
    subjects = [c for c in verb.children if c.dep_ in ("nsubj",)]
    return _phrase(subjects[0]) if subjects else None


def _reporter_of(anchor: Token, trigger_tokens: list[Token], ontology: Ontology) -> str | None:
    """The nearest reporting verb above the figure ("police said 5 were killed") or hung on
    the clause that holds it ("5 were killed, police said"), and its subject."""
    def reports(t: Token) -> bool:
        return t.lemma_.lower() in ontology.reporting_verbs and t.pos_ in ("VERB", "AUX")

    for start in [anchor, *trigger_tokens]:
        for ancestor in start.ancestors:
            if reports(ancestor):
                found = _reporting_subject(ancestor)
                if found:
                    return found
            for child in ancestor.children:
                # a parenthetical "..., police said": a reporting verb with no clause of its own
                if child.dep_ in ("parataxis", "advcl", "ccomp") and reports(child) and child.i > start.i \
                        and not any(c.dep_ in ("ccomp", "dobj") for c in child.children):
                    found = _reporting_subject(child)
                    if found:
                        return found
    return None


def _agent(doc: Doc, anchor: Token, trigger_tokens: list[Token], ontology: Ontology) -> str | None:
    """ "the death toll claimed by the authorities": the by-agent of a reporting verb near the figure."""
    near = {t.i for tt in trigger_tokens for t in [tt, *tt.children, tt.head]}
    for verb in doc:
        if verb.lemma_.lower() not in ontology.reporting_verbs or verb.pos_ not in ("VERB", "AUX"):
            continue
        agents = [c for c in verb.children if c.dep_ == "agent"]
        if agents and (verb.i in near or verb.head.i in near or len(tree_path(verb, anchor)) <= 4):
            objs = [c for c in agents[0].children if c.dep_ == "pobj"]
            if objs:
                return _phrase(objs[0])
    return None


def _closing_attribution(doc: Doc) -> str | None:
    """ "..., Berkeley police said." : an attribution closing the sentence covers all of it."""
    m = CLOSING_SAID.search(doc.text)
    if not m:
        return None
    words = m.group(1).strip()
    return words if words and not words.lower().startswith(("he ", "she ", "they ", "it ")) and \
        words.lower() not in ("he", "she", "they", "it") else None


def find_claimant(doc: Doc, anchor: Token, trigger_tokens: list[Token], ontology: Ontology) -> str | None:
    """The source the sentence gives for the figure at `anchor`, or None."""
    primary = _agent(doc, anchor, trigger_tokens, ontology) or _reporter_of(anchor, trigger_tokens, ontology) \
        or _closing_attribution(doc)
    according = _according_to(doc)
    if primary and according and according.lower() not in primary.lower():
        return f"{primary}, according to {according}"
    return primary or according


def find_scope(doc: Doc, trigger_tokens: list[Token], ontology: Ontology) -> tuple[str | None, bool]:
    """Words that put the figure on a wider scope, and whether they make it another event.

    A sentence that names the incident ("during the massacre") keeps its figures
    on the incident even when it also mentions the war around it.
    """
    lowered = doc.text.lower()
    lemmas = {t.lemma_.lower() for t in doc}
    names_incident = bool(lemmas & ontology.incident_nouns)
    for phrase in ontology.scope_phrases:
        if re.search(rf"\b{re.escape(phrase)}\b", lowered):
            wider = phrase not in ontology.scope_totals and not names_incident
            return phrase, wider
    since = SINCE_PERIOD.search(doc.text)
    if since:
        return since.group(0), not names_incident
    for tok in doc:
        lemma = tok.lemma_.lower()
        if lemma in ontology.wider_nouns and not names_incident:
            return _phrase(tok) or tok.text, True
        if lemma in ontology.wider_agents:
            for trig in trigger_tokens:
                is_agent = tok.head.i == trig.i and tok.dep_ in ("nsubj", "nsubjpass", "agent")
                is_antecedent = trig.dep_ == "relcl" and trig.head.i == tok.i
                if is_agent or is_antecedent:
                    return _phrase(tok) or tok.text, True
    return None, False


CLAIMANT_WORD = re.compile(r"[A-Za-z][\w'’-]*")
LEADING_WORDS = {"the", "a", "an", "its", "their", "his", "her", "local", "state", "national"}


def one_name_per_body(claimants: list[str | None]) -> dict[str, str]:
    """Within one report, the short names of a body it named in full are that body: "the ministry" and
    "health ministry" are "the regional health ministry" when the report named only one ministry.
    Returns each claimant's fullest name (a name stands for itself when it names no other)."""
    names = sorted({c for c in claimants if c}, key=len, reverse=True)
    fullest: dict[str, str] = {}
    for name in names:
        words = [w.lower() for w in CLAIMANT_WORD.findall(name)]
        content = [w for w in words if w not in LEADING_WORDS]
        if not content:
            continue
        longer = [n for n in names if len(n) > len(name) and _names_within(content, n)]
        # only when one longer name fits ("the ministry" could be the health or the interior ministry)
        heads = {fullest.get(n, n) for n in longer}
        fullest[name] = heads.pop() if len(heads) == 1 else name
    return fullest


def _names_within(content: list[str], longer: str) -> bool:
    """Do the words of a short name stand in a longer one, its last word (the body) last?"""
    words = [w.lower() for w in CLAIMANT_WORD.findall(longer)]
    return bool(words) and words[-1] == content[-1] and set(content) <= set(words)
