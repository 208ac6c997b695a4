"""Consistency review: surfaces labelled differently, and tagged in places but untagged in others."""
from __future__ import annotations

import json

from click.testing import CliRunner

from annotator.curation import consistency as cons
from annotator.store import Store

DOCS = [
    "UNODC and IOM met. UNODC’s staff agreed.",
    "IOM said UNODC would help. The UNODC office in Bali opened.",
    "UNODCX is not UNODC. IOM staff, Bali Process members.",
]


def corpus(store):
    ids = [store.add_document(t)[0].id for t in DOCS]
    a, b, c = ids
    store.add_span(a, 0, 5, "ORGANISATION", "alice")                 # UNODC tagged
    store.add_span(a, 10, 13, "ORGANISATION", "alice")               # IOM as ORGANISATION
    store.add_span(b, 0, 3, "FIGURE", "bob")                         # IOM as FIGURE
    office = DOCS[1].index("UNODC office")
    store.add_span(b, office, office + len("UNODC office"), "ORGANISATION", "bob")
    bp = DOCS[2].index("Bali Process")
    store.add_span(c, bp, bp + len("Bali Process"), "ORGANISATION", "alice")
    return ids


def test_labels_and_untagged_places(store):
    a, b, c = corpus(store)
    items = {i.surface: i for i in cons.find(store)}
    iom = items["IOM"]
    assert iom.labels == {"FIGURE": 1, "ORGANISATION": 1} and "labels" in iom.kinds
    assert [(o.doc_id, o.start) for o in iom.untagged] == [(c, DOCS[2].index("IOM"))]
    unodc = items["UNODC"]
    # untagged: "UNODC’s" (a word boundary after UNODC) in a, "would help" one in b, "is not UNODC" in c;
    # not inside "UNODCX", and not inside the tagged "UNODC office"
    expected = sorted([
        (a, DOCS[0].index("UNODC’s")), (b, DOCS[1].index("UNODC would")), (c, DOCS[2].index("UNODC."))
    ])
    assert sorted((o.doc_id, o.start) for o in unodc.untagged) == expected
    assert unodc.kinds == ["untagged"] and all(o.end - o.start == 5 for o in unodc.untagged)
    # "Bali" is not a tagged surface, so "Bali Process" is only reported if it occurs untagged somewhere: it does not
    assert "Bali Process" not in items


def test_one_reviewer_and_label_filters(store):
    corpus(store)
    assert {i.surface for i in cons.find(store, annotators=["bob"])} == {"IOM"}
    assert [i.surface for i in cons.find(store, label="FIGURE")] == ["IOM"]
    assert all(i.kinds == ["labels"] for i in cons.find(store, untagged=False))


def test_shorter_surface_inside_a_longer_one_is_found_too(store):
    d = store.add_document("Bali Process and Bali. Process again in Bali Process.")[0].id
    store.add_span(d, 0, 12, "ORGANISATION", "alice")       # "Bali Process"
    store.add_span(d, 17, 21, "ORGANISATION", "alice")      # "Bali"
    items = {i.surface: i for i in cons.find(store)}
    last = len("Bali Process and Bali. Process again in ")
    assert [(o.start, o.end) for o in items["Bali Process"].untagged] == [(last, last + 12)]
    assert [(o.start, o.end) for o in items["Bali"].untagged] == [(last, last + 4)]


def test_surfaces_with_punctuation_and_astral_characters(store):
    d = store.add_document("𠀋 US$7 and US$7, then US$70 and $7.")[0].id
    store.add_span(d, 2, 6, "FIGURE", "alice")
    item = cons.find(store)[0]
    assert item.surface == "US$7" and [o.start for o in item.untagged] == [11]


def test_surface_pattern_is_longest_first_with_boundaries():
    rx = cons.surface_pattern(["UN", "UN office", "$7"])
    text = "UN office, UNODC, UN’s, US$7 $7"
    found = [(m.start(), m.group(1)) for m in rx.finditer(text)]
    assert found == [(0, "UN office"), (18, "UN"), (26, "$7"), (29, "$7")]


def test_consistency_command(tmp_path):
    from annotator.cli import main

    db = tmp_path / "k.db"
    store = Store(db)
    corpus(store)
    store.close()
    out = CliRunner().invoke(main, ["--db", str(db), "consistency"], catch_exceptions=False)
    assert out.exit_code == 0, out.output
    assert "“IOM”  FIGURE 1, ORGANISATION 1, untagged 1" in out.output
    data = json.loads(CliRunner().invoke(main, ["--db", str(db), "consistency", "--json"]).output)
    assert data["count"] == 2 and data["surfaces"][0]["untagged"][0].keys() == {"doc_id", "start", "end"}
