"""A file holding one JSON array (a Label Studio export) is read an item at a time: the same items json.load
gives, whatever the chunk boundaries, and bad JSON named by line."""
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.errors import InputError
from annotator.formats.common import json_array_items

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=False, allow_infinity=False),
                    st.text(alphabet=st.sampled_from(list('ab"\\\\[]{},: \n\t😀中é\u2028')), max_size=12))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                      st.dictionaries(st.text(max_size=5), inner, max_size=4)),
                      max_leaves=12)


def read(path, chunk):
    out = list(json_array_items(path, chunk=chunk))
    errors = [x for x in out if isinstance(x, InputError)]
    if errors:
        raise errors[0]
    return [item for _, item in out]


@settings(max_examples=300, deadline=None)
@given(st.lists(values, max_size=8), st.sampled_from([None, 1, 2]), st.sampled_from([1, 3, 16, 1 << 20]))
def test_the_same_items_as_json_load_whatever_the_chunks(tmp_path_factory, items, indent, chunk):
    path = tmp_path_factory.mktemp("j") / "a.json"
    path.write_text(json.dumps(items, indent=indent, ensure_ascii=False), encoding="utf-8")
    assert read(path, chunk) == json.loads(path.read_text(encoding="utf-8"))


def test_line_numbers_of_items_and_of_errors(tmp_path):
    path = tmp_path / "a.json"
    path.write_text('[\n {"a": 1},\n\n {"b": [1,\n 2]},\n 3\n]\n')
    assert [line for line, _ in json_array_items(path, chunk=4)] == [2, 4, 6]
    cases = {
        '[\n {"a": 1}\n {"b": 2}\n]': "line 3: malformed JSON: expected ',' or ']', found '{'",
        '[\n {"a": 1},\n {"b": }\n]': "line 3: malformed JSON: Expecting value",
        '[\n {"a": 1},\n {"b": 2': "line 3: malformed JSON: the file ends inside an item",
        '{"data": {"text": "x"}}': "line 1: malformed JSON: expected a JSON array, found '{'",
        '[1, 2] x': "line 1: malformed JSON: 'x' after the array",
    }
    for text, message in cases.items():
        path.write_text(text)
        with pytest.raises(InputError, match=message.replace("[", r"\[").replace("]", r"\]").replace("(", r"\(")):
            read(path, 5)


def test_bad_utf8_is_named_by_byte_and_a_bom_is_allowed(tmp_path):
    path = tmp_path / "a.json"
    path.write_bytes(b'[{"text": "caf\xe9"}]')
    with pytest.raises(InputError, match="not valid UTF-8 at byte 14"):
        read(path, 4)
    path.write_bytes(b'\xef\xbb\xbf[{"text": "ok"}]')
    assert read(path, 4) == [{"text": "ok"}]


def test_memory_holds_a_chunk_not_the_file(tmp_path):
    import tracemalloc

    def peak_for(n):
        path = tmp_path / f"{n}.json"
        with open(path, "w", encoding="utf-8") as fh:
            fh.write("[" + ",".join(json.dumps({"data": {"text": f"Article {i}: " + "words " * 500}}) for i in range(n)) + "]")
        tracemalloc.start()
        for _ in json_array_items(path, chunk=1 << 16):
            pass
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak

    small, large = peak_for(100), peak_for(2000)  # 0.3 MB and 6 MB of JSON
    assert large < small * 1.5, (small, large)
