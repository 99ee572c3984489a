"""Victims counted across a whole report (extract/victims.py, extract/tally.py, extract/headline.py): what
a careful analyst writes down that no single sentence says, with the words each figure stands on."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from claimledger.cli import app
from claimledger.extract import extract_claims


def _said(text, claims):
    return [(c.measure, c.subgroup, c.value, text[c.start:c.end], c.victim) for c in claims]


def test_a_running_total_names_its_parts_and_stands_on_the_words_that_close_it(extractor):
    text = ("On 2 March a man opened fire in a warehouse, killing two workers. "
            "He then drove to a diner and shot and killed three more before police arrived.")
    claims = extract_claims(text, extractor)
    total = next(c for c in claims if c.derived_from)
    assert (total.measure, total.value, total.subgroup) == ("killed", 5, None)
    assert text[total.start:total.end] == "three more"
    parts = [claims[i] for i in total.derived_from]
    assert sorted(p.value for p in parts) == [2, 3]  # the parts stay, as claims of their own


def test_the_same_deaths_told_twice_never_add_up(extractor):
    text = "Three people were killed in the market. Police said the three victims were local traders."
    assert [c.value for c in extract_claims(text, extractor) if c.measure == "killed"] == [3]


def test_the_attackers_own_death_is_counted_apart(extractor):
    text = "The gunman killed four people at the office before turning the gun on himself."
    said = _said(text, extract_claims(text, extractor))
    assert ("killed", None, 4, "four people", None) in said
    assert [s for s in said if s[4] == "perpetrator"] == [("killed", None, 1, "himself", "perpetrator")] or \
        [s[:3] for s in said if s[4] == "perpetrator"] == [("killed", None, 1)]
    assert not any(s[2] == 5 for s in said)


def test_one_person_wounded_then_dead_is_killed_once(extractor):
    text = "A 19-year-old man was shot in the chest on Elm Street. He died at the hospital on Sunday."
    claims = [c for c in extract_claims(text, extractor) if c.subgroup is None]
    assert [(c.measure, c.value, text[c.start:c.end]) for c in claims] == [("killed", 1, "A 19-year-old man")]


def test_one_body_named_three_ways_is_one_claimant(extractor):
    text = ("At least 12 people were killed, the regional health ministry said. "
            "The ministry said 30 were wounded.")
    assert {c.claimant for c in extract_claims(text, extractor)} == {"the regional health ministry"}


def test_a_headline_is_read_in_its_own_grammar(extractor):
    text = "Elderly couple found slain in Marrow Creek home\n\nDeputies were called to a house on Fern Road."
    said = _said(text, extract_claims(text, extractor))
    assert ("killed", None, 2, "Elderly couple", None) in said
    assert ("killed", "elderly", 2, "Elderly couple", None) in said


def test_a_jsonl_title_is_the_texts_first_line_and_the_export_names_claims_by_id(tmp_path):
    corpus = tmp_path / "reports.jsonl"
    corpus.write_text(json.dumps({"id": "r1", "title": "Two killed in Tarvo market attack",
                                  "text": "Gunmen opened fire at the market on Monday. One of the wounded died "
                                          "later, bringing the toll to three, officials said."}) + "\n")
    runner = CliRunner()
    db, out = tmp_path / "l.db", tmp_path / "claims.jsonl"
    assert runner.invoke(app, ["ingest", str(corpus), "--db", str(db), "--engine", "serial", "--quiet"]).exit_code == 0
    assert runner.invoke(app, ["export", "--db", str(db), "--what", "claims", "--format", "jsonl",
                               "-o", str(out)]).exit_code == 0
    claims = [json.loads(line) for line in out.read_text().splitlines()]
    assert claims[0]["quote"] == "Two" and claims[0]["start"] == 0  # the headline's toll, at the text's start
    ids = [c["claim_id"] for c in claims]
    assert len(set(ids)) == len(ids) and all(i.startswith("r1:") for i in ids)
    again = tmp_path / "again.jsonl"
    runner.invoke(app, ["export", "--db", str(db), "--what", "claims", "--format", "jsonl", "-o", str(again)])
    assert [json.loads(line)["claim_id"] for line in again.read_text().splitlines()] == ids
