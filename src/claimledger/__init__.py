"""claimledger: a ledger of every reported casualty figure, reconciled across sources.

The library's entry points:

    from claimledger import extract_claims, Pipeline, Ledger, ingest
    extract_claims("At least 12 people were killed, police said.")

They are imported on first use (PEP 562), so `import claimledger` and the
command line start without loading spaCy or the relate stage's libraries.
"""
from __future__ import annotations

from importlib import import_module

_EXPORTS = {
    "ClaimledgerError": "claimledger.errors", "InputError": "claimledger.errors",
    "LedgerError": "claimledger.errors", "OntologyError": "claimledger.errors",
    "Extractor": "claimledger.extract", "extract_claims": "claimledger.extract",
    "Ontology": "claimledger.ontology", "load_ontology": "claimledger.ontology",
    "Claim": "claimledger.records", "Document": "claimledger.records", "DocumentResult": "claimledger.records",
    "Finding": "claimledger.records", "Skipped": "claimledger.records", "Text": "claimledger.records",
    "Pipeline": "claimledger.runner", "ingest": "claimledger.runner", "refresh_findings": "claimledger.runner",
    "Ledger": "claimledger.store",
}
__all__ = sorted(_EXPORTS)
__version__ = "0.1.0"


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'claimledger' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # the next access is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
