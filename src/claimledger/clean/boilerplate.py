"""Marking boilerplate in text flattened from web pages, line by line.

The cues (patterns, list headers, what makes a menu) are data in
`boilerplate.yaml`; this module only walks the lines.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

import yaml

from claimledger.records import Span

SENTENCE_END = re.compile(r"[.!?…:\"”’)]\s*$")


@dataclass(frozen=True, slots=True)
class BoilerplateRules:
    line_patterns: tuple[re.Pattern, ...]
    list_headers: tuple[re.Pattern, ...]
    menu_min_lines: int
    short_line_words: int

    @classmethod
    def load(cls) -> BoilerplateRules:
        raw = yaml.safe_load(resources.files(__package__).joinpath("boilerplate.yaml").read_text("utf-8"))
        return cls(
            line_patterns=tuple(re.compile(p, re.IGNORECASE) for p in raw["line_patterns"]),
            list_headers=tuple(re.compile(p, re.IGNORECASE) for p in raw["list_headers"]),
            menu_min_lines=raw["menu_min_lines"],
            short_line_words=raw["short_line_words"],
        )


@dataclass(frozen=True, slots=True)
class _Line:
    start: int
    end: int
    text: str  # stripped

    @property
    def words(self) -> int:
        return len(self.text.split())


def _lines(text: str) -> list[_Line]:
    out, pos = [], 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        stripped = body.strip()
        lead = len(body) - len(body.lstrip())
        out.append(_Line(pos + lead, pos + lead + len(stripped), stripped))
        pos += len(raw)
    return out


def _is_prose(line: _Line) -> bool:
    return line.words >= 12 and bool(SENTENCE_END.search(line.text))


def _is_short(line: _Line, rules: BoilerplateRules) -> bool:
    return 0 < line.words <= rules.short_line_words and not re.search(r"[.!?]\s*$", line.text)


def mark_boilerplate(text: str, rules: BoilerplateRules) -> list[Span]:
    """Spans of `text` that are boilerplate: menus, related lists, footers, notices."""
    lines = _lines(text)
    flagged = [False] * len(lines)
    for n, line in enumerate(lines):
        if line.text and any(p.fullmatch(line.text) for p in rules.line_patterns):
            flagged[n] = True
    _mark_menus(lines, flagged, rules)
    _mark_related_lists(lines, flagged, rules)
    _mark_tail(lines, flagged, rules)
    spans: list[Span] = []
    for line, is_bp in zip(lines, flagged):
        if is_bp and line.text:
            if spans and not text[spans[-1].end:line.start].strip():
                spans[-1] = Span(spans[-1].start, line.end)
            else:
                spans.append(Span(line.start, line.end))
    return spans


def _mark_menus(lines: list[_Line], flagged: list[bool], rules: BoilerplateRules) -> None:
    """Runs of short lines without sentence punctuation are navigation menus.

    The last line of a run that runs straight into prose is the headline, not the menu.
    """
    n = 0
    while n < len(lines):
        if not _is_short(lines[n], rules):
            n += 1
            continue
        end = n
        while end < len(lines) and _is_short(lines[end], rules):
            end += 1
        if end - n >= rules.menu_min_lines:
            last = end
            if end < len(lines) and _is_prose(lines[end]) and lines[end - 1].words >= 3:
                last = end - 1
            for k in range(n, last):
                flagged[k] = True
        n = end


def _mark_related_lists(lines: list[_Line], flagged: list[bool], rules: BoilerplateRules) -> None:
    """A "Related articles" header and the headline list under it, up to the next prose."""
    for n, line in enumerate(lines):
        if not line.text or not any(h.fullmatch(line.text.rstrip(":")) for h in rules.list_headers):
            continue
        flagged[n] = True
        for k in range(n + 1, len(lines)):
            if _is_prose(lines[k]) and not lines[k].text.endswith("..."):
                break
            flagged[k] = True


def _mark_tail(lines: list[_Line], flagged: list[bool], rules: BoilerplateRules) -> None:
    """Short unpunctuated lines after the last paragraph of prose are the page's footer."""
    for k in range(len(lines) - 1, -1, -1):
        line = lines[k]
        if not line.text:
            continue
        if _is_prose(line) or line.words > rules.short_line_words * 2:
            break
        if _is_short(line, rules) or flagged[k]:
            flagged[k] = True
        else:
            break
