"""Agreement on relations and attribute values (issue 14), in ``annotator agreement`` and its JSON."""
from __future__ import annotations

import json

from click.testing import CliRunner

from annotator.cli import main
from annotator.curation import agreement
from annotator.store import Store

TEXT = "China will strengthen cooperation with IOM and UNODC, pledging US$7 billion. IOM welcomed it."


def find(part: str) -> tuple[int, int]:
    start = TEXT.index(part)
    return start, start + len(part)


def tag(store, d, who, relations, values):
    """``who``'s spans, relations [(head part, child part, type)] and values {part: {name: value}}."""
    parts = {"China will strengthen cooperation with IOM and UNODC": "COMMITMENT", "IOM": "ORGANISATION",
             "UNODC": "ORGANISATION", "US$7 billion": "FIGURE"}
    spans = {p: store.add_span(d, *find(p), label, who) for p, label in parts.items()}
    for head, child, rtype in relations:
        store.add_relation(d, spans[head].id, spans[child].id, rtype)
    for part, named in values.items():
        for name, value in named.items():
            store.set_attribute(spans[part].id, name, value)
    store.set_review(d, who, status="done")


def corpus(path) -> Store:
    store = Store(path)
    d = store.add_document(TEXT)[0].id
    c = "China will strengthen cooperation with IOM and UNODC"
    tag(store, d, "alice", [(c, "IOM", "ACTOR"), (c, "US$7 billion", "AMOUNT")],
        {"IOM": {"entity": "IOM"}, "UNODC": {"entity": "UNODC"},
         "US$7 billion": {"value": 7_000_000_000, "unit": "USD"}})
    # bob: the actor called a partner, the amount alike, one relation more; UNODC linked to IOM, the unit differs
    tag(store, d, "bob", [(c, "IOM", "PARTNER"), (c, "US$7 billion", "AMOUNT"), (c, "UNODC", "PARTNER")],
        {"IOM": {"entity": "IOM"}, "UNODC": {"entity": "IOM"},
         "US$7 billion": {"value": 7e9, "unit": "people"}})
    return store


def test_relation_f1_and_attribute_agreement_per_pair(tmp_path):
    report = agreement.compute(corpus(tmp_path / "c.db"), ["alice", "bob"])
    (pair,) = report.pairs
    # one relation matches (AMOUNT: both ends alike, same type); ACTOR and PARTNER on the same ends do not
    assert (pair.relations.matches, pair.relations.a, pair.relations.b) == (1, 2, 3)
    assert pair.relations.f1 == 2 * 1 / 5
    values = {k: (v.agreed, v.compared) for k, v in pair.attributes.items()}
    assert values == {"entity": (1, 2), "value": (1, 1), "unit": (0, 1), "value+unit": (0, 1)}
    assert report.relations.f1 == pair.relations.f1


def test_agreement_prints_and_writes_them(tmp_path):
    corpus(tmp_path / "c.db").close()
    runner = CliRunner()
    out = runner.invoke(main, ["--db", str(tmp_path / "c.db"), "agreement"], catch_exceptions=False).output
    assert "relations: precision 0.500, recall 0.333, F1 0.400  (1 matching of 2/3)" in out
    assert "attribute values the same on spans tagged alike: entity 1/2 (0.500), unit 0/1 (0.000), value 1/1 " \
           "(1.000), value+unit 0/1 (0.000)" in out
    data = json.loads(runner.invoke(main, ["--db", str(tmp_path / "c.db"), "agreement", "--json"]).output)
    assert data["pairs"][0]["relations"] == {"matches": 1, "a": 2, "b": 3, "precision": 0.5, "recall": 1 / 3,
                                             "f1": 0.4}
    assert data["overall"]["attributes"]["entity"] == {"compared": 2, "agreed": 1, "agreement": 0.5}


def test_a_deleted_span_takes_its_relations_out_of_the_comparison(tmp_path):
    store = corpus(tmp_path / "c.db")
    d = store.document_ids()[0]
    bob_unodc = next(s for s in store.spans(d, annotator="bob") if s.text == "UNODC")
    store.delete_span(bob_unodc.id)
    (pair,) = agreement.compute(store, ["alice", "bob"]).pairs
    assert (pair.relations.matches, pair.relations.a, pair.relations.b) == (1, 2, 2)
    assert pair.attributes["entity"].compared == 1
