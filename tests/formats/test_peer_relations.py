"""Relations, span attributes and entity links in the peer formats (issue 14): the peers' own files bring their
relations in, each format writes ours and reads them back, and what a file gets wrong is refused in one line
naming the file, the line or record and what is wrong."""
import json
from pathlib import Path

import pytest

from annotator.core.errors import InputError
from annotator.formats import Options, brat, doccano, labelstudio, spacy_jsonl
from annotator.formats.common import make_record
from annotator.formats.labelstudio_links import labeling_config
from annotator.formats.links import Links
from annotator.core.relation_scheme import default_attribute_defs, default_relation_types
from annotator.core.labels import default_labels

PEERS = Path(__file__).parent / "peers"
TEXT = "China will strengthen cooperation with IOM and pledged US$7 billion. \U0001F600 More than 90 delegates came."


def commitment_record(annotator="alice"):
    """The issue's example: a commitment, its actor (IOM, linked), an amount (value, unit, approximate)."""
    def at(phrase):
        i = TEXT.index(phrase)
        return i, i + len(phrase)
    spans = [(*at("China will strengthen cooperation with IOM"), "COMMITMENT"), (*at("IOM"), "ORGANISATION"),
             (*at("US$7 billion"), "FIGURE"), (*at("More than 90 delegates"), "FIGURE")]
    rec = make_record(TEXT, [(s, e, label, None, annotator, "") for s, e, label in spans])
    commitment, iom, money, delegates = rec.spans
    links = Links(rec)
    links.relation(commitment, iom, "ACTOR", "r")
    links.relation(commitment, money, "AMOUNT", "r")
    links.attribute(iom, "entity", "IOM", "a")
    links.attribute(money, "value", 7_000_000_000, "a")
    links.attribute(money, "unit", "USD", "a")
    links.attribute(delegates, "value", 90, "a")
    links.attribute(delegates, "unit", "delegates", "a")
    links.attribute(delegates, "approximate", True, "a")
    links.attribute(commitment, "kind", "pledge", "a")
    return rec


def triples(rec):
    text = {s.id: s.text for s in rec.spans}
    return sorted((text[r.head], r.type, text[r.child]) for r in rec.relations)


def values(rec):
    text = {s.id: s.text for s in rec.spans}
    return sorted((text[a.span_id], a.name, a.value) for a in rec.attributes)


def write_read(module, rec, tmp_path, options=None):
    options = options or Options()
    if getattr(module, "WRITES_FOLDER", False):
        module.write([rec], tmp_path / "out", options)
        path = next((tmp_path / "out").glob("*.txt"))
    else:
        path = tmp_path / ("out" + module.SUFFIXES[0])
        with open(path, "w", encoding="utf-8") as out:
            module.write([rec], out, options)
    back = list(module.read(path, Options(annotator="alice")))
    assert len(back) == 1 and not isinstance(back[0], InputError), back
    return back[0], options.report, path


# -- the peers' own files ---------------------------------------------------------------------------------------

def test_brat_tutorial_relation_comes_in():
    report = Options()
    rec, = brat.read(PEERS / "brat" / "060-relation_annotation.txt", report)
    assert triples(rec) == [("Terry Pratchett", "Located", "England")]
    # the equivalence line (*) is not a relation: counted, as before
    assert report.report.lost == {"brat event and equivalence lines (not imported)": 1}


def test_brat_tutorial_attribute_on_a_span_comes_in_and_those_on_events_are_counted():
    options = Options()
    rec, = brat.read(PEERS / "brat_attributes" / "100-attribute_annotation.txt", options)
    # the scheme has no Individual attribute of Person: it comes in, a flag (brat's binary attribute), and the
    # record says the import should add it to the scheme (as it adds a label it does not have)
    assert values(rec) == [("Somebody", "Individual", True)]
    assert [(d.label, d.name, d.type) for d in rec.new_attributes.values()] == [("Person", "Individual", "bool")]
    assert options.report.lost == {"brat attributes of events and relations (not imported)": 5,
                                   "brat event and equivalence lines (not imported)": 10}
    options = Options(attribute_types={("Person", "Individual"): "bool"})  # a database whose scheme has it
    rec, = brat.read(PEERS / "brat_attributes" / "100-attribute_annotation.txt", options)
    assert values(rec) == [("Somebody", "Individual", True)]


