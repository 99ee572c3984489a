"""Shared fixtures: the real ontology and spaCy pipeline, loaded once per test session."""
from __future__ import annotations

from pathlib import Path

import pytest

from claimledger.extract import Extractor
from claimledger.ontology import load_ontology
from claimledger.runner import Pipeline

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
SEEDS = SHARED / "seeds"
GOLD = SHARED / "gold" / "seeds.json"
SCORER = SHARED / "eval" / "score.py"


@pytest.fixture(scope="session")
def ontology():
    return load_ontology()


@pytest.fixture(scope="session")
def pipeline(ontology):
    return Pipeline(ontology)


@pytest.fixture(scope="session")
def extractor(pipeline) -> Extractor:
    return pipeline.extractor


def need_shared():
    if not SEEDS.is_dir() or not GOLD.is_file() or not SCORER.is_file():
        pytest.skip("../shared (seeds, gold, scorer) is not beside this clone; the seed score check needs it")
