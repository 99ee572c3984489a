"""One hierarchy for everything claimledger reports as an error.

Third-party exceptions are translated into these at the boundary where they
happen, with a message that names the file and the reason.
"""
from __future__ import annotations


class ClaimledgerError(Exception):
    """Base class: every error the tool raises on purpose."""


class InputError(ClaimledgerError):
    """An input file or record cannot be used; the run skips it and goes on."""

    def __init__(self, origin: str, reason: str):
        super().__init__(f"{origin}: {reason}")
        self.origin = origin
        self.reason = reason


class OntologyError(ClaimledgerError):
    """The ontology file does not follow its schema."""


class LedgerError(ClaimledgerError):
    """The ledger cannot be opened, read or written."""


class LedgerBusyError(LedgerError):
    """Another process is writing the ledger."""


class OutputError(ClaimledgerError):
    """An export or report cannot be written (missing folder, disk full, no permission)."""


class UsageError(ClaimledgerError):
    """The caller asked for something that cannot be done (unknown format, missing extra)."""


class ServeError(ClaimledgerError):
    """The web app cannot listen where asked (a port another program holds, an address not of this machine)."""
