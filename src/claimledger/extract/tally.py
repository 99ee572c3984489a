"""The document pass: each person counted once across a report, and the count a report adds up.

Sentences are read one at a time (`victims.py`); a report is not. This pass reads a document's
readings in order and:
1. counts one person once: a mention that refers back to someone already counted ("a woman was
   shot … she died in hospital", "the victim", "the injured man, 37, is stable") is folded into
   the first, and someone wounded who then died is killed only;
2. tells the attacker apart: a pronoun that is the doer of the harm elsewhere in the report ("he
   killed four … he was later shot dead by police") is the perpetrator, never a victim;
3. adds up what the report adds up: parts told as going on ("killing two … then two more",
   "killed his teacher before killing two students") give a running total of their own, with
   `derived_from` naming the parts. Two mentions of the same deaths never add up;
4. folds a subgroup's toll into a larger total of the report ("four people were killed … two men
   were found dead in the house" keeps 4, with the men as its breakdown).
It then numbers the claims in text order and points breakdowns and sums at their new numbers.
"""
from __future__ import annotations

import re
from dataclasses import replace

from claimledger.extract.claimant import one_name_per_body
from claimledger.extract.victims import WOUNDED, Reading
from claimledger.ontology import VictimWords
from claimledger.records import Claim

PERPETRATOR = "perpetrator"
NOT_ANTECEDENTS = {"one", "another", "other"}  # "killing one and injuring another. He died later": unclear who
REMAINING = re.compile(r"\b(?:still|remain|remains|remained|remaining)\b", re.IGNORECASE)  # "16 were still held"


def _words_pattern(words) -> re.Pattern:
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(words)) + r")\b", re.IGNORECASE)


def document_claims(text: str, readings: list[Reading], doers: set[str], words: VictimWords,
                    background_markers: frozenset[str], next_index) -> list[Claim]:
    """The document's claims, after one person is counted once and running totals are added."""
    readings = sorted(readings, key=lambda r: (r.claim.start, r.claim.index))
    _mark_perpetrators(readings, doers)
    _count_each_person_once(readings, text)
    _headline_fate(readings)
    _fold_parts_that_died(readings)
    background = _words_pattern(background_markers)  # "two more died in a separate attack": another incident
    _fold_dead_among_the_hit(text, readings, words.hit, background)
    _fold_restated_groups(readings)
    _shot_among_the_dead(text, readings, words.hit, _words_pattern(words.survival))
    sequence = _words_pattern(words.sequence)
    readings += _running_totals(text, readings, words.person_measures, sequence, background, next_index)
    _toll_by_place(readings)
    _fold_subgroup_tolls(readings)
    _hide_orphaned_breakdowns(readings)
    shown = _once_per_span([r for r in readings if not r.hidden])
    fullest = one_name_per_body([r.claim.claimant for r in shown])
    for r in shown:
        if r.claim.claimant in fullest:
            r.claim = replace(r.claim, claimant=fullest[r.claim.claimant])
    return _numbered(shown)


def _mark_perpetrators(readings: list[Reading], doers: set[str]) -> None:
    """A pronoun whose person did the harm elsewhere in the report is the attacker: his death is his own."""
    for r in readings:
        if r.person in doers and r.definite and r.claim.measure == "killed" and r.claim.victim != PERPETRATOR \
                and not _victim_before(readings, r):
            r.claim = replace(r.claim, victim=PERPETRATOR, subgroup=None)


def _victim_before(readings: list[Reading], reading: Reading) -> bool:
    """Does a victim of matching gender stand earlier in the same sentence ("shot a clerk, killing him")?"""
    return any(o.claim.start < reading.claim.start and o.sentence == reading.sentence and o.person
               and o.person != reading.person and _same_gender(o, reading) for o in readings)


def _same_gender(a: Reading, b: Reading) -> bool:
    return a.gender is None or b.gender is None or a.gender == b.gender


