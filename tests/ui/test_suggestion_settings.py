"""Issue 13, the window: the suggestion settings (Review > Suggestion settings…) by mouse and keyboard, stored
where `annotator suggest-settings` stores them, checked by the same code, and used at once."""
import spacy
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialogButtonBox

from annotator.suggest import settings
from tests.ui.test_suggestions_window import FIGURE, ORG, third, three_db  # noqa: F401 (fixtures)


def open_settings(w, qtbot):
    [action] = [a for a in w.review_menu.actions() if a.text() == "Suggestion settings…"]
    action.trigger()
    dialog = w.suggestions.settings_window
    qtbot.waitExposed(dialog)
    return dialog


def click(qtbot, widget):
    qtbot.mouseClick(widget, Qt.LeftButton, pos=QPoint(6, widget.height() // 2))


def type_into(qtbot, box, words):
    box.setFocus()
    qtbot.keyClick(box, Qt.Key_A, Qt.ControlModifier)
    qtbot.keyClicks(box, words)


def save(dialog, qtbot):
    button = dialog.buttons.button(QDialogButtonBox.Save)
    qtbot.mouseClick(button, Qt.LeftButton)


def shown(w):
    return sorted((s.text, s.source) for s in w.suggestions.items)


def test_sources_thresholds_mapping_and_retraining_set_from_the_window(third, qtbot):
    w = third
    assert {s.source for s in w.suggestions.items} == {"corpus", "patterns"}
    dialog = open_settings(w, qtbot)
    click(qtbot, dialog.source_boxes["corpus"])            # the corpus off
    type_into(qtbot, dialog.threshold, "0.9")               # accept all from 0.90
    type_into(qtbot, dialog.shown_from, "0.65")             # nothing shown below 0.65: the FIGURE (0.60) goes
    type_into(qtbot, dialog.retrain_after, "3")
    cardinal = dialog.mapping_combo("CARDINAL")
    cardinal.setFocus()
    qtbot.keyClick(cardinal, Qt.Key_Home)                   # "(not suggested)", the first choice
    save(dialog, qtbot)
    assert not dialog.isVisible()
    stored = settings(w.store)  # what `annotator suggest-settings` shows
    assert stored["sources"] == ["patterns", "model"] and stored["min_score"] == 0.9
    assert stored["shown_min_score"] == 0.65 and stored["retrain_after"] == 3
    assert "CARDINAL" not in stored["spacy_labels"] and stored["spacy_labels"]["ORG"] == "ORGANISATION"
    qtbot.waitUntil(lambda: shown(w) == [("IOM", "patterns")], timeout=30_000)
    assert w.suggestions.label.text() == "Suggestions: 1 · 0 at ≥ 0.90"
    assert "Suggestion settings saved" in w.statusBar().currentMessage()
    # Ctrl+Shift+A takes nothing below the new threshold
    qtbot.keyClick(w.view, Qt.Key_A, Qt.ControlModifier | Qt.ShiftModifier)
    assert w.store.spans(w.doc_id) == []


def test_a_value_refused_says_why_and_stores_nothing_and_a_pipeline_folder_is_a_source(third, qtbot, tmp_path):
    w = third
    before = settings(w.store)
    dialog = open_settings(w, qtbot)
    click(qtbot, dialog.source_boxes["patterns"])
    type_into(qtbot, dialog.pipeline.lineEdit(), "no_such_pipeline")
    save(dialog, qtbot)
    assert dialog.isVisible() and dialog.error.isVisible()
    assert dialog.error.text().startswith("Not saved: spacy_pipeline: no installed spaCy pipeline or pipeline "
                                          "folder 'no_such_pipeline'")
    assert settings(w.store) == before  # the patterns are still on: all or nothing

    nlp = spacy.blank("en")  # a pipeline of our own, saved as a user's would be: nothing downloaded
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "NORP", "pattern": "Pakistani"}])
    nlp.to_disk(tmp_path / "mine")
    type_into(qtbot, dialog.pipeline.lineEdit(), str(tmp_path / "mine"))
    norp = dialog.mapping_combo("NORP")                     # spaCy's NORP, not mapped by default
    assert norp.currentText() == "(not suggested)"
    norp.setFocus()
    qtbot.keyClick(norp, Qt.Key_End)                        # our last label: COMMITMENT
    save(dialog, qtbot)
    assert not dialog.isVisible()
    stored = settings(w.store)
    assert stored["spacy_pipeline"] == str(tmp_path / "mine") and stored["spacy_labels"]["NORP"] == "COMMITMENT"
    assert stored["sources"] == ["corpus", "model"]
    source = f"spacy:{tmp_path / 'mine'}"
    qtbot.waitUntil(lambda: ("Pakistani", source) in shown(w), timeout=30_000)
    assert FIGURE not in [s.text for s in w.suggestions.items]  # the patterns are off
    assert (ORG, "corpus") in shown(w)
