"""The compiled walk over a Label Studio task's results (annotator/formats/_labelstudio_regions.c) gives what
parse_task's Python walk gives for the same task: the same record (spans, offsets converted from UTF-16, reviewers,
notes, the relations and values joined to them), the same count of results not imported, or the same one-line
refusal."""
import copy

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from annotator.core.errors import InputError
from annotator.formats import labelstudio
from annotator.formats.common import utf16_offsets

texts = st.lists(st.sampled_from(["a", "b", " ", "😀", "😀", "𠀀", "UNODC", "é", "\n", "\r\n"]), min_size=1,
                 max_size=12).map("".join).filter(str.strip)
odd = st.sampled_from([None, True, "3", 2**70, -1, 3.0, [1]])
good_labels, any_labels = [["ORG"], ["ORG", "FIGURE"]], [[], None, "ORG", [" ORG"], [5], ["\ud800"]]
good_metas = [None, {}, {"text": ["a note"]}, {"text": "a note"}, {"text": []}, {"text": [""]}, {"text": "😀"},
              {"other": 1}]
any_metas = [{"text": [5]}, {"text": 0}, {"text": [["x"]]}, "note", 0, []]
good_whos = [None, 1, "a@b.net", "carol@annotator", {"email": "x@y"}, {"id": 4}, True, ""]
any_whos = [[1], 1.5, {"email": ["x"]}]
others = st.sampled_from([5, "x", None, {"type": "relation", "from_id": "r0", "to_id": "r1"},
                          {"type": "choices", "value": {"choices": ["x"]}}, {"value": 5}, {"value": {"start": 1}},
                          {"type": "textarea", "value": {"text": ["t"]}}])


FAULTS = ["unit", "stated", "labels", "kind", "meta", "who", "result", "annotation", "kept"]


def pick(draw, good: list, bad: list, fault: str | None, what: str):
    """One of ``good``, or now and then one of ``bad`` when ``what`` is the task's ``fault``: one kind of fault a
    task, so that it is not hidden behind another that the Python walk would name first."""
    return draw(st.sampled_from(bad if fault == what and draw(st.sampled_from([False, False, True])) else good))


@st.composite
def regions(draw, text: str, fault: str | None):
    """A labels region over ``text``: in code points or UTF-16 units, its text stated or not, a note or none; now and
    then, in the field that is the task's ``fault``, a value of another type or meaning (what the Python walk refuses,
    counts, joins or keeps as it is)."""
    n, table = len(text), utf16_offsets(text)
    a = draw(st.integers(0, n - 1))
    b = draw(st.integers(a + 1, n))
    unit = pick(draw, ["code points", "utf-16"], ["any", "odd", "inside a pair", "inside a pair"], fault, "unit")
    start, end = {"code points": (a, b), "utf-16": (table[a], table[b]),
                  "any": (draw(st.integers(-2, n + 3)), draw(st.integers(-2, n + 3))),
                  "odd": (draw(odd), b),
                  # UTF-16 units between the two halves of an astral character: no code point is there
                  "inside a pair": (table[a] + (table[a + 1] - table[a] - 1), table[b] - (table[b] - table[b - 1] - 1)
                                    if draw(st.booleans()) else table[b] - 1)}[unit]
    value = {"start": start, "end": end}
    stated = pick(draw, ["right", "right", "none"], ["wrong", "number"], fault, "stated")
    if stated != "none":
        value["text"] = {"right": text[a:b], "wrong": text[a:b] + "x", "number": 5}[stated]
    where = draw(st.sampled_from(["labels", "labels", "hypertextlabels", "both"]))
    if where in ("labels", "both"):
        value["labels"] = pick(draw, good_labels, any_labels, fault, "labels")
    if where in ("hypertextlabels", "both"):
        value["hypertextlabels"] = pick(draw, good_labels, any_labels, fault, "labels")
    # a region's choices, number or text area (Label Studio's per-region controls) carry its offsets too, and a
    # relation could: joined to the regions by the Python walk (labelstudio_links), never taken for a region
    kind = pick(draw, ["labels", "labels", "hypertextlabels", None], ["choices", "number", "textarea", "relation", 5],
                fault, "kind")
    result = {"value": value} if kind is None else {"type": kind, "value": value}
    if kind in ("choices", "number", "textarea"):
        value.update({"choices": {"choices": ["big"]}, "number": {"number": 3}, "textarea": {"text": ["t"]}}[kind])
    if draw(st.booleans()):
        result["id"] = draw(st.sampled_from(["r0", "r1", "r2", 7]))
    meta = pick(draw, good_metas, any_metas, fault, "meta")
    if meta is not None:
        result["meta"] = meta
    return result


