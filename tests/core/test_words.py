"""Words as a reviewer sees them: names across hyphens whole, brackets and quotes as one step."""
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.words import snap_to_words, step

T = 'the International Organization for Migration (IOM), said Ban Ki-moon and Al-Nasser: “stay whole” [a [b] c]'


def grow(text, phrase, edge, direction, times=1):
    a = text.index(phrase)
    span = (a, a + len(phrase))
    for _ in range(times):
        span = step(text, *span, edge, direction)
    return text[span[0]:span[1]]


def test_a_step_takes_a_bracketed_group_whole():
    assert grow(T, "for Migration", "end", 1) == "for Migration (IOM)"
    assert grow(T, "for Migration", "end", 1, 2) == "for Migration (IOM),"
    assert grow(T, ", said", "start", -1) == "(IOM), said"
    assert grow(T, "and Al-Nasser:", "end", 1) == "and Al-Nasser: “stay whole”"
    assert grow(T, "whole” [a", "end", 1) == "whole” [a [b]"  # an unclosed group's inner pair
    assert grow(T, "c]", "start", -1) == "[b] c]"


def test_hyphenated_names_are_one_step_and_shrinking_undoes_growing():
    assert grow(T, "Ban", "end", 1) == "Ban Ki-moon"
    assert grow(T, "Ban Ki-moon", "end", -1) == "Ban"
    assert grow(T, "Ki-moon and", "start", 1) == "and"
    assert grow(T, "Al-Nasser", "end", -1) == "Al-Nasser"  # one word: never shrunk to nothing


def test_snapping_takes_a_name_across_its_hyphen():
    a = T.index("Al-Nasser")
    for end in range(a + 1, a + len("Al-Nasser")):
        assert T[slice(*snap_to_words(T, a, end))] == "Al-Nasser"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab -()“”\n,'", max_size=40), st.integers(0, 40), st.integers(1, 40),
       st.sampled_from([("start", -1), ("start", 1), ("end", -1), ("end", 1)]))
def test_a_step_never_empties_a_span_or_leaves_the_text(text, start, length, move):
    start = min(start, len(text))
    end = min(len(text), start + length)
    if start >= end:
        return
    a, b = step(text, start, end, *move)
    assert 0 <= a < b <= len(text)
    if move in (("start", -1), ("end", 1)):
        assert a <= start and b >= end
    else:
        assert start <= a and b <= end
