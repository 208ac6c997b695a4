"""Issue 13, the window: the model retrained in the background when the `retrain_after` documents were newly
marked done, with progress and Cancel in the status bar, its held-out scores shown beside the previous model's,
and used at once; "Train model now" on demand. A tiny corpus and few passes keep it to seconds."""
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from annotator.store import Store
from annotator.suggest import latest_model, models, set_setting
from tests.ui.test_suggestions_window import wait_for_suggestions

LATER = "Later the IOM said so, and the IOM agreed."


def reviewed_db(tmp_path, done=5):
    """``done`` short notes tagged and marked done by alice, one more to do, then the one the model is for."""
    store = Store(tmp_path / "train.db")
    for i in range(done + 1):
        text = f"Note {i}: IOM and UNODC met. The IOM will help."
        doc = store.add_document(text, title=f"Note {i}")[0]
        for start in (text.index("IOM"), text.rindex("IOM")):
            store.add_span(doc.id, start, start + 3, "ORGANISATION", "alice")
        if i < done:
            store.set_review(doc.id, "alice", status="done")
    store.add_document(LATER, title="Later")
    set_setting(store, "sources", ["model"])  # only the model: what it suggests is the model's
    set_setting(store, "retrain_after", done + 1)
    store.close()
    return tmp_path / "train.db"


def assert_readable(scores):
    """Which columns are the new model's and which the previous one's is written in their headers; every column
    and row is in view, and every header and number fits its column (nothing elided or scrolled away)."""
    table = scores.table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers[2:9] == ["New P", "New R", "New F1", "Before P", "Before R", "Before F1", "F1 change"]
    assert table.horizontalHeader().length() <= table.viewport().width()
    assert table.verticalHeader().length() <= table.viewport().height()
    width = table.fontMetrics().horizontalAdvance
    for c in range(table.columnCount()):
        texts = [headers[c]] + [table.item(r, c).text() for r in range(table.rowCount())]
        assert table.columnWidth(c) >= max(width(t) for t in texts), headers[c]


def trained(w, qtbot, timeout=180_000):
    training = w.suggestions.training
    qtbot.waitUntil(lambda: not training.running, timeout=timeout)
    return training.last_result


def test_retrained_when_due_with_progress_then_scores_beside_the_previous_and_used(open_window, tmp_path, qtbot):
    w = open_window(reviewed_db(tmp_path))
    training = w.suggestions.training
    training.iterations = 15
    qtbot.wait(400)
    assert not training.running and latest_model(w.store) is None  # 5 done, retrain after 6: not yet
    assert w.doc_id is not None and w.store.document_text(w.doc_id).startswith("Note 0")
    w.open_document(next(d.id for d in w.store.list_documents() if d.title == "Note 5"))
    qtbot.keyClick(w.view, Qt.Key_Return, Qt.ControlModifier)  # the sixth done: due; the next to-do opens
    qtbot.waitUntil(lambda: training.running, timeout=5_000)
    assert training.bar.isVisible() and training.cancel_button.isVisible()
    assert "Training the suggestion model in the background (6 documents newly marked done" in \
        w.statusBar().currentMessage()
    assert w.store.document_text(w.doc_id) == LATER  # the window went on meanwhile
    qtbot.waitUntil(lambda: training.bar.maximum() == 15 or not training.running, timeout=120_000)
    scores = trained(w, qtbot)
    assert not training.bar.isVisible() and not training.cancel_button.isVisible()
    [first] = models(w.store)
    assert scores.isVisible() and scores.record.id == first.id and scores.previous is None
    rows = scores.rows()
    assert [r[0] for r in rows] == ["ORGANISATION", "ALL"]
    org = first.scores["ORGANISATION"]
    assert rows[0][1:5] == (str(org["support"]), f"{org['p']:.3f}", f"{org['r']:.3f}", f"{org['f']:.3f}")
    assert rows[0][5:] == ("–", "–", "–", "–", "ner")  # no previous model; learnt by the ner
    assert "Before: no model." in scores.findChild(QLabel, "modelSummary").text()
    assert scores.table.item(0, 0).text() == "ORGANISATION"
    # the new model is used: the open document's suggestions come from it
    qtbot.waitUntil(lambda: "model" in {s.source for s in w.suggestions.items}, timeout=60_000)
    wait_for_suggestions(w, qtbot)
    assert "IOM" in [s.text for s in w.suggestions.items if s.source == "model"]

    # Train model now: the second model's scores beside the first's
    scores.close()
    [now] = [a for a in w.suggestions.menu.actions() if a.text() == "Train model now"]
    now.trigger()
    assert training.running
    second = trained(w, qtbot)
    assert second.record.id != first.id and second.previous.id == first.id
    # the first model scored again on the same held-out documents (none were added): its scores as recorded
    new = second.record.scores["ORGANISATION"]
    assert second.rows()[0][2:9] == (f"{new['p']:.3f}", f"{new['r']:.3f}", f"{new['f']:.3f}",
                                     f"{org['p']:.3f}", f"{org['r']:.3f}", f"{org['f']:.3f}",
                                     f"{new['f'] - org['f']:+.3f}".replace("-", "−"))
    assert_readable(second)
    summary = second.findChild(QLabel, "modelSummary").text()
    assert f"New: model {second.record.id}, trained on" in summary
    assert f"Before: model {first.id}, trained on" in summary and "scored on the same held-out documents" in summary
    assert "trained: the suggestions now use it" in w.statusBar().currentMessage()