def test_doccano_relation_extraction_example_comes_in():
    rec, = doccano.read(PEERS / "doccano_relation_extraction_example.jsonl", Options())
    assert triples(rec) == [("Google", "foundedAt", "September 4, 1998"), ("Google", "foundedBy", "Larry Page"),
                            ("Google", "foundedBy", "Sergey Brin")]


def test_prodigy_rel_manual_annotations_come_in():
    first, second = spacy_jsonl.read(PEERS / "prodigy_rel_manual_annotations.jsonl", Options())
    assert len(first.relations) == 4
    assert ("Smad", "Pos-Reg", "Id1") in triples(first) and ("Smad", "No-rel", "Id3") in triples(first)
    # the head is the later span here: found by its head_span, not by reading order
    assert triples(second) == [("BMP-6", "Pos-Reg", "Id1")]


def test_label_studio_and_doccano_exports_of_our_relations_come_back():
    """Their own exports (scripts/peer_tools_check.py, 29 November 2026) of projects our exports went into."""
    rec, = labelstudio.read(PEERS / "labelstudio_1.23.2_relations_export.json", Options())
    assert triples(rec) == [("China will strengthen cooperation with IOM", "ACTOR", "IOM"),
                            ("China will strengthen cooperation with IOM", "AMOUNT", "US$7 billion")]
    assert values(rec) == [("China will strengthen cooperation with IOM", "kind", "pledge"), ("IOM", "entity", "IOM"),
                           ("US$7 billion", "unit", "USD"), ("US$7 billion", "value", 7_000_000_000),
                           ("more than 90 delegates", "approximate", True), ("more than 90 delegates", "value", 90)]
    rec, = doccano.read(PEERS / "doccano_1.8.4_relations_export.jsonl", Options())
    assert triples(rec) == [("China will strengthen cooperation with IOM", "ACTOR", "IOM"),
                            ("China will strengthen cooperation with IOM", "AMOUNT", "US$7 billion")]


# -- our records out and back in ----------------------------------------------------------------------------------

def test_brat_writes_r_a_and_n_lines_and_reads_them_back(tmp_path):
    rec = commitment_record()
    back, report, path = write_read(brat, rec, tmp_path, Options(
        entity_names={"IOM": "International Organization for Migration"}))
    ann = path.with_suffix(".ann").read_text(encoding="utf-8").splitlines()
    assert "R1\tACTOR Arg1:T1 Arg2:T2" in ann and "R2\tAMOUNT Arg1:T1 Arg2:T3" in ann
    assert "N1\tReference T2 annotator:IOM\tInternational Organization for Migration" in ann
    assert "A1\tvalue T3 7000000000" in ann and "A2\tunit T3 USD" in ann
    assert any(line.endswith("\tapproximate T4") for line in ann)
    assert triples(back) == triples(rec) and values(back) == values(rec)
    assert not report.lost


@pytest.mark.parametrize("compiled", [True, False], ids=["compiled walk", "Python walk"])
def test_label_studio_round_trip_keeps_relations_and_attributes(compiled, tmp_path, monkeypatch):
    if not compiled:
        monkeypatch.setattr(labelstudio, "_region_spans", None)
    elif labelstudio._region_spans is None:
        pytest.skip("built without a C compiler")
    rec = commitment_record()
    back, report, path = write_read(labelstudio, rec, tmp_path)
    assert triples(back) == triples(rec) and values(back) == values(rec)
    assert [s.id for s in back.spans] == [s.id for s in rec.spans]
    results = json.loads(path.read_text())[0]["annotations"][0]["result"]
    relation = next(r for r in results if r["type"] == "relation")
    assert relation["direction"] == "right" and relation["labels"] in (["ACTOR"], ["AMOUNT"])
    approximate = next(r for r in results if r.get("from_name") == "approximate")
    assert approximate["type"] == "choices" and approximate["value"]["choices"] == ["true"]
    assert not report.lost


