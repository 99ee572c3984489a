"""Matching extracted claims to annotated ones, the way ../shared/eval/score.py does:
same measure, subgroup and value (overlapping intervals for vague amounts), spans within 80 characters;
and linking a folder of reports to incidents, scored by pairs against its truth.json."""
from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from pathlib import Path

SPAN_SLACK = 80


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    qualifiers_right: int = 0
    claimants: int = 0
    claimants_right: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _value_matches(claim, gold: dict) -> bool:
    if gold["qualifier"] == "vague" or gold["value"] is None:
        if claim.value is not None and claim.qualifier not in ("vague", "about"):
            return False
        low, high = claim.low or 0, claim.high if claim.high is not None else float("inf")
        glow, ghigh = gold["low"] or 0, gold["high"] if gold["high"] is not None else float("inf")
        return low <= ghigh and glow <= high
    return claim.value == gold["value"]


def _distance(claim, start: int, end: int) -> int:
    if claim.end <= start:
        return start - claim.end
    if end <= claim.start:
        return claim.start - end
    return 0


def score_report(text: str, claims: list, gold: list[dict], tally: Tally, name: str, body_start: int = 0) -> None:
    """Greedy one-to-one matching, closest spans first; counts go into `tally` (a gold claim marked
    `optional` neither counts for nor against, as in score.py). A quote is looked for in the
    headline when the annotation says `in_title`, else in the body (from `body_start`)."""
    starts = [text.index(g["quote"], 0 if g.get("in_title") else body_start) for g in gold]
    spans = [(a, a + len(g["quote"])) for a, g in zip(starts, gold)]
    candidates = []
    for i, claim in enumerate(claims):
        for j, g in enumerate(gold):
            if claim.measure == g["measure"] and claim.subgroup == g["subgroup"] and _value_matches(claim, g):
                d = _distance(claim, *spans[j])
                if d <= SPAN_SLACK:
                    candidates.append((d, i, j))
    used_i, used_j = set(), set()
    for _, i, j in sorted(candidates):
        if i in used_i or j in used_j:
            continue
        used_i.add(i)
        used_j.add(j)
        if gold[j].get("optional"):
            continue  # a figure a careful reader may count or not: neither for nor against (score.py)
        tally.tp += 1
        tally.qualifiers_right += claims[i].qualifier == gold[j]["qualifier"]
        if gold[j].get("claimant"):
            tally.claimants += 1
            got, want = (claims[i].claimant or "").lower(), gold[j]["claimant"].lower()
            tally.claimants_right += bool(got) and (want in got or got in want)
    for i, c in enumerate(claims):
        if i not in used_i:
            tally.fp += 1
            tally.errors.append(f"spurious {name}: {c.measure}/{c.subgroup}={c.value} «{text[c.start:c.end]}»")
    for j, g in enumerate(gold):
        if j not in used_j and not g.get("optional"):
            tally.fn += 1
            tally.errors.append(f"missed {name}: {g['measure']}/{g['subgroup']}={g['value']} «{g['quote']}»")


def link_corpus(folder: Path, pipeline) -> tuple[dict[str, str], dict[str, str], dict, dict]:
    """Process the reports of `folder` named in its truth.json and link them as the ledger does (cues stored
    with each document, then read back); returns (truth, linked event by document, cues, texts)."""
    from claimledger.link import EventCues, document_cues, link_documents
    from claimledger.read import read_paths

    truth = json.loads((folder / "truth.json").read_text("utf-8"))["events"]
    texts, claims, stored = {}, {}, {}
    for document in read_paths([folder]):
        if document.doc_id in truth:
            result = pipeline.process(document)
            texts[document.doc_id], claims[document.doc_id] = result.text, list(result.claims)
            stored[document.doc_id] = EventCues.from_json(json.loads(json.dumps(result.cues)))  # as the ledger keeps them
    linked, _, cues = link_documents(stored, [], lambda d, published: document_cues(
        texts[d], claims[d], pipeline.ontology, published))
    return truth, linked, cues, texts


def pairwise(truth: dict[str, str], linked: dict[str, str]) -> tuple[float, float, float]:
    """Precision, recall and F1 over pairs of reports: are two reports of one incident given one event?"""
    tp = fp = fn = 0
    for a, b in itertools.combinations(sorted(truth), 2):
        same, want = linked[a] == linked[b], truth[a] == truth[b]
        tp += same and want
        fp += same and not want
        fn += want and not same
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, 2 * precision * recall / (precision + recall) if precision + recall else 0.0
