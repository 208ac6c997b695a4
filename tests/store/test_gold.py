"""The gold layer in the store: take, reject, edit, delete; deterministic ids; tombstones kept."""
from __future__ import annotations

import pytest

from annotator.core.errors import InvariantError, NotFound
from annotator.store import gold

TEXT = "The UNODC met IOM in Bali.\nThey pledged US$7 billion."


@pytest.fixture
def doc(store):
    return store.add_document(TEXT)[0].id


def test_take_records_curator_sources_and_text(store, doc):
    seen = []
    store.subscribe(seen.append)
    g, created = gold.take(store, doc, 4, 9, "ORGANISATION", "carol", ["s2", "s1"])
    assert created and (g.text, g.annotator, g.sources) == ("UNODC", "carol", ("s1", "s2"))
    assert gold.spans(store, doc) == [g]
    assert seen[-1].kind == "gold" and seen[-1].span_ids == (g.id,)
    assert store.stats()["gold_spans"] == 1


def test_taking_the_same_span_twice_keeps_one_and_widens_sources(store, doc):
    g, _ = gold.take(store, doc, 4, 9, "ORGANISATION", "carol", ["s1"])
    again, created = gold.take(store, doc, 4, 9, "ORGANISATION", "carol", ["s3"])
    assert not created and again.id == g.id and again.sources == ("s1", "s3")
    assert len(gold.spans(store, doc)) == 1


def test_ids_are_derived_so_two_curators_make_the_same_row(store, doc):
    from annotator.store import Store

    other = Store(":memory:")
    other.add_document(TEXT)
    a, _ = gold.take(store, doc, 4, 9, "ORGANISATION", "carol")
    b, _ = gold.take(other, doc, 4, 9, "ORGANISATION", "dave")
    assert a.id == b.id == gold.gold_id(doc, 4, 9, "ORGANISATION")


def test_delete_keeps_a_tombstone_and_take_brings_the_row_back(store, doc):
    g, _ = gold.take(store, doc, 4, 9, "ORGANISATION", "carol")
    gold.delete(store, g.id)
    assert gold.spans(store, doc) == [] and gold.get(store, g.id).deleted
    back, created = gold.take(store, doc, 4, 9, "ORGANISATION", "carol")
    assert created and back.id == g.id and back.created == g.created and not back.deleted


def test_an_edited_span_keeps_its_id_and_a_new_take_gets_a_fresh_one(store, doc):
    g, _ = gold.take(store, doc, 4, 9, "ORGANISATION", "carol")
    edited = gold.update(store, g.id, label="FIGURE", curator="dave")
    assert (edited.id, edited.label, edited.annotator) == (g.id, "FIGURE", "dave")
    again, created = gold.take(store, doc, 4, 9, "ORGANISATION", "carol")
    assert created and again.id != g.id and len(gold.spans(store, doc)) == 2


def test_edit_checks_range_and_label(store, doc):
    g, _ = gold.take(store, doc, 4, 9, "ORGANISATION", "carol")
    with pytest.raises(InvariantError, match="out of range"):
        gold.update(store, g.id, end=999)
    with pytest.raises(InvariantError, match="unknown label"):
        gold.update(store, g.id, label="PERSON")
    with pytest.raises(InvariantError, match="needs a curator"):
        gold.take(store, doc, 4, 9, "ORGANISATION", "")
    with pytest.raises(NotFound):
        gold.get(store, "nope")


def test_reject_is_a_tombstone_marked_rejected(store, doc):
    row, before = gold.reject(store, doc, 14, 17, "ORGANISATION", "carol", ["s9"])
    assert before is None and gold.is_rejection(row) and row.sources == ("s9",)
    assert gold.spans(store, doc) == [] and gold.rejections(store, doc) == [row]
    gold.unreject(store, row.id)
    assert gold.rejections(store, doc) == [] and gold.get(store, row.id).deleted


def test_gold_records_are_the_curated_documents_with_gold_as_spans(store, doc):
    other = store.add_document("Nothing curated here.")[0].id
    gold.take(store, doc, 4, 9, "ORGANISATION", "carol")
    gold.take(store, doc, 40, 52, "FIGURE", "carol")
    records = list(gold.gold_records(store))
    assert [r.document.id for r in records] == [doc] and other != doc
    assert [(s.text, s.annotator) for s in records[0].spans] == [("UNODC", "carol"), ("US$7 billion", "carol")]
    assert [s.label for s in next(gold.gold_records(store, labels=["FIGURE"])).spans] == ["FIGURE"]
