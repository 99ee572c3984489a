"""Reconciliation: statuses from intervals, independent sources, and the flags a researcher needs."""
from __future__ import annotations

from claimledger.reconcile import reconcile
from claimledger.records import Claim
from claimledger.relate import find_relations, source_clusters


def claim(doc, value=None, qualifier="exact", low=None, high=None, measure="killed", subgroup=None, index=0,
          breakdown_of=None, event="e"):
    if qualifier == "exact":
        low = high = value
    return Claim(doc_id=doc, measure=measure, subgroup=subgroup, value=value, qualifier=qualifier, low=low, high=high,
                 start=0, end=1, sentence_start=0, sentence_end=1, event=event, index=index, breakdown_of=breakdown_of)


def by_key(findings):
    return {(f.measure, f.subgroup): f for f in findings}


def test_status_follows_the_intervals(ontology):
    claims = [claim("a", 161, "at_least", 161, None), claim("b", 1275), claim("c", None, "vague", 200, 999),
              claim("d", 6, measure="families_destroyed"), claim("e", 8, measure="families_destroyed"),
              claim("f", 40, measure="missing")]
    findings = by_key(reconcile(claims, {}, {}, ontology))
    assert findings[("killed", None)].status == "conflicting"  # 1,275 is not in 200-999
    assert findings[("families_destroyed", None)].status == "conflicting"
    assert findings[("missing", None)].status == "single"
    consistent = by_key(reconcile([claim("a", 161, "at_least", 161, None), claim("b", 613)], {}, {}, ontology))
    assert consistent[("killed", None)].status == "consistent"
    assert (consistent[("killed", None)].low, consistent[("killed", None)].high) == (161, 613)


def test_copies_are_one_source_and_flagged(ontology):
    findings = reconcile([claim("a", 5), claim("b", 5)], {"a": "a", "b": "a"}, {}, ontology)
    assert findings[0].independent_sources == 1
    assert "carried only by copies of one source" in findings[0].flags


def test_part_larger_than_whole_and_subgroups_past_total(ontology):
    claims = [
        claim("a", 10, measure="wounded"), claim("a", 25, measure="severely_wounded", index=1),
        claim("b", 20, index=0), claim("b", 15, subgroup="women", index=1, breakdown_of=0),
        claim("b", 9, subgroup="children", index=2, breakdown_of=0),
    ]
    findings = by_key(reconcile(claims, {}, {}, ontology))
    assert any("larger than its whole" in f for f in findings[("severely_wounded", None)].flags)
    assert any("subgroups add up past the total" in f for f in findings[("killed", None)].flags)


def test_a_cumulative_toll_that_shrinks_is_flagged(ontology):
    claims = [claim("early", 30), claim("late", 24)]
    findings = reconcile(claims, {}, {"early": "2023-01-01", "late": "2023-02-01"}, ontology)
    assert "a later report gives a lower figure" in findings[0].flags
    rising = reconcile(claims, {}, {"early": "2023-02-01", "late": "2023-01-01"}, ontology)
    assert "a later report gives a lower figure" not in rising[0].flags


def test_syndicated_copies_are_found_and_clustered():
    story = ("Gunmen stormed the market in the town of Arlen on Tuesday, killing at least 12 people and wounding "
             "30 others, the regional health ministry said in a statement. Witnesses said the attackers arrived "
             "on motorcycles shortly after dawn and fired on stallholders before fleeing toward the hills. ")
    texts = {
        "wire": story,
        "reprint": "Market attack in Arlen. " + story + " Subscribe to our newsletter.",
        "other": "A separate report says flooding displaced hundreds of families in the river valley this week, "
                 "with aid agencies warning of shortages of clean water and food in the camps near the coast.",
    }
    relations = find_relations(texts)
    assert [(r.doc_a, r.doc_b, r.kind) for r in relations] == [("reprint", "wire", "copy")]
    clusters = source_clusters(sorted(texts), relations)
    assert clusters["wire"] == clusters["reprint"] != clusters["other"]


def test_each_figure_says_who_stands_behind_it(ontology):
    claims = [
        Claim(doc_id=d, measure="killed", subgroup=None, value=v, qualifier="exact", low=v, high=v, start=0, end=1,
              sentence_start=0, sentence_end=1, event="e", claimant=who)
        for d, v, who in (("wire", 27, "the ministry"), ("reprint", 27, "the ministry"), ("local", 31, "the mayor"))
    ]
    (finding,) = reconcile(claims, {"wire": "wire", "reprint": "wire", "local": "local"},
                           {"wire": "2023-03-15", "reprint": "2023-03-16", "local": "2023-03-15"}, ontology)
    by_figure = {s.figure: s for s in finding.support}
    assert by_figure["27"].doc_ids == ("reprint", "wire") and by_figure["27"].independent_sources == 1
    assert by_figure["27"].claimants == ("the ministry",) and by_figure["27"].first_published == "2023-03-15"
    assert by_figure["31"].claimants == ("the mayor",)
