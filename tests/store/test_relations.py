"""Relations, attribute values and the entity registry in the store (issue 14's foundation)."""
from __future__ import annotations

import pytest

from annotator.core.errors import InvariantError, NotFound
from annotator.store.store import Store

TEXT = ("China will strengthen cooperation with IOM and UNODC, pledging US$7 billion. "
        "The International Organization for Migration welcomed it.")


def find(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


@pytest.fixture
def tagged():
    store = Store()
    doc, _ = store.add_document(TEXT, title="t")
    commitment = store.add_span(doc.id, *find(TEXT, "China will strengthen cooperation with IOM and UNODC"),
                                "COMMITMENT", "ana")
    iom = store.add_span(doc.id, *find(TEXT, "IOM"), "ORGANISATION", "ana")
    unodc = store.add_span(doc.id, *find(TEXT, "UNODC"), "ORGANISATION", "ana")
    money = store.add_span(doc.id, *find(TEXT, "US$7 billion"), "FIGURE", "ana")
    return store, doc, commitment, iom, unodc, money


def test_a_new_database_has_the_default_relation_types_and_attributes():
    store = Store()
    assert [(t.name, t.head_label, t.child_label) for t in store.relation_types()] == [
        ("ACTOR", "COMMITMENT", "ORGANISATION"), ("PARTNER", "COMMITMENT", "ORGANISATION"),
        ("AMOUNT", "COMMITMENT", "FIGURE")]
    assert [d.name for d in store.attribute_defs("FIGURE")] == ["value", "unit", "approximate"]
    assert store.attribute_def("COMMITMENT", "kind").choices == ("pledge", "agreement", "call", "plan", "action")


def test_relations_join_two_live_spans_of_one_annotator_with_the_labels_of_their_type(tagged):
    store, doc, commitment, iom, unodc, money = tagged
    actor = store.add_relation(doc.id, commitment.id, iom.id, "ACTOR")
    store.add_relation(doc.id, commitment.id, unodc.id, "PARTNER")
    store.add_relation(doc.id, commitment.id, money.id, "AMOUNT")
    assert actor.annotator == "ana"
    assert [(r.type, r.child) for r in store.relations(doc.id)] == [
        ("ACTOR", iom.id), ("PARTNER", unodc.id), ("AMOUNT", money.id)]
    with pytest.raises(InvariantError, match="already related"):
        store.add_relation(doc.id, commitment.id, iom.id, "ACTOR")
    with pytest.raises(InvariantError, match="goes from COMMITMENT to FIGURE; the child is ORGANISATION"):
        store.add_relation(doc.id, commitment.id, iom.id, "AMOUNT")
    other = store.add_span(doc.id, *find(TEXT, "International Organization for Migration"), "ORGANISATION", "bo")
    with pytest.raises(InvariantError, match="same annotator"):
        store.add_relation(doc.id, commitment.id, other.id, "PARTNER")
    with pytest.raises(NotFound, match="no relation type named 'FUNDS'"):
        store.add_relation(doc.id, commitment.id, iom.id, "FUNDS")
    assert store.retype_relation(actor.id, "PARTNER").type == "PARTNER"


def test_deleting_a_span_deletes_its_relations_and_undo_brings_them_back(tagged):
    store, doc, commitment, iom, unodc, money = tagged
    store.add_relation(doc.id, commitment.id, iom.id, "ACTOR")
    store.add_relation(doc.id, commitment.id, money.id, "AMOUNT")
    store.delete_span(iom.id)
    assert [r.type for r in store.relations(doc.id)] == ["AMOUNT"]
    store.restore_span(iom.id)
    assert [r.type for r in store.relations(doc.id)] == ["ACTOR", "AMOUNT"]
    # a relation deleted by hand before the span is not brought back by the span's undo
    rel = store.relations(doc.id)[1]
    store.delete_relation(rel.id)
    store.delete_span(money.id)
    store.restore_span(money.id)
    assert [r.type for r in store.relations(doc.id)] == ["ACTOR"]


def test_attribute_values_are_checked_against_the_scheme_and_can_be_proposed(tagged):
    store, doc, commitment, iom, unodc, money = tagged
    store.set_attribute(money.id, "value", 7_000_000_000, proposed=True)
    store.set_attribute(money.id, "unit", "USD", proposed=True)
    assert store.attribute(money.id, "value").proposed
    assert not store.confirm_attribute(money.id, "value").proposed
    with pytest.raises(InvariantError, match="finite number"):
        store.set_attribute(money.id, "value", float("nan"))
    with pytest.raises(InvariantError, match="pledge, agreement"):
        store.set_attribute(commitment.id, "kind", "wish")
    with pytest.raises(NotFound, match="ORGANISATION has no attribute named 'value'"):
        store.set_attribute(iom.id, "value", 3)
    with pytest.raises(NotFound, match="no entity with id 'NOT-IN-REGISTRY'"):
        store.set_attribute(iom.id, "entity", "NOT-IN-REGISTRY")
    store.clear_attribute(money.id, "unit")
    assert {a.name: a.value for a in store.attributes(doc.id)} == {"value": 7_000_000_000}


def test_entities_link_spans_and_merging_two_moves_the_links(tagged):
    store, doc, commitment, iom, unodc, money = tagged
    # IOM comes with a new database (the registry's seed)
    store.add_entity("IOM-2", "Intl. Org. for Migration")
    store.set_attribute(iom.id, "entity", "IOM-2")
    assert [e.id for e in store.find_entities("IOM")] == ["IOM"]
    kept, moved = store.merge_entities("IOM", "IOM-2")
    assert moved == 1 and store.attribute(iom.id, "entity").value == "IOM"
    assert "Intl. Org. for Migration" in kept.aliases
    assert store.entity("IOM-2").id == "IOM"  # an old link still resolves
    assert "IOM-2" not in [e.id for e in store.entities()] and "IOM" in [e.id for e in store.entities()]
    with pytest.raises(InvariantError, match="entity id"):
        store.add_entity("I O M", "x")


def test_relation_types_are_added_renamed_and_retired_like_labels(tagged):
    store, doc, commitment, iom, unodc, money = tagged
    rel = store.add_relation(doc.id, commitment.id, iom.id, "ACTOR")
    store.rename_relation_type("ACTOR", "COMMITTED_BY")
    assert store.relation(rel.id).type == "COMMITTED_BY"
    store.retire_relation_type("PARTNER")
    with pytest.raises(InvariantError, match="retired"):
        store.add_relation(doc.id, commitment.id, unodc.id, "PARTNER")
    assert store.add_relation_type("FUNDS", "ORGANISATION", "FIGURE", hotkey="f").name == "FUNDS"
    with pytest.raises(InvariantError, match="hotkey 'f' is taken"):
        store.add_relation_type("FUNDED_BY", hotkey="f")


def test_a_database_of_the_previous_schema_upgrades_and_gets_the_default_relation_types(tmp_path):
    from sqlite_utils import Database

    from annotator.store import schema

    path = tmp_path / "old.db"
    db = Database(path)
    schema.upgrade(db, stop_before="m003_relations_attributes_entities")
    db.conn.close()
    store = Store(path)
    assert [t.name for t in store.relation_types()] == ["ACTOR", "PARTNER", "AMOUNT"]
    assert store.entity("IOM").name == "International Organization for Migration"  # and the registry's seed
    store.close()
