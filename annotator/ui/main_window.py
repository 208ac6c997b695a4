"""The review desk: find an article, read it, tag spans from the keyboard, mark it reviewed."""
from __future__ import annotations

import hashlib

from PySide6.QtCore import QEvent, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QColorDialog,
    QComboBox,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..core import commands as cmd
from ..core.errors import AnnotatorError
from ..core.model import Span
from ..core.tokenize import snap_to_tokens
from .document_view import DocumentView
from .models import STATUS_TEXT, DocumentListModel, SpanListModel
from .palette import LabelPalette
from .search_index import SearchIndexer

KEYS = [
    ("Select text", "mouse drag, or Shift+arrows / Ctrl+Shift+arrows (by word)"),
    ("Tag the selection / relabel the selected span", "1, 2, 3 … (the palette shows each label's key)"),
    ("Next / previous span", "] / ["),
    ("Delete the selected span", "Delete or Backspace"),
    ("Grow / shrink the span's start by a word", "Alt+Left / Alt+Right"),
    ("Grow / shrink the span's end by a word", "Alt+Shift+Right / Alt+Shift+Left"),
    ("Note on the selected span", "N"),
    ("Clear the span selection", "Esc"),
    ("Undo / redo", "Ctrl+Z / Ctrl+Shift+Z (or Ctrl+Y)"),
    ("Mark done and open the next to-do document", "Ctrl+Return"),
    ("Mark skipped and open the next to-do document", "Ctrl+Shift+Return"),
    ("Mark back to to-do", "Ctrl+Backspace"),
    ("Document note", "Ctrl+Shift+N"),
    ("Next / previous document in the list", "Ctrl+PgDown / Ctrl+PgUp"),
    ("Search titles and text", "Ctrl+F"),
    ("Snap selections to whole words on/off", "Ctrl+Shift+W"),
    ("Zoom in / out / back to the usual size", "Ctrl+= / Ctrl+- / Ctrl+0"),
    ("Import / export / merge reviewers' work", "Ctrl+I / Ctrl+E / Ctrl+Shift+M"),
    ("Curation mode on/off", "Ctrl+Shift+C"),
    ("In curation mode: take into gold / with another label / the selected range", "G or Enter / 1, 2, 3 … / E"),
    ("In curation mode: take every agreed span / reject", "A / R or Delete"),
]


def last_document_key(db_path) -> str:
    """The settings key of the document last open in a database (each database remembers its own)."""
    return "document/" + hashlib.sha1(str(db_path).encode("utf-8")).hexdigest()[:16]


