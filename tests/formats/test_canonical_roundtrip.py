"""Property: import, export, import, export gives identical files, whatever the text and spans."""
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core.errors import InputError
from annotator.formats import canonical
from annotator.store import Store
from annotator.store.bulk import export_records, import_records

# Emoji (astral, ZWJ), CJK Extension B (astral), combining marks, and every kind of line break.
PIECES = ["a", "Z", " ", "é", "e\u0301", "😀", "👩\u200d👩\u200d👧", "𠮟", "\U0002A6D6", "中", "\n", "\r\n", "\r", "’s", "US$7", "\t"]


@st.composite
def documents(draw):
    text = "".join(draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=40))) + draw(st.sampled_from(["x", "😀"]))
    # offsets into the text as the source has it (before \r\n becomes \n): what another tool would write
    n = len(text)
    spans = []
    for start, length, label in draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(1, 6),
                                                         st.sampled_from(["ORGANISATION", "FIGURE", "NEW"])), max_size=6)):
        end = min(n, start + length)
        if text[start] == "\n" and start and text[start - 1] == "\r":
            continue  # inside a \r\n pair there is no character to start at once it is one \n
        spans.append({"start": start, "end": end, "label": label, "text": text[start:end]})
    return {"text": text, "meta": {"k": draw(st.sampled_from(["v", "ü", "😀"]))}, "spans": spans}


def export(store) -> str:
    out = io.StringIO()
    canonical.write(export_records(store), out)
    return out.getvalue()


def load(store, lines):
    records = [canonical.parse_line(line, "prop", i) for i, line in enumerate(lines, 1)]
    import_records(store, records)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(documents(), min_size=1, max_size=4))
def test_import_export_import_export_is_identical(docs):
    first = Store()
    load(first, [json.dumps(d, ensure_ascii=False) for d in docs])
    exported = export(first)
    for line in exported.splitlines():
        rec = json.loads(line)
        assert "\r" not in rec["text"]
        for s in rec["spans"]:
            assert rec["text"][s["start"]:s["end"]] == s["text"]
    second = Store()
    load(second, exported.splitlines())
    assert export(second) == exported


def test_import_takes_only_our_times_so_the_database_can_be_merged_later(tmp_path):
    """A time in another form, or far ahead, would make a merge of this database refuse it (or let it win
    forever): the import says so first, with the file and line; a missing time is filled in."""
    from annotator.store import Store
    from annotator.transfer import import_paths

    text = "The UNODC met IOM in Bali."
    ok = {"text": text, "spans": [{"start": 4, "end": 9, "label": "ORGANISATION"}]}
    for bad in ("2024-01-01", "9999-12-31T00:00:00.000000+00:00"):
        line = dict(text=text, spans=[{"start": 4, "end": 9, "label": "ORGANISATION", "updated": bad}])
        path = tmp_path / "bad.jsonl"
        path.write_text(json.dumps(ok) + "\n" + json.dumps(line) + "\n", encoding="utf-8")
        store = Store(":memory:")
        with pytest.raises(InputError) as err:
            import_paths(store, [path])
        assert f"{path}, line 2: span 1: updated {bad!r}" in str(err.value) and store.document_count() == 0
    path = tmp_path / "ok.jsonl"
    path.write_text(json.dumps(ok) + "\n", encoding="utf-8")
    store = Store(":memory:")
    import_paths(store, [path])
    assert store.spans(store.document_ids()[0])[0].updated > "2026"


# -- relations and attribute values (issue 14) ------------------------------------------------------------------

T0 = "2026-05-05T10:00:00.000000+00:00"
LINK_TEXT = "China will strengthen cooperation with IOM and UNODC, pledging US$7 billion to 😀 𠮟 people."
LINK_SPANS = [  # (part, label)
    ("China will strengthen cooperation", "COMMITMENT"), ("IOM", "ORGANISATION"), ("UNODC", "ORGANISATION"),
    ("US$7 billion", "FIGURE"), ("pledging", "COMMITMENT"), ("😀 𠮟 people", "FIGURE"),
]
VALUES = {"FIGURE": [("value", st.one_of(st.integers(-10**12, 10**12), st.floats(-1e9, 1e9, allow_nan=False))),
                     ("unit", st.sampled_from(["USD", "people", "délégués 😀"])), ("approximate", st.booleans())],
          "ORGANISATION": [("entity", st.sampled_from(["IOM", "UNODC", "BALI-PROCESS"]))],
          "COMMITMENT": [("kind", st.sampled_from(["pledge", "agreement", "call"]))]}
