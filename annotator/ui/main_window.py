"""The review desk: the window that assembles the panes (documents, article, spans), the status bar, the menus
and their keys. What each part does lives in its own module; this one wires their signals together."""
from __future__ import annotations

import hashlib
import os

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QSplitter, QVBoxLayout, QWidget

from ..core import commands as cmd
from ..core.model import Span
from .curation_mode import CurationMode
from .document_pane import DocumentPane
from .document_view import DocumentView
from .external_changes import ExternalChanges
from .keys import KEYS, show_keys  # noqa: F401  (KEYS: the F1 table, imported from here by older callers)
from .relation_desk import RelationDesk
from .pending_writes import WAIT_SECONDS, PendingWrites, PendingWritesBar
from .review_status import ReviewStatus
from .span_editing import SpanEditor
from .span_pane import SpanPane
from .suggestion_desk import SuggestionDesk
from .suggestion_fold import SuggestionFold
from . import window_menus
from .window_dialogs import WindowDialogs
from .window_refresh import WindowRefresh
from .window_undo import WindowUndo


def last_document_key(db_path) -> str:
    """The settings key of the document last open in a database (each database remembers its own)."""
    return "document/" + hashlib.sha1(str(db_path).encode("utf-8")).hexdigest()[:16]


class MainWindow(WindowUndo, WindowRefresh, QMainWindow):
    """The window; what it does when the database changes is in window_refresh.py, its undo in window_undo.py."""

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

        self._build_parts()
        self._build_actions()
        self._unsubscribe = store.subscribe(self._on_change)
        self.external = ExternalChanges(store, self)
        self.external.sig_changed.connect(self.refresh_from_elsewhere)
        self.relations = RelationDesk(self)  # after the window's own subscription: it reads the span table
        self.suggestions = SuggestionDesk(self)  # after the relations: Tab is theirs in relation mode
        self.suggestion_fold = SuggestionFold(self)  # the list folded to its title, by mode
        self.stack.listeners.append(self._update_undo_actions)
        self._whose_spans()
        self._restore()
        self._empty_hint()
        if self.editor.show_others:
            self.statusBar().showMessage(
                f"None of these spans are yours: {', '.join(self.review_status.others)}'s, read-only. Curation mode "
                "(Ctrl+Shift+C) settles them into gold.", 30000)
        self.review_status.update()
        self._update_undo_actions()

    # -- building ---------------------------------------------------------------------------------------------

    EMPTY_HINT = ("No articles in this database yet.\n\nImport some with File > Import… (Ctrl+I), or drop text files, "
                  "folders or exports (.txt, .jsonl, .json, .conll, .spacy, a brat folder) on this window.")

    def _build_parts(self) -> None:
        self._update_title()
        self.document_pane = DocumentPane(self.store, self.annotator)
        self.view = DocumentView()
        self.span_pane = SpanPane()
        self.span_pane.set_labels(self.labels)

        self.splitter = QSplitter(objectName="mainSplitter")
        self.splitter.addWidget(self.document_pane)
        self.pending = PendingWrites(self.stack, self)
        self.pending_bar = PendingWritesBar(self.pending)
        middle = QWidget(objectName="articlePane")
        column = QVBoxLayout(middle)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.pending_bar)
        column.addWidget(self.view, 1)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(self.span_pane)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([290, 730, 380])
        self.setCentralWidget(self.splitter)
        self.setAcceptDrops(True)  # files dropped anywhere on the window open the Import dialog with them

        self.editor = SpanEditor(self.store, self.stack, self.view, self.span_pane, self)
        self.editor.annotator = self.annotator
        self.editor.writes = self.pending
        self.store.set_busy_timeout(WAIT_SECONDS)  # a key never freezes the window on another writer's lock
        self.review_status = ReviewStatus(self.store, self.editor.run, self.statusBar(), self.span_pane, self)
        self.review_status.annotator = self.annotator
        self.dialogs = WindowDialogs(self.store, self)
        self.syncing = self.dialogs.sync_controller(self.settings, lambda: self.annotator)
        self.curation = CurationMode(self)

        self.document_pane.sig_document_chosen.connect(self.open_document)
        self.document_pane.sig_message.connect(self.statusBar().showMessage)
        self.document_pane.sig_clear_message.connect(self.statusBar().clearMessage)
        self.editor.sig_message.connect(self.statusBar().showMessage)
        self.review_status.sig_message.connect(self.statusBar().showMessage)
        self.review_status.sig_open_document.connect(self.open_document)
        self.view.sig_hover.connect(self.review_status.show_hover)
        self.editor.sig_selection_changed.connect(self.review_status.show_selection)
        self.span_pane.palette_widget.sig_apply.connect(self.apply_label)
        self.span_pane.palette_widget.sig_add.connect(self.dialogs.add_label)
        self.span_pane.palette_widget.sig_recolor.connect(self.dialogs.recolor_label)
        self.dialogs.sig_scheme_command.connect(self._run)  # undoable, queued if the database is busy
        self.dialogs.sig_changed_database.connect(self._database_changed)
        self.dialogs.sig_open_document.connect(self.open_document)
        self.dialogs.sig_open_range.connect(self._open_range)
        self.dialogs.sig_rename_reviewer.connect(self._set_annotator)
        self.curation.sig_select_range.connect(self.view.mark_range)

    # The parts tests and scripts reach for by their old names.
    search_box = property(lambda self: self.document_pane.search_box)
    status_filter = property(lambda self: self.document_pane.status_filter)
    doc_model = property(lambda self: self.document_pane.model)
    doc_list = property(lambda self: self.document_pane.list)
    indexer = property(lambda self: self.document_pane.indexer)
    palette_widget = property(lambda self: self.span_pane.palette_widget)
    span_model = property(lambda self: self.span_pane.model)
    span_list = property(lambda self: self.span_pane.table)
    doc_note = property(lambda self: self.span_pane.doc_note)
    reviewer_label = property(lambda self: self.review_status.reviewer_label)
    progress_label = property(lambda self: self.review_status.progress_label)
    hover_label = property(lambda self: self.review_status.hover_label)
    selection_label = property(lambda self: self.review_status.selection_label)
    curation_panel = property(lambda self: self.curation.panel)

    def _action(self, menu, text: str, keys, slot, checkable: bool = False) -> QAction:
        return window_menus.add_action(self, menu, text, keys, slot, checkable)

    def _build_actions(self) -> None:
        window_menus.build_menus(self)

    def _update_title(self) -> None:
        # the file's name and who is reviewing; the whole path is in Help > About
        readonly = " (read-only)" if getattr(self.store, "readonly", False) else ""
        self.setWindowTitle(f"{os.path.basename(self.store.path)} — {self.annotator} — annotator{readonly}")

    def _rebuild_label_actions(self) -> None:
        window_menus.rebuild_label_actions(self)

    # -- documents --------------------------------------------------------------------------------------------

    def open_document(self, doc_id: str) -> None:
        doc = self.store.document(doc_id)
        self.doc_id = self.review_status.doc_id = doc_id
        spans = self.store.spans(doc_id, annotator=None if self.editor.show_others else self.annotator)
        self.editor.show_document(doc_id, doc.text, spans, self.colors)
        self.settings.setValue(last_document_key(self.store.path), doc_id)
        self.document_pane.select_row_of(doc_id)
        self.review_status.update()
        self.view.setFocus()
        self.curation.refresh()

    def step_document(self, delta: int) -> None:
        self.document_pane.step(delta)

    # -- spans ------------------------------------------------------------------------------------------------

    def _run(self, command) -> bool:
        return self.editor.run(command)

    def apply_label(self, label: str) -> None:
        if not self.doc_id:
            return
        if self.curation.has_focus():
            self.curation.panel.take_as(label)  # in curation mode a label key decides the selected candidate
            return
        self.editor.apply_label(label)

    def select_span(self, span: Span | None, scroll: bool = True) -> None:
        self.editor.select_span(span, scroll)

    def step_span(self, delta: int) -> None:
        self.editor.step_span(delta)

    def mark(self, status: str, advance: bool = False) -> None:
        self.review_status.mark(status, advance)

    # -- dialogs ----------------------------------------------------------------------------------------------

    def import_dialog(self):
        return self.dialogs.import_dialog(self.annotator)

    def export_dialog(self):
        return self.dialogs.export_dialog()

    def merge_dialog(self):
        return self.dialogs.merge_dialog()

    def sync_dialog(self):
        return self.dialogs.sync_dialog(self.syncing)

    def agreement_dialog(self):
        return self.dialogs.agreement_dialog()

    def consistency_dialog(self):
        return self.dialogs.consistency_dialog()

    def change_name(self) -> None:
        self.dialogs.change_name(self.annotator)

    def show_keys(self) -> None:
        show_keys(self)

    def toggle_curation(self, on: bool) -> None:
        self.curation.toggle(on)

    def _open_range(self, doc_id: str, start: int, end: int) -> None:
        if doc_id != self.doc_id:
            self.open_document(doc_id)
        self.view.select_offsets(start, end)
        self.view.ensureCursorVisible()
        # the window comes forward, so the label keys work on the selection at once
        self.raise_()
        self.activateWindow()
        self.view.setFocus()

    def _whose_spans(self) -> None:
        """A reviewer with no spans in a database where others have some (a curator opening the merged database)
        sees the others' spans, read-only, instead of a blank article and "0" everywhere."""
        others = [a for a in self.store.span_annotators() if a != self.annotator]
        self.editor.show_others = bool(others) and self.annotator not in self.store.span_annotators()
        self.review_status.others = others if self.editor.show_others else []

    def _set_annotator(self, name: str) -> None:
        self.annotator = self.editor.annotator = self.review_status.annotator = name
        self._whose_spans()
        self.settings.setValue("annotator", name)
        self.stack.clear()
        self.document_pane.set_annotator(name)
        self._update_title()
        if self.doc_id:
            self.open_document(self.doc_id)
        self.review_status.update()

    # -- settings ---------------------------------------------------------------------------------------------

    def _snap_toggled(self, on: bool) -> None:
        self.editor.snap = on
        self.settings.setValue("snap", on)
        self.statusBar().showMessage("Selections snap to whole words" if on else "Snapping off: spans keep the exact selection", 3000)

    def _restore(self) -> None:
        s = self.settings
        if s.value("geometry"):
            self.restoreGeometry(s.value("geometry"))
        else:
            self.resize(1400, 900)
        if s.value("splitter"):
            self.splitter.restoreState(s.value("splitter"))
        self.snap_action.setChecked(str(s.value("snap", "true")).lower() != "false")
        self.editor.snap = self.snap_action.isChecked()
        zoom = s.value("zoom")
        if zoom:
            font = self.view.font()
            font.setPointSizeF(float(zoom))
            self.view.setFont(font)
        doc_id = s.value(last_document_key(self.store.path))
        if doc_id and self.store.has_document(doc_id):
            self.open_document(doc_id)
        else:
            self.document_pane.select_first()

    def _empty_hint(self) -> None:
        self.view.setPlaceholderText(self.EMPTY_HINT if self.store.document_count() == 0 else "")

    @staticmethod
    def _dropped_paths(event) -> list[str]:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        return [u.toLocalFile() for u in urls if u.isLocalFile()]

    def dragEnterEvent(self, event):  # noqa: N802
        if self._dropped_paths(event):
            event.acceptProposedAction()

    def dropEvent(self, event):  # noqa: N802
        paths = self._dropped_paths(event)
        if paths:
            event.acceptProposedAction()
            dialog = self.import_dialog()
            dialog.add_paths(*paths)

    def closeEvent(self, event):  # noqa: N802
        if not self.pending.may_close(self):
            event.ignore()  # the reviewer keeps the window and the actions it could not save yet
            return
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("splitter", self.splitter.saveState())
        self.settings.setValue("zoom", self.view.font().pointSizeF())
        self.settings.sync()
        self.document_pane.stop()
        self.syncing.stop()
        self.external.stop()
        self.relations.stop()
        self.suggestions.stop()
        self._unsubscribe()
        super().closeEvent(event)
