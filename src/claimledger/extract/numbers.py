"""The number grammar: figures as written in reports, read as intervals.

Finds digits with separators ("1,320", "1 320", "1.5 million"), number words
("twenty-one", "a dozen", "two hundred"), ranges ("between 10 and 15",
"10-15"), vague amounts ("hundreds") and the hedge before a number ("at
least", "more than"). The words of hedges and vague amounts come from the
ontology; the grammar of numbers is here. Numbers that are plainly not
counts (dates, times, ages, money, percentages, ordinals, phone numbers,
article and resolution numbers) are left out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from claimledger.ontology import Hedge, Ontology
from claimledger.records import Quantity

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
DIGIT_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}

MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
# A word right before a number that makes it a label, not a count.
LABEL_BEFORE = re.compile(
    r"(?:\bno\.?|#|\bnumber|\bnr\.?|\bresolution|\barticle|\bsection|\bchapter|\bparagraph|\bhighway|"
    r"\broute|\binterstate|\bflight|\broom|\bpage|\bp\.|\bunit|\bbox|\bsuite|\bapt\.?|\bpart|\bversion|"
    r"\bregiment|\bbrigade|\bdivision|\bbattalion|\bcode|\bline|\bexit|\bgate|\bplatform|\bterminal|"
    r"\bphase|\bstage|\bseason|\bepisode|\bvol\.?|\bfigure|\btable|\bhouse|\bblock|\bbuilding|\bpoint|"
    r"\baged|\bage|\bages)\s*$",
    re.IGNORECASE,
)
CURRENCY_BEFORE = re.compile(r"[$€£¥₹₽]\s*$|\b(?:us|usd|eur|gbp|rs\.?|inr|aed|krw)\s*$", re.IGNORECASE)
MONTH_BEFORE = re.compile(rf"\b(?:{MONTHS})\.?\s*$", re.IGNORECASE)
MONTH_AFTER = re.compile(rf"^\s*(?:{MONTHS})\b", re.IGNORECASE)
# "between 10 and 14 August", "10-12 May": the first day of a stretch of days
DAYS_OF_A_MONTH = re.compile(rf"^\s*(?:and|to|-|–)\s*\d{{1,2}}\s+(?:{MONTHS})\b", re.IGNORECASE)
NOT_COUNT_AFTER = re.compile(
    r"^(?:\s*(?:%|percent\b|per\s*cent\b|pc\b|years?[- ]old\b|-year|-month|-day|-week|-hour|-minute|"
    r"-strong\b|-member\b|-point\b|-storey\b|-story\b|-mile\b|-km\b|-metre\b|-meter\b|"
    r"[ap]\.?m\.?(?![a-z])|gmt\b|utc\b|hrs\b|o'clock\b|dollars?\b|euros?\b|pounds?\b|"
    r"won\b|rupees?\b|yuan\b|yen\b|rubles?\b|roubles?\b|usd\b|bn\b|km\b|kg\b|mph\b|kph\b|"
    r"degrees?\b|°)|:\d|\.\d{2}\b|[a-zA-Z])",
)
TOKEN = re.compile(r"\d+(?:,\d{3})+(?!\d|,\d)|\d+(?:\.\d+)?|[A-Za-z]+|[^\sA-Za-z\d]", re.ASCII)
PHONE = re.compile(r"\+\d[\d\s().-]{6,}\d|\(?\d+\)?(?:[-.]\d+){2,}|\b\d{3}-\d{4}\b")
# Digits joined by two or more hyphens or dots: records ("9-2-1"), codes, dates, versions.
DIGIT_CHAIN = re.compile(r"\d+(?:[-.]\d+){2,}")


@dataclass(frozen=True, slots=True)
class _Tok:
    start: int
    end: int
    text: str
    lower: str


@dataclass(frozen=True, slots=True)
class _Number:
    start: int
    end: int
    value: int
    next_index: int  # token index after the number
    year_like: bool = False


def _tokens(text: str) -> list[_Tok]:
    return [_Tok(m.start(), m.end(), m.group(), m.group().lower()) for m in TOKEN.finditer(text)]


def _parse_digits(toks: list[_Tok], i: int, text: str) -> _Number | None:
    tok = toks[i]
    if not tok.text[0].isdecimal():
        return None
    if len(tok.text) > 1 and tok.text[0] == "0" and tok.text[1].isdecimal():
        return None  # "0184": a code, not a count
    raw = tok.text.replace(",", "")
    end, nxt = tok.end, i + 1
    # "1 275", "1 275 000": groups of three digits after a space continue a short leading group.
    if len(tok.text) <= 3 and tok.text.isdecimal():
        while (
            nxt < len(toks)
            and re.fullmatch(r"\d{3}", toks[nxt].text)
            and text[end:toks[nxt].start] in (" ", "\u00a0", "\u202f", "\u2009")
        ):
            raw += toks[nxt].text
            end, nxt = toks[nxt].end, nxt + 1
    number = float(raw)
    if nxt < len(toks) and toks[nxt].lower in DIGIT_SCALES and text[end:toks[nxt].start].strip() == "":
        number *= DIGIT_SCALES[toks[nxt].lower]
        end, nxt = toks[nxt].end, nxt + 1
    elif "." in raw:
        return None  # "1.5" alone is not a count of people
    if number != int(number):
        return None
    value = int(number)
    year_like = bool(re.fullmatch(r"\d{4}", tok.text)) and 1800 <= value <= 2100 and end == tok.end
    return _Number(tok.start, end, value, nxt, year_like)


def _parse_words(toks: list[_Tok], i: int) -> _Number | None:
    """Read a run of number words ("two hundred and forty-one", "a dozen")."""
    total, current, j, last_end, seen = 0, 0, i, None, False
    start = toks[i].start
    if toks[i].lower in ("a", "an") and i + 1 < len(toks) and toks[i + 1].lower in ("hundred", "thousand", "million", "dozen"):
        current, j, seen = 1, i + 1, False
    if toks[i].lower == "half" and i + 2 < len(toks) and toks[i + 1].lower == "a" and toks[i + 2].lower == "dozen":
        return _Number(start, toks[i + 2].end, 6, i + 3)
    while j < len(toks):
        w = toks[j].lower
        if w in UNITS:
            if seen and current % 10 != 0 and current % 100 < 20 and current % 100 != 0:
                break  # "five six" is two numbers
            current += UNITS[w]
        elif w in TENS:
            if seen and current % 100 != 0:
                break
            current += TENS[w]
        elif w == "dozen" and (seen or current == 1):
            current = max(current, 1) * 12
        elif w in SCALES and (seen or current == 1):
            if w == "hundred":
                current = max(current, 1) * 100
            else:
                total += max(current, 1) * SCALES[w]
                current = 0
        elif w == "-" and seen and j + 1 < len(toks) and toks[j + 1].lower in UNITS and toks[j - 1].lower in TENS:
            j += 1
            continue
        elif w == "and" and seen and j + 1 < len(toks) and (toks[j + 1].lower in UNITS or toks[j + 1].lower in TENS) \
                and toks[j - 1].lower in SCALES:
            j += 1
            continue
        else:
            break
        seen = True
        last_end = toks[j].end
        j += 1
    if not seen or last_end is None:
        return None
    return _Number(start, last_end, total + current, j)


def _parse_number(toks: list[_Tok], i: int, text: str) -> _Number | None:
    return _parse_digits(toks, i, text) or _parse_words(toks, i)


def _bound(rule: str, n: int) -> int | None:
    if rule == "none":
        return None
    if rule == "n":
        return n
    if rule == "n+1":
        return n + 1
    if rule == "n-1":
        return n - 1
    return round(float(rule[:-1]) * n)


def _hedge_before(text: str, start: int, hedges: tuple[Hedge, ...]) -> tuple[Hedge | None, int]:
    before = text[:start].lower()
    stripped = before.rstrip()
    for hedge in hedges:
        if stripped.endswith(hedge.words):
            at = len(stripped) - len(hedge.words)
            if at == 0 or not before[at - 1].isalnum():
                return hedge, at
    return None, start


# "aged 4 and 7", "ages 4, 8 and 11": every number of a list of ages is an age.
AGES_BEFORE = re.compile(r"\b(?:aged|ages?)\s+\d+(?:\s*(?:,|and|to|-)\s*\d+)*\s*(?:,|and|to|-|,\s*and)\s*$",
                         re.IGNORECASE)


def _is_excluded(text: str, num: _Number, toks: list[_Tok], i: int) -> bool:
    before, after = text[: num.start], text[num.end:]
    if LABEL_BEFORE.search(before) or CURRENCY_BEFORE.search(before) or AGES_BEFORE.search(before):
        return True
    if re.search(r"(?:[A-Za-z]|\b[A-Z]{1,4}-)$", before) and text[num.start].isdigit():
        return True  # "RDR2", "MH17", "G7", "AK-47", "ABC-7": part of a name or code, not a count
    if re.search(r"\b[A-Z][a-z'’-]+,\s*$", before) and re.match(r"\s*(?:[,.;)]|$)", after) \
            and text[num.start].isdigit() and num.value < 120:
        return True  # "her grandfather, Earl Whitfield, 66.": an age after a name
    if NOT_COUNT_AFTER.match(after):
        return True
    if MONTH_BEFORE.search(before) or MONTH_AFTER.match(after) or DAYS_OF_A_MONTH.match(after):
        return True
    if re.search(r"\d[:/.]\s*$", before) or re.search(r"[:/]\d", after[:2]):
        return True  # times, dates written with slashes, scores
    if toks[i].lower == "one" and (
        re.match(r"\s+(?:another|day|time|way|side|hand|point)\b", after, re.IGNORECASE)
        or re.search(r"\b(?:the|this|that|each|every|which|any)\s+$", before, re.IGNORECASE)
    ):
        return True  # "the one on which", "one another": a pronoun, not a count
    if re.match(r"\s*[-–]\s*(?:thirds?|quarters?|halfs?|fifths?|tenths?)\b", after, re.IGNORECASE):
        return True  # "one-third of the population": a fraction
    if re.search(r"\(\s*$", before) and re.match(r"\s*\)", after):
        return True  # "(25)": a reference mark
    return False


def find_quantities(text: str, ontology: Ontology) -> list[Quantity]:
    """Every candidate figure in `text`, with offsets into it, left to right."""
    masked = set()
    for m in PHONE.finditer(text):
        if sum(c.isdecimal() for c in m.group()) >= 7:
            masked.update(range(m.start(), m.end()))
    for m in DIGIT_CHAIN.finditer(text):
        masked.update(range(m.start(), m.end()))
    toks = _tokens(text)
    lowered = text.lower()
    found: list[Quantity] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        if tok.start in masked:
            i += 1
            continue
        vague = _vague_at(lowered, tok, ontology)
        if vague is not None:
            amount, end = vague
            hedge, hstart = _hedge_before(text, tok.start, ontology.hedges)
            found.append(Quantity(hstart if hedge else tok.start, end, None, "vague", amount.low, amount.high, tok.start))
            while i < len(toks) and toks[i].start < end:
                i += 1
            continue
        num = _parse_number(toks, i, text)
        if num is None or _is_excluded(text, num, toks, i):
            i = i + 1 if num is None else max(num.next_index, i + 1)
            continue
        quantity = _read_quantity(text, toks, num, ontology)
        if quantity is not None and quantity.qualifier == "range" and MONTH_AFTER.match(text[quantity.end:]):
            quantity = Quantity(quantity.start, quantity.end, None, "label", None, None, quantity.number_start)
            # "between 10 and 14 August": days of a month
        if quantity is not None and quantity.qualifier == "label":
            while i < len(toks) and toks[i].start < quantity.end:
                i += 1
            continue
        if quantity is not None:
            found.append(quantity)
            while i < len(toks) and toks[i].start < quantity.end:
                i += 1
        else:
            i = max(num.next_index, i + 1)
    return found


def _vague_at(lowered: str, tok: _Tok, ontology: Ontology):
    for amount in ontology.vague_amounts:
        if lowered.startswith(amount.words, tok.start):
            end = tok.start + len(amount.words)
            if end < len(lowered) and lowered[end].isalpha():
                continue
            rest = lowered[end:]
            if re.match(r"\s+\d", rest):
                continue  # "several 100" is a number, not a vague amount
            if amount.words in ("scores",) and not rest.lstrip().startswith("of"):
                continue
            return amount, end
    return None


def _read_quantity(text: str, toks: list[_Tok], num: _Number, ontology: Ontology) -> Quantity | None:
    # Ranges: "between 10 and 15", "10 to 15", "10-15", "ten or twelve".
    before = text[: num.start].lower().rstrip()
    j = num.next_index
    if j + 1 < len(toks) and toks[j].lower in ("-", "–", "—", "to", "and", "or"):
        second = _parse_number(toks, j + 1, text)
        is_between = before.endswith("between")
        joined = toks[j].lower != "and" or is_between
        if second is not None and joined and second.value > num.value and not _is_excluded(text, second, toks, j + 1):
            if num.year_like and second.year_like:
                return None
            start = num.start
            if is_between:
                start = len(before) - len("between")
            else:
                hedge, hstart = _hedge_before(text, num.start, ontology.hedges)
                start = hstart if hedge else num.start
            return Quantity(start, second.end, None, "range", num.value, second.value, num.start)
        if second is not None and toks[j].lower in ("-", "–", "—") and second.value <= num.value:
            return Quantity(num.start, second.end, None, "label", None, None, num.start)  # "787-9", "25-26"
    hedge, hstart = _hedge_before(text, num.start, ontology.hedges)
    if hedge is None:
        if num.year_like:
            return Quantity(num.start, num.end, num.value, "year_like", num.value, num.value, num.start)
        return Quantity(num.start, num.end, num.value, "exact", num.value, num.value, num.start)
    return Quantity(
        hstart, num.end, num.value, hedge.qualifier,
        _bound(hedge.low, num.value), _bound(hedge.high, num.value), num.start,
    )


def parse_number_text(text: str) -> int | None:
    """The value of a number written alone ("1,320", "twenty-one"), or None."""
    toks = _tokens(text)
    if not toks:
        return None
    num = _parse_number(toks, 0, text)
    if num is None or num.next_index != len(toks):
        return None
    return num.value