TIMES = st.sampled_from([T0, "2026-05-05T11:00:00.000000+00:00", "2026-06-01T00:00:00.000001+00:00"])


@st.composite
def linked_documents(draw):
    """A document line with spans of two reviewers, relations between spans of one reviewer (a type of the scheme
    for its labels, or one the database does not have), attribute values of the scheme, some of them deleted, and
    a gold layer with its relations and attributes."""
    spans, relations = [], []
    for who in draw(st.lists(st.sampled_from(["ana", "bo"]), min_size=1, max_size=2, unique=True)):
        mine = []
        for n, (part, label) in enumerate(LINK_SPANS):
            if not draw(st.booleans()):
                continue
            start = LINK_TEXT.index(part)
            span = {"id": f"{who}-{n}", "start": start, "end": start + len(part), "label": label, "text": part,
                    "annotator": who, "note": "", "created": T0, "updated": T0}
            values = {}
            for name, strategy in VALUES[label]:
                if draw(st.booleans()):
                    values[name] = {"value": draw(strategy), "proposed": draw(st.booleans()), "updated": draw(TIMES)}
                    if draw(st.integers(0, 4)) == 0:
                        values[name]["deleted"] = values[name]["updated"]
            if values:
                span["attributes"] = dict(sorted(values.items()))
            mine.append(span)
        spans += mine
        for head in mine:
            for child in mine:
                if head is child or not draw(st.integers(0, 2)) == 0:
                    continue
                kind = {"ORGANISATION": "ACTOR", "FIGURE": "AMOUNT"}.get(child["label"])
                rel_type = kind if head["label"] == "COMMITMENT" and kind and draw(st.booleans()) else "LINKED_TO"
                rel = {"id": f"r-{head['id']}-{child['id']}", "head": head["id"], "child": child["id"],
                       "type": rel_type, "annotator": who, "created": T0, "updated": draw(TIMES)}
                if draw(st.integers(0, 4)) == 0:
                    rel["deleted"] = rel["updated"]
                relations.append(rel)
    spans.sort(key=lambda s: (s["start"], -s["end"], s["label"], s["annotator"], s["id"]))
    line = {"text": LINK_TEXT, "spans": spans, "reviews": [], "relations": relations}
    gold = [dict({k: v for k, v in s.items() if k != "annotator"}, id=f"g{s['id']}", curator="cur",
                 sources=[s["id"]]) for s in spans if s["annotator"] == spans[0]["annotator"]] if spans else []
    if gold:
        ids = {g["sources"][0]: g["id"] for g in gold}
        line["gold"] = gold
        line["gold_relations"] = [
            {"id": "g" + r["id"], "head": ids[r["head"]], "child": ids[r["child"]], "type": r["type"],
             "curator": "cur", "sources": [r["id"]], "created": T0, "updated": r["updated"]}
            for r in relations if r["head"] in ids and r["child"] in ids and "deleted" not in r]
    return line


def _shown(line: dict) -> dict:
    """What a plain export keeps of a line: no tombstones, no relation to a deleted span."""
    keep = dict(line)
    keep["spans"] = [dict(s, attributes={k: v for k, v in s.get("attributes", {}).items() if "deleted" not in v})
                     for s in line["spans"]]
    for s in keep["spans"]:
        if not s["attributes"]:
            del s["attributes"]
    keep["relations"] = [r for r in line["relations"] if "deleted" not in r]
    return keep


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(linked_documents())
def test_relations_and_attributes_survive_import_and_export_unchanged(line):
    class WithTombstones:
        include_deleted = True

    from annotator.store.bulk import ExportFilter

    first = Store()
    load(first, [json.dumps(line, ensure_ascii=False)])
    out = io.StringIO()
    canonical.write(export_records(first, ExportFilter(include_deleted=True)), out, WithTombstones())
    exported_line = json.loads(out.getvalue())
    # lossless: every relation and attribute value as it was written, tombstones included
    by_time = sorted(line["relations"], key=lambda r: (r["created"], r["id"]))
    assert exported_line.get("relations", []) == by_time
    assert [s.get("attributes") for s in exported_line["spans"]] == [s.get("attributes") for s in line["spans"]]
    assert exported_line.get("gold_relations", []) == sorted(line.get("gold_relations", []),
                                                             key=lambda r: (r["created"], r["id"]))
    assert [s.get("attributes") for s in exported_line.get("gold", [])] == [
        s.get("attributes") for s in line.get("gold", [])]
    # and a second database made from the export exports the same bytes
    second = Store()
    load(second, out.getvalue().splitlines())
    again = io.StringIO()
    canonical.write(export_records(second, ExportFilter(include_deleted=True)), again, WithTombstones())
    assert again.getvalue() == out.getvalue()
    # a plain export (the one people diff) leaves the tombstones out
    plain = json.loads(export(second))
    assert plain.get("relations", []) == sorted(_shown(line)["relations"], key=lambda r: (r["created"], r["id"]))
    assert [s.get("attributes") for s in plain["spans"]] == [s.get("attributes") for s in _shown(line)["spans"]]


