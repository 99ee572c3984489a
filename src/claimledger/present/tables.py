"""Findings as terminal tables (Rich): an event a table, conflicts first, each figure as written with the
sources behind it.

The table says what the events page says (`claimledger.web.pages.events_page`):
a plain status and its reason, the figures as the reports wrote them, the
range someone reported, and sources by outlet or title.
"""
from __future__ import annotations

from rich.table import Table
from rich.text import Text as RichText

from claimledger.reconcile.reasons import READING_LABELS, READING_MEANINGS, READINGS

READING_STYLE = {"conflicting": "bold red", "compatible": "bold blue", "same": "green", "single": "dim"}


NAME_CHARS = 32  # a source's name is cut past this in the terminal


def _name(name: str) -> str:
    return name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1].rstrip() + "…"


def _figures(measure: dict) -> str:
    lines = []
    for fig in measure["figures"]:
        names = ", ".join(_name(s["name"]) + (f" ×{s['documents']}" if s["documents"] > 1 else "")
                          for s in fig["sources"])
        more = fig["independent_sources"] - len(fig["sources"])
        lines.append(f"{fig['figure']}: {names}" + (f" and {more} more" if more > 0 else ""))
    return "\n".join(lines)


def findings_tables(overview: dict) -> list[Table]:
    """One table per event of `overview` (an events page), conflicts first, a row per measure."""
    tables = []
    for event in overview["events"]:
        flagged = any(m["flags"] for m in event["measures"])
        table = Table(title=f"{event['event']}: {event['claims']} claims in {event['documents']} documents",
                      title_justify="left", show_lines=True, highlight=False)
        table.add_column("measure", overflow="fold", ratio=1)
        table.add_column("status and why", overflow="fold", ratio=2)
        table.add_column("figures as written: sources", overflow="fold", ratio=4)
        table.add_column("range reported", overflow="fold", ratio=1)
        table.add_column("sources", justify="right", no_wrap=True)
        if flagged:
            table.add_column("flags", overflow="fold", ratio=1)
        for m in event["measures"]:
            status = RichText(m["reading_label"], style=READING_STYLE.get(m["reading"], ""))
            status.append(f"\n{m['reason']}", style="")
            span = m["range"] + (f"\n({m['range_note']})" if m["range_note"] else "")
            cells = [RichText(m["label"]), status, RichText(_figures(m)), RichText(span),  # input is never markup
                     f"{m['independent_sources']} of {m['documents']}"]
            table.add_row(*cells, *([RichText("; ".join(m["flags"]))] if flagged else []))
        tables.append(table)
    return tables


def status_legend() -> str:
    """What each status means, one line each, for under the tables."""
    return "\n".join(f"  {READING_LABELS[r]}: {READING_MEANINGS[r]}" for r in READINGS)
