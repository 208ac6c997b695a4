"""File > Import and File > Export: the work runs off the GUI thread, with progress, a report and cancel."""
import json

from PySide6.QtCore import Qt

from annotator.store import Store
from tests.conftest import DOCUMENTS


def run(dialog, qtbot):
    qtbot.mouseClick(dialog.run_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.job is None, timeout=20_000)


def test_import_a_folder_from_the_window(open_window, tmp_path, qtbot):
    w = open_window(tmp_path / "empty.db")
    assert w.doc_model.rowCount() == 0
    qtbot.keyClick(w, Qt.Key_I, Qt.ControlModifier)
    dialog = w.findChild(object, "importDialog")
    qtbot.addWidget(dialog)
    dialog.add_paths(str(DOCUMENTS))
    run(dialog, qtbot)
    assert "5 document(s) imported" in dialog.report.toPlainText()
    assert w.doc_model.rowCount() == 5 and w.doc_id is not None
    run(dialog, qtbot)
    assert "5 document(s) already in the database" in dialog.report.toPlainText()


def test_bad_import_reports_file_and_line_and_changes_nothing(open_window, tmp_path, qtbot):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "fine"}\n{"text": "abc", "spans": [{"start": 2, "end": 1, "label": "FIGURE"}]}\n')
    w = open_window(tmp_path / "empty.db")
    dialog = w.import_dialog()
    qtbot.addWidget(dialog)
    dialog.add_paths(str(bad))
    run(dialog, qtbot)
    assert f"{bad}, line 2: span 1: span 2-1 is empty or reversed" in dialog.report.toPlainText()
    assert w.store.document_count() == 0
    dialog.skip_invalid.setChecked(True)
    run(dialog, qtbot)
    assert "1 invalid record(s) skipped" in dialog.report.toPlainText() and w.store.document_count() == 1


def test_cancelled_import_leaves_the_database_as_it_was(open_window, tmp_path, qtbot):
    big = tmp_path / "many.jsonl"
    big.write_text("".join(json.dumps({"text": f"Article {i} about UNODC " * 20}) + "\n" for i in range(20_000)))
    w = open_window(tmp_path / "empty.db")
    dialog = w.import_dialog()
    qtbot.addWidget(dialog)
    dialog.add_paths(str(big))
    qtbot.mouseClick(dialog.run_button, Qt.LeftButton)
    qtbot.mouseClick(dialog.cancel_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.job is None, timeout=20_000)
    assert "Cancelled: nothing was changed." in dialog.report.toPlainText()
    assert Store(tmp_path / "empty.db").document_count() == 0


def test_export_with_filters_from_the_window(window, tmp_path, qtbot):
    view = window.view
    for phrase, key in (("Liu Jieyi", Qt.Key_3), ("Ministry of Foreign Affairs", Qt.Key_1)):
        at = view.text.index(phrase)
        view.select_offsets(at, at + len(phrase))
        qtbot.keyClick(view, key)
    qtbot.keyClick(window, Qt.Key_E, Qt.ControlModifier)
    dialog = window.findChild(object, "exportDialog")
    qtbot.addWidget(dialog)
    out = tmp_path / "orgs.jsonl"
    dialog.output.setText(str(out))
    dialog.label.setCurrentIndex(dialog.label.findData("ORGANISATION"))
    run(dialog, qtbot)
    assert "5 document(s) written" in dialog.report.toPlainText()
    spans = [s for line in out.read_text().splitlines() for s in json.loads(line)["spans"]]
    assert [(s["text"], s["label"]) for s in spans] == [("Ministry of Foreign Affairs", "ORGANISATION")]