@st.composite
def tasks(draw):
    """Mostly tasks whose every result is a plain region (the compiled walk's case); one in three with one kind of
    fault (FAULTS): results that are not regions or not region-shaped, fields of other types, annotations that are
    not objects."""
    text = draw(texts)
    fault = None if draw(st.integers(0, 2)) else draw(st.sampled_from(FAULTS))
    annotations = []
    for _ in range(draw(st.integers(1, 3))):
        results = draw(st.lists(st.one_of(regions(text, fault), others) if fault == "result" else regions(text, fault),
                                min_size=1, max_size=5))
        annotation = {"result": pick(draw, [results], [None, 5, {}], fault, "result")}
        who = pick(draw, good_whos, any_whos, fault, "who")
        if who is not None:
            annotation["completed_by"] = who
        if draw(st.integers(0, 5)) == 0:
            annotation["was_cancelled"] = True
        annotations.append(pick(draw, [annotation], ["not an annotation"], fault, "annotation"))
    task = {"data": {"text": text, "title": "t"}, "annotations": annotations}
    if draw(st.booleans()):
        task["predictions"] = [{"model_version": draw(st.sampled_from([None, "", "v2", 3])),
                                "result": draw(st.lists(regions(text, fault), max_size=3))}]
    kept = pick(draw, [None, {"alice": ["r0"], "bob": ["r1", "r2"]}], [{"alice": "r0"}, []], fault, "kept")
    if kept is not None:
        task["meta"] = {"annotator_reviewers": kept}
    if draw(st.booleans()):
        task["id"] = 9
    return task


def _outcome(task):
    counts = {}
    try:
        record = labelstudio.parse_task(copy.deepcopy(task), "importer", 3, counts)
    except InputError as exc:
        return f"refused: {exc}", counts
    return (record.document, record.spans, record.relations, record.attributes), counts


def test_the_test_environment_runs_the_compiled_walk():
    assert labelstudio._region_spans is not None, "_labelstudio_regions.c was not built"


def _task(text: str, start, end, stated) -> dict:
    return {"data": {"text": text}, "annotations": [{"result": [
        {"value": {"start": start, "end": end, "text": stated, "labels": ["ORG"]}}]}]}


@settings(max_examples=200, deadline=None)
@given(tasks())
@example(_task("a😀b", 2, 4, "😀b"))  # UTF-16 2 is inside the emoji: refused, never moved to its start
@example(_task("a😀b", 0, 2, "a😀"))  # ... and 2 as an end
@example(_task("😀 ab", 0, 5, "😀 ab"))  # a UTF-16 end past the code points: converted, not cut by the slice
@example({"data": {"text": "ab UNODC"}, "annotations": [{"result": [  # a region's choices, with its offsets and labels
    {"id": "r0", "type": "labels", "value": {"start": 3, "end": 8, "text": "UNODC", "labels": ["ORG"]}},
    {"id": "r0", "type": "choices", "value": {"start": 3, "end": 8, "text": "UNODC", "labels": ["ORG"],
                                              "choices": ["big"]}}]}]})
def test_same_record_counts_or_refusal_as_the_python_walk(task):
    compiled = _outcome(task)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(labelstudio, "_region_spans", None)
        reference = _outcome(task)
    assert compiled == reference


def test_a_plain_task_takes_the_compiled_walk():
    """Regions in UTF-16 units after an emoji, in code points, named by the task's meta, with a note: all plain."""
    text = "😀 UNODC and 𠀀 IOM"
    task = {"data": {"text": text}, "meta": {"annotator_reviewers": {"alice": ["a"]}}, "annotations": [
        {"completed_by": 3, "result": [
            {"id": "a", "value": {"start": 3, "end": 8, "text": "UNODC", "labels": ["ORG"]}, "meta": {"text": ["n"]}},
            {"id": "b", "value": {"start": 16, "end": 19, "text": "IOM", "labels": ["ORG", "FIGURE"]}}]}]}
    groups = [(a, None) for a in task["annotations"]]
    spans = labelstudio._plain_spans(task["data"], groups, labelstudio._reviewers(task), "importer")
    assert spans == [(2, 7, "ORG", "UNODC", "alice", "n"), (14, 17, "ORG", "IOM", "labelstudio-user-3", ""),
                     (14, 17, "FIGURE", "IOM", "labelstudio-user-3", "")]
    assert [text[a:b] for a, b, *_ in spans] == ["UNODC", "IOM", "IOM"]
