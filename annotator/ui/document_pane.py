"""The document pane: the search box, the status filter and the list of documents the reviewer picks from."""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QHeaderView, QLabel, QLineEdit, QTableView, QVBoxLayout, QWidget

from .models import DocumentListModel
from .search_index import SearchIndexer


class DocumentPane(QWidget):
    sig_document_chosen = Signal(str)
    """The reviewer picked a document in the list (by mouse or keys): its id."""
    sig_message = Signal(str, int)
    """A short message for the status bar, and for how many milliseconds (0: until cleared)."""
    sig_clear_message = Signal()
    """The message this pane put in the status bar no longer holds."""

    # Text-editing keys typed in the search box edit the search, even where the window has a shortcut on the
    # same key (Ctrl+Backspace "mark to do" would otherwise eat "delete the previous word").
    _EDITING_KEYS = (
        QKeySequence.StandardKey.DeleteStartOfWord,
        QKeySequence.StandardKey.DeleteEndOfWord,
        QKeySequence.StandardKey.Undo,
        QKeySequence.StandardKey.Redo,
    )

    def __init__(self, store, annotator: str, parent=None):
        super().__init__(parent)
        self.setObjectName("documentPane")
        self.current_id: str | None = None
        # True while the pane moves the current row itself: not the reviewer choosing. A flag, not
        # blockSignals: the list repaints its rows from those signals (blocked, the old row stayed highlighted).
        self._quiet = False
        lv = QVBoxLayout(self)
        lv.setContentsMargins(6, 6, 0, 6)
        self.search_box = QLineEdit(objectName="searchBox", placeholderText="Search titles and text (Ctrl+F)")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.installEventFilter(self)
        self.status_filter = QComboBox(objectName="statusFilter")
        for text, value in [("All documents", None), ("To do", "todo"), ("Done", "done"), ("Skipped", "skipped")]:
            self.status_filter.addItem(text, value)
        self.model = DocumentListModel(store, annotator, self)
        self.list = QTableView(objectName="documentList")
        self.list.setModel(self.model)
        self.list.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SingleSelection)
        self.list.verticalHeader().hide()
        self.list.verticalHeader().setDefaultSectionSize(24)
        self.list.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.list.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeToContents)
        self.list.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeToContents)
        self.list.setWordWrap(False)
        self.list.setAlternatingRowColors(True)
        lv.addWidget(self.search_box)
        lv.addWidget(self.status_filter)
        lv.addWidget(self.list, 1)
        # an empty list says why: no match for the search, nothing with this status (the label is plain text:
        # the search is whatever the reviewer typed)
        self.empty_note = QLabel(objectName="emptyListNote", wordWrap=True)
        self.empty_note.setTextFormat(Qt.PlainText)
        self.empty_note.hide()
        lv.addWidget(self.empty_note)

        # review status changes come in bursts (Ctrl+Return, a merge): the list's rows are read again once
        self._refresh_rows = QTimer(self, singleShot=True, interval=250)
        self._refresh_rows.timeout.connect(self.reload_rows)
        self.indexer = SearchIndexer(store.path, self)
        self._search_waiting = False
        self.indexer.finished.connect(self._search_ready)
        self.indexer.start()

        self.search_box.textChanged.connect(self._filter_changed)
        self.status_filter.currentIndexChanged.connect(self._filter_changed)
        self.list.selectionModel().currentRowChanged.connect(self._row_changed)

    def eventFilter(self, watched, event):  # noqa: N802
        if watched is self.search_box and event.type() == QEvent.Type.ShortcutOverride:
            if any(event.matches(k) for k in self._EDITING_KEYS) or event.key() in (Qt.Key_Backspace, Qt.Key_Delete):
                event.accept()
                return True
        return super().eventFilter(watched, event)

    # -- filtering --------------------------------------------------------------------------------------------

    def _filter_changed(self, *_):
        if self.search_box.text().strip() and self.indexer.isRunning():
            # The index is being brought up to date off the GUI thread: a search now would race it for the
            # database ("database is locked") or index the rest here, freezing the window. Filter when it is done.
            self._search_waiting = True
            self.sig_message.emit("Indexing the corpus for search… the list filters as soon as it is ready", 0)
            return
        self.model.set_filter(self.status_filter.currentData(), self.search_box.text())
        self.select_row_of(self.current_id)
        self._say_if_empty()

    def _say_if_empty(self) -> None:
        search, status = self.search_box.text().strip(), self.status_filter.currentData()
        note = ""
        if self.model.rowCount() == 0:
            if search:
                note = f"No match for “{search}”" + (f" among documents {self.status_filter.currentText().lower()}"
                                                     if status else "") + "."
            elif status:
                note = f"No document is {self.status_filter.currentText().lower()}."
        self.empty_note.setText(note)
        self.empty_note.setVisible(bool(note))

    def _search_ready(self) -> None:
        if self._search_waiting:
            self._search_waiting = False
            self.sig_clear_message.emit()
            self._filter_changed()

    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    # -- the current document ---------------------------------------------------------------------------------

    def _row_changed(self, current, _previous):
        doc_id = self.model.data(self.model.index(current.row(), 0), Qt.UserRole) if current.isValid() else None
        if doc_id and doc_id != self.current_id and not self._quiet:
            self.sig_document_chosen.emit(doc_id)

    def select_row_of(self, doc_id: str | None) -> None:
        """Show `doc_id` as the current document (without announcing it as chosen again)."""
        self.current_id = doc_id
        if not doc_id:
            return
        row = self.model.row_of(doc_id)
        if row >= 0:
            self._quiet = True
            try:
                self.list.selectRow(row)
            finally:
                self._quiet = False
            self.list.scrollTo(self.model.index(row, 0))

    def select_first(self) -> bool:
        if self.model.rowCount():
            self.list.selectRow(0)
            return True
        return False

    def step(self, delta: int) -> None:
        current = self.list.currentIndex().row()
        row = max(0, min(self.model.rowCount() - 1, current + delta))
        if self.model.rowCount():
            self.list.selectRow(row)

    # -- what changed -----------------------------------------------------------------------------------------

    def set_annotator(self, annotator: str) -> None:
        self.model.annotator = annotator
        self.model.refresh()

    def refresh(self) -> None:
        self.model.refresh()

    def rows_changed_soon(self) -> None:
        self._refresh_rows.start()

    def reload_rows(self) -> None:
        self.model.reload_rows()
        self.select_row_of(self.current_id)

    def stop(self) -> None:
        self._refresh_rows.stop()
        self.indexer.stop()
