"""A FIGURE span's value, unit and approximation, proposed as a reviewer would read the span."""
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.figures import Figure, parse_unit_table, propose_figure, unit_table
from annotator.core.resources import ResourceMissing, read_json

ROOT = Path(__file__).resolve().parents[2]
CORPUS = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "documents").glob("*.txt")))

# Every figure a reviewer tags in the bundled articles, as written there, and what it says.
REAL = [
    ("US$7 billion", 7_000_000_000, "USD", False),
    ("more than 90 delegates", 90, "delegates", True),
    ("17 countries and regions", 17, "countries", False),
    ("86 members", 86, "members", False),
    ("41 observers", 41, "observers", False),
    ("some 2.4 million people", 2_400_000, "people", True),
    ("2.4 million people", 2_400_000, "people", False),
    ("32 billion U.S. dollars", 32_000_000_000, "USD", False),
    ("thousands of people", 2000, "people", True),
    ("around 1 million U.S. dollars", 1_000_000, "USD", True),
    ("around 470,000 dollars", 470_000, "USD", True),
    ("350 Pakistani nationals", 350, "people", False),
    ("nearly 60 delegates", 60, "delegates", True),
    ("12 months", 12, "months", False),
    ("two experts", 2, "officials", False),
    ("three-day event", 3, "days", False),
    ("5.4m Chinese", 5_400_000, "Chinese", False),
]


@pytest.mark.parametrize("text,value,unit,approximate", REAL)
def test_the_bundled_articles_figures(text, value, unit, approximate):
    assert text in CORPUS  # a real phrasing, not one made up to suit the reader
    figure = propose_figure(text)
    assert (figure.value, figure.unit, figure.approximate) == (value, unit, approximate)


def test_the_issue_examples():
    assert propose_figure("US$7 billion") == Figure(7_000_000_000, "USD")
    assert propose_figure("2.4 million people") == Figure(2_400_000, "people")
    assert propose_figure("more than 90 delegates") == Figure(90, "delegates", True, "at least")
    assert propose_figure("US$7 billion").attributes() == {"value": 7_000_000_000, "unit": "USD", "approximate": False}


