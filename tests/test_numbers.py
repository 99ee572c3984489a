"""The number grammar: figures as written, read back as values and intervals."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimledger.extract.numbers import find_quantities, parse_number_text

UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
         "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def in_words(n: int) -> str:
    """English words for n (below a billion), written the way reports spell them."""
    if n < 20:
        return UNITS[n]
    if n < 100:
        return TENS[n // 10] + ("-" + UNITS[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        return UNITS[n // 100] + " hundred" + (" and " + in_words(rest) if rest else "")
    for scale, word in ((1_000_000, "million"), (1_000, "thousand")):
        if n >= scale:
            rest = n % scale
            return in_words(n // scale) + " " + word + ((" " + in_words(rest)) if rest else "")
    raise ValueError(n)


@settings(max_examples=300)
@given(st.integers(min_value=0, max_value=999_999_999))
def test_any_integer_with_comma_separators_parses_back(n):
    assert parse_number_text(f"{n:,}") == n


@settings(max_examples=300)
@given(st.integers(min_value=1000, max_value=999_999))
def test_any_integer_with_space_separators_parses_back(n):
    assert parse_number_text(f"{n:,}".replace(",", " ")) == n


@settings(max_examples=300)
@given(st.integers(min_value=0, max_value=999_999_999))
def test_any_integer_in_words_parses_back(n):
    assert parse_number_text(in_words(n)) == n


@pytest.mark.parametrize("text, expected", [
    ("at least 40 people", ("at_least", 40, 40, None)),
    ("no fewer than 12", ("at_least", 12, 12, None)),
    ("more than 150", ("more_than", 150, 151, None)),
    ("over 300", ("more_than", 300, 301, None)),
    ("up to 60", ("at_most", 60, None, 60)),
    ("as many as 35", ("at_most", 35, None, 35)),
    ("fewer than 10", ("less_than", 10, None, 9)),
    ("about 200", ("about", 200, 180, 220)),
    ("nearly 100", ("about", 100, 90, 99)),
    ("an estimated 5,000", ("about", 5000, 4500, 5500)),
    ("between 10 and 15", ("range", None, 10, 15)),
    ("8-12", ("range", None, 8, 12)),
    ("dozens", ("vague", None, 24, 99)),
    ("hundreds of thousands", ("vague", None, 200_000, 999_999)),
    ("several thousand", ("vague", None, 3000, 9999)),
    ("1.5 million", ("exact", 1_500_000, 1_500_000, 1_500_000)),
    ("a dozen", ("exact", 12, 12, 12)),
    ("twenty-one", ("exact", 21, 21, 21)),
])
def test_hedges_and_vague_amounts_become_intervals(ontology, text, expected):
    (q,) = find_quantities(text, ontology)
    assert (q.qualifier, q.value, q.low, q.high) == expected


@pytest.mark.parametrize("text", [
    "on 12 March", "March 12, 2021", "a 12-year-old", "at 10:30 pm", "$5,000", "40 percent", "40%",
    "the 25th anniversary", "Resolution 1325", "Article 6", "call 555-0184 or +44 20 7946 0958", "Highway 45",
])
def test_numbers_that_are_not_counts_are_left_out(ontology, text):
    assert [q for q in find_quantities(text, ontology) if q.qualifier != "year_like"] == []


def test_large_numbers_with_space_separators_are_not_phone_numbers(ontology):
    (q,) = find_quantities("1 275 000 people", ontology)
    assert q.value == 1_275_000
