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

import yaml

from claimledger.extract import extract_claims
from scoring import Tally, score_report

REPORTS = Path(__file__).parent / "data" / "reports.yaml"
# Measured when pinned: overall P 0.980 R 0.947 F1 0.963.
FLOORS = {"all": 0.94, "event": 0.95, "local": 0.88, "wire": 0.93}


def test_reports_floor(extractor):
    cases = yaml.safe_load(REPORTS.read_text("utf-8"))
    tallies: dict[str, Tally] = defaultdict(Tally)
    for case in cases:
        claims = extract_claims(case["text"], extractor, doc_id=case["id"])
        for key in ("all", case["style"]):
            score_report(case["text"], claims, case["claims"], tallies[key], case["id"])
    report = "\n".join(tallies["all"].errors)
    for key, floor in FLOORS.items():
        assert tallies[key].f1 >= floor, f"{key}: F1 {tallies[key].f1:.3f} < {floor}\n{report}"
    overall = tallies["all"]
    assert overall.qualifiers_right / overall.tp >= 0.95
    assert overall.claimants_right / overall.claimants >= 0.85, report
