"""The outlet that published a report, when the page's metadata does not say: its web address, a
copyright line or masthead, a wire dateline, or a byline.

A reader names a report by its outlet ("Velmora Courier", "Reuters"), not by
a file name; the cues are data in `outlets.yaml`. Nothing here guesses: a
name is taken only where the text states it in one of those forms.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from urllib.parse import urlsplit

import yaml

_NAME_WORD = re.compile(r"^(?:[A-Z0-9][\w&'’.-]*|of|the|and|&|for|de|la|el|al)$")


@dataclass(frozen=True, slots=True)
class OutletRules:
    copyright: re.Pattern
    dateline: re.Pattern
    byline: re.Pattern
    outlet_words: frozenset[str]
    company_suffix: re.Pattern
    head_lines: int
    tail_lines: int

    @classmethod
    def load(cls) -> OutletRules:
        raw = yaml.safe_load(resources.files(__package__).joinpath("outlets.yaml").read_text("utf-8"))
        return cls(
            copyright=re.compile(raw["copyright"], re.IGNORECASE),
            dateline=re.compile(raw["dateline"]),  # capitals are the cue: matched as written
            byline=re.compile(raw["byline"], re.IGNORECASE),
            outlet_words=frozenset(w.lower() for w in raw["outlet_words"]),
            company_suffix=re.compile(
                r"[\s,]+(?:" + "|".join(re.escape(s) for s in raw["company_suffixes"]) + r")\.?(?=\s|$).*$",
                re.IGNORECASE),
            head_lines=raw["head_lines"],
            tail_lines=raw["tail_lines"],
        )


def site_from_url(url: str | None) -> str | None:
    """The host of a web address, without "www." ("https://www.example.org/a" → "example.org")."""
    if not url or not re.match(r"(?i)^https?://", url):
        return None
    host = (urlsplit(url).hostname or "").lower()
    host = host[4:] if host.startswith("www.") else host
    return host or None


def _clean_name(raw: str, rules: OutletRules) -> str | None:
    """An outlet's name from the words a cue captured, without a company's suffix; None when they are not a
    name (a sentence, a lower-case phrase, too many words)."""
    name = re.split(r"\s{2,}|\t", raw.strip())[0]  # flattened pages part their footer's items by runs of spaces
    name = " ".join(name.split()).strip(" -–—:·")
    if name[:4] == "the ":
        name = "The " + name[4:]
    cut = rules.company_suffix.search(name)  # "The Seoul Times Company", "… Co. Ltd."
    name = name[: cut.start()] if cut else name
    name = re.sub(r"\s+(?:19|20)\d\d$", "", name)  # "© Tarvel Media 2020"
    words = name.split()
    if not 1 <= len(words) <= 6 or not words[0][:1].isupper() or any(not _NAME_WORD.match(w) for w in words):
        return None
    return name


def outlet_from_text(text: str, rules: OutletRules) -> str | None:
    """The outlet a report's own words name: a copyright line near its end, else a wire dateline or a byline
    naming an outlet near its start."""
    lines = text.splitlines()
    for line in reversed(lines[-rules.tail_lines:]):
        match = rules.copyright.match(line)
        if match and (name := _clean_name(match["name"], rules)):
            return name
    for line in lines[: rules.head_lines]:
        match = rules.dateline.match(line)
        if match and (name := _clean_name(match["name"], rules)):
            return name
        match = rules.byline.match(line)
        if match and (name := _clean_name(match["name"], rules)):
            if rules.outlet_words & {w.lower().strip(".") for w in name.split()}:
                return name
    return None
