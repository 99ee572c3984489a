"""Default per-document limits of a run, apart from the runner so the command line reads them without
importing the stages (`claimledger --help` starts fast)."""
from __future__ import annotations

DEFAULT_MAX_DOC_CHARS = 5_000_000  # the largest news pages, scripts and all, are a few million characters
DEFAULT_MAX_DOC_SECONDS = 60.0  # a long report takes a few seconds; a minute means something is wrong
