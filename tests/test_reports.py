"""A held-out corpus of 90 annotated reports (tests/data/reports.yaml) in the styles the tool
meets: conflict-event descriptions, local news about shootings, wire and NGO paragraphs.

It was written by someone not shown the rules and first scored F1 0.88; its
errors then guided general fixes (never per-sentence rules), so it is a
development set now. Floors are pinned just under what was measured, so a
change that makes extraction worse on realistic text fails here.
"""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from claimledger.extract import extract_claims
from scoring import Tally, score_report

DATA = Path(__file__).parent / "data"
# reports.yaml, measured when pinned: overall P 0.980 R 0.956 F1 0.968.
# reports_heldout.yaml (60 reports, 146 claims, written by a helper who read only the format and conventions):
# F1 0.875 unseen (event 0.90, local 0.78, wire 0.94); after the general fixes it prompted (a counted noun
# that is itself a trigger yields to the verb after it, "suffered/sustained" injuries, "burnt alive",
# "carried off", an age after a name, "one seriously", a doer the parser hung on the trigger, "a third was
# injured", a named victim as object, "were among the 11 wounded", "Killed: 4") 0.926. Some of its misses are
# conventions of its own (orphans as children, critical injuries as severely_wounded only).
# reports_heldout2.yaml (45 reports, 129 claims, 30 of them local news from six countries, by hand): F1 0.865
# unseen (event 0.94, local 0.80, wire 0.98); with "grazed", "hospitalized", "succumbed", hyphenated
# severity ("life-threatening", not "non-life-threatening"), the "old" of "15-year-old" no elder, and the
# object of a harm verb just before it when the parse goes astray: 0.904.
FLOORS = {
    "reports.yaml": {"all": 0.94, "event": 0.95, "local": 0.88, "wire": 0.93},
    "reports_heldout.yaml": {"all": 0.89, "event": 0.92, "local": 0.80, "wire": 0.91},
    "reports_heldout2.yaml": {"all": 0.88, "event": 0.90, "local": 0.82, "wire": 0.93},
}


@pytest.mark.parametrize("corpus", sorted(FLOORS))
def test_reports_floor(extractor, corpus):
    floors = FLOORS[corpus]
    cases = yaml.safe_load((DATA / corpus).read_text("utf-8"))
    tallies: dict[str, Tally] = defaultdict(Tally)
    for case in cases:
        claims = extract_claims(case["text"], extractor, doc_id=case["id"])
        for key in ("all", case["style"]):
            score_report(case["text"], claims, case["claims"], tallies[key], case["id"])
    report = "\n".join(tallies["all"].errors)
    for key, floor in floors.items():
        assert tallies[key].f1 >= floor, f"{key}: F1 {tallies[key].f1:.3f} < {floor}\n{report}"
    overall = tallies["all"]
    assert overall.qualifiers_right / overall.tp >= 0.95
    assert overall.claimants_right / overall.claimants >= 0.85, report
