"""The compiled hook that turns JSON objects into dicts (annotator/formats/_json_objects.c) gives what the Python
reference (json_reading._object) gives: the same dict, or the same refusal of a key that appears twice, wherever the
object sits."""
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.errors import InputError
from annotator.formats import common, json_reading

keys = st.sampled_from(["start", "end", "text", "labels", "a", "é", "😀", "", "\\u0073tart"])
values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                      lambda inner: st.lists(inner, max_size=3) | st.lists(st.tuples(keys, inner), max_size=4),
                      max_leaves=12)


def _json(value) -> str:
    """``value`` as JSON, with a list of (key, value) pairs written as an object: keys may repeat."""
    if isinstance(value, list) and value and all(isinstance(v, tuple) for v in value):
        return "{" + ",".join(f'"{k}":{_json(v)}' for k, v in value) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_json(v) for v in value) + "]"
    return json.dumps(value)


def _outcome(decoder, text):
    try:
        return decoder.decode(text)
    except common.JSONRefused as exc:
        return f"refused: {exc}"


def test_the_test_environment_runs_the_compiled_hook():
    assert json_reading.DECODER.object_pairs_hook is not json_reading._object, "_json_objects.c was not built"


@settings(max_examples=500, deadline=None)
@given(values)
def test_same_objects_and_refusals_as_the_python_hook(value):
    text = _json(value)
    reference = json.JSONDecoder(object_pairs_hook=json_reading._object, parse_constant=json_reading._constant)
    assert _outcome(json_reading.DECODER, text) == _outcome(reference, text)


def test_a_repeated_key_is_refused_with_the_key_named():
    with pytest.raises(InputError, match="the key 'start' appears twice in one object"):
        common.loads('{"value": {"start": 0, "end": 5, "start": 1}}')
    assert common.loads('{"value": {"start": 0, "end": 5}, "start": 1}') == {"value": {"start": 0, "end": 5},
                                                                            "start": 1}
