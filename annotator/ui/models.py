"""Lazy Qt models over the store: rows are fetched a page at a time, texts never."""
from __future__ import annotations

import bisect

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor

from ..core.model import Span
from ..store.ui_queries import document_row
from .plain import rich, text

STATUS_TEXT = {"todo": "to do", "done": "done", "skipped": "skipped"}

# Roles arrive as plain ints; comparing them with PySide6's enum members costs microseconds per call, and
# data() is called thousands of times a second while scrolling.
DISPLAY = Qt.ItemDataRole.DisplayRole.value
DECORATION = Qt.ItemDataRole.DecorationRole.value
TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole.value
USER = Qt.ItemDataRole.UserRole.value
RIGHT = int(Qt.AlignRight | Qt.AlignVCenter)


class _Columns(QAbstractTableModel):
    """A flat table whose columns are named by ``COLUMNS``."""

    COLUMNS: tuple[str, ...] = ()

    def columnCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=DISPLAY):  # noqa: N802
        if role == DISPLAY and orientation == Qt.Horizontal:
            return self.COLUMNS[section]
        return None


class DocumentListModel(_Columns):
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
        try:
            self._count = self.store.count_documents(annotator=self.annotator, status=self.status, search=self.search)
        except Exception:
            self._count = 0  # the view must never be left between begin and end of a reset
            raise
        finally:
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

    def set_span_count(self, doc_id: str, count: int) -> None:
        """The open document's span count changed: update its row where it is cached, without a query.

        (Re-reading the list after each edit cost 45-60 ms on the GUI thread with 100,000 documents.)
        """
        for page, rows in self._pages.items():
            for i, r in enumerate(rows):
                if r.id == doc_id and r.span_count != count:
                    r.span_count = count
                    row = page * self.PAGE + i
                    self.dataChanged.emit(self.index(row, 2), self.index(row, 2))
                    return

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
        # two indexed counts, not a walk through the pages (that took 9 s for row 99,999 of 100,000)
        row = document_row(self.store, doc_id, annotator=self.annotator, status=self.status, search=self.search)
        return -1 if row is None else row

    def rowCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else self._count

    def data(self, index, role=DISPLAY):
        if not index.isValid():
            return None
        r = self.row_data(index.row())
        if r is None:
            return None
        col = index.column()
        if role == DISPLAY:
            return (text(r.title), STATUS_TEXT.get(r.status, r.status), r.span_count)[col]
        if role == USER:
            return r.id
        if role == TOOLTIP and col == 0:
            return rich(f"{r.title}\n{r.length:,} characters · id {r.id}")
        if role == ALIGNMENT and col == 2:
            return RIGHT
        return None


def reading_key(s: Span):
    return (s.start, -s.end, s.label, s.annotator, s.id)


class SpanListModel(_Columns):
    """This document's spans in reading order: label, text and note. Rows are found by bisection, so an edit
    costs the same with 10 spans or 10,000."""

    COLUMNS = ("Label", "Text", "Note")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.spans: list[Span] = []
        self.by_id: dict[str, Span] = {}
        self.colors: dict[str, str] = {}

    def set_spans(self, spans: list[Span], colors: dict[str, str]) -> None:
        """``spans`` in reading order, as ``Store.spans`` returns them."""
        self.beginResetModel()
        self.spans = list(spans)
        self.by_id = {s.id: s for s in spans}
        self.colors = colors
        self.endResetModel()

    def row_of(self, span_id: str) -> int:
        span = self.by_id.get(span_id)
        if span is None:
            return -1
        i = bisect.bisect_left(self.spans, reading_key(span), key=reading_key)
        return i if i < len(self.spans) and self.spans[i].id == span_id else -1

    def remove(self, span_id: str) -> None:
        row = self.row_of(span_id)
        if row >= 0:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.spans[row]
            del self.by_id[span_id]
            self.endRemoveRows()

    def upsert(self, span: Span) -> int:
        self.remove(span.id)
        at = bisect.bisect_left(self.spans, reading_key(span), key=reading_key)
        self.beginInsertRows(QModelIndex(), at, at)
        self.spans.insert(at, span)
        self.by_id[span.id] = span
        self.endInsertRows()
        return at

    def rowCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else len(self.spans)

    def data(self, index, role=DISPLAY):
        if not index.isValid():
            return None
        s = self.spans[index.row()]
        col = index.column()
        if role == DISPLAY:
            if col == 0:
                return text(s.label)
            if col == 1:
                shown = s.text.replace("\n", " ⏎ ")
                return text(shown if len(shown) <= 120 else shown[:119] + "…")
            return text(s.note)
        if role == DECORATION and col == 0:
            return QColor(self.colors.get(s.label, "#888888"))
        if role == TOOLTIP:
            return rich(f"{s.label}: {s.text}\nby {s.annotator}, {s.updated[:19].replace('T', ' ')}" + (f"\nnote: {s.note}" if s.note else ""))
        if role == USER:
            return s.id
        return None
