"""Issue 12 items 9-10: a first start and an empty database say what to do; an empty search says no match."""
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from tests.conftest import DOCUMENTS


def test_an_empty_database_says_how_to_import(open_window, tmp_path, qtbot):
    w = open_window(tmp_path / "empty.db")
    hint = w.view.placeholderText()
    assert "Import" in hint and "Ctrl+I" in hint and "drop" in hint
    assert w.view.toPlainText() == ""
    w.view.grab().save(str(tmp_path / "empty.png"))  # painted without error


def test_files_dropped_on_the_window_open_the_import_dialog_with_them(open_window, tmp_path, qtbot):
    w = open_window(tmp_path / "empty.db")
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(DOCUMENTS))])
    enter = QDragEnterEvent(QPoint(50, 50), Qt.CopyAction, data, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(w, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPoint(50, 50), Qt.CopyAction, data, Qt.LeftButton, Qt.NoModifier)
    QApplication.sendEvent(w, drop)
    dialog = w.findChild(object, "importDialog")
    qtbot.addWidget(dialog)
    assert dialog.chosen_paths() == [str(DOCUMENTS)]
    qtbot.mouseClick(dialog.run_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.job is None, timeout=20_000)
    assert w.doc_model.rowCount() == 5 and w.view.placeholderText() == ""


def test_a_search_with_no_hits_says_no_match(window, qtbot):
    window.indexer.wait(10_000)
    qtbot.keyClicks(window.search_box, "zzyzx")
    qtbot.waitUntil(lambda: window.doc_model.rowCount() == 0)
    note = window.document_pane.empty_note
    assert note.isVisible() and note.text() == "No match for “zzyzx”."
    window.search_box.clear()
    qtbot.waitUntil(lambda: window.doc_model.rowCount() == 5)
    assert not note.isVisible()