class MainWindow(QMainWindow):
    def __init__(self, store, annotator: str, settings: QSettings | None = None):
        super().__init__()
        self.setObjectName("mainWindow")
        self.store = store
        self.annotator = annotator
        self.settings = settings or QSettings()
        self.stack = cmd.UndoStack(store)
        self.doc_id: str | None = None
        self.labels = store.labels()
        self.colors = {l.name: l.color for l in store.labels(include_retired=True)}
        self.label_actions: list[QAction] = []

        self._build_widgets()
        self._build_actions()
        self._unsubscribe = store.subscribe(self._on_change)
        self.stack.listeners.append(self._update_undo_actions)
        self._refresh_docs = QTimer(self, singleShot=True, interval=250)
        self._refresh_docs.timeout.connect(self._reload_document_rows)
        self.indexer = SearchIndexer(store.path, self)
        self._search_waiting = False
        self.indexer.finished.connect(self._search_ready)
        self.indexer.start()
        self._restore()
        self._update_status()
        self._update_undo_actions()

    # -- building ---------------------------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.setWindowTitle(f"annotator — {self.store.path}")
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(6, 6, 0, 6)
        self.search_box = QLineEdit(objectName="searchBox", placeholderText="Search titles and text (Ctrl+F)")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.installEventFilter(self)
        self.status_filter = QComboBox(objectName="statusFilter")
        for text, value in [("All documents", None), ("To do", "todo"), ("Done", "done"), ("Skipped", "skipped")]:
            self.status_filter.addItem(text, value)
        self.doc_model = DocumentListModel(self.store, self.annotator, self)
        self.doc_list = QTableView(objectName="documentList")
        self.doc_list.setModel(self.doc_model)
        self.doc_list.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.doc_list.setSelectionMode(QAbstractItemView.SingleSelection)
        self.doc_list.verticalHeader().hide()
        self.doc_list.verticalHeader().setDefaultSectionSize(24)
        self.doc_list.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.doc_list.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeToContents)
        self.doc_list.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeToContents)
        self.doc_list.setWordWrap(False)
        self.doc_list.setAlternatingRowColors(True)
        lv.addWidget(self.search_box)
        lv.addWidget(self.status_filter)
        lv.addWidget(self.doc_list, 1)

        self.view = DocumentView()
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 6, 6, 6)
        self.palette_widget = LabelPalette()
        self.palette_widget.set_labels(self.labels)
        self.span_model = SpanListModel(self)
        # a table, not a QListView: a list view lays out every row again on each insert (30 ms at 10,000 spans)
        self.span_list = QTableView(objectName="spanList")
        self.span_list.setModel(self.span_model)
        self.span_list.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.span_list.setSelectionMode(QAbstractItemView.SingleSelection)
        self.span_list.verticalHeader().hide()
        self.span_list.verticalHeader().setDefaultSectionSize(22)
        self.span_list.setWordWrap(False)
        header = self.span_list.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)  # fitting to contents reads every row on each edit
        header.setSectionResizeMode(1, QHeaderView.Stretch)
        self._fit_label_column()
        header.resizeSection(2, 60)
        self.doc_note = QLabel(objectName="documentNote", wordWrap=True)
        self.doc_note.setTextFormat(Qt.PlainText)
        rv.addWidget(self.palette_widget)
        self.spans_title = QLabel("<b>Spans</b>")
        rv.addWidget(self.spans_title)
        rv.addWidget(self.span_list, 1)
        rv.addWidget(QLabel("<b>Document note</b> (Ctrl+Shift+N)"))
        rv.addWidget(self.doc_note)

        self.splitter = QSplitter(objectName="mainSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([290, 730, 380])
        self.setCentralWidget(self.splitter)

        self.reviewer_label = QLabel(objectName="reviewerLabel")
        self.progress_label = QLabel(objectName="progressLabel")
        self.hover_label = QLabel(objectName="hoverLabel")
        self.statusBar().addWidget(self.hover_label, 1)
        self.statusBar().addPermanentWidget(self.reviewer_label)
        self.statusBar().addPermanentWidget(self.progress_label)

        self.search_box.textChanged.connect(self._filter_changed)
        self.status_filter.currentIndexChanged.connect(self._filter_changed)
        self.doc_list.selectionModel().currentRowChanged.connect(self._doc_row_changed)
        self.span_list.selectionModel().currentRowChanged.connect(self._span_row_changed)
        self.view.sig_span_clicked.connect(self._span_clicked)
        self.view.sig_hover.connect(self._hover)
        self.palette_widget.sig_apply.connect(self.apply_label)
        self.palette_widget.sig_add.connect(self.add_label)
        self.palette_widget.sig_recolor.connect(self.recolor_label)

    # Text-editing keys typed in the search box edit the search, even where the window has a shortcut on the
    # same key (Ctrl+Backspace "mark to do" would otherwise eat "delete the previous word").
    _EDITING_KEYS = (
        QKeySequence.StandardKey.DeleteStartOfWord,
        QKeySequence.StandardKey.DeleteEndOfWord,
        QKeySequence.StandardKey.Undo,
        QKeySequence.StandardKey.Redo,
    )

    def eventFilter(self, watched, event):  # noqa: N802
        if watched is self.search_box and event.type() == QEvent.Type.ShortcutOverride:
            if any(event.matches(k) for k in self._EDITING_KEYS) or event.key() in (Qt.Key_Backspace, Qt.Key_Delete):
                event.accept()
                return True
        return super().eventFilter(watched, event)

    def _document_key(self) -> str:
        return last_document_key(self.store.path)

    def _fit_label_column(self) -> None:
        """The span table's label column fits the longest label name (measured once, not row by row)."""
        names = [l.name for l in self.labels] or ["LABEL"]
        width = max(self.span_list.fontMetrics().horizontalAdvance(n) for n in names)
        self.span_list.horizontalHeader().resizeSection(0, width + 40)  # the colour swatch and margins

    def _action(self, menu, text: str, keys, slot, checkable: bool = False) -> QAction:
        action = QAction(text, self)
        if keys:
            action.setShortcuts([QKeySequence(k) for k in (keys if isinstance(keys, list) else [keys])])
        action.setCheckable(checkable)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_actions(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        self._action(file, "Import…", ["Ctrl+I"], self.import_dialog)
        self._action(file, "Export…", ["Ctrl+E"], self.export_dialog)
        self._action(file, "Merge reviewers' work…", ["Ctrl+Shift+M"], self.merge_dialog)
        file.addSeparator()
        self._action(file, "Change reviewer name…", None, self.change_name)
        file.addSeparator()
        self._action(file, "&Quit", QKeySequence.Quit, self.close)

        edit = bar.addMenu("&Edit")
        self.undo_action = self._action(edit, "Undo", ["Ctrl+Z"], self.undo)
        self.redo_action = self._action(edit, "Redo", ["Ctrl+Shift+Z", "Ctrl+Y"], self.redo)
        edit.addSeparator()
        self._action(edit, "Delete span", ["Delete", "Backspace"], self.delete_span)
        self._action(edit, "Note on span…", ["N"], self.note_span)
        self._action(edit, "Next span", ["]"], lambda: self.step_span(1))
        self._action(edit, "Previous span", ["["], lambda: self.step_span(-1))
        self._action(edit, "Clear span selection", ["Esc"], lambda: self.select_span(None))
        self._action(edit, "Grow start by a word", ["Alt+Left"], lambda: self.nudge("start", -1))
        self._action(edit, "Shrink start by a word", ["Alt+Right"], lambda: self.nudge("start", 1))
        self._action(edit, "Grow end by a word", ["Alt+Shift+Right"], lambda: self.nudge("end", 1))
        self._action(edit, "Shrink end by a word", ["Alt+Shift+Left"], lambda: self.nudge("end", -1))
        edit.addSeparator()
        self.snap_action = self._action(edit, "Snap selections to whole words", ["Ctrl+Shift+W"], self._snap_toggled, True)
        self.snap_action.setChecked(True)
        self.labels_menu = bar.addMenu("&Labels")
        self._rebuild_label_actions()

        review = bar.addMenu("&Review")
        self._action(review, "Mark done, open next to-do", ["Ctrl+Return", "Ctrl+Enter"], lambda: self.mark("done", advance=True))
        self._action(review, "Mark skipped, open next to-do", ["Ctrl+Shift+Return", "Ctrl+Shift+Enter"], lambda: self.mark("skipped", advance=True))
        self._action(review, "Mark to do", ["Ctrl+Backspace"], lambda: self.mark("todo"))
        self._action(review, "Document note…", ["Ctrl+Shift+N"], self.document_note)
        review.addSeparator()
        self.curation_action = self._action(review, "Curation mode", ["Ctrl+Shift+C"], self.toggle_curation, True)
        self._action(review, "Agreement…", None, self.agreement_dialog)
        self._action(review, "Consistency…", None, self.consistency_dialog)
        review.addSeparator()
        self._action(review, "Next document", ["Ctrl+PgDown"], lambda: self.step_document(1))
        self._action(review, "Previous document", ["Ctrl+PgUp"], lambda: self.step_document(-1))
        self._action(review, "Search…", ["Ctrl+F"], self._focus_search)

        view = bar.addMenu("&View")
        self._action(view, "Zoom in", ["Ctrl+=", "Ctrl++"], lambda: self.view.zoom(1))
        self._action(view, "Zoom out", ["Ctrl+-"], lambda: self.view.zoom(-1))
        self._action(view, "Usual size", ["Ctrl+0"], lambda: self.view.zoom(0))

        help_ = bar.addMenu("&Help")
        self._action(help_, "Keys…", ["F1"], self.show_keys)

    def _rebuild_label_actions(self) -> None:
        for action in self.label_actions:
            self.removeAction(action)
        self.labels_menu.clear()
        self.label_actions = [
            self._action(self.labels_menu, f"Apply {l.name}", [l.hotkey] if l.hotkey else None,
                         lambda _=False, n=l.name: self.apply_label(n))
            for l in self.labels
        ]
        self.labels_menu.addSeparator()
        self._action(self.labels_menu, "Add label…", None, self.add_label)

    # -- documents --------------------------------------------------------------------------------------------

    def _filter_changed(self, *_):
        if self.search_box.text().strip() and self.indexer.isRunning():
            # The index is being brought up to date off the GUI thread: a search now would race it for the
            # database ("database is locked") or index the rest here, freezing the window. Filter when it is done.
            self._search_waiting = True
            self.statusBar().showMessage("Indexing the corpus for search… the list filters as soon as it is ready")
            return
        self.doc_model.set_filter(self.status_filter.currentData(), self.search_box.text())
        self._select_row_of(self.doc_id)

    def _search_ready(self) -> None:
        if self._search_waiting:
            self._search_waiting = False
            self.statusBar().clearMessage()
            self._filter_changed()

    def _focus_search(self):
        self.search_box.setFocus()
        self.search_box.selectAll()

    def _doc_row_changed(self, current, _previous):
        doc_id = self.doc_model.data(self.doc_model.index(current.row(), 0), Qt.UserRole) if current.isValid() else None
        if doc_id and doc_id != self.doc_id:
            self.open_document(doc_id)

    def _select_row_of(self, doc_id: str | None) -> None:
        if not doc_id:
            return
        row = self.doc_model.row_of(doc_id)
        if row >= 0:
            blocked = self.doc_list.selectionModel().blockSignals(True)
            self.doc_list.selectRow(row)
            self.doc_list.selectionModel().blockSignals(blocked)
            self.doc_list.scrollTo(self.doc_model.index(row, 0))

    def open_document(self, doc_id: str) -> None:
        doc = self.store.document(doc_id)
        self.doc_id = doc_id
        spans = self.store.spans(doc_id, annotator=self.annotator)
        self.view.show_document(doc.text, spans, self.colors)
        self.span_model.set_spans(spans, self.colors)
        self.settings.setValue(self._document_key(), doc_id)
        self._select_row_of(doc_id)
        self._update_status()
        self.view.setFocus()
        if getattr(self, "curation_dock", None) is not None and self.curation_dock.isVisible():
            self.curation_panel.refresh()

    def step_document(self, delta: int) -> None:
        current = self.doc_list.currentIndex().row()
        row = max(0, min(self.doc_model.rowCount() - 1, current + delta))
        if self.doc_model.rowCount():
            self.doc_list.selectRow(row)

    # -- spans ------------------------------------------------------------------------------------------------

    def _run(self, command) -> bool:
        try:
            self.stack.push(command)
            return True
        except AnnotatorError as exc:
            self.statusBar().showMessage(str(exc), 6000)
            return False

    def apply_label(self, label: str) -> None:
        if not self.doc_id:
            return
        if getattr(self, "curation_dock", None) is not None and self.curation_panel.table.hasFocus():
            self.curation_panel.take_as(label)  # in curation mode a label key decides the selected candidate
            return
        selection = self.view.selection_offsets()
        if selection:
            start, end = selection
            if self.snap_action.isChecked():
                start, end = snap_to_tokens(self.view.text, start, end)
            else:
                while start < end and self.view.text[start].isspace():
                    start += 1
                while end > start and self.view.text[end - 1].isspace():
                    end -= 1
            if start >= end:
                self.statusBar().showMessage("The selection holds only spaces: nothing to tag", 4000)
                return
            command = cmd.AddSpan(self.doc_id, start, end, label, self.annotator)
            if self._run(command):
                cursor = self.view.textCursor()
                cursor.clearSelection()
                self.view.setTextCursor(cursor)
                self.select_span(command.span, scroll=False)
        elif self.view.selected is not None:
            if self.view.selected.label != label:
                self._run(cmd.relabel(self.view.selected, label))
        else:
            self.statusBar().showMessage("Select some text first (mouse, or Shift+arrows), then press a label's key", 4000)

    def delete_span(self) -> None:
        span = self.view.selected
        if span is None:
            return
        row = self.span_model.row_of(span.id)
        if self._run(cmd.DeleteSpan(span)):
            # the next span in reading order becomes the selected one, so Delete can be pressed again
            spans = self.span_model.spans
            self.select_span(spans[min(row, len(spans) - 1)] if spans else None)

    def note_span(self) -> None:
        span = self.view.selected
        if span is None:
            self.statusBar().showMessage("Select a span first (click it, or ] / [)", 4000)
            return
        text, ok = QInputDialog.getText(self, "Note on span", f"Note on {span.label} “{span.text[:60]}”:", text=span.note)
        if ok and text != span.note:
            self._run(cmd.note(span, text))

    def nudge(self, edge: str, direction: int) -> None:
        """Move one edge of the selected span by a word: outward grows it, inward shrinks it."""
        span = self.view.selected
        if span is None:
            return
        from ..core.tokenize import tokenize

        text = self.view.text
        start, end = span.start, span.end
        if edge == "end":
            if direction > 0:
                nxt = [t for t in tokenize(text[end:end + 400]) if t.start + end >= end]
                if nxt:
                    end = end + nxt[0].end
            else:
                inside = tokenize(text[start:end])
                if len(inside) > 1:
                    end = start + inside[-2].end
        else:
            if direction < 0:
                before = tokenize(text[max(0, start - 400):start])
                if before:
                    start = max(0, start - 400) + before[-1].start
            else:
                inside = tokenize(text[start:end])
                if len(inside) > 1:
                    start = start + inside[1].start
        if (start, end) != (span.start, span.end):
            self._run(cmd.resize(span, start, end))

    def select_span(self, span: Span | None, scroll: bool = True) -> None:
        self.view.select_span(span, scroll)
        row = self.span_model.row_of(span.id) if span else -1
        blocked = self.span_list.selectionModel().blockSignals(True)
        if row >= 0:
            self.span_list.setCurrentIndex(self.span_model.index(row, 0))
            self.span_list.scrollTo(self.span_model.index(row, 0))
        else:
            self.span_list.clearSelection()
        self.span_list.selectionModel().blockSignals(blocked)

    def step_span(self, delta: int) -> None:
        spans = self.span_model.spans
        if not spans:
            return
        if self.view.selected is not None:
            row = self.span_model.row_of(self.view.selected.id) + delta
        else:
            caret = self.view.caret_offset()
            after = [i for i, s in enumerate(spans) if s.start >= caret]
            row = (after[0] if after else len(spans)) if delta > 0 else (after[0] - 1 if after else len(spans) - 1)
        self.select_span(spans[max(0, min(len(spans) - 1, row))])

    def _span_clicked(self, span_id: str) -> None:
        row = self.span_model.row_of(span_id)
        if row >= 0:
            self.select_span(self.span_model.spans[row], scroll=False)

    def _span_row_changed(self, current, _previous):
        if current.isValid():
            self.view.select_span(self.span_model.spans[current.row()])

    def _hover(self, spans: list) -> None:
        self.hover_label.setText("  ·  ".join(f"{s.label}: {s.text[:40]}" for s in spans))

    # -- what changed -----------------------------------------------------------------------------------------

    def _on_change(self, change) -> None:
        if change.kind == "spans" and change.doc_id == self.doc_id:
            for span_id in change.span_ids:
                self._apply_span(self.store.span(span_id))
            self.doc_model.set_span_count(self.doc_id, len(self.span_model.spans))
        elif change.kind == "review":
            self._refresh_docs.start()
            if change.doc_id == self.doc_id:
                self._update_status()
        elif change.kind == "labels":
            self.labels = self.store.labels()
            self.colors = {l.name: l.color for l in self.store.labels(include_retired=True)}
            self.palette_widget.set_labels(self.labels)
            self._rebuild_label_actions()
            self._fit_label_column()
            if self.doc_id:
                spans = self.span_model.spans
                self.view.set_colors(self.colors, spans)
                self.span_model.set_spans(spans, self.colors)
        elif change.kind == "documents":
            self.doc_model.refresh()

    def _apply_span(self, span: Span) -> None:
        """One span changed: repaint the blocks it touches and move its row in the span list."""
        model = self.span_model
        if span.deleted or span.annotator != self.annotator:
            model.remove(span.id)
            self.view.highlighter.remove(span.id)
            if self.view.selected is not None and self.view.selected.id == span.id:
                self.view.select_span(None)
        else:
            model.upsert(span)
            self.view.highlighter.update(span)
            if self.view.selected is not None and self.view.selected.id == span.id:
                self.select_span(span, scroll=False)
        self.spans_title.setText(f"<b>Spans</b> ({len(model.spans)})")

    def _reload_document_rows(self) -> None:
        self.doc_model.reload_rows()
        self._select_row_of(self.doc_id)

    # -- review -----------------------------------------------------------------------------------------------

    def mark(self, status: str, advance: bool = False) -> None:
        if not self.doc_id:
            return
        if not self._run(cmd.SetReview(self.doc_id, self.annotator, status=status)):
            return
        if advance:
            nxt = self.store.next_document(self.doc_id, annotator=self.annotator, status="todo")
            if nxt:
                self.open_document(nxt)
            else:
                self.statusBar().showMessage("Every document is reviewed: nothing left to do", 6000)

    def document_note(self) -> None:
        if not self.doc_id:
            return
        old = self.store.review(self.doc_id, self.annotator).note
        text, ok = QInputDialog.getMultiLineText(self, "Document note", "Note on this document:", old)
        if ok and text != old:
            self._run(cmd.SetReview(self.doc_id, self.annotator, note=text))

    def undo(self) -> None:
        try:
            command = self.stack.undo()
        except AnnotatorError as exc:
            self.statusBar().showMessage(f"Cannot undo: {exc}", 6000)
            return
        if command is not None:
            self._after_undo_redo(command, "Undid")

    def redo(self) -> None:
        try:
            command = self.stack.redo()
        except AnnotatorError as exc:
            self.statusBar().showMessage(f"Cannot redo: {exc}", 6000)
            return
        if command is not None:
            self._after_undo_redo(command, "Redid")

    def _after_undo_redo(self, command, verb: str) -> None:
        doc_id = getattr(command, "doc_id", None) or (command.args[0] if hasattr(command, "args") else None)
        span = getattr(command, "span", None) or getattr(command, "before", None)
        if isinstance(span, Span):
            doc_id = span.doc_id
        if doc_id and doc_id != self.doc_id:
            self.open_document(doc_id)
        self.statusBar().showMessage(f"{verb}: {command.text}", 3000)

    def _update_undo_actions(self) -> None:
        self.undo_action.setEnabled(self.stack.can_undo)
        self.redo_action.setEnabled(self.stack.can_redo)
        self.undo_action.setText(f"Undo {self.stack.undo_text}" if self.stack.can_undo else "Undo")
        self.redo_action.setText(f"Redo {self.stack.redo_text}" if self.stack.can_redo else "Redo")

    def _update_status(self) -> None:
        done, total = self.store.progress(self.annotator)
        self.reviewer_label.setText(f"Reviewer: {self.annotator}")
        status = ""
        if self.doc_id:
            review = self.store.review(self.doc_id, self.annotator)
            status = f"This document: {STATUS_TEXT[review.status]}  ·  "
            self.doc_note.setText(review.note or "—")
        self.progress_label.setText(f"{status}Done {done} of {total}")

    # -- labels and settings ----------------------------------------------------------------------------------

    def add_label(self) -> None:
        name, ok = QInputDialog.getText(self, "Add label", "Name of the new label:")
        if not ok or not name.strip():
            return
        try:
            self.store.add_label(name.strip().upper())
        except AnnotatorError as exc:
            QMessageBox.warning(self, "Add label", str(exc))

    def recolor_label(self, name: str) -> None:
        color = QColorDialog.getColor(QColor(self.colors.get(name, "#888888")), self, f"Colour of {name}")
        if color.isValid():
            self.store.update_label(name, color=color.name())

    def import_dialog(self):
        from .transfer_dialogs import ImportDialog

        dialog = ImportDialog(self.store.path, self.annotator, self)
        dialog.sig_changed_database.connect(self._database_changed)
        dialog.show()
        return dialog

    def export_dialog(self):
        from .transfer_dialogs import ExportDialog

        dialog = ExportDialog(self.store.path, self.store, self)
        dialog.show()
        return dialog

    def merge_dialog(self):
        from .curation_panels import MergeDialog

        dialog = MergeDialog(self.store.path, self)
        dialog.sig_changed_database.connect(self._database_changed)
        dialog.show()
        return dialog

    def agreement_dialog(self):
        from .curation_panels import AgreementDialog

        dialog = AgreementDialog(self.store, self)
        dialog.sig_open_document.connect(self.open_document)
        dialog.show()
        return dialog

    def consistency_dialog(self):
        from .curation_panels import ConsistencyDialog

        dialog = ConsistencyDialog(self.store, self)
        dialog.sig_open_range.connect(self._open_range)
        dialog.show()
        return dialog

    def _open_range(self, doc_id: str, start: int, end: int) -> None:
        if doc_id != self.doc_id:
            self.open_document(doc_id)
        self.view.select_offsets(start, end)
        self.view.ensureCursorVisible()
        # the window comes forward, so the label keys work on the selection at once
        self.raise_()
        self.activateWindow()
        self.view.setFocus()

    def toggle_curation(self, on: bool) -> None:
        """Curation mode: a panel beside the text lists the reviewers' spans of the open document, a lane per
        reviewer, for the curator to take into the gold layer or reject."""
        from PySide6.QtWidgets import QDockWidget

        from .curation_panels import CurationPanel

        if not hasattr(self, "curation_dock"):
            self.curation_panel = CurationPanel(self)
            self.curation_panel.sig_select_range.connect(lambda a, b: self.view.select_offsets(a, b))
            self.curation_dock = QDockWidget("Curation", self, objectName="curationDock")
            self.curation_dock.setWidget(self.curation_panel)
            self.addDockWidget(Qt.BottomDockWidgetArea, self.curation_dock)
            self.stack.listeners.append(lambda: self.curation_dock.isVisible() and self.curation_panel.refresh())
        self.curation_dock.setVisible(on)
        if on:
            self.curation_panel.refresh()
            self.curation_panel.table.setFocus()

    def _database_changed(self) -> None:
        """Another connection (an import, a merge) changed the database: refresh what shows it."""
        self.labels = self.store.labels()
        self.colors = {l.name: l.color for l in self.store.labels(include_retired=True)}
        self.palette_widget.set_labels(self.labels)
        self._rebuild_label_actions()
        self.doc_model.refresh()
        if self.doc_id:
            self.open_document(self.doc_id)
        elif self.doc_model.rowCount():
            self.doc_list.selectRow(0)
        self._update_status()

    def change_name(self) -> None:
        name, ok = QInputDialog.getText(self, "Reviewer", "Your name (recorded on every span and status):", text=self.annotator)
        if ok and name.strip() and name.strip() != self.annotator:
            self.annotator = name.strip()
            self.settings.setValue("annotator", self.annotator)
            self.stack.clear()
            self.doc_model.annotator = self.annotator
            self.doc_model.refresh()
            if self.doc_id:
                self.open_document(self.doc_id)
            self._update_status()

    def _snap_toggled(self, on: bool) -> None:
        self.settings.setValue("snap", on)
        self.statusBar().showMessage("Selections snap to whole words" if on else "Snapping off: spans keep the exact selection", 3000)

    def show_keys(self) -> None:
        rows = "".join(f"<tr><td>{what}</td><td><b>{keys}</b></td></tr>" for what, keys in KEYS)
        QMessageBox.information(self, "Keys", f"<table cellspacing=6>{rows}</table>")

    def _restore(self) -> None:
        s = self.settings
        if s.value("geometry"):
            self.restoreGeometry(s.value("geometry"))
        else:
            self.resize(1400, 900)
        if s.value("splitter"):
            self.splitter.restoreState(s.value("splitter"))
        self.snap_action.setChecked(str(s.value("snap", "true")).lower() != "false")
        zoom = s.value("zoom")
        if zoom:
            font = self.view.font()
            font.setPointSizeF(float(zoom))
            self.view.setFont(font)
        doc_id = s.value(self._document_key())
        if doc_id and self.store.has_document(doc_id):
            self.open_document(doc_id)
        elif self.doc_model.rowCount():
            self.doc_list.selectRow(0)

    def closeEvent(self, event):  # noqa: N802
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("splitter", self.splitter.saveState())
        self.settings.setValue("zoom", self.view.font().pointSizeF())
        self.settings.sync()
        self._refresh_docs.stop()
        self.indexer.stop()
        self._unsubscribe()
        super().closeEvent(event)