def _count_each_person_once(readings: list[Reading], text: str) -> None:
    """Fold each mention that refers back to one person already counted into that person's claim."""
    people: list[Reading] = []
    for r in readings:
        c = r.claim
        if r.hidden or c.value != 1 or r.person is None or c.victim == PERPETRATOR or r.headline:
            continue
        if c.subgroup is not None or c.breakdown_of is not None:
            if c.breakdown_of is not None:
                people.append(r)  # "five wounded, including a 13-year-old boy … The boy was shot in the arm"
            continue
        others = [p for p in people if p.claim.breakdown_of != c.index]  # not its own breakdown
        first = _antecedent(others, r, text) if r.definite else _described_again(others, r)
        if first is None:
            people.append(r)
            continue
        if c.measure == "severely_wounded" and first.claim.measure == "wounded":
            people.append(r)  # "a woman was injured … The woman, 27, is in critical condition": how badly
        elif first.claim.measure == c.measure or (c.measure in WOUNDED and first.claim.measure in ("killed", *WOUNDED)):
            r.hidden = True  # told again ("the victim died" after "a man was killed"), or wounded before dying
        elif c.measure == "killed" and first.claim.measure in WOUNDED and first.claim.breakdown_of is None:
            # "a 32-year-old man was shot in the head … He died at the medical center": killed, not also wounded;
            # the first words that named him stay the figure's words
            _becomes_killed(readings, first)
            r.hidden = True
        elif c.measure == "killed" and first.claim.measure in WOUNDED:
            people[people.index(first)] = r  # one of a wounded toll's breakdown died: a death of its own
        else:
            people.append(r)  # abducted, then killed: both are figures of the report


def _headline_fate(readings: list[Reading]) -> None:
    """ "Murder inquiry after man stabbed in city centre" over "a man … was stabbed … but died at the scene", and
    "Mother of four stabbed to death" over "a woman was found with stab wounds": the one person the headline
    and the story both tell is one person, and where either tells that person died, the other does too."""
    for h in readings:
        if not h.headline or h.hidden or h.claim.value != 1 or h.claim.measure not in ("killed", *WOUNDED) \
                or h.person is None or h.claim.breakdown_of is not None or h.claim.victim == PERPETRATOR:
            continue
        people = [r for r in readings if not r.headline and not r.hidden and r.claim.value == 1
                  and r.claim.measure in ("killed", *WOUNDED) and r.claim.breakdown_of is None
                  and r.claim.victim != PERPETRATOR and r.person is not None]
        same = [r for r in people if r.person == h.person]
        if not same:  # "Teenager shot" over "a 17-year-old boy … died": one person of the same kind
            kind = _subgroups_of(readings, h)
            same = [r for r in people if (kind and _subgroups_of(readings, r) == kind)
                    or (h.gender is not None and r.gender == h.gender)]
            same = same if len(same) == 1 else []
        if not same:
            continue
        if same[0].claim.measure == "killed" and h.claim.measure in WOUNDED:
            _becomes_killed(readings, h)
        elif h.claim.measure == "killed" and same[0].claim.measure in WOUNDED:
            _becomes_killed(readings, same[0])


def _subgroups_of(readings: list[Reading], total: Reading) -> set[str]:
    return {r.claim.subgroup for r in readings if r.claim.breakdown_of == total.claim.index and not r.hidden}


def _fold_parts_that_died(readings: list[Reading]) -> None:
    """ "shot three of his professors, killing them all": the people killed are no longer among the wounded;
    "shot 14 others, killing three of them": 11 wounded; "shot four people, killing two and wounding two
    others": the parts say it all, and the four are no figure of their own."""
    by_index = {r.claim.index: r for r in readings}
    for r in readings:
        whole = by_index.get(r.refers_to if r.refers_to is not None else r.part_of)
        if whole is None or r.hidden or whole.hidden or whole.claim.measure not in WOUNDED:
            continue
        c, w = r.claim, whole.claim
        if c.value is None or w.value is None or w.qualifier != "exact" or c.value > w.value:
            continue
        if c.measure in WOUNDED:
            whole.hidden = True
        elif c.measure == "killed":
            _lessen(readings, whole, c.value)


def _fold_dead_among_the_hit(text: str, readings: list[Reading], hit: frozenset[str], background: re.Pattern) -> None:
    """ "Four people were shot and one died", "shot the four residents. Three of the victims were killed":
    the dead are told among those hit, so the wounded are the rest (none when all died)."""
    for n, r in enumerate(readings):
        c = r.claim
        if c.measure != "killed" or r.hidden or c.subgroup is not None or c.victim == PERPETRATOR \
                or r.continues or c.value is None or c.qualifier != "exact" or r.part_of is not None:
            continue
        before = next((o for o in reversed(readings[:n]) if not o.hidden and o.claim.subgroup is None
                       and o.claim.measure in ("killed", *WOUNDED) and o.claim.victim != PERPETRATOR), None)
        if before is None or before.claim.measure == "killed" or r.sentence - before.sentence > 1:
            continue  # the toll just before is of the dead, or far away
        if not set(before.harm_lemmas) & hit and not (r.sentence > before.sentence and (r.bare or r.noun == "victim")):
            continue  # "four wounded and two killed" are others; "four injured … One died later" is not
        if r.sentence == before.sentence:
            # within a sentence, a harm hung on the shooting's verb tells its dead (`part_of`); so does a
            # fewer dead told next of the same people: "Five people were shot, two people … were killed"
            if not (set(before.harm_lemmas) & hit and before.noun in (r.noun, "people", "person", "victim")
                    and before.claim.value is not None
                    and c.value < before.claim.value and not before.continues) \
                    or background.search(text, before.claim.end, c.sentence_end):
                continue
            among = True
        else:
            among = r.bare or r.noun in ("victim", "all") or (r.definite and (c.value > 1 or r.person == before.person))
        w = before.claim
        if among and w.value is not None and w.qualifier == "exact":
            if w.value >= c.value:
                _lessen(readings, before, c.value)
            elif r.definite:
                before.hidden = True  # "shot three family members and one friend … All five died"


