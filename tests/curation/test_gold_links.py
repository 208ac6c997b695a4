"""Adjudication takes relations and attribute values into gold with the spans they belong to (issue 14), and the
gold export carries them."""
from __future__ import annotations

import json

from click.testing import CliRunner

from annotator.cli import main
from annotator.core.commands import UndoStack
from annotator.curation import adjudication as adj
from annotator.store import Store
from annotator.store import gold as gold_store
from annotator.store import gold_links
from annotator.transfer import import_paths

TEXT = "China will strengthen cooperation with IOM, pledging US$7 billion."
COMMITMENT = "China will strengthen cooperation with IOM"


def find(part: str) -> tuple[int, int]:
    start = TEXT.index(part)
    return start, start + len(part)


def reviewed(store) -> str:
    d = store.add_document(TEXT)[0].id
    for who, unit in (("alice", "USD"), ("bob", "people")):
        c = store.add_span(d, *find(COMMITMENT), "COMMITMENT", who)
        iom = store.add_span(d, *find("IOM"), "ORGANISATION", who)
        money = store.add_span(d, *find("US$7 billion"), "FIGURE", who)
        store.add_relation(d, c.id, iom.id, "ACTOR")
        store.add_relation(d, c.id, money.id, "AMOUNT")
        store.set_attribute(iom.id, "entity", "IOM", proposed=True)
        store.set_attribute(money.id, "value", 7_000_000_000)
        store.set_attribute(money.id, "unit", unit)
        store.set_review(d, who, status="done")
    return d


def gold_view(store, d):
    spans = {g.id: g.text for g in gold_store.spans(store, d)}
    rels = sorted((r.type, spans[r.head], spans[r.child], len(r.sources)) for r in gold_links.relations(store, d))
    values = sorted((spans[a.span_id], a.name, a.value, a.proposed) for a in gold_links.attributes(store, d))
    return rels, values


def test_taking_the_agreed_spans_takes_their_relations_and_values(tmp_path):
    store = Store(tmp_path / "c.db")
    d = reviewed(store)
    UndoStack(store).push(adj.TakeAgreed(d, "carol"))
    rels, values = gold_view(store, d)
    assert rels == [("ACTOR", COMMITMENT, "IOM", 2), ("AMOUNT", COMMITMENT, "US$7 billion", 2)]
    # confirmed by the curator; where the reviewers differ (the unit), the newest of the most given: bob's
    assert values == [("IOM", "entity", "IOM", False), ("US$7 billion", "unit", "people", False),
                      ("US$7 billion", "value", 7_000_000_000, False)]


def test_a_relation_comes_into_gold_when_its_second_end_does_and_leaves_with_it(tmp_path):
    store = Store(tmp_path / "c.db")
    d = reviewed(store)
    stack = UndoStack(store)
    by_text = {c.text: c for c in adj.document(store, d).candidates}
    stack.push(adj.TakeCandidate(by_text["IOM"], "carol"))
    assert gold_view(store, d)[0] == []  # the commitment is not in gold yet
    stack.push(adj.TakeCandidate(by_text[COMMITMENT], "carol"))
    assert gold_view(store, d)[0] == [("ACTOR", COMMITMENT, "IOM", 2)]
    stack.undo()
    assert gold_view(store, d)[0] == []
    stack.redo()
    assert gold_view(store, d)[0] == [("ACTOR", COMMITMENT, "IOM", 2)]


def test_the_gold_export_carries_the_gold_relations_and_values(tmp_path):
    store = Store(tmp_path / "c.db")
    d = reviewed(store)
    UndoStack(store).push(adj.TakeAgreed(d, "carol"))
    store.close()
    path = tmp_path / "gold.jsonl"
    CliRunner().invoke(main, ["--db", str(tmp_path / "c.db"), "export", "--gold", "-o", str(path)],
                       catch_exceptions=False)
    (line,) = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    spans = {s["id"]: s for s in line["spans"]}
    assert sorted((r["type"], spans[r["head"]]["text"], spans[r["child"]]["text"], r["annotator"])
                  for r in line["relations"]) == [("ACTOR", COMMITMENT, "IOM", "carol"),
                                                  ("AMOUNT", COMMITMENT, "US$7 billion", "carol")]
    money = next(s for s in line["spans"] if s["label"] == "FIGURE")
    assert {k: v["value"] for k, v in money["attributes"].items()} == {"unit": "people", "value": 7_000_000_000}
    # and it imports as it is, relations and values included
    report = import_paths(Store(tmp_path / "other.db"), [path])
    assert report.relations_added == 2 and report.attributes_added == 3
