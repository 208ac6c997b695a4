"""Relation and attribute commands undo and redo through the store without Qt; candidates come nearest first."""
import pytest

from annotator.core import commands as cmd
from annotator.core import relation_candidates as rc
from annotator.core.errors import InvariantError
from annotator.core.relation_commands import (AddRelation, DeleteRelation, NewEntity, RetypeRelation, SetAttribute,
                                              Together, entity_id_from_text)

TEXT = "China will fund IOM and UNODC with US$7 billion, said the Ministry."


@pytest.fixture
def doc(store):
    d = store.add_document(TEXT)[0]
    spans = {}
    for phrase, label in (("China will fund IOM and UNODC", "COMMITMENT"), ("IOM", "ORGANISATION"),
                          ("UNODC", "ORGANISATION"), ("US$7 billion", "FIGURE"), ("Ministry", "ORGANISATION")):
        at = TEXT.index(phrase)
        spans[phrase] = store.add_span(d.id, at, at + len(phrase), label, "alice")
    return d, spans


def live(store, doc_id):
    return sorted((r.type, r.child) for r in store.relations(doc_id))


def test_add_retype_delete_undo_redo(store, doc):
    d, s = doc
    stack = cmd.UndoStack(store)
    head, iom = s["China will fund IOM and UNODC"], s["IOM"]
    add = stack.push(AddRelation(head, iom, "ACTOR"))
    assert live(store, d.id) == [("ACTOR", iom.id)]
    stack.undo()
    assert live(store, d.id) == []
    stack.redo()
    assert store.relations(d.id)[0].id == add.relation.id  # the same relation back
    stack.push(RetypeRelation(add.relation, "PARTNER"))
    assert live(store, d.id) == [("PARTNER", iom.id)]
    stack.undo()
    assert live(store, d.id) == [("ACTOR", iom.id)]
    stack.push(DeleteRelation(store.relation(add.relation.id)))
    assert live(store, d.id) == []
    stack.undo()
    assert live(store, d.id) == [("ACTOR", iom.id)]


def test_set_attribute_undo_restores_the_proposed_value(store, doc):
    d, s = doc
    fig = s["US$7 billion"]
    store.set_attribute(fig.id, "value", 7, proposed=True)
    stack = cmd.UndoStack(store)
    stack.push(SetAttribute(fig, "value", 7_000_000_000))
    assert (store.attribute(fig.id, "value").value, store.attribute(fig.id, "value").proposed) == (7_000_000_000, False)
    stack.undo()
    assert (store.attribute(fig.id, "value").value, store.attribute(fig.id, "value").proposed) == (7, True)
    stack.redo()
    assert store.attribute(fig.id, "value").value == 7_000_000_000
    stack.push(SetAttribute(fig, "value", None))
    assert store.attribute(fig.id, "value") is None
    stack.undo()
    assert store.attribute(fig.id, "value").value == 7_000_000_000


def test_together_is_all_or_nothing(store, doc):
    d, s = doc
    fig = s["US$7 billion"]
    stack = cmd.UndoStack(store)
    with pytest.raises(InvariantError):
        stack.push(Together("two", [SetAttribute(fig, "unit", "USD"), SetAttribute(fig, "value", "lots")], fig))
    assert store.attribute(fig.id, "unit") is None and not stack.can_undo


def test_new_entity_links_and_undo_keeps_the_entity(store, doc):
    d, s = doc
    ministry = s["Ministry"]
    stack = cmd.UndoStack(store)
    stack.push(NewEntity(ministry, "MINISTRY", "Ministry"))
    assert store.attribute(ministry.id, "entity").value == "MINISTRY"
    stack.undo()
    assert store.attribute(ministry.id, "entity") is None and store.entity("MINISTRY").name == "Ministry"
    stack.redo()
    assert store.attribute(ministry.id, "entity").value == "MINISTRY"


def test_entity_ids_from_text():
    taken = {"IOM"}
    assert entity_id_from_text("IOM", taken.__contains__) == "IOM-2"
    assert entity_id_from_text("the Bali Process", taken.__contains__) == "THE-BALI-PROCESS"
    assert entity_id_from_text("Ministério da Justiça", taken.__contains__) == "MINISTERIO-DA-JUSTICA"
    assert entity_id_from_text("公安部", taken.__contains__) == "ENTITY"
    assert len(entity_id_from_text("Word " * 40, taken.__contains__)) <= 60


def test_candidates_nearest_first_in_either_direction(store, doc):
    d, s = doc
    types = store.relation_types()
    head = s["China will fund IOM and UNODC"]
    found = rc.candidates(head, store.spans(d.id), types)
    # inside the commitment (gap 0) first, then by distance; FIGURE fits AMOUNT
    assert [x.text for x in found] == ["IOM", "UNODC", "US$7 billion", "Ministry"]
    fits = rc.fits(types, s["IOM"], head)
    assert [(f.type.name, f.head.id) for f in fits] == [("ACTOR", head.id), ("PARTNER", head.id)]
    assert rc.fit_for_key(fits, "P").type.name == "PARTNER" and rc.fit_for_key(fits, "m") is None
    assert rc.candidates(s["IOM"], store.spans(d.id), types) == [head]


def test_proposals_from_the_registry_the_seed_and_the_figure_text(store, doc):
    from annotator.core.attribute_proposals import Proposer

    d, s = doc
    proposer = Proposer(store)
    fig = s["US$7 billion"]
    assert proposer.propose(fig, store.attribute_defs("FIGURE")) == {"value": 7_000_000_000, "unit": "USD",
                                                                      "approximate": False}
    assert proposer.propose(s["IOM"], store.attribute_defs("ORGANISATION")) == {"entity": "IOM"}  # the seed's
    assert proposer.propose(s["Ministry"], store.attribute_defs("ORGANISATION")) == {}
    store.add_entity("OUR-MINISTRY", "Our Ministry", aliases=("Ministry",))
    proposer.forget()  # an entity a reviewer added is proposed once the registry names the text
    assert proposer.propose(s["Ministry"], store.attribute_defs("ORGANISATION")) == {"entity": "OUR-MINISTRY"}
    # a commitment's kind from its wording ("will fund": a pledge)
    assert proposer.propose(s["China will fund IOM and UNODC"], store.attribute_defs("COMMITMENT")) == {"kind": "pledge"}