def _shot_among_the_dead(text: str, readings: list[Reading], hit: frozenset[str], survived: re.Pattern) -> None:
    """ "Six members of a family were found dead … the father had shot his wife, their three children and his
    mother-in-law": where a report tells its dead and no one hurt, the people it tells were shot are the dead."""
    dead = next((r for r in readings if not r.hidden and not r.headline and r.claim.measure == "killed"
                 and r.claim.subgroup is None and r.claim.victim != PERPETRATOR and r.claim.value), None)
    if dead is None or dead.claim.value < 2 or any(not r.hidden and r.claim.measure in WOUNDED and r.claim.value != 0
                           and not set(r.harm_lemmas) <= hit for r in readings):
        return  # someone was wounded: those shot may be among them
    shot = [r for r in readings if not r.hidden and not r.headline and r.claim.measure == "wounded"
            and r.claim.start > dead.claim.start and r.claim.subgroup is None and r.claim.breakdown_of is None
            and r.claim.victim != PERPETRATOR and not r.continues and r.harm_lemmas and set(r.harm_lemmas) <= hit
            and not survived.search(text, r.claim.sentence_start, r.claim.sentence_end)  # "shot in the leg, was rescued"
            and not any(o.claim.measure == "killed" and o.sentence == r.sentence and o.claim.victim != PERPETRATOR
                        for o in readings)]  # "four guests were hit, two of them fatally": the others lived
    if shot and sum(r.claim.value or 0 for r in shot if not r.claim.derived_from) <= dead.claim.value:
        for r in shot:
            _becomes_killed(readings, r)
            r.restated = True


def _lessen(readings: list[Reading], wounded: Reading, dead: int) -> None:
    """The wounded, less those of them who died; a breakdown that was all of them follows ("two men with
    gunshot wounds; one died": wounded 1, men 1)."""
    before, rest = wounded.claim.value, wounded.claim.value - dead
    if rest == 0:
        wounded.hidden = True
        return
    wounded.claim = replace(wounded.claim, value=rest, low=rest, high=rest)
    for o in readings:
        if o.claim.breakdown_of == wounded.claim.index and o.claim.value == before:
            o.claim = replace(o.claim, value=rest, low=rest, high=rest)


def _fold_restated_groups(readings: list[Reading]) -> None:
    """ "the four victims", "all three were shot": people already counted, named again together; and
    "a suspect shot five people … Five people were shot, two … were killed": the same figure told again
    in the next sentence."""
    for n, r in enumerate(readings):
        c = r.claim
        if r.hidden or c.value is None or c.value < 2 or c.subgroup is not None or r.headline:
            continue
        if not r.definite:
            again = next((p for p in reversed(readings[:n]) if not p.hidden and not p.headline
                          and p.claim.measure == c.measure and p.claim.subgroup is None and p.claim.value == c.value
                          and p.noun == r.noun and 0 < r.sentence - p.sentence <= 1 and not r.continues), None)
            if again is not None:
                again.hidden = True  # the later telling stays: it is the one the sentences after it build on
            continue
        same = next((p for p in reversed(readings[:n]) if not p.hidden and not p.headline and p.claim.subgroup is None
                     and p.claim.value == c.value and p.claim.measure in ("killed", *WOUNDED)
                     and p.claim.victim != PERPETRATOR), None)
        if same is None:
            continue
        if same.claim.measure == c.measure or (c.measure in WOUNDED and same.claim.measure == "killed"):
            r.hidden = True
        elif c.measure == "killed" and same.claim.measure in WOUNDED:
            same.hidden = True  # "All five died" after "shot three family members and one friend"


