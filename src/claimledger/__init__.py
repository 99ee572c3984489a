"""claimledger: a ledger of every reported casualty figure, reconciled across sources.

The library's entry points:

    from claimledger import extract_claims, Pipeline, Ledger, ingest
    extract_claims("At least 12 people were killed, police said.")
"""
from claimledger.errors import ClaimledgerError, InputError, LedgerError, OntologyError
from claimledger.extract import Extractor, extract_claims
from claimledger.ontology import Ontology, load_ontology
from claimledger.records import Claim, Document, DocumentResult, Finding, Skipped, Text
from claimledger.runner import Pipeline, ingest, refresh_findings
from claimledger.store import Ledger

__all__ = [
    "Claim", "ClaimledgerError", "Document", "DocumentResult", "Extractor", "Finding", "InputError", "Ledger",
    "LedgerError", "Ontology", "OntologyError", "Pipeline", "Skipped", "Text", "extract_claims", "ingest",
    "load_ontology", "refresh_findings",
]
__version__ = "0.1.0"
