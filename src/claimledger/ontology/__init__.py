"""The ontology: measures, triggers, subgroups, hedges and vague amounts, loaded from YAML.

The vocabulary lives in `ontology.yaml` so a user can extend it without
touching Python; it is validated against `schema.json` when loaded.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import jsonschema
import yaml

from claimledger.errors import OntologyError


PHRASE_GLUE = {"a", "an", "the", "to", "of", "in", "on", "at", "by", "one", "both", "out", "down", "up", "home",
               "all", "as", "and", "or", "for", "with", "take", "give", "leave", "remain", "lose", "claim",
               "cost", "condition", "from", "being", "for", "half", "suffer", "fight", "escape"}


@dataclass(frozen=True, slots=True)
class Trigger:
    """A word or phrase (as lemmas) that says a number counts a measure."""

    measure: str
    lemmas: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Measure:
    name: str
    description: str
    triggers: tuple[Trigger, ...]
    part_of: str | None = None
    refines: str | None = None  # a trigger of `refines` with one of `modifiers` gives this measure
    modifiers: frozenset[str] = frozenset()
    counted: frozenset[str] = frozenset()  # only counts these nouns (families, households)
    requires_any: frozenset[str] = frozenset()  # the sentence must hold one of these lemmas
    subject_subgroup: bool = True  # "5 children were killed" gives subgroup children
    not_counted: frozenset[str] = frozenset()  # nouns this measure never counts ("suspects" fleeing)


@dataclass(frozen=True, slots=True)
class Hedge:
    qualifier: str
    words: str
    low: str
    high: str


@dataclass(frozen=True, slots=True)
class VagueAmount:
    words: str
    low: int
    high: int | None


@dataclass(frozen=True, slots=True)
class VictimWords:
    """The words extraction reads victims by, when a report names them instead of counting them."""

    person_measures: frozenset[str] = frozenset()  # any noun naming their victim is a person ("killed the dean")
    not_victims: frozenset[str] = frozenset()  # body parts and things a harm is done to ("injured his leg")
    pairs: frozenset[str] = frozenset()  # two people: "his parents", "a couple", "killing both"
    perpetrators: frozenset[str] = frozenset()  # the attacker, whose own death is counted apart
    self_harm: tuple[tuple[str, ...], ...] = ()  # lemma phrases of an attacker's own death ("kill himself")
    continuation: frozenset[str] = frozenset()  # a count goes on: "two more", "another", "an additional three"
    sequence: frozenset[str] = frozenset()  # a story goes on: "then", "later", "before", "after"
    hit: frozenset[str] = frozenset()  # verbs of being hit ("shot"): the dead among them are part of them
    survival: frozenset[str] = frozenset()  # words that say someone hit lived ("was rescued", "is stable")
    responders: frozenset[str] = frozenset()  # police and guards: a "him" they shot is the attacker
    things_too: frozenset[str] = frozenset()  # harms done to things as well: their victims must name people
    generic_people: frozenset[str] = frozenset()  # "people", "persons", "victims": say nothing of who


@dataclass(frozen=True, slots=True)
class Ontology:
    measures: dict[str, Measure]
    subgroup_of_word: dict[str, str]
    breakdown_markers: tuple[str, ...]
    hedges: tuple[Hedge, ...]  # longest words first
    vague_amounts: tuple[VagueAmount, ...]  # longest words first
    not_people: frozenset[str]
    scope_phrases: tuple[str, ...]
    scope_totals: frozenset[str]
    wider_nouns: frozenset[str]
    wider_agents: frozenset[str]
    incident_nouns: frozenset[str]
    aftermath_phrases: frozenset[str]
    background_markers: frozenset[str]
    harm_words: frozenset[str]
    undergo_verbs: frozenset[str]
    reporting_verbs: frozenset[str]
    phrase_gap: int
    max_attachment_distance: int
    person_nouns: frozenset[str] = frozenset()
    adult_age: int = 18
    elderly_age: int = 65
    zero_words: tuple[str, ...] = ()
    zero_nouns: dict[str, tuple[str, ...]] | None = None
    agentive_verbs: frozenset[str] = frozenset()
    intent_verbs: frozenset[str] = frozenset()
    not_triggers: tuple[tuple[str, ...], ...] = ()
    not_looked_for: frozenset[str] = frozenset()  # trigger words the parser pre-filter does not look for
    event_kinds: dict[str, tuple[str, ...]] | None = None  # kind → the words that say it, in order of precedence
    weapon_kinds: frozenset[str] = frozenset()  # kinds told by the weapon: a shooting is never a stabbing
    victims: VictimWords = VictimWords()
    trigger_vocabulary: frozenset[str] = frozenset()  # every word of every trigger, gathered once at load

    @property
    def triggers(self) -> list[Trigger]:
        return [t for m in self.measures.values() for t in m.triggers]

    def trigger_words(self) -> frozenset[str]:
        """Every single word that appears in some trigger."""
        return self.trigger_vocabulary or frozenset(word for t in self.triggers for word in t.lemmas)

    def trigger_content_words(self) -> set[str]:
        """The words that make a trigger, without the small words of its phrase ("lose a parent"
        needs "lose" and "parent", never "a"): what the text pre-filter looks for."""
        words = set()
        for t in self.triggers:
            content = [w for w in t.lemmas if w not in PHRASE_GLUE and len(w) > 2]
            if content:
                # one word speaks for a phrase: its longest content word ("take to hospital" → "hospital")
                words.add(max(content, key=len))
            else:
                # "lose one" is only read where "parent" stands too: that word speaks for it
                words.update(self.measures[t.measure].requires_any or {t.lemmas[-1]})
        return words - self.not_looked_for

    def subgroup_for(self, word: str | None) -> str | None:
        """The subgroup a word names ("teenagers" → children), singular or plural."""
        if not word:
            return None
        word = word.lower()
        for form in (word, word[:-1] if word.endswith("s") else word, word[:-2] if word.endswith("es") else word):
            if form in self.subgroup_of_word:
                return self.subgroup_of_word[form]
        return None

    def parts_of(self, measure: str) -> list[str]:
        return [m.name for m in self.measures.values() if m.part_of == measure]


def _schema() -> dict:
    return json.loads(resources.files(__package__).joinpath("schema.json").read_text("utf-8"))


def _words(section: dict, key: str) -> frozenset[str]:
    """A list of words from the file, lower-cased, as a set."""
    return frozenset(w.lower() for w in section.get(key, []))


def load_ontology(path: str | Path | None = None) -> Ontology:
    """Load and validate an ontology file; the bundled one when no path is given."""
    if path is None:
        source = "ontology.yaml (bundled)"
        raw_text = resources.files(__package__).joinpath("ontology.yaml").read_text("utf-8")
    else:
        source = str(path)
        try:
            raw_text = Path(path).read_text("utf-8")
        except OSError as exc:
            raise OntologyError(f"{source}: cannot read ontology: {exc.strerror}") from exc
    try:
        raw = yaml.safe_load(raw_text)
    except yaml.YAMLError as exc:
        raise OntologyError(f"{source}: not valid YAML: {exc}") from exc
    try:
        jsonschema.validate(raw, _schema())
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "top level"
        raise OntologyError(f"{source}: {where}: {exc.message}") from exc
    return _build(raw, source)


def _build(raw: dict, source: str) -> Ontology:
    measures = {}
    for name, spec in raw["measures"].items():
        triggers = tuple(Trigger(name, tuple(t.lower().split())) for t in spec["triggers"])
        measures[name] = Measure(
            name=name,
            description=spec["description"],
            triggers=triggers,
            part_of=spec.get("part_of"),
            refines=spec.get("refines"),
            modifiers=frozenset(w.lower() for w in spec.get("modifiers", [])),
            counted=frozenset(w.lower() for w in spec.get("counted", [])),
            requires_any=frozenset(w.lower() for w in spec.get("requires_any", [])),
            subject_subgroup=spec.get("subject_subgroup", True),
            not_counted=frozenset(w.lower() for w in spec.get("not_counted", [])),
        )
    for noun, names in raw.get("zero_nouns", {}).items():
        for name in names:
            if name not in measures:
                raise OntologyError(f"{source}: zero_nouns/{noun}: unknown measure {name!r}")
    for m in measures.values():
        for ref in (m.part_of, m.refines):
            if ref is not None and ref not in measures:
                raise OntologyError(f"{source}: measures/{m.name}: refers to unknown measure {ref!r}")
    subgroup_of_word = {}
    for subgroup, words in raw["subgroups"].items():
        for word in words:
            subgroup_of_word[word.lower()] = subgroup
    hedges = sorted(
        (Hedge(h["qualifier"], w.lower(), h["low"], h["high"]) for h in raw["hedges"] for w in h["words"]),
        key=lambda h: -len(h.words),
    )
    vague = sorted(
        (VagueAmount(v["words"].lower(), v["low"], v["high"]) for v in raw["vague_amounts"]),
        key=lambda v: -len(v.words),
    )
    scope = raw.get("scope", {})
    victims = raw.get("victims", {})
    for name in victims.get("person_measures", []):
        if name not in measures:
            raise OntologyError(f"{source}: victims/person_measures: unknown measure {name!r}")
    victim_words = VictimWords(
        person_measures=frozenset(victims.get("person_measures", [])),
        self_harm=tuple(tuple(p.lower().split()) for p in victims.get("self_harm", [])),
        **{name: _words(victims, name) for name in ("not_victims", "pairs", "perpetrators", "continuation",
                                                    "sequence", "hit", "survival", "responders", "things_too",
                                                    "generic_people")},
    )
    return Ontology(
        measures=measures,
        subgroup_of_word=subgroup_of_word,
        breakdown_markers=tuple(sorted((m.lower() for m in raw.get("breakdown_markers", [])), key=len, reverse=True)),
        hedges=tuple(hedges),
        vague_amounts=tuple(vague),
        not_people=_words(raw, "not_people"),
        scope_phrases=tuple(p.lower() for p in scope.get("phrases", [])),
        scope_totals=_words(scope, "totals"),
        wider_nouns=_words(scope, "wider_nouns"),
        wider_agents=_words(scope, "wider_agents"),
        incident_nouns=_words(raw, "incident_nouns"),
        aftermath_phrases=_words(raw, "aftermath_phrases"),
        background_markers=_words(raw, "background_markers"),
        harm_words=_words(raw, "harm_words"),
        undergo_verbs=_words(raw, "undergo_verbs"),
        reporting_verbs=_words(raw, "reporting_verbs"),
        person_nouns=_words(raw, "person_nouns"),
        adult_age=raw.get("adult_age", 18),
        elderly_age=raw.get("elderly_age", 65),
        zero_words=tuple(sorted((w.lower() for w in raw.get("zero_words", [])), key=len, reverse=True)),
        zero_nouns={k.lower(): tuple(v) for k, v in raw.get("zero_nouns", {}).items()},
        agentive_verbs=_words(raw, "agentive_verbs"),
        intent_verbs=_words(raw, "intent_verbs"),
        not_triggers=tuple(tuple(p.lower().split()) for p in raw.get("not_triggers", [])),
        not_looked_for=_words(raw, "not_looked_for"),
        event_kinds={k: tuple(w.lower() for w in v) for k, v in raw.get("event_kinds", {}).items()},
        weapon_kinds=_words(raw, "weapon_kinds"),
        victims=victim_words,
        trigger_vocabulary=frozenset(word for m in measures.values() for t in m.triggers for word in t.lemmas),
        phrase_gap=raw.get("phrase_gap", 6),
        max_attachment_distance=raw.get("max_attachment_distance", 3),
    )