def _becomes_killed(readings: list[Reading], wounded: Reading) -> None:
    """The figure of someone wounded who died turns into a death, with its breakdown."""
    wounded.claim = replace(wounded.claim, measure="killed")
    for o in readings:
        if o.claim.breakdown_of == wounded.claim.index:
            o.claim = replace(o.claim, measure="killed")


def _named_in_sentence(text: str, reading: Reading, name: str | None) -> bool:
    """Does the sentence that counted someone also give the name a later mention uses?"""
    sentence = text[reading.claim.sentence_start:reading.claim.sentence_end]
    return bool(name) and re.search(r"\b" + re.escape(name) + r"\b", sentence, re.IGNORECASE) is not None


def _described_again(people: list[Reading], r: Reading) -> Reading | None:
    """ "A man has died … A 31-year-old man died at the scene": the same noun and harm told again with
    more detail, when nothing says it is another ("another man", "also", "then")."""
    if r.continues or r.sequence:
        return None
    return next((p for p in reversed(people) if p.person == r.person and p.claim.measure == r.claim.measure
                 and p.claim.breakdown_of is None), None)


def _antecedent(people: list[Reading], r: Reading, text: str) -> Reading | None:
    """The person a back reference names: the same name or role noun, or for a pronoun or "the victim"
    the latest person of a matching gender."""
    for p in reversed(people):
        if p.claim.measure not in ("killed", *WOUNDED) or p.claim.victim == PERPETRATOR:
            continue
        if r.person == p.person:
            return p
        if r.person in ("he", "she", "victim") and _same_gender(p, r) and p.person not in NOT_ANTECEDENTS:
            return p
        if r.named and not p.named and _same_gender(p, r) and p.person not in NOT_ANTECEDENTS \
                and (p.claim.measure == r.claim.measure or r.claim.measure == "killed"):
            return p  # "A man shot by police last week has died … Dario Quintel, 38, succumbed": who he was
        if r.named and not p.named and _named_in_sentence(text, p, r.person):
            return p  # "A boy who was stabbed to death has been named as Kyle Mensah … found Kyle with stab wounds"
    if r.named or r.person in ("he", "she"):
        return None
    # "A 16-year-old boy was shot … the teenager was taken to hospital": "the" names someone told before
    return next((p for p in reversed(people) if p.person not in NOT_ANTECEDENTS and _same_gender(p, r)
                 and p.claim.measure in ("killed", *WOUNDED) and p.claim.victim != PERPETRATOR
                 and (r.gender is not None or p.gender is None)), None)


def _running_totals(text: str, readings: list[Reading], person_measures: frozenset[str], sequence: re.Pattern,
                    background: re.Pattern, next_index) -> list[Reading]:
    """ "killing two … then shot and killed two more": a total the report adds up, with its parts."""
    added: list[Reading] = []
    for measure in sorted(person_measures):
        parts: list[Reading] = []
        for r in readings:
            c = r.claim
            if r.hidden or c.measure != measure or c.subgroup is not None or c.breakdown_of is not None \
                    or c.victim == PERPETRATOR or r.headline or r.count_noun or r.restated or c.value is None \
                    or c.qualifier not in ("exact", "at_least"):
                continue
            if REMAINING.search(text, max(c.sentence_start, c.start - 20), min(c.sentence_end, c.end + 25)):
                parts = []  # "16 were still being held", "remain missing": those left of a count told before
                continue
            if parts and (r.continues or r.sequence or parts[-1].sequence or _same_doer_again(parts[-1], r)
                          or _story_goes_on(text, parts[-1], r, sequence)) \
                    and not _told_again(parts, r) and not background.search(text, c.sentence_start, c.sentence_end):
                parts.append(r)
                total = sum(p.claim.value for p in parts)
                if _total_told(readings, parts, total):
                    continue  # "Five were shot, two fatally. A man … and a woman … died": who the two were
                qualifier = "at_least" if any(p.claim.qualifier == "at_least" for p in parts) else "exact"
                claim = replace(c, index=next_index(), value=total, qualifier=qualifier, low=total,
                                high=None if qualifier == "at_least" else total, victim=None, breakdown_of=None,
                                derived_from=tuple(p.claim.index for p in parts))
                added.append(Reading(claim, r.sentence, sequence=r.sequence))
                for p in parts:
                    p.summed = True
            else:
                parts = [r]
    return added


def _toll_by_place(readings: list[Reading]) -> None:
    """ "A second person has died", "Third victim dies": the toll the death brings, where the report adds no
    running total of its own to it."""
    for r in readings:
        c = r.claim
        if r.ordinal and c.measure == "killed" and c.value == 1 and not r.summed and not r.hidden \
                and c.subgroup is None and c.breakdown_of is None and c.victim != PERPETRATOR:
            r.claim = replace(c, value=r.ordinal, low=r.ordinal, high=r.ordinal)
            for o in readings:
                if o.claim.breakdown_of == c.index:
                    o.hidden = True  # "a second man": the toll is no longer his alone


