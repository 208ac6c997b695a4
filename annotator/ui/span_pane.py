"""The span pane beside the article: the label palette, the table of the document's spans, the document note."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from ..core.model import Label, Span
from .models import SpanListModel
from .palette import LabelPalette


class SpanPane(QWidget):
    sig_span_chosen = Signal(object)
    """The reviewer moved to a row of the span table (click or arrow keys): that Span."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("spanPane")
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
        rv.addWidget(self.table, 1)
        rv.addWidget(QLabel("<b>Document note</b> (Ctrl+Shift+N)"))
        rv.addWidget(self.doc_note)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)

    def set_labels(self, labels: list[Label]) -> None:
        self.palette_widget.set_labels(labels)
        self._fit_label_column(labels)

    def _fit_label_column(self, labels: list[Label]) -> None:
        """The label column fits the longest label name (measured once, not row by row)."""
        names = [l.name for l in labels] or ["LABEL"]
        width = max(self.table.fontMetrics().horizontalAdvance(n) for n in names)
        self.table.horizontalHeader().resizeSection(0, width + 40)  # the colour swatch and margins

    # -- rows -------------------------------------------------------------------------------------------------

    @property
    def spans(self) -> list[Span]:
        return self.model.spans

    def set_spans(self, spans: list[Span], colors: dict[str, str]) -> None:
        self.model.set_spans(spans, colors)

    def upsert(self, span: Span) -> None:
        self.model.upsert(span)
        self._count_changed()

    def remove(self, span_id: str) -> None:
        self.model.remove(span_id)
        self._count_changed()

    def _count_changed(self) -> None:
        self.title.setText(f"<b>Spans</b> ({len(self.model.spans)})")

    def show_selected(self, span: Span | None) -> None:
        """Highlight the row of `span` (none: no row), without announcing it as chosen."""
        row = self.model.row_of(span.id) if span else -1
        blocked = self.table.selectionModel().blockSignals(True)
        if row >= 0:
            self.table.setCurrentIndex(self.model.index(row, 0))
            self.table.scrollTo(self.model.index(row, 0))
        else:
            self.table.clearSelection()
        self.table.selectionModel().blockSignals(blocked)

    def _row_changed(self, current, _previous):
        if current.isValid():
            self.sig_span_chosen.emit(self.model.spans[current.row()])

    def set_note(self, note: str) -> None:
        self.doc_note.setText(note or "—")
