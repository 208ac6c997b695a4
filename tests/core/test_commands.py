"""Undo and redo live in the core: every action can be taken back, without Qt."""
import pytest

from annotator.core import commands as cmd
from annotator.core.errors import InvariantError

TEXT = "UNODC and IOM pledged US$7 billion."


@pytest.fixture
def setup(store):
    doc = store.add_document(TEXT)[0]
    return store, doc, cmd.UndoStack(store)


def test_add_undo_redo_keeps_the_same_span(setup):
    store, doc, stack = setup
    c = stack.push(cmd.AddSpan(doc.id, 0, 5, "ORGANISATION", "alice"))
    assert [s.text for s in store.spans(doc.id)] == ["UNODC"] and stack.undo_text == "add ORGANISATION"
    stack.undo()
    assert store.spans(doc.id) == [] and stack.redo_text == "add ORGANISATION"
    stack.redo()
    assert [s.id for s in store.spans(doc.id)] == [c.span.id]


def test_relabel_resize_note_delete_undo_in_order(setup):
    store, doc, stack = setup
    span = stack.push(cmd.AddSpan(doc.id, 10, 13, "ORGANISATION", "alice")).span
    stack.push(cmd.relabel(span, "FIGURE"))
    stack.push(cmd.resize(store.span(span.id), 10, 21))
    stack.push(cmd.note(store.span(span.id), "check"))
    stack.push(cmd.DeleteSpan(store.span(span.id)))
    assert store.spans(doc.id) == []
    stack.undo()
    assert store.span(span.id).note == "check" and store.span(span.id).text == "IOM pledged"
    stack.undo()
    assert store.span(span.id).note == ""
    stack.undo()
    assert store.span(span.id).text == "IOM" and store.span(span.id).label == "FIGURE"
    stack.undo()
    assert store.span(span.id).label == "ORGANISATION"
    while stack.can_redo:
        stack.redo()
    assert store.spans(doc.id) == []


def test_status_change_is_undoable(setup):
    store, doc, stack = setup
    stack.push(cmd.SetReview(doc.id, "alice", status="done"))
    stack.push(cmd.SetReview(doc.id, "alice", note="needs a second look"))
    assert store.review(doc.id, "alice").note == "needs a second look"
    stack.undo()
    stack.undo()
    assert store.review(doc.id, "alice").status == "todo"


def test_refused_command_is_not_recorded(setup):
    store, doc, stack = setup
    with pytest.raises(InvariantError):
        stack.push(cmd.AddSpan(doc.id, 3, 999, "FIGURE", "alice"))
    assert not stack.can_undo


def test_new_action_clears_redo(setup):
    store, doc, stack = setup
    stack.push(cmd.AddSpan(doc.id, 0, 5, "ORGANISATION", "alice"))
    stack.undo()
    stack.push(cmd.AddSpan(doc.id, 10, 13, "ORGANISATION", "alice"))
    assert not stack.can_redo