def _line(**changes) -> str:
    ids = ["c", "o"]
    line = {"text": LINK_TEXT, "spans": [
        {"id": ids[0], "start": 0, "end": 33, "label": "COMMITMENT", "annotator": "ana"},
        {"id": ids[1], "start": 39, "end": 42, "label": "ORGANISATION", "annotator": "ana",
         "attributes": {"entity": {"value": "IOM"}}}],
        "relations": [{"head": "c", "child": "o", "type": "ACTOR"}]}
    for path, value in changes.items():
        target = line
        *parents, last = path.split("__")
        for key in parents:
            target = target[int(key) if key.isdigit() else key]
        target[last] = value
    return json.dumps(line, ensure_ascii=False)


@pytest.mark.parametrize("changes, message", [
    ({"relations__0__head": "x"}, "relation 1: its head 'x' is not the id of a span of this document"),
    ({"relations__0__child": "c"}, "relation 1 joins a span to itself"),
    ({"relations__0__type": 7}, "relation 1: 'type' must be a non-empty string, got 7"),
    ({"relations__0__annotator": "bo"}, "relation 1 is bo's but joins spans of ana"),
    ({"relations__0__colour": "red"}, "unknown key 'colour' in relation 1"),
    ({"relations__0__updated": "9999-01-01T00:00:00.000000+00:00"}, "relation 1: updated '9999-01-01T00:00:00"),
    ({"relations": {"head": "c"}}, "'relations' must be a list"),
    ({"relations": ["c"]}, "relation 1 must be a JSON object"),
    ({"gold_relations": [{"head": "c", "child": "o", "type": "ACTOR"}]},
     "gold relation 1: its head 'c' is not the id of a gold span of this document"),
    ({"spans__1__attributes": ["IOM"]}, "span 2: 'attributes' must be an object from attribute names to values"),
    ({"spans__1__attributes": {"entity": "IOM"}}, "span 2: attribute 'entity' must be an object"),
    ({"spans__1__attributes": {"entity": {"value": ["IOM"]}}}, "its value must be text, a number or true/false"),
    ({"spans__1__attributes": {"entity": {}}}, "span 2: attribute 'entity' has no 'value'"),
    ({"spans__1__attributes": {"entity": {"value": "IOM", "proposed": "yes"}}}, "'proposed' must be true or false"),
    ({"spans__1__attributes": {"entity": {"value": "not an id"}}}, "an entity id is 1 to 64 letters"),
    ({"spans__1__attributes": {"colour": {"value": "red"}}}, "ORGANISATION has no attribute 'colour'"),
    ({"spans__0__attributes": {"kind": {"value": "promise"}}}, "COMMITMENT.kind is one of pledge, agreement"),
    ({"relations__0__type": "AMOUNT"}, None),  # between labels AMOUNT does not connect: dropped and counted
])
def test_a_malformed_relation_or_attribute_in_a_line_is_refused_in_one_line(tmp_path, changes, message):
    from annotator.transfer import import_paths

    path = tmp_path / "in.jsonl"
    path.write_text(_line() + "\n" + _line(**changes) + "\n", encoding="utf-8")
    store = Store()
    if message is None:
        report = import_paths(store, [path])
        assert "1 relation(s) between labels their type does not connect: not imported" in report.lines()
        return
    with pytest.raises(InputError) as err:
        import_paths(store, [path])
    assert str(err.value).startswith(f"{path}, line 2: ") and message in str(err.value), str(err.value)
    assert "\n" not in str(err.value)
    assert store.document_count() == 0 and store.conn.execute("SELECT count(*) FROM relations").fetchone()[0] == 0
