"""The one tokenizer: code-point offsets, numbers and currency whole, possessives split, CJK per character."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.tokenize import snap_to_tokens, token_bounds, tokenize
from tests.conftest import DOCUMENTS


def texts(s):
    return [t.text for t in tokenize(s)]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("The European Union’s US$7 billion", ["The", "European", "Union", "’s", "US$7", "billion"]),
        ("2.4 million, 1,200 and 90,000 in 2011.", ["2.4", "million", ",", "1,200", "and", "90,000", "in", "2011", "."]),
        ("$7 and €30.5 or 7%", ["$7", "and", "€30.5", "or", "7", "%"]),
        ("the U.S. and the U.N. said", ["the", "U.S.", "and", "the", "U.N.", "said"]),
        ("IOM's (deputy director-general)", ["IOM", "'s", "(", "deputy", "director", "-", "general", ")"]),
        ("G20 members, the 1990’s", ["G20", "members", ",", "the", "1990", "’s"]),
        ("“Quoted” — end…", ["“", "Quoted", "”", "—", "end", "…"]),
        ("東京で𠮟られた", ["東", "京", "で", "𠮟", "ら", "れ", "た"]),
        ("e\u0301te\u0301 cafe\u0301", ["e\u0301te\u0301", "cafe\u0301"]),
        ("hi 😀👩\u200d👩\u200d👧 🇫🇷👍🏽!", ["hi", "😀", "👩\u200d👩\u200d👧", "🇫🇷", "👍🏽", "!"]),
        ("a\n\nb\tc", ["a", "b", "c"]),
    ],
)
def test_tokens(text, expected):
    assert texts(text) == expected


def test_offsets_are_code_points_and_ws_is_set():
    text = "𠮟 IOM’s\nplan"
    toks = tokenize(text)
    assert [(t.start, t.end, t.ws) for t in toks] == [(0, 1, True), (2, 5, False), (5, 7, True), (8, 12, False)]
    assert all(text[t.start:t.end] == t.text for t in toks)


@pytest.mark.parametrize(
    "start,end,expected",
    [(8, 12, "wonderful"), (0, 2, "Hello"), (7, 21, "wonderful world"), (3, 8, "Hello wonderful"),
     (5, 7, "wonderful"), (24, 25, "US$7")],
)
def test_snapping_widens_to_words_and_drops_whitespace(start, end, expected):
    text = "Hello wonderful world, US$7 bn"
    s, e = snap_to_tokens(text, start, end)
    assert text[s:e] == expected


def test_snapping_whitespace_only_is_left_alone():
    assert snap_to_tokens("a   b", 1, 3) == (1, 3)


def test_snapping_inside_cjk_keeps_the_characters():
    text = "東京で𠮟られた"
    assert snap_to_tokens(text, 1, 4) == (1, 4)


PIECES = ["a", "Zz", " ", "\n", "\t", "é", "e\u0301", "😀", "👩\u200d👧", "𠮟", "中", ".", ",", "’s", "US$7", "2.4", "-", "U.S."]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join), st.data())
def test_invariants(text, data):
    toks = tokenize(text)
    covered = set()
    prev_end = 0
    for t in toks:
        assert prev_end <= t.start < t.end and text[t.start:t.end] == t.text
        assert not any(c.isspace() for c in t.text)
        assert t.ws == (t.end < len(text) and text[t.end].isspace())
        covered.update(range(t.start, t.end))
        prev_end = t.end
    assert covered == {i for i, c in enumerate(text) if not c.isspace()}
    # a ZWJ sequence and a base with its combining mark are never split
    starts, ends = token_bounds(text)
    for i, c in enumerate(text):
        if c in "\u200d\u0301":
            assert i not in starts
    if text:
        a = data.draw(st.integers(0, len(text) - 1))
        b = data.draw(st.integers(a + 1, len(text)))
        s, e = snap_to_tokens(text, a, b)
        if text[a:b].strip():
            assert s in starts and e in ends and s <= max(a, s) and text[s:e] == text[s:e].strip()


def test_bundled_articles():
    articles = sorted(DOCUMENTS.glob("*.txt"))
    assert len(articles) == 5
    everything = []
    for path in articles:
        text = path.read_text(encoding="utf-8")
        toks = tokenize(text)
        assert all(text[t.start:t.end] == t.text and t.text.strip() == t.text for t in toks)
        everything += [t.text for t in toks]
    # figures the guidelines name stay whole; possessives split off
    assert {"2.4", "350", "90", "US$7", "470,000"} <= set(everything)
    assert "’s" in everything or "'s" in everything
    assert not [w for w in everything if w.endswith(("’s", "'s")) and len(w) > 2]
