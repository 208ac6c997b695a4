"""Adjudication as undoable commands: take, take all agreed, reject, edit, remove; progress per document."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from annotator.core.commands import UndoStack
from annotator.curation import adjudication as adj
from annotator.store import Store
from annotator.store import gold as gold_store

TEXT = "The UNODC met IOM in Bali.\nThey pledged US$7 billion."


@pytest.fixture
def doc(store):
    d = store.add_document(TEXT)[0].id
    for who in ("alice", "bob"):
        store.add_span(d, 4, 9, "ORGANISATION", who)         # agreed
        store.set_review(d, who, status="done")
    store.add_span(d, 40, 52, "FIGURE", "alice")            # alice only
    store.add_span(d, 40, 44, "FIGURE", "bob")              # bob only
    store.add_span(d, 14, 17, "ORGANISATION", "bob")        # bob only
    return d


def test_candidates_of_a_document(store, doc):
    state = adj.document(store, doc)
    assert state.annotators == ["alice", "bob"]
    assert [(c.text, c.annotators, c.agreed) for c in state.candidates] == [
        ("UNODC", ("alice", "bob"), True), ("IOM", ("bob",), False),
        ("US$7 billion", ("alice",), False), ("US$7", ("bob",), False),
    ]
    assert len(state.candidates[0].span_ids) == 2 and state.decided == 0 and not state.done


def test_take_agreed_then_undo_and_redo(store, doc):
    stack = UndoStack(store)
    command = stack.push(adj.TakeAgreed(doc, "carol"))
    assert command.count == 1
    (g,) = gold_store.spans(store, doc)
    assert (g.text, g.annotator, len(g.sources)) == ("UNODC", "carol", 2)
    state = adj.document(store, doc)
    assert state.candidates[0].decision == "taken" and state.decided == 1
    assert stack.push(adj.TakeAgreed(doc, "carol")).count == 0  # nothing left to take
    stack.undo()
    stack.undo()
    assert gold_store.spans(store, doc) == []
    stack.redo()
    assert [x.id for x in gold_store.spans(store, doc)] == [g.id]


def test_take_reject_edit_remove_all_undoable(store, doc):
    stack = UndoStack(store)
    state = adj.document(store, doc)
    unodc, iom, long, short = state.candidates
    stack.push(adj.TakeCandidate(long, "carol"))
    stack.push(adj.RejectCandidate(short, "carol"))
    stack.push(adj.RejectCandidate(iom, "carol"))
    stack.push(adj.TakeCandidate(unodc, "carol"))
    state = adj.document(store, doc)
    assert [c.decision for c in state.candidates] == ["taken", "rejected", "taken", "rejected"] and state.done
    assert state.progress().fraction == 1.0

    figure = [g for g in state.gold if g.label == "FIGURE"][0]
    stack.push(adj.EditGold(figure, "dave", end=44))
    after = gold_store.get(store, figure.id)
    assert (after.text, after.annotator) == ("US$7", "dave")
    # the edited gold span still decides alice's candidate (it was taken from her span)
    assert adj.document(store, doc).candidates[2].decision == "taken"
    stack.undo()
    assert gold_store.get(store, figure.id).text == "US$7 billion"

    stack.push(adj.RemoveGold(gold_store.get(store, figure.id)))
    assert adj.document(store, doc).candidates[2].decision is None
    stack.undo()
    assert adj.document(store, doc).candidates[2].decision == "taken"

    while stack.can_undo:
        stack.undo()
    state = adj.document(store, doc)
    assert state.decided == 0 and state.gold == [] and state.rejections == []


def test_rejecting_a_taken_candidate_takes_it_out_and_undo_puts_it_back(store, doc):
    stack = UndoStack(store)
    unodc = adj.document(store, doc).candidates[0]
    stack.push(adj.TakeCandidate(unodc, "carol"))
    stack.push(adj.RejectCandidate(unodc, "carol"))
    state = adj.document(store, doc)
    assert state.gold == [] and state.candidates[0].decision == "rejected"
    stack.undo()
    state = adj.document(store, doc)
    assert len(state.gold) == 1 and state.candidates[0].decision == "taken"


def test_progress_per_document(store, doc):
    other = store.add_document("Nothing to see.")[0].id
    UndoStack(store).push(adj.TakeAgreed(doc, "carol"))
    rows = list(adj.progress(store))
    assert [(r.doc_id, r.candidates, r.decided, r.agreed, r.gold) for r in rows] == [(doc, 4, 1, 1, 1)]
    assert other not in [r.doc_id for r in rows]


def test_gold_from_the_command_line_and_export(tmp_path):
    from annotator.cli import main

    db = tmp_path / "c.db"
    store = Store(db)
    d = store.add_document(TEXT)[0].id
    for who in ("alice", "bob"):
        store.add_span(d, 4, 9, "ORGANISATION", who)
        store.set_review(d, who, status="done")
    bob_only = store.add_span(d, 14, 17, "ORGANISATION", "bob")
    store.close()

    def run(*args):
        result = CliRunner().invoke(main, ["--db", str(db), *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    assert "1 agreed span(s) taken into gold in 1 document(s)" in run("gold", "--curator", "carol", "take-agreed")
    assert "0 of 2" not in run("gold", "status") and "1 of 2 candidates decided" in run("gold", "status")
    assert "rejected: ORGANISATION “IOM”" in run("gold", "--curator", "carol", "reject", bob_only.id)
    assert "2 of 2 candidates decided; 1 document(s) fully curated" in run("gold", "status")
    shown = run("gold", "show", d)
    assert "agreed taken" in shown and "rejected" in shown
    out = tmp_path / "gold.jsonl"
    run("export", "--gold", "-o", str(out))
    (line,) = out.read_text(encoding="utf-8").splitlines()
    rec = json.loads(line)
    assert [(s["text"], s["annotator"]) for s in rec["spans"]] == [("UNODC", "carol")] and rec["reviews"] == []
    gold_id = rec["spans"][0]["id"]
    assert "gold: FIGURE" in run("gold", "--curator", "dave", "edit", gold_id, "--label", "FIGURE")
    assert "removed" in run("gold", "remove", gold_id)
    assert "gold: FIGURE “IOM”" in run("gold", "add", d, "14", "17", "FIGURE")