def _total_told(readings: list[Reading], parts: list[Reading], total: int) -> bool:
    """Does the report state this total itself, in the words that close the count ("…, bringing the number
    killed to two") or just before its parts ("two of them fatally. A man … and a woman … died")?"""
    first, last = parts[0], parts[-1]
    return any(not o.hidden and o.claim.measure == last.claim.measure and o.claim.subgroup is None
               and not o.claim.derived_from and o.claim.value == total and all(o is not p for p in parts)
               and (o.sentence == last.sentence
                    or (o.claim.start < first.claim.start and first.sentence - o.sentence <= 1))
               for o in readings)


def _story_goes_on(text: str, before: Reading, after: Reading, sequence: re.Pattern) -> bool:
    """Do the words between two harms tell of a next step ("killed two employees before heading to the
    school … fatally wounded a custodian", "He then went to a church, killing two")? Only the words after
    the first in its sentence and before the second in its own are read."""
    a, b = before.claim, after.claim
    if a.sentence_start == b.sentence_start:
        between = text[a.end:b.start]
    else:
        between = text[a.end:a.sentence_end] + " " + text[b.sentence_start:b.start]
    for found in sequence.finditer(between):
        if found.group().lower() not in ("before", "after"):
            return True
        # "before heading to the school", "after he reloaded": a next step, not "dead after an argument",
        # nor the attacker's end ("before dying in a shootout", "before being shot by police")
        if re.match(r"\s+(?!dying\b|being\b)(?:\w+ing\b|he\b|she\b|they\b)", between[found.end():], re.IGNORECASE):
            return True
    return False


def _same_doer_again(before: Reading, after: Reading) -> bool:
    """ "He … began shooting, killing four. He fled and …, killing the woman inside": the one doer's next
    victim, a person not counted before, told in a later sentence."""
    return after.by_doer is not None and after.by_doer == before.by_doer and after.sentence > before.sentence \
        and after.claim.value == 1 and after.person is not None and after.person not in ("he", "she", "victim")


def _told_again(parts: list[Reading], r: Reading) -> bool:
    """The same people named again ("the four victims", "all three", "the victim") are no new part."""
    if r.definite and r.claim.value != 1:
        return True
    return r.definite and any(p.person is not None and p.person == r.person for p in parts)


def _fold_subgroup_tolls(readings: list[Reading]) -> None:
    """A subgroup's figure read as a toll of its own gives way to a larger total of the report before it."""
    for r in readings:
        if not r.implied_total or r.hidden or r.continues or r.sequence or r.summed:
            continue  # (a part of a running total is another victim, not one of the larger total's)
        larger = next((o for o in readings if o.claim.start < r.claim.start and not o.hidden and not o.headline
                       and o.claim.measure == r.claim.measure and o.claim.subgroup is None
                       and o.claim.breakdown_of is None and not o.claim.derived_from
                       and o.claim.victim != PERPETRATOR and (o.claim.low or 0) > (r.claim.value or 0)), None)
        if larger is None:
            continue
        r.hidden = True
        for o in readings:
            if o.claim.breakdown_of == r.claim.index:
                o.claim = replace(o.claim, breakdown_of=larger.claim.index)


def _hide_orphaned_breakdowns(readings: list[Reading]) -> None:
    hidden = {r.claim.index for r in readings if r.hidden}
    for r in readings:
        if r.claim.breakdown_of in hidden:
            r.hidden = True


def _once_per_span(readings: list[Reading]) -> list[Reading]:
    """One claim per measure, subgroup and words: two readings of the same words are one figure."""
    seen, out = set(), []
    for r in readings:
        c = r.claim
        key = (c.measure, c.subgroup, c.start, c.end, c.victim, c.value)
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def _numbered(readings: list[Reading]) -> list[Claim]:
    """Claims in text order, numbered from 0, with breakdowns and sums pointing at the new numbers."""
    ordered = sorted(readings, key=lambda r: (r.claim.start, r.claim.end, r.claim.index))
    number = {r.claim.index: n for n, r in enumerate(ordered)}
    return [replace(r.claim, index=number[r.claim.index],
                    breakdown_of=number.get(r.claim.breakdown_of) if r.claim.breakdown_of is not None else None,
                    derived_from=tuple(number[i] for i in r.claim.derived_from if i in number))
            for r in ordered]