def test_doccano_and_prodigy_keep_relations_and_count_attributes_as_lost(tmp_path):
    rec = commitment_record()
    for module, name in ((doccano, "doccano"), (spacy_jsonl, "spaCy/Prodigy JSONL")):
        folder = tmp_path / module.NAME
        folder.mkdir()
        back, report, _ = write_read(module, rec, folder)
        assert triples(back) == triples(rec) and back.attributes == []
        assert report.lost == {f"span attributes and entity links ({name} has no place for them)": 7}


def test_doccano_writes_the_relation_extraction_shape_only_for_documents_with_relations(tmp_path):
    plain = make_record("UNODC and IOM met.", [(0, 5, "ORG"), (10, 13, "ORG")])
    path = tmp_path / "d.jsonl"
    with open(path, "w") as out:
        doccano.write([commitment_record(), plain], out, Options())
    first, second = map(json.loads, path.read_text().splitlines())
    assert {r["type"] for r in first["relations"]} == {"ACTOR", "AMOUNT"} and "label" not in first
    assert [e["id"] for e in first["entities"]] == [1, 2, 3, 4]
    assert second["label"] == [[0, 5, "ORG"], [10, 13, "ORG"]] and "relations" not in second


def test_prodigy_writes_relations_as_rel_manual_does(tmp_path):
    _, _, path = write_read(spacy_jsonl, commitment_record(), tmp_path)
    line = json.loads(path.read_text())
    actor = next(r for r in line["relations"] if r["label"] == "ACTOR")
    assert actor["head_span"]["label"] == "COMMITMENT" and actor["child_span"]["label"] == "ORGANISATION"
    # head and child are the last tokens of the spans (as rel.manual writes them)
    tokens = line["tokens"]
    assert tokens[actor["child"]]["text"] == "IOM" and tokens[actor["head"]]["text"] == "IOM"
    assert actor["head_span"]["token_end"] == actor["head"]


def test_relations_to_spans_an_export_leaves_out_are_counted(tmp_path):
    rec = commitment_record()
    rec.spans[1].deleted = "2026-01-01T00:00:00Z"  # IOM gone: the ACTOR relation has no end to write
    _, report, path = write_read(brat, rec, tmp_path)
    assert report.lost["relations to spans not exported"] == 1
    assert "ACTOR" not in path.with_suffix(".ann").read_text()


def test_docbin_and_conll_count_relations_and_attributes_as_lost(tmp_path):
    from annotator.formats import conll
    rec = commitment_record()
    options = Options()
    with open(tmp_path / "x.conll", "w") as out:
        conll.write([rec], out, options)
    assert options.report.lost["relations (CoNLL has no place for them)"] == 2
    assert options.report.lost["span attributes and entity links (CoNLL has no place for them)"] == 7


def test_label_studio_config_declares_relations_and_per_region_attributes():
    config = labeling_config(default_labels(), default_relation_types(), default_attribute_defs())
    assert '<Relation value="ACTOR"/>' in config
    assert '<Number name="value" toName="text" perRegion="true" whenLabelValue="FIGURE"/>' in config
    assert '<Choices name="kind" toName="text" perRegion="true" whenLabelValue="COMMITMENT" choice="single">' in config
    assert '<Choice value="pledge"/>' in config
    assert '<TextArea name="entity" toName="text" perRegion="true" whenLabelValue="ORGANISATION"' in config


# -- hostile files: one line naming the file, the line or record, and what is wrong -----------------------------

def brat_pair(tmp_path, ann: str) -> Path:
    (tmp_path / "d.txt").write_text("UNODC helps IOM.\n")
    (tmp_path / "d.ann").write_text("T1\tORGANISATION 0 5\tUNODC\nT2\tORGANISATION 12 15\tIOM\n" + ann)
    return tmp_path / "d.txt"


@pytest.mark.parametrize("ann, said", [
    ("R1\tHELPS Arg1:T1 Arg2:T9\n", "line 3: the relation's Arg2 T9 is not a T line of this file"),
    ("R1\tHELPS Arg1:T1 Arg2:T1\n", "line 3: the relation goes from a span to itself ('UNODC')"),
    ("R1\tHELPS Arg1:T1\n", "line 3: an R line must read"),
    ("A1\tvalue T7 3\n", "line 3: the attribute's annotation T7 is not a T line of this file"),
    ("N1\tReference T1 annotator:UNODC\tUNODC\nN2\tReference T1 annotator:IOM\tIOM\n",
     "line 4: the entity link gives the span 'UNODC' a second value of 'entity'"),
    ("N1\tReference T4 annotator:IOM\tIOM\n", "line 3: the linked annotation T4 is not a T line"),
    ("N1\tReference T2\tIOM\n", "line 3: an N line must read"),
])
def test_brat_bad_link_lines_are_refused_naming_the_line(tmp_path, ann, said):
    got, = brat.read(brat_pair(tmp_path, ann), Options())
    assert isinstance(got, InputError) and said in str(got) and "d.ann" in str(got), got


