"""Issue 14: an attribute a peer's file has that the database's scheme lacks. A label the database lacks comes in
and is added to the label set, said in the report; an attribute now does the same: imported, added to the scheme
with a type read from its values (a flag, a number, a choice of the values seen, a text), said in the report, and
taken under --strict as unknown labels are (nothing is lost)."""
from __future__ import annotations

import json

from annotator.store import Store
from annotator.transfer import import_paths

TEXT = "UNODC helps IOM. IOM helps UNODC.\n"


def brat_folder(tmp_path):
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    (folder / "a.ann").write_text(
        "T1\tORGANISATION 0 5\tUNODC\nT2\tORGANISATION 12 15\tIOM\nT3\tLOCATION 17 20\tIOM\n"
        "A1\tNegated T1\nA2\tConfidence T1 High\nA3\tConfidence T2 Low\nA4\tConfidence T3 High\n", encoding="utf-8")
    return folder


def defs(store):
    return {(d.label, d.name): (d.type, d.choices) for d in store.attribute_defs()}


def test_a_brat_a_line_with_an_attribute_not_in_the_scheme_is_imported_and_its_definition_added(tmp_path):
    store = Store(tmp_path / "db.db")
    before = defs(store)
    report = import_paths(store, [brat_folder(tmp_path)], fmt="brat", annotator="ana")
    added = {k: v for k, v in defs(store).items() if k not in before}
    assert added == {("ORGANISATION", "Negated"): ("bool", ()),
                     ("ORGANISATION", "Confidence"): ("choice", ("High", "Low")),
                     ("LOCATION", "Confidence"): ("choice", ("High",))}
    doc = store.list_documents()[0].id
    got = sorted((store.span(a.span_id).text, a.name, a.value) for a in store.attributes(doc))
    assert got == [("IOM", "Confidence", "High"), ("IOM", "Confidence", "Low"), ("UNODC", "Confidence", "High"),
                   ("UNODC", "Negated", True)]
    said = next(n for n in report.notes if n.startswith("new attribute(s) added to the scheme"))
    assert "ORGANISATION.Negated (bool)" in said and "ORGANISATION.Confidence (choice: High, Low)" in said
    assert not any("not in the database's scheme" in n for n in report.notes)
    # the values are the scheme's now: set and checked like any other
    unodc = next(s for s in store.spans(doc) if s.text == "UNODC")
    store.set_attribute(unodc.id, "Confidence", "Low")
    # a second import of the same folder adds nothing more to the scheme
    (tmp_path / "again").mkdir()
    report = import_paths(store, [brat_folder(tmp_path / "again")], fmt="brat", annotator="bo")
    assert not any(n.startswith("new attribute(s)") for n in report.notes)
    assert defs(store)[("ORGANISATION", "Confidence")] == ("choice", ("High", "Low"))


def test_label_studio_per_region_values_not_in_the_scheme_come_in_typed_and_strict_takes_them(tmp_path):
    regions = [{"id": "a", "from_name": "label", "to_name": "text", "type": "labels",
                "value": {"start": 0, "end": 5, "text": "UNODC", "labels": ["ORGANISATION"]}},
               {"id": "b", "from_name": "label", "to_name": "text", "type": "labels",
                "value": {"start": 12, "end": 15, "text": "IOM", "labels": ["ORGANISATION"]}},
               {"id": "a", "from_name": "staff", "to_name": "text", "type": "number", "value": {"number": 120}},
               {"id": "b", "from_name": "staff", "to_name": "text", "type": "number", "value": {"number": 4.5}},
               {"id": "a", "from_name": "verified", "to_name": "text", "type": "choices",
                "value": {"choices": ["true"]}},
               {"id": "b", "from_name": "verified", "to_name": "text", "type": "choices",
                "value": {"choices": ["false"]}},
               {"id": "b", "from_name": "remark", "to_name": "text", "type": "textarea",
                "value": {"text": ["check <b>this</b>"]}}]
    path = tmp_path / "t.json"
    path.write_text(json.dumps([{"data": {"text": TEXT}, "annotations": [{"result": regions}]}]), encoding="utf-8")
    store = Store(tmp_path / "db.db")
    report = import_paths(store, [path], fmt="labelstudio", annotator="ana", strict=True)
    assert {k: v for k, v in defs(store).items() if k[1] in ("staff", "verified", "remark")} == {
        ("ORGANISATION", "staff"): ("number", ()), ("ORGANISATION", "verified"): ("bool", ()),
        ("ORGANISATION", "remark"): ("text", ())}
    doc = store.list_documents()[0].id
    got = sorted((store.span(a.span_id).text, a.name, a.value) for a in store.attributes(doc))
    assert got == [("IOM", "remark", "check <b>this</b>"), ("IOM", "staff", 4.5), ("IOM", "verified", False),
                   ("UNODC", "staff", 120), ("UNODC", "verified", True)]
    assert any("ORGANISATION.staff (number)" in n for n in report.notes)
