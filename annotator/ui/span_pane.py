"""The span pane beside the article: the label palette, the table of the document's spans, the document note."""
from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from ..core.model import Label, Span
from .models import SpanListModel
from .palette import LabelPalette
from .plain import text


class SpanPane(QWidget):
    sig_span_chosen = Signal(object)
    """The reviewer moved to a row of the span table (click or arrow keys): that Span."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("spanPane")
        self.selected_id: str | None = None
        # True while the pane itself moves the current row (a span selected elsewhere, rows inserted or removed):
        # those moves are not the reviewer choosing a span. A flag, not blockSignals: the table repaints its rows
        # from the same selection signals, and blocked ones left the old row highlighted.
        self._quiet = False
        rv = QVBoxLayout(self)
        rv.setContentsMargins(0, 6, 6, 6)
        self.palette_widget = LabelPalette()
        self.model = SpanListModel(self)
        # a table, not a QListView: a list view lays out every row again on each insert (30 ms at 10,000 spans)
        self.table = QTableView(objectName="spanList")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)  # fitting to contents reads every row on each edit
        header.setSectionResizeMode(1, QHeaderView.Stretch)
        header.resizeSection(2, 60)
        self.doc_note = QLabel(objectName="documentNote", wordWrap=True)
        self.doc_note.setTextFormat(Qt.PlainText)
        rv.addWidget(self.palette_widget)
        self.title = QLabel("<b>Spans</b>")
        rv.addWidget(self.title)
        rv.addWidget(self.table, 2)
        self._sections_at = rv.count()  # the relations list and the attributes panel go after the span table
        rv.addWidget(QLabel("<b>Document note</b> (Ctrl+Shift+N)"))
        rv.addWidget(self.doc_note)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)

    def add_section(self, widget: QWidget, stretch: int = 0) -> None:
        """A part of its own below the span table (the relations list, the attributes panel), in the order added."""
        self.layout().insertWidget(self._sections_at, widget, stretch)
        self._sections_at += 1

    def set_labels(self, labels: list[Label]) -> None:
        self.palette_widget.set_labels(labels)
        self._fit_label_column(labels)

    def _fit_label_column(self, labels: list[Label]) -> None:
        """The label column fits the longest label name (measured once, not row by row)."""
        names = [l.name for l in labels] or ["LABEL"]
        width = max(self.table.fontMetrics().horizontalAdvance(n) for n in names)
        # the colour swatch and margins; a long name (up to 64 characters) is elided rather than squeezing the
        # Text column to nothing
        cap = self.table.fontMetrics().horizontalAdvance("ORGANISATION") + 40
        self.table.horizontalHeader().resizeSection(0, min(width + 40, cap))

    # -- rows -------------------------------------------------------------------------------------------------

    @property
    def spans(self) -> list[Span]:
        return self.model.spans

    def set_spans(self, spans: list[Span], colors: dict[str, str]) -> None:
        self._quiet = True
        try:
            self.model.set_spans(spans, colors)
        finally:
            self._quiet = False
        self.selected_id = None
        self._count_changed()

    def upsert(self, span: Span) -> None:
        self._quiet = True
        try:
            self.model.upsert(span)
            self._show_row()
        finally:
            self._quiet = False
        self._count_changed()

    def remove(self, span_id: str) -> None:
        self._quiet = True
        try:
            self.model.remove(span_id)
            if span_id == self.selected_id:
                self.selected_id = None
            self._show_row()
        finally:
            self._quiet = False
        self._count_changed()

    def _count_changed(self) -> None:
        self.title.setText(f"<b>Spans</b> ({len(self.model.spans)})")

    def show_selected(self, span: Span | None) -> None:
        """Highlight the row of `span` and no other (none: no row), without announcing it as chosen."""
        self.selected_id = span.id if span is not None else None
        self._quiet = True
        try:
            self._show_row()
        finally:
            self._quiet = False

    def _show_row(self) -> None:
        selection = self.table.selectionModel()
        row = self.model.row_of(self.selected_id) if self.selected_id else -1
        if row >= 0:
            index = self.model.index(row, 0)
            selection.setCurrentIndex(index, QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows)
            self.table.scrollTo(index)
        else:
            selection.clearSelection()
            selection.setCurrentIndex(QModelIndex(), QItemSelectionModel.NoUpdate)

    def _row_changed(self, current, _previous):
        if current.isValid() and not self._quiet:
            self.sig_span_chosen.emit(self.model.spans[current.row()])

    def set_note(self, note: str) -> None:
        self.doc_note.setText(text(note) if note else "—")
