"""Today's figures on the project's own annotated corpora, printed: `python tests/held_out.py [NAME...]`.

The tests pin floors under these figures (tests/test_reports.py,
tests/test_link.py); this prints the figures themselves, for the README's
"How accurate is it" table:

- reports*.yaml: claims precision, recall and F1, matched as
  `../shared/eval/score.py` matches them (tests/scoring.py). A report with a
  title is read as the ledger stores it: the headline, then the body.
- events*/: pairwise F1 of the incident each report is linked to, against
  its truth.json.

NAME picks corpora by name (`reports_heldout2`, `events_heldout5`); none:
all. The last line is `name=F1 ...` for each corpus scored.
"""
from __future__ import annotations

import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from scoring import Tally, link_corpus, pairwise, score_report  # noqa: E402

from claimledger.extract import extract_claims  # noqa: E402
from claimledger.ontology import load_ontology  # noqa: E402
from claimledger.runner import Pipeline  # noqa: E402

DATA = Path(__file__).parent / "data"


def score_reports(path: Path, pipeline: Pipeline) -> tuple[float, float, float]:
    tally = Tally()
    for case in yaml.safe_load(path.read_text("utf-8")):
        text = f"{case['title']}\n\n{case['text']}" if case.get("title") else case["text"]
        claims = extract_claims(text, pipeline.extractor, doc_id=case["id"])
        score_report(text, claims, case["claims"], tally, case["id"])
    return tally.precision, tally.recall, tally.f1


def score_events(folder: Path, pipeline: Pipeline) -> tuple[float, float, float]:
    truth, linked, _, _ = link_corpus(folder, pipeline)
    return pairwise(truth, linked)


def main(names: list[str]) -> int:
    pipeline = Pipeline(load_ontology())
    corpora = sorted(DATA.glob("reports*.yaml")) + sorted(p for p in DATA.glob("events*") if p.is_dir())
    figures = []
    for path in corpora:
        name = path.name.removesuffix(".yaml")
        if names and name not in names:
            continue
        p, r, f1 = (score_reports if path.suffix == ".yaml" else score_events)(path, pipeline)
        kind = "claims" if path.suffix == ".yaml" else "pairwise"
        print(f"{name}: {kind} P {p:.3f} R {r:.3f} F1 {f1:.3f}", flush=True)
        figures.append(f"{name}={f1:.3f}")
    print(" ".join(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
