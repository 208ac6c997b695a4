"""Lazy Qt models over the store: rows are fetched a page at a time, texts never."""
from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QAbstractTableModel, QModelIndex, Qt

from ..core.model import Span

STATUS_TEXT = {"todo": "to do", "done": "done", "skipped": "skipped"}


class DocumentListModel(QAbstractTableModel):
    """The corpus a page at a time: 100,000 documents cost one count and the pages that are looked at."""

    PAGE = 200
    COLUMNS = ("Title", "Status", "Spans")

    def __init__(self, store, annotator: str, parent=None):
        super().__init__(parent)
        self.store = store
        self.annotator = annotator
        self.status: str | None = None
        self.search: str | None = None
        self._count = 0
        self._pages: dict[int, list] = {}
        self.refresh()

    def set_filter(self, status: str | None = None, search: str | None = None) -> None:
        self.status, self.search = status or None, (search or "").strip() or None
        self.refresh()

    def refresh(self) -> None:
        self.beginResetModel()
        self._pages.clear()
        self._count = self.store.count_documents(annotator=self.annotator, status=self.status, search=self.search)
        self.endResetModel()

    def reload_rows(self) -> None:
        """Statuses or span counts changed: drop cached pages, keep the rows where they are."""
        count = self.store.count_documents(annotator=self.annotator, status=self.status, search=self.search)
        if count != self._count:
            self.refresh()
            return
        self._pages.clear()
        if count:
            self.dataChanged.emit(self.index(0, 0), self.index(count - 1, len(self.COLUMNS) - 1))

    def row_data(self, row: int):
        page = row // self.PAGE
        rows = self._pages.get(page)
        if rows is None:
            rows = self.store.list_documents(
                page * self.PAGE, self.PAGE, annotator=self.annotator, status=self.status, search=self.search
            )
            self._pages[page] = rows
        i = row - page * self.PAGE
        return rows[i] if i < len(rows) else None

    def row_of(self, doc_id: str) -> int:
        for page, rows in self._pages.items():
            for i, r in enumerate(rows):
                if r.id == doc_id:
                    return page * self.PAGE + i
        for row in range(self._count):  # pages are cached as they are walked; stops at the first match
            r = self.row_data(row)
            if r is not None and r.id == doc_id:
                return row
        return -1

    def rowCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return self.COLUMNS[section]
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        r = self.row_data(index.row())
        if r is None:
            return None
        col = index.column()
        if role == Qt.DisplayRole:
            return (r.title, STATUS_TEXT.get(r.status, r.status), r.span_count)[col]
        if role == Qt.UserRole:
            return r.id
        if role == Qt.ToolTipRole and col == 0:
            return f"{r.title}\n{r.length:,} characters · id {r.id}"
        if role == Qt.TextAlignmentRole and col == 2:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None


class SpanListModel(QAbstractListModel):
    """This document's spans in reading order: label, text and note."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.spans: list[Span] = []
        self.colors: dict[str, str] = {}

    def set_spans(self, spans: list[Span], colors: dict[str, str]) -> None:
        self.beginResetModel()
        self.spans = sorted(spans, key=lambda s: (s.start, -s.end, s.label, s.annotator, s.id))
        self.colors = colors
        self.endResetModel()

    def row_of(self, span_id: str) -> int:
        for i, s in enumerate(self.spans):
            if s.id == span_id:
                return i
        return -1

    def rowCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else len(self.spans)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        s = self.spans[index.row()]
        if role == Qt.DisplayRole:
            text = s.text.replace("\n", " ⏎ ")
            text = text if len(text) <= 80 else text[:79] + "…"
            return f"{s.label}  {text}" + (f"   ✎ {s.note}" if s.note else "")
        if role == Qt.DecorationRole:
            from PySide6.QtGui import QColor

            return QColor(self.colors.get(s.label, "#888888"))
        if role == Qt.ToolTipRole:
            return f"{s.label}: {s.text}\nby {s.annotator}, {s.updated[:19].replace('T', ' ')}" + (f"\nnote: {s.note}" if s.note else "")
        if role == Qt.UserRole:
            return s.id
        return None
