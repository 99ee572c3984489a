"""The team's sentence suite (tests/data/sentences.yaml): every construction, positive and negative.

Every case must read exactly as a careful analyst writes it down; a failure
lists each case that reads otherwise.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from claimledger.extract import extract_claims

SUITE = Path(__file__).parent / "data" / "sentences.yaml"
KEYS = ("measure", "subgroup", "value", "qualifier", "low", "high")


def _claims(case, extractor):
    got = sorted((tuple(getattr(c, k) for k in KEYS) for c in extract_claims(case["text"], extractor)), key=str)
    want = sorted((tuple(c[k] for k in KEYS) for c in case["claims"]), key=str)
    return got, want


def test_sentence_suite_floor(extractor):
    cases = yaml.safe_load(SUITE.read_text("utf-8"))
    assert len(cases) >= 150
    failures = []
    for case in cases:
        got, want = _claims(case, extractor)
        if got != want:
            failures.append(f"{case['id']}: want {want}, got {got}")
    assert not failures, f"{len(failures)} of {len(cases)} cases read otherwise:\n" + "\n".join(failures)


def test_negative_cases_give_no_claims(extractor):
    cases = [c for c in yaml.safe_load(SUITE.read_text("utf-8")) if not c["claims"]]
    assert len(cases) >= 40
    spurious = []
    for case in cases:
        got = extract_claims(case["text"], extractor)
        if got:
            spurious.append(f"{case['id']}: {[(c.measure, c.value) for c in got]}")
    assert len(spurious) <= 2, "\n".join(spurious)
