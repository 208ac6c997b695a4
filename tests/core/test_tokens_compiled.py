"""The compiled scanner (annotator/core/_tokens.c) gives exactly the tokens of the regular expression it replaces.

The regular expression in tokenize.py is the reference; the scanner is what exports and agreement run. Generated
text mixes what each alternative of the expression turns on: letters, digits and separators, currency signs,
capitals before them, abbreviation dots, apostrophes, combining marks, CJK (Extension B too), emoji with
modifiers, ZWJ and flags, and whitespace of every kind, so the order of the alternatives is exercised.
"""
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core import tokenize as tok
from tests.conftest import DOCUMENTS

PIECES = list("aeUSsABCDxyz019._,'’$€£¥₹₩₽%-“”()") + [
    "\u0301", "\u0903", "\u20dd", "中", "文", "𠮟", "で", "\u3005", "한",
    "😀", "👍", "🏽", "\u200d", "\ufe0f", "🇫", "🇷", "🇺", "\u00a9", "\u2776", "²", "½", "٣", "Ⅻ", "ǅ",
    " ", "\n", "\r\n", "\t", "\u00a0", "\u2029", "\u3000", "\x85", "\U000e0067", "\U000e0100",
]
# runs that sit on the edges between alternatives: capitals before a currency sign (three may, four may not),
# abbreviations against words before a dot, possessives before word characters, ZWJ sequences cut short
FRAGMENTS = ["US$7", "ABC$1", "ABCD$2", "A$", "U.S.", "a.b", ".x.", "1,2", "3.", "’s", "'s_", "’sa", "s.",
             "👩‍", "‍👧", "🇫🇷🇺", "é", "2nd", "5́", "_a", "❶❷"]
text_strategy = st.lists(
    st.one_of(st.sampled_from(PIECES), st.sampled_from(FRAGMENTS), st.characters()), max_size=40
).map("".join)


def test_the_test_environment_runs_the_compiled_scanner():
    # `pip install -e .` builds it wherever a C compiler exists; without it exports of token formats fall back
    # to the regular expression, several times slower
    assert tok.COMPILED, "annotator/core/_tokens.c was not built"


@settings(max_examples=3000, deadline=None)
@given(text_strategy)
def test_same_tokens_as_the_regular_expression(text):
    assert tok.token_arrays(text) == tok._regex_arrays(text)


@settings(max_examples=300, deadline=None)
@given(text_strategy)
def test_without_texts_the_bounds_and_flags_are_the_same(text):
    full, bare = tok.token_arrays(text), tok.token_arrays(text, with_texts=False)
    assert bare.texts is None
    assert (bare.starts, bare.ends, bare.flags) == (full.starts, full.ends, full.flags)


def test_same_tokens_on_the_bundled_articles():
    for path in DOCUMENTS.glob("*.txt"):
        text = path.read_text(encoding="utf-8")
        assert tok.token_arrays(text) == tok._regex_arrays(text), path.name


def test_flags_mark_whitespace_after_and_line_breaks_before():
    arrays = tok.token_arrays("One two\n\nthree,four")
    assert arrays.texts == ["One", "two", "three", ",", "four"]
    assert [f & tok.WS_AFTER for f in arrays.flags] == [1, 1, 0, 0, 0]
    assert [bool(f & tok.LINE_BREAK_BEFORE) for f in arrays.flags] == [False, False, True, False, False]


def test_a_text_denser_in_tokens_than_news_grows_the_arrays_and_keeps_every_token():
    # the scanner reserves for a token every four characters and grows; this has one every character
    text = "a," * 50_000 + " U.S. 😀 中文\n" * 100
    arrays = tok.token_arrays(text)
    assert arrays == tok._regex_arrays(text) and len(arrays.flags) == 100_000 + 4 * 100