def test_brat_value_of_a_number_attribute_must_be_a_number(tmp_path):
    (tmp_path / "d.txt").write_text("It cost US$7 billion.\n")
    (tmp_path / "d.ann").write_text("T1\tFIGURE 8 20\tUS$7 billion\nA1\tvalue T1 seven\n")
    got, = brat.read(tmp_path / "d.txt", Options())
    assert isinstance(got, InputError) and "line 2: attribute value: a number is expected, got 'seven'" in str(got)


def test_brat_links_to_other_databases_are_counted_not_imported(tmp_path):
    options = Options()
    rec, = brat.read(brat_pair(tmp_path, "N1\tReference T2 Wikipedia:1141\tIOM\n"), options)
    assert rec.attributes == [] and options.report.lost == {
        "brat links to other databases than annotator: (not imported)": 1}


def doccano_line(tmp_path, relations, entities=None) -> Path:
    path = tmp_path / "d.jsonl"
    entities = entities or [{"id": 1, "label": "ORG", "start_offset": 0, "end_offset": 5},
                            {"id": 2, "label": "ORG", "start_offset": 12, "end_offset": 15}]
    path.write_text(json.dumps({"text": "UNODC helps IOM.", "entities": entities, "relations": relations}) + "\n")
    return path


@pytest.mark.parametrize("relations, entities, said", [
    ([{"from_id": 1, "to_id": 7, "type": "x"}], None, "relation 1: its to_id 7 is not the id of an entity"),
    ([{"from_id": 1, "to_id": 1, "type": "x"}], None, "relation 1 goes from a span to itself"),
    ([{"from_id": 1, "to_id": 2, "type": ["x"]}], None, "relation 1: the relation type must be a string"),
    ([{"from_id": 1, "to_id": 2, "type": " x"}], None, "relation 1: a relation type name must be"),
    ([{"from_id": [1], "to_id": 2, "type": "x"}], None, "relation 1: its from_id [1] is not the id of an entity"),
    ([{"from_id": 1, "type": "x"}], None, "relation 1 must be an object with from_id, to_id and type"),
    ([], [{"id": 1, "label": "ORG", "start_offset": 0, "end_offset": 5},
          {"id": 1, "label": "ORG", "start_offset": 12, "end_offset": 15}], "entity 2: its id must be"),
])
def test_doccano_bad_relations_are_refused_naming_the_line(tmp_path, relations, entities, said):
    got, = doccano.read(doccano_line(tmp_path, relations, entities), Options())
    assert isinstance(got, InputError) and said in str(got) and "d.jsonl, line 1" in str(got), got


def label_studio_task(tmp_path, extra) -> Path:
    path = tmp_path / "t.json"
    regions = [{"id": "a", "from_name": "label", "to_name": "text", "type": "labels",
                "value": {"start": 0, "end": 5, "text": "UNODC", "labels": ["ORGANISATION"]}},
               {"id": "b", "from_name": "label", "to_name": "text", "type": "labels",
                "value": {"start": 12, "end": 15, "text": "IOM", "labels": ["ORGANISATION"]}}]
    path.write_text(json.dumps([{"data": {"text": "UNODC helps IOM."}, "annotations": [{"result": regions + extra}]}]))
    return path