OTHERS = [
    # numbers in words
    ("forty-five victims", 45, "victims", False, ""),
    ("Forty five victims", 45, "victims", False, ""),
    ("two hundred migrants", 200, "migrants", False, ""),
    ("one hundred and twenty-five children", 125, "children", False, ""),
    ("three thousand five hundred", 3500, "", False, ""),
    ("a dozen countries", 12, "countries", False, ""),
    ("two dozen officers", 24, "officials", False, ""),
    ("a hundred people", 100, "people", False, ""),
    ("half a million refugees", 500_000, "refugees", False, ""),
    ("one and a half million people", 1_500_000, "people", False, ""),
    ("ten million dollars", 10_000_000, "USD", False, ""),
    ("Seventeen countries", 17, "countries", False, ""),
    # vague plurals: at least two of what they name
    ("hundreds of migrants", 200, "migrants", True, "at least"),
    ("tens of thousands of refugees", 20_000, "refugees", True, "at least"),
    ("hundreds of thousands of people", 200_000, "people", True, "at least"),
    ("dozens of victims", 24, "victims", True, "at least"),
    ("several hundred workers", 200, "workers", True, "at least"),
    ("a few thousand migrants", 2000, "migrants", True, "at least"),
    ("millions of dollars", 2_000_000, "USD", True, "at least"),
    # qualifiers
    ("at least 12 people", 12, "people", True, "at least"),
    ("over 1,000 migrants", 1000, "migrants", True, "at least"),
    ("more than 90 delegates", 90, "delegates", True, "at least"),
    ("90+ delegates", 90, "delegates", True, "at least"),
    ("500 victims or more", 500, "victims", True, "at least"),
    ("up to 500 people", 500, "people", True, "at most"),
    ("nearly 60 delegates", 60, "delegates", True, "at most"),
    ("almost 3,000 cases", 3000, "cases", True, "at most"),
    ("fewer than 10 convictions", 10, "cases", True, "at most"),
    ("about 40 countries", 40, "countries", True, "about"),
    ("an estimated US$7 billion", 7_000_000_000, "USD", True, "about"),
    ("roughly 2.5 million", 2_500_000, "", True, "about"),
    ("90-odd delegates", 90, "delegates", True, "about"),
    ("exactly 350 people", 350, "people", False, ""),
    # ranges: the lower end, approximate
    ("between 200 and 300 victims", 200, "victims", True, "range"),
    ("10-15%", 10, "percent", True, "range"),
    ("10%–15%", 10, "percent", True, "range"),
    ("from 10 to 20 per cent", 10, "percent", True, "range"),
    ("5 to 7 million people", 5_000_000, "people", True, "range"),
    ("US$5-7 billion", 5_000_000_000, "USD", True, "range"),
    ("$5 million to $7 million", 5_000_000, "USD", True, "range"),
    ("between two hundred and three hundred", 200, "", True, "range"),
    ("five or six boats", 5, "boats", True, "range"),
    # currencies
    ("€3.5m", 3_500_000, "EUR", False, ""),
    ("EUR 20 million", 20_000_000, "EUR", False, ""),
    ("5 million euros", 5_000_000, "EUR", False, ""),
    ("£300,000", 300_000, "GBP", False, ""),
    ("300,000 pounds sterling", 300_000, "GBP", False, ""),
    ("AUD 1.2 billion", 1_200_000_000, "AUD", False, ""),
    ("A$50 million", 50_000_000, "AUD", False, ""),
    ("1 billion yen", 1_000_000_000, "JPY", False, ""),
    ("¥500m", 500_000_000, "JPY", False, ""),
    ("Rs5bn", 5_000_000_000, "PKR", False, ""),
    ("Rs 3 crore", 30_000_000, "PKR", False, ""),
    ("2 lakh Pakistani rupees", 200_000, "PKR", False, ""),
    ("$.5 million", 500_000, "USD", False, ""),
    ("USD 12,500", 12_500, "USD", False, ""),
    ("NZ$2.5 million", 2_500_000, "NZD", False, ""),
    # shares
    ("10 per cent", 10, "percent", False, ""),
    ("2.5 percentage points", 2.5, "percentage points", False, ""),
    ("two thirds of trafficking victims", 66.67, "percent", True, ""),
    ("half of all victims", 50, "percent", False, ""),
    ("a quarter of the cases", 25, "percent", False, ""),
    ("one in five victims", 20, "percent", False, ""),
    ("nine out of ten", 90, "percent", False, ""),
    # what is counted
    ("5 fishing boats", 5, "boats", False, ""),
    ("1\u00a0000\u00a0000 people", 1_000_000, "people", False, ""),
    ("350 Pakistani nationals.", 350, "people", False, ""),
    ("12 IIs", 12, "IIs", False, ""),
    ("12 armed men", 12, "men", False, ""),
    ("1951", 1951, "", False, ""),
]


@pytest.mark.parametrize("text,value,unit,approximate,bound", OTHERS)
def test_phrasings(text, value, unit, approximate, bound):
    assert propose_figure(text) == Figure(value, unit, approximate, bound, propose_figure(text).upper)


def test_a_range_keeps_its_upper_end():
    assert propose_figure("between 200 and 300 victims").upper == 300
    assert propose_figure("5 to 7 million people").upper == 7_000_000
    assert propose_figure("US$5-7 billion").upper == 7_000_000_000
    assert propose_figure("between 500 and 2 million").value == 500  # a scale is shared only where it fits
    assert propose_figure("more than 90 delegates").upper is None


@pytest.mark.parametrize("text", ["", "the Fourth Ministerial Conference", "no number here", "the 4th meeting",
                                  "a few", "several", "the 1990s", "IOM", "—", "a budget"])
def test_no_number_no_proposal(text):
    assert propose_figure(text) is None


