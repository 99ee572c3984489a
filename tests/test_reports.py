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

from claimledger.clean import with_headline
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
# Issue 15 (victims counted harm by harm) changed the contract these files were annotated under: a toll told
# only through a subgroup is a total too, a list of victims is one total, hospital admissions are a measure of
# their own. Their annotations were brought to it mechanically (tests/data headers); running totals, the
# attacker's own death and one person counted once are not annotated in them, so those count as errors here.
# After issue 15: reports.yaml 0.964, reports_heldout.yaml 0.929, reports_heldout2.yaml 0.912 (event 0.897).
# reports_victims.yaml (98 reports, 331 claims, written for issue 15 by a helper shown only the export format
# and the list): F1 0.753 when first measured, then a development set; now 0.889.
# reports_heldout3.yaml (86 reports, 372 claims, written the same way, kept unseen: its errors were never read):
# F1 0.614 with the code before issue 15; 0.758 when tests/held_out.py first printed it mid-way; 0.795 at the
# end of issue 15's session (P 0.867 R 0.734; local news the weakest).
# reports_heldout4.yaml (70 reports, 352 claims, 46 optional; written the same way in issue 15's fourth
# session): F1 0.799 when first measured (P 0.833 R 0.768), then a development set for local news: 0.875 at
# that session's end (P 0.93 R 0.82; local 0.83, atrocity 0.84); reports_victims.yaml 0.900 then.
# reports_heldout5.yaml (80 reports, 609 claims, 190 optional; written the same way in issue 16's fifth session,
# with the conventions of reports_heldout4.yaml): F1 0.755 when first measured (P 0.815 R 0.704), then a
# development set: 0.818 at that session's end (P 0.86 R 0.78; atrocity 0.71, local 0.77). reports_heldout3.yaml,
# still unseen, went 0.795 -> 0.815 in the same session.
FLOORS = {
    "reports.yaml": {"all": 0.94, "event": 0.95, "local": 0.90, "wire": 0.93},
    "reports_heldout.yaml": {"all": 0.90, "event": 0.92, "local": 0.82, "wire": 0.91},
    "reports_heldout2.yaml": {"all": 0.89, "event": 0.87, "local": 0.88, "wire": 0.90},
    "reports_victims.yaml": {"all": 0.89, "local": 0.87, "incident": 0.82, "wire": 0.96, "displacement": 0.93},
    "reports_heldout3.yaml": {"all": 0.80, "local": 0.70, "incident": 0.82, "wire": 0.88, "atrocity": 0.79},
    "reports_heldout4.yaml": {"all": 0.85, "local": 0.81, "incident": 0.85, "wire": 0.92, "atrocity": 0.77,
                              "displacement": 0.92},
    "reports_heldout5.yaml": {"all": 0.80, "local": 0.75, "incident": 0.87, "wire": 0.86, "atrocity": 0.69,
                              "displacement": 0.80},
}
CLAIMANT_FLOORS = {"reports_heldout3.yaml": 0.80, "reports_heldout4.yaml": 0.80, "reports_heldout5.yaml": 0.83}  # 105 of 127 unseen; the others keep 0.85


@pytest.mark.parametrize("corpus", sorted(FLOORS))
def test_reports_floor(extractor, corpus):
    floors = FLOORS[corpus]
    cases = yaml.safe_load((DATA / corpus).read_text("utf-8"))
    tallies: dict[str, Tally] = defaultdict(Tally)
    for case in cases:
        text = with_headline(case.get("title"), case["text"])  # as a JSONL record's title is read
        claims = extract_claims(text, extractor, doc_id=case["id"])
        for key in ("all", case["style"]):
            score_report(text, claims, case["claims"], tallies[key], case["id"], len(text) - len(case["text"]))
    report = "\n".join(tallies["all"].errors)
    for key, floor in floors.items():
        assert tallies[key].f1 >= floor, f"{key}: F1 {tallies[key].f1:.3f} < {floor}\n{report}"
    overall = tallies["all"]
    assert overall.qualifiers_right / overall.tp >= 0.95
    assert overall.claimants_right / overall.claimants >= CLAIMANT_FLOORS.get(corpus, 0.85), report
