"""Issue 9, section 4: the window notices what other connections commit (a terminal import, a second window
tagging the same database) and shows it within about a second, without losing the reviewer's place."""
import subprocess
import sys

from PySide6.QtCore import Qt

from annotator.store import Store
from tests.conftest import ROOT


def test_an_import_from_a_terminal_shows_in_the_list(window, corpus_db, tmp_path, qtbot):
    assert window.doc_model.rowCount() == 5
    article = tmp_path / "new.txt"
    article.write_text("A sixth article, about Interpol and Europol.\n")
    done = subprocess.run([sys.executable, "-m", "annotator", "--db", str(corpus_db), "import", str(article)],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    qtbot.waitUntil(lambda: window.doc_model.rowCount() == 6, timeout=2000)


def test_a_second_window_tagging_the_same_database(window, corpus_db, qtbot):
    doc = window.doc_id
    text = window.view.text
    at = text.index("Liu Jieyi")
    window.view.select_offsets(at, at + len("Liu Jieyi"))
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key_3)
    mine = window.span_pane.spans[0]
    window.select_span(mine)
    other = Store(corpus_db)  # the same reviewer in a second window
    at2 = text.index("Ministry of Foreign Affairs")
    added = other.add_span(doc, at2, at2 + len("Ministry of Foreign Affairs"), "ORGANISATION", "alice")
    qtbot.waitUntil(lambda: len(window.span_pane.spans) == 2, timeout=2000)
    assert window.view.selected is not None and window.view.selected.id == mine.id  # the reviewer's place kept
    other.relabel_span(added.id, "FIGURE")
    qtbot.waitUntil(lambda: any(s.label == "FIGURE" for s in window.span_pane.spans), timeout=2000)
    other.delete_span(added.id)
    qtbot.waitUntil(lambda: len(window.span_pane.spans) == 1, timeout=2000)
    other.set_review(doc, "alice", status="done")
    qtbot.waitUntil(lambda: "Done 1 of 5" in window.progress_label.text(), timeout=2000)
    other.add_label("LOCATION")
    qtbot.waitUntil(lambda: any(l.name == "LOCATION" for l in window.labels), timeout=2000)
