from hypothesis import given
from hypothesis import strategies as st

from annotator.core.offsets import OffsetMap

CHARS = st.sampled_from(["a", "\n", "😀", "𠮟", "e\u0301", "中", "\U0002A6D6", "👩\u200d👧"])


@given(st.lists(CHARS, max_size=30).map("".join))
def test_round_trip_matches_utf16(text):
    m = OffsetMap(text)
    utf16 = text.encode("utf-16-le")
    assert m.qt_length() == len(utf16) // 2
    for i in range(len(text) + 1):
        q = m.to_qt(i)
        assert utf16[: 2 * q].decode("utf-16-le") == text[:i]
        assert m.from_qt(q) == i


def test_position_inside_a_surrogate_pair_falls_to_the_character_start():
    m = OffsetMap("a😀b")
    assert [m.from_qt(q) for q in range(5)] == [0, 1, 1, 2, 3]