_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen " \
        "seventeen eighteen nineteen".split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def _words(n: int, hyphen: bool) -> str:
    """n in English words, as a writer spells it (the test's own spelling, not the reader's)."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + (("-" if hyphen else " ") + _ONES[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        return _ONES[n // 100] + " hundred" + (" and " + _words(rest, hyphen) if rest else "")
    for word, size in (("billion", 10 ** 9), ("million", 10 ** 6), ("thousand", 10 ** 3)):
        if n >= size:
            rest = n % size
            return _words(n // size, hyphen) + " " + word + (
                (" and " if rest < 100 else " ") + _words(rest, hyphen) if rest else "")
    raise AssertionError(n)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 999_999_999_999), st.booleans())
def test_any_number_in_words_reads_as_its_value(n, hyphen):
    text = _words(n, hyphen) + " people"
    assert propose_figure(text) == Figure(n, "people"), text


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=0, max_value=999_999, places=2, allow_nan=False, allow_infinity=False),
       st.sampled_from([("", 1), (" thousand", 10 ** 3), (" million", 10 ** 6), (" billion", 10 ** 9),
                        ("m", 10 ** 6), ("bn", 10 ** 9), (" lakh", 10 ** 5), (" crore", 10 ** 7)]),
       st.booleans())
def test_digits_and_scales_are_exact(amount, scale, commas):
    word, size = scale
    digits = f"{amount:,}" if commas else f"{amount}"
    figure = propose_figure(f"{digits}{word} migrants")
    expected = amount * size
    assert Decimal(str(figure.value)) == expected and figure.unit == "migrants"
    assert isinstance(figure.value, int) == (expected == expected.to_integral_value())


QUALIFIERS = [("more than", "at least"), ("over", "at least"), ("at least", "at least"), ("in excess of", "at least"),
              ("up to", "at most"), ("nearly", "at most"), ("almost", "at most"), ("less than", "at most"),
              ("about", "about"), ("around", "about"), ("some", "about"), ("approximately", "about"),
              ("an estimated", "about"), ("roughly", "about")]


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(QUALIFIERS), st.integers(1, 10 ** 9), st.sampled_from(["", "US$", "€", "£"]))
def test_a_qualifier_makes_a_figure_approximate_and_keeps_its_value(qualifier, n, symbol):
    phrase, bound = qualifier
    figure = propose_figure(f"{phrase} {symbol}{n:,} victims")
    assert (figure.value, figure.approximate, figure.bound) == (n, True, bound)
    assert figure.unit == {"": "victims", "US$": "USD", "€": "EUR", "£": "GBP"}[symbol]


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 10 ** 6), st.integers(1, 10 ** 6),
       st.sampled_from(["between {a} and {b}", "{a}-{b}", "{a} to {b}", "from {a} to {b}", "{a}–{b}"]))
def test_ranges(low, more, pattern):
    figure = propose_figure(pattern.format(a=f"{low:,}", b=f"{low + more:,}") + " victims")
    assert (figure.value, figure.upper, figure.approximate, figure.bound, figure.unit) == (
        low, low + more, True, "range", "victims")


def test_every_currency_of_the_table_is_read_before_and_after_the_number():
    data = read_json("figure_units.json")
    for code, forms in data["currencies"].items():
        for symbol in forms["before"]:
            assert propose_figure(f"{symbol}2.5 million").unit == code, symbol
            assert propose_figure(f"{symbol} 40").unit == code, symbol
        for word in forms["after"]:
            assert propose_figure(f"40 {word}").unit == code, word
    for unit, words in data["units"].items():
        for word in words:
            assert propose_figure(f"40 {word}").unit == unit, word


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("0123456789 ,.-+%$€£abc") + [
    " million ", " between ", " and ", " to ", " hundred ", " a ", " half ", " thirds ", " of ", " dozens ", "US$",
    " in ", " out ", " one ", " twenty", " several ", " or ", " more ", " k", "bn", "th"]), max_size=30))
def test_any_text_gives_a_figure_or_none_never_an_error(parts):
    figure = propose_figure("".join(parts))
    assert figure is None or isinstance(figure.value, (int, float))


def test_a_table_that_lists_a_word_for_two_units_is_refused_by_name():
    with pytest.raises(ResourceMissing, match="'nationals' is listed for both 'people' and 'migrants'"):
        parse_unit_table({"currencies": {}, "units": {"people": ["nationals"], "migrants": ["nationals"]}}, "t.json")
    with pytest.raises(ResourceMissing, match="t.json: currency 'USD' must have"):
        parse_unit_table({"currencies": {"USD": {"before": "$"}}, "units": {}}, "t.json")
    assert unit_table().after[("people",)] == "people"
