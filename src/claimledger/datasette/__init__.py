"""Datasette metadata for a claimledger ledger: what each table and column holds, and two canned queries.

Datasette keys metadata by database name, which it takes from the file name
(`ledger.db` is `ledger`). The shipped `metadata.json` is for `ledger.db`;
for any other file, write it under that file's name:

    python -m claimledger.datasette my-ledger.db > metadata.json
    datasette my-ledger.db -m metadata.json

`claimledger serve` does not need any of this: it is for browsing the raw
tables with Datasette.
"""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

SHIPPED_NAME = "ledger"


def metadata_path() -> Path:
    """The shipped metadata file (for a ledger named ledger.db)."""
    return Path(str(resources.files("claimledger.datasette").joinpath("metadata.json")))


def metadata_for(ledger: str | Path) -> dict:
    """The metadata with its database named as Datasette will name this ledger file."""
    data = json.loads(metadata_path().read_text(encoding="utf-8"))
    data["databases"] = {Path(ledger).stem: data["databases"][SHIPPED_NAME]}
    return data
