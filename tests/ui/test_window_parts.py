"""Each part of the window on its own, without the window: what it shows and the signals it gives."""
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStatusBar

from annotator.core import commands as cmd
from annotator.core.model import Span
from annotator.store import Store
from annotator.ui.document_pane import DocumentPane
from annotator.ui.document_view import DocumentView
from annotator.ui.keys import KEYS, keys_html
from annotator.ui.review_status import ReviewStatus
from annotator.ui.span_editing import SpanEditor
from annotator.ui.span_pane import SpanPane

COLORS = {"ORGANISATION": "#0072b2", "FIGURE": "#e69f00"}


def span(start, end, label="ORGANISATION", id_="s1", text="IOM"):
    return Span(id=id_, doc_id="d", start=start, end=end, label=label, text=text, annotator="alice")


def test_document_pane_announces_the_document_a_click_chooses(qtbot, corpus_db):
    store = Store(corpus_db)
    pane = DocumentPane(store, "alice")
    qtbot.addWidget(pane)
    pane.show()
    chosen = []
    pane.sig_document_chosen.connect(chosen.append)
    rect = pane.list.visualRect(pane.model.index(1, 0))
    qtbot.mouseClick(pane.list.viewport(), Qt.LeftButton, pos=rect.center())
    assert chosen == [pane.model.data(pane.model.index(1, 0), Qt.UserRole)]
    pane.select_row_of(chosen[0])  # shown as current: choosing it again announces nothing
    qtbot.mouseClick(pane.list.viewport(), Qt.LeftButton, pos=rect.center())
    assert len(chosen) == 1
    pane.stop()


def test_span_pane_counts_its_rows_and_announces_the_row_a_click_chooses(qtbot):
    pane = SpanPane()
    qtbot.addWidget(pane)
    pane.show()
    pane.set_spans([], COLORS)
    pane.upsert(span(0, 3))
    pane.upsert(span(5, 9, "FIGURE", "s2", "US$7"))
    assert pane.title.text().endswith("(2)")
    chosen = []
    pane.sig_span_chosen.connect(chosen.append)
    qtbot.mouseClick(pane.table.viewport(), Qt.LeftButton, pos=pane.table.visualRect(pane.model.index(1, 1)).center())
    assert [s.id for s in chosen] == ["s2"]


def test_span_editor_tags_the_selection_and_reports_refusals(qtbot, tmp_path):
    store = Store(tmp_path / "x.db")
    doc = store.add_document("IOM pledged US$7 billion.\n")[0]
    view, pane = DocumentView(), SpanPane()
    qtbot.addWidget(view)
    qtbot.addWidget(pane)
    editor = SpanEditor(store, cmd.UndoStack(store), view, pane)
    editor.annotator = "alice"
    messages = []
    editor.sig_message.connect(lambda text, _ms: messages.append(text))
    store.subscribe(lambda change: [editor.span_changed(store.span(i)) for i in change.span_ids] if change.kind == "spans" else None)
    editor.show_document(doc.id, doc.text, [], COLORS)
    editor.apply_label("ORGANISATION")
    assert messages and "Select some text first" in messages[-1]
    view.select_offsets(0, 2)
    editor.apply_label("ORGANISATION")
    assert [(s.text, s.label) for s in store.spans(doc.id)] == [("IOM", "ORGANISATION")]
    assert view.selected is not None and view.selected.text == "IOM"
    assert pane.table.currentIndex().row() == 0


def test_review_status_names_the_reviewer_and_their_progress(qtbot, corpus_db):
    store = Store(corpus_db)
    bar, pane = QStatusBar(), SpanPane()
    qtbot.addWidget(bar)
    qtbot.addWidget(pane)
    stack = cmd.UndoStack(store)
    status = ReviewStatus(store, lambda command: stack.push(command) or True, bar, pane)
    status.annotator = "alice"
    status.doc_id = store.next_document(None, annotator="alice", status="todo")
    store.subscribe(lambda change: status.update())
    status.update()
    assert status.reviewer_label.text() == "Reviewer: alice"
    assert "Done 0 of 5" in status.progress_label.text()
    opened = []
    status.sig_open_document.connect(opened.append)
    status.mark("done", advance=True)
    assert "Done 1 of 5" in status.progress_label.text()
    assert len(opened) == 1 and opened[0] != status.doc_id


def test_the_keys_table_shows_every_row_as_text():
    html = keys_html()
    assert len(KEYS) > 10 and all(what in html for what, _ in KEYS if "'" not in what)


def test_the_readme_keys_table_is_the_f1_table():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("| What | Keys |"):readme.index("F1 shows this table in the window.")]
    rows = [tuple(cell.strip() for cell in line.strip("|").split(" | ")) for line in section.splitlines()[2:] if line.strip()]
    assert rows == [(what, keys) for what, keys in KEYS]
