"""The ledger in a browser: `claimledger serve` (FastAPI, Jinja2 templates, static CSS, no script).

`pages` says what each page shows as plain data (the JSON twins), `findings`
how a finding and its figures are said (statuses with reasons, figures as
written, sources by name), `queries` reads what `Ledger` does not offer,
`highlight` marks a document's text, `search` is the full-text index of the
documents, `app` wires the routes and `serve` runs them. The report
(`claimledger.present.report`) and `claimledger show` say the same.
"""
from __future__ import annotations

from pathlib import Path

from claimledger.errors import UsageError


def create_app(db_path: str | Path, freeze_gc: bool = False):
    """The FastAPI app over one ledger file (see `claimledger.web.app.create_app`); needs the web extra."""
    try:
        from claimledger.web.app import create_app as make
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        raise UsageError(f"the web app needs the web extra ({exc.name} is missing):"
                         " pip install 'claimledger[web]'") from None
    return make(db_path, freeze_gc)
