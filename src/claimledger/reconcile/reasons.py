"""Why a finding has its status, in words a reader checks against the figures.

The contract's `status` (consistent, conflicting, single) says whether one
number could satisfy every claim. A reader also needs to know whether the
figures are the same at all: "at least 27", "hundreds" and 240 are
consistent, yet they differ. `reading` tells the four cases apart and
`reason` says why, naming the figures as the reports wrote them:

- same: every claim states the same figure;
- compatible: the figures differ, but one number fits them all
  ("240 is within “at least 27” and within “hundreds”");
- conflicting: no number fits them all ("26 and 25 cannot both be true");
- single: one claim.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from claimledger.reconcile import figure_text, interval

READINGS = ("conflicting", "compatible", "same", "single")  # the order pages list them in
READING_LABELS = {"same": "same figure", "compatible": "differ · compatible", "conflicting": "conflicting",
                  "single": "one claim"}
READING_MEANINGS = {
    "same": "every claim gives the same figure",
    "compatible": "the figures differ, but one number fits them all, so all can be true",
    "conflicting": "no number fits every figure: some cannot both be true",
    "single": "one claim gives a figure; nothing to compare",
}


def reading(status: str, figures_differ: bool) -> str:
    """One of READINGS, from the contract's status and whether the claims' figures differ."""
    if status == "consistent":
        return "compatible" if figures_differ else "same"
    return status if status in ("conflicting", "single") else "conflicting"


def said(words: str) -> str:
    """A figure inside a sentence: a bare number as it is, any other wording in quotation marks."""
    return words if re.fullmatch(r"[\d,.]+", words) else f"“{words}”"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def status_reason(claims: list, words: Callable[[object], str], count: int | None = None) -> str:
    """The reason for a group's status, naming its figures as written (`words(claim)`).

    Claims are records or rows with `qualifier`, `value`, `low`, `high`: every
    claim of the group, or one for each figure when `count` says how many
    claims the group holds (a page of 10,000 claims passes its few figures).
    """
    if not claims:
        return ""
    count = len(claims) if count is None else count
    by_figure: dict[str, object] = {}
    for c in sorted(claims, key=interval):
        by_figure.setdefault(figure_text(c), c)
    figures = list(by_figure.values())
    if count == 1:
        return f"one claim: {said(words(claims[0]))}"
    if len(figures) == 1:
        every = "both claims" if count == 2 else f"all {count} claims"
        return f"{every} give {said(words(figures[0]))}"
    lows, highs = zip(*(interval(c) for c in figures))
    low, high = max(lows), min(highs)
    if low > high:
        above = max(figures, key=lambda c: interval(c)[0])
        below = min(figures, key=lambda c: interval(c)[1])
        return f"{said(words(above))} and {said(words(below))} cannot both be true"
    fits_all = [c for c in figures if c.qualifier == "exact" and low <= c.value <= high]
    if fits_all:
        witness = fits_all[0]
        others = [said(words(c)) for c in figures if c is not witness]
        return f"{said(words(witness))} is within " + " and within ".join(others)
    if high == float("inf"):
        span = f"any number from {low:,.0f} up"
    elif low == high:
        span = f"{low:,.0f}"
    else:
        span = f"any number from {low:,.0f} to {high:,.0f}"
    return f"{span} fits {_and([said(words(c)) for c in figures])}"
