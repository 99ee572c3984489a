"""Sentences of a document's content, with offsets, and the cheap pre-filter.

Sentences are found with a small rule splitter (lines, then sentence-final
punctuation outside abbreviations) so that the parser only ever sees the few
sentences that hold both a number and a trigger word.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from claimledger.records import Span, Text

ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "rep", "sen", "gov", "gen", "col", "lt", "sgt", "capt", "cpl", "maj",
    "st", "no", "nos", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "inc", "co", "ltd", "corp", "vs", "etc", "approx", "est", "fig", "vol", "pp", "p", "jr", "sr", "amb",
    "u.s", "u.k", "u.n", "a.m", "p.m", "e.g", "i.e", "mt", "ft", "rev", "hon", "pres", "supt", "insp", "det",
}
# "VELMORA, Ostrevia, 15 March 2023 (Wire) — ": a dateline opens the paragraph but is no part of its sentence.
DATELINE = re.compile(r"^[A-Z][A-Z.'’ -]{2,}(?:,[^—–\n]{0,80})?\s+(?:[—–]|--?)\s+")
SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
# Irregular forms of trigger verbs the pre-filter must still see.
IRREGULAR = {
    "take": ("took", "taken"), "hold": ("held",), "lose": ("lost",), "flee": ("fled",), "shoot": ("shot",),
    "leave": ("left",), "die": ("died", "dying", "dies"), "slay": ("slain", "slew"), "beat": ("beaten",),
    "burn": ("burnt",), "stab": ("stabbed",), "kidnap": ("kidnapped",), "gun": ("gunned",),
    "body": ("bodies",), "casualty": ("casualties",), "fatality": ("fatalities",), "injury": ("injuries",),
    "child": ("children",), "woman": ("women",), "man": ("men",), "life": ("lives",),
}


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str  # text[start:end] with line breaks turned into spaces (same length)

    def for_parsing(self) -> tuple[Sentence, tuple[int, ...]]:
        """The sentence with each run of spaces made one (scraped text is full of them, and the parser reads
        "one  of them" otherwise than "one of them"), and where each of its characters stands in this one."""
        if "  " not in self.text:
            return self, tuple(range(len(self.text) + 1))
        chars, where = [], []
        for i, ch in enumerate(self.text):
            if ch == " " and chars and chars[-1] == " ":
                continue
            chars.append(ch)
            where.append(i)
        where.append(len(self.text))
        return Sentence(self.start, self.end, "".join(chars)), tuple(where)


def _lines(text: str, span: Span) -> list[Span]:
    """Paragraph-like runs: a line joins the one before when it continues a wrapped sentence."""
    runs: list[Span] = []
    pos = span.start
    for line in text[span.start:span.end].splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if body.strip():
            start = pos + len(body) - len(body.lstrip())
            end = pos + len(body.rstrip())
            if runs and body.lstrip()[:1].islower() and not re.search(r"[.!?:\"”]\s*$", text[runs[-1].start:runs[-1].end]):
                runs[-1] = Span(runs[-1].start, end)
            else:
                runs.append(Span(start, end))
        pos += len(line)
    return runs


def split_sentences(text: Text) -> list[Sentence]:
    """Every sentence of the non-boilerplate text, with offsets into `text.text`."""
    out: list[Sentence] = []
    raw = text.text
    for span in text.content_spans():
        for run in _lines(raw, span):
            chunk = raw[run.start:run.end]
            dateline = DATELINE.match(chunk)
            cut = dateline.end() if dateline else 0
            for m in SENTENCE_END.finditer(chunk):
                word = re.search(r"([A-Za-z.]+)$", chunk[cut:m.start()])
                if word and (word.group(1).lower().rstrip(".") in ABBREVIATIONS or re.fullmatch(r"[A-Z]", word.group(1))):
                    continue
                out.append(_sentence(raw, run.start + cut, run.start + m.end()))
                cut = m.end()
                while cut < len(chunk) and chunk[cut].isspace():
                    cut += 1
            if cut < len(chunk):
                out.append(_sentence(raw, run.start + cut, run.end))
    return out


def _sentence(raw: str, start: int, end: int) -> Sentence:
    return Sentence(start, end, re.sub(r"[\r\n]", " ", raw[start:end]))


WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


class SurfaceFilter:
    """Finds the inflected forms of a set of lemmas in a sentence (not every word they begin: "execute" is no
    "executive", "son" no "song"): the parser pre-filter. A set lookup per word, which stays fast however
    many forms the ontology's words have."""

    def __init__(self, words: set[str]):
        self.forms: frozenset[str] = frozenset(
            f.lower() for word in words for f in (*inflections(word), *IRREGULAR.get(word, ())))

    def search(self, text: str) -> bool:
        forms = self.forms
        return any(w.lower() in forms for w in WORD.findall(text))


def inflections(word: str) -> set[str]:
    """The regular forms of an English noun or verb: "kill" → kills, killed, killing; "slay" → slays, slayed;
    "die" → dies, died, dying; "kidnap" → kidnapped; "injury" → injuries."""
    forms = {word, word + "s", word + "es", word + "ed", word + "ing", word + "d"}
    if word.endswith("e"):
        forms |= {word[:-1] + "ing", word[:-1] + "ed"}
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    if word.endswith("ie"):
        forms.add(word[:-2] + "ying")
    if len(word) > 2 and word[-1] not in "aeiouwxy" and word[-2] in "aeiou" and word[-3] not in "aeiou":
        forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}  # stab → stabbed, kidnap → kidnapped
    return forms


def headline_span(text: Text) -> int:
    """Where the report's headline ends (0 when it has none): its first line of content, when that line is
    short, has no sentence-final stop and more text follows. A headline sums the report up, so its
    figures are never parts of a count the body adds up."""
    for span in text.content_spans():
        for run in _lines(text.text, span):
            line = text.text[run.start:run.end]
            if len(line.split()) <= 20 and not re.search(r"[.!?]\W*$", line) and run.end < len(text.text.rstrip()):
                return run.end
            first = SENTENCE_END.search(line)
            if first and HEADLINE_STYLE.match(line[:first.end()]):
                return run.start + first.end()  # "Man, 52, dies after being shot in Eastgate. A 52-year-old man …"
            return 0
    return 0


# A headline run into its story: short, no article first, no auxiliary ("Gunfire in Northgate leaves two dead.").
HEADLINE_STYLE = re.compile(r"^(?!(?:A|An|The|On|In|At|Police|Officers)\b)(?!.*\b(?:was|were|is|are|has|have|had|been|will|"
                            r"would|said|says)\b)"
                            r"(?!.*\b(?:on|last|early|late) (?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b)"  # a story's day
                            r"(?:\S+\s+){2,13}\S+[.!?]$")
