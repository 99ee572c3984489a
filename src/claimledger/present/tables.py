"""Findings as terminal tables (Rich): conflicts first, each figure with its source documents."""
from __future__ import annotations

from collections import defaultdict

from rich.table import Table
from rich.text import Text as RichText

from claimledger.reconcile import figure_text, group_key
from claimledger.records import Claim, Finding

STATUS_ORDER = {"conflicting": 0, "consistent": 1, "single": 2}
STATUS_STYLE = {"conflicting": "bold red", "consistent": "green", "single": "dim"}


def findings_table(findings: list[Finding], claims: list[Claim]) -> Table:
    by_group: dict[tuple, list[Claim]] = defaultdict(list)
    for claim in claims:
        key = group_key(claim)
        if key is not None:
            by_group[key].append(claim)
    table = Table(title="Reported figures, conflicts first", show_lines=True)
    table.add_column("event · measure", overflow="fold")
    table.add_column("status", no_wrap=True)
    table.add_column("figures (documents)", overflow="fold", ratio=3)
    table.add_column("sources", justify="right", no_wrap=True)
    table.add_column("flags", overflow="fold", ratio=1)
    ordered = sorted(findings, key=lambda f: (STATUS_ORDER.get(f.status, 3), f.event, f.measure, f.subgroup or ""))
    for f in ordered:
        figures: dict[str, set[str]] = defaultdict(set)
        for claim in by_group.get((f.event, f.measure, f.subgroup), []):
            figures[figure_text(claim)].add(claim.doc_id)
        lines = "\n".join(f"{fig}: {', '.join(sorted(docs))}" for fig, docs in figures.items())
        what = f"{f.event}\n{f.measure}" + (f" · {f.subgroup}" if f.subgroup else "")
        table.add_row(
            RichText(what),  # plain text: ids from input never read as markup
            RichText(f.status, style=STATUS_STYLE.get(f.status, "")),
            RichText(lines),
            f"{f.independent_sources} of {len(f.doc_ids)}",
            RichText("; ".join(f.flags)),
        )
    return table
