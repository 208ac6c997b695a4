"""The compiled loop that makes a record's spans (annotator/formats/_span_records.c) gives what make_record's Python
loop gives for the same spans: the same Spans, ids and all, or the same one-line refusal of the same span."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.errors import InputError
from annotator.formats import common

texts = st.lists(st.sampled_from(list("ab Z,.\n\u00e9\ufeff") + ["\U0001F600", "UNODC", "  "]), min_size=1,
                 max_size=30).map("".join).filter(str.strip)
offsets = st.one_of(st.integers(-2, 40), st.booleans(), st.none(), st.just(2**70))
labels = st.sampled_from(["ORG", "FIGURE", "É", " ORG", "", "x" * 65, "\ud800", None, 5])
whos = st.sampled_from(["ann", "", None, 0, "b\ud800", "émile", 7])
notes = st.sampled_from(["", None, "a note", 0, "\U0001F600"])


def _outcome(text, spans, annotator):
    try:
        return common.make_record(text, spans, annotator=annotator)
    except InputError as exc:
        return f"refused: {exc}"


def test_the_test_environment_runs_the_compiled_loop():
    assert common._make_spans is not None, "_span_records.c was not built"


@settings(max_examples=400, deadline=None)
@given(texts, st.data(), st.sampled_from(["", "alice"]))
def test_same_spans_or_refusal_as_the_python_loop(text, data, annotator):
    n = len(text)
    good = st.tuples(st.integers(0, n - 1), st.integers(1, n)).filter(lambda b: b[0] < b[1])
    spans = []
    for (a, b), stated_kind in data.draw(st.lists(st.tuples(good, st.sampled_from(["none", "right", "wrong", "cr"])),
                                                  max_size=6)):
        stated = {"none": None, "right": text[a:b], "wrong": text[a:b] + "x", "cr": text[a:b] + "\r"}[stated_kind]
        spans.append((a, b, data.draw(st.sampled_from(["ORG", "FIGURE", "É"])), stated, data.draw(whos),
                      data.draw(notes)))
    if data.draw(st.booleans()):  # one span of anything at all
        spans.insert(data.draw(st.integers(0, len(spans))), (data.draw(offsets), data.draw(offsets),
                                                             data.draw(labels), None, data.draw(whos),
                                                             data.draw(notes)))
    size = data.draw(st.integers(3, 7))  # readers give 3 to 7 fields; the 7th, an id, is not the compiled case
    spans = [span[:size] + ((None,) if size == 7 else ()) for span in spans]
    compiled = _outcome(text, list(spans), annotator)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(common, "_make_spans", None)
        reference = _outcome(text, list(spans), annotator)
    if isinstance(reference, str):
        assert compiled == reference
    else:
        assert compiled.spans == reference.spans and compiled.document == reference.document


def test_a_plain_task_takes_the_compiled_loop_and_gets_the_derived_ids():
    text = "UNODC and IOM met. 😀 UNODC"
    spans = [(0, 5, "ORG", "UNODC", "", None), (21, 26, "ORG", None, "bob", "n")]
    rec = common.make_record(text, spans)
    head = common._NAMESPACE_BYTES + f"{rec.document.id}:".encode()
    assert common._make_spans(common.Span, text, rec.document.id, head, spans, {"ORG"}, "import") == rec.spans
    assert [(s.start, s.end, s.text, s.annotator, s.note) for s in rec.spans] == [
        (0, 5, "UNODC", "import", ""), (21, 26, "UNODC", "bob", "n")]
    assert [s.id for s in rec.spans] == [common.derived_span_id(rec.document.id, s.start, s.end, s.label,
                                                                s.annotator, 1) for s in rec.spans]