def test_training_is_cancelled_from_the_status_bar_and_saves_nothing(open_window, tmp_path, qtbot):
    w = open_window(reviewed_db(tmp_path))
    training = w.suggestions.training
    training.iterations = 1000
    [now] = [a for a in w.suggestions.menu.actions() if a.text() == "Train model now"]
    now.trigger()
    qtbot.waitUntil(lambda: training.bar.value() >= 1, timeout=120_000)  # a pass done: training runs
    qtbot.mouseClick(training.cancel_button, Qt.LeftButton)
    result = trained(w, qtbot, timeout=60_000)
    assert "cancelled" in result and models(w.store) == []
    assert "The suggestion model was not trained: training cancelled" in w.statusBar().currentMessage()
    assert not (tmp_path / "train.db.models").exists()


def test_a_previous_model_not_scored_again_is_shown_with_its_recorded_scores_and_says_so(qtbot):
    """A previous model that held nothing out (or whose folder is gone) could not be scored on the new model's
    held-out documents: its scores as recorded, and the window says they were on other documents."""
    from annotator.store.suggestions import ModelRecord
    from annotator.ui.suggestion_training import ScoresWindow

    def scores(p, r, f, n):
        return {"p": p, "r": r, "f": f, "support": n, "predicted": n}

    before = ModelRecord(1, "/gone", "2026-11-29T10:00:00", ["ORGANISATION"], 8, 2, 30,
                         {"ORGANISATION": scores(0.5, 0.25, 1 / 3, 8), "ALL": scores(0.5, 0.25, 1 / 3, 8)}, 3.0, {})
    new = ModelRecord(2, "/new", "2026-11-29T11:00:00", ["ORGANISATION", "FIGURE"], 16, 4, 60,
                      {"FIGURE": scores(1.0, 0.5, 2 / 3, 4), "ORGANISATION": scores(0.75, 0.5, 0.6, 12),
                       "ALL": scores(0.8, 0.5, 0.615, 16)}, 5.0, {"ner": ["FIGURE", "ORGANISATION"], "spancat": []})
    window = ScoresWindow(new, before)
    qtbot.addWidget(window)
    window.show()
    summary = window.findChild(QLabel, "modelSummary").text()
    assert "Before: model 1, trained on 8 document(s) (30 spans), scores as recorded when it was trained, on the 2 " \
           "document(s) held out then" in summary
    rows = {row[0]: row for row in window.rows()}
    assert rows["ORGANISATION"][5:] == ("0.500", "0.250", "0.333", "+0.267", "ner")
    assert rows["FIGURE"][5:] == ("–", "–", "–", "–", "ner")   # a label the previous model did not learn
    assert_readable(window)