def test_label_studio_direction_labels_and_document_choices(tmp_path):
    options = Options()
    rec, = labelstudio.read(label_studio_task(tmp_path, [
        {"from_id": "a", "to_id": "b", "type": "relation", "direction": "left", "labels": ["HELPS"]},
        {"from_id": "a", "to_id": "b", "type": "relation", "direction": "right"},
        {"id": "doc", "from_name": "topic", "to_name": "text", "type": "choices", "value": {"choices": ["news"]}},
        {"id": "b", "from_name": "entity", "to_name": "text", "type": "textarea",
         "value": {"start": 12, "end": 15, "text": ["IOM"]}},
        {"id": "a", "from_name": "sentiment", "to_name": "text", "type": "choices",
         "value": {"start": 0, "end": 5, "choices": ["positive"]}},
    ]), options)
    assert triples(rec) == [("IOM", "HELPS", "UNODC"), ("UNODC", "RELATED", "IOM")]
    assert values(rec) == [("IOM", "entity", "IOM"), ("UNODC", "sentiment", "positive")]
    assert [(d.name, d.type, d.choices) for d in rec.new_attributes.values()] == [("sentiment", "choice",
                                                                                    ("positive",))]
    assert options.report.lost == {"Label Studio choices (document classes) in t.json (not imported)": 1}


@pytest.mark.parametrize("extra, said", [
    ([{"from_id": "a", "to_id": "zz", "type": "relation", "direction": "right"}],
     "task 1: result 3: the relation's to_id \"zz\" is not a region of its annotation"),
    ([{"from_id": "a", "to_id": "a", "type": "relation", "direction": "right"}], "goes from a span to itself"),
    ([{"from_id": "a", "to_id": "b", "type": "relation", "labels": "HELPS"}], "'labels' must be a list"),
    ([{"id": "a", "from_name": "kind", "type": "choices", "value": {"start": 0, "end": 5, "choices": ["a", "b"]}}],
     "a per-region choices result holds one value"),
    ([{"id": "a", "from_name": "n", "type": "number", "value": {"start": 0, "end": 5, "number": [1]}}],
     "result 3: n: a value is text, a number or true/false"),
    ([{"id": "a", "from_name": "value", "type": "number", "value": {"start": 0, "end": 5, "number": 1e30}}],
     "result 3: value: 1e+30 is not a number an attribute holds"),
])
def test_label_studio_bad_relations_and_values_are_refused_naming_the_task(tmp_path, extra, said):
    got = list(labelstudio.read(label_studio_task(tmp_path, extra), Options()))
    assert len(got) == 1 and isinstance(got[0], InputError), got
    assert "t.json" in str(got[0]) and said in str(got[0]), got[0]


@pytest.mark.parametrize("relation, said", [
    ({"head": 0, "child": 2, "label": "HELPS"}, "relation 1: its head 0 is not a span of the record"),
    ({"head_span": {"start": 0, "end": 5, "label": "ORG"}, "child_span": {"start": 0, "end": 5, "label": "ORG"},
      "label": "HELPS"}, "relation 1 goes from a span to itself"),
    ({"head_span": {"start": 0, "end": 5, "label": "ORG"}, "child_span": {"start": 1, "end": 5, "label": "ORG"},
      "label": "HELPS"}, "relation 1: its child {\"start\": 1"),
    ({"head_span": "x", "label": "HELPS"}, "'head_span' must be an object"),
    ({"head": 0, "child": 2}, "relation 1 must be an object with head, child"),
])
def test_prodigy_bad_relations_are_refused_naming_the_line(tmp_path, relation, said):
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps({"text": "UNODC helps IOM.", "spans": [{"start": 0, "end": 5, "label": "ORG"},
                                                                 {"start": 12, "end": 15, "label": "ORG"}],
                                "relations": [relation], "answer": "accept"}) + "\n")
    got, = spacy_jsonl.read(path, Options())
    assert isinstance(got, InputError) and said in str(got) and "p.jsonl, line 1" in str(got), got


def test_prodigy_relations_of_tokens_in_no_span_are_counted(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text(json.dumps({"text": "UNODC helps IOM.", "spans": [{"start": 0, "end": 5, "label": "ORG"}],
                                "relations": [{"head": 0, "child": 1, "label": "SUBJ",
                                               "head_span": {"start": 0, "end": 5, "label": "ORG"},
                                               "child_span": {"start": 6, "end": 11, "label": None}}],
                                "answer": "accept"}) + "\n")
    options = Options()
    rec, = spacy_jsonl.read(path, options)
    assert rec.relations == [] and options.report.lost == {
        "Prodigy relations of tokens that are not spans in p.jsonl (not imported)": 1}
