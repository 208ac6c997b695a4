"""The relations list beside the span table: each relation of the document as head, type and child (plain text,
elided). Delete or Backspace deletes the current relation, a relation type's key (a, p, m …) retypes it, Esc goes
back to the article; choosing a row selects its head span in the article, its child framed."""
from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from ..core.model import Relation
from .key_catcher import KeyCatcher, key_letter
from .models import DECORATION, DISPLAY, TOOLTIP, USER, _Columns
from .plain import rich, text
from .review_status import shorten


class RelationListModel(_Columns):
    COLUMNS = ("Head", "Type", "Child")

    def __init__(self, span_of, parent=None):
        """``span_of(span_id)``: the shown Span with that id, or None."""
        super().__init__(parent)
        self.span_of = span_of
        self.relations: list[Relation] = []
        self.colors: dict[str, str] = {}
        self._rows: dict[str, int] = {}  # relation id -> row: a change touches a few rows of thousands
        self._by_span: dict[str, set[str]] = {}  # span id -> ids of the relations it is an end of

    def set_relations(self, relations: list[Relation], colors: dict[str, str]) -> None:
        self.beginResetModel()
        self.relations = list(relations)
        self._rows = {r.id: i for i, r in enumerate(self.relations)}
        self._by_span = {}
        for r in self.relations:
            self._index(r)
        self.colors = colors
        self.endResetModel()

    def _index(self, r: Relation, add: bool = True) -> None:
        for end in (r.head, r.child):
            ids = self._by_span.setdefault(end, set())
            (ids.add if add else ids.discard)(r.id)

    def of_span(self, span_id: str) -> list[Relation]:
        """The relations a span is an end of, in the list's order."""
        return [self.relations[i] for i in sorted(self._rows[r] for r in self._by_span.get(span_id, ()))]

    def row_of(self, relation_id: str) -> int:
        return self._rows.get(relation_id, -1)

    def put(self, relation: Relation) -> None:
        """A relation made, changed or deleted (a tombstone removes its row)."""
        row = self.row_of(relation.id)
        if relation.deleted:
            if row >= 0:
                self.beginRemoveRows(QModelIndex(), row, row)
                self._index(self.relations[row], add=False)
                del self.relations[row]
                self._rows = {r.id: i for i, r in enumerate(self.relations)}
                self.endRemoveRows()
        elif row >= 0:
            self.relations[row] = relation  # a retype: its ends stay the same
            self.dataChanged.emit(self.index(row, 0), self.index(row, 2))
        else:
            self.beginInsertRows(QModelIndex(), len(self.relations), len(self.relations))
            self._rows[relation.id] = len(self.relations)
            self.relations.append(relation)
            self._index(relation)
            self.endInsertRows()

    def spans_changed(self) -> None:
        """A span was relabelled or resized: its relations' rows say so."""
        if self.relations:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.relations) - 1, 2))

    def rowCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else len(self.relations)

    def _end(self, span_id: str, width: int = 40, label: bool = False) -> str:
        """A relation's end as its text (the colour swatch gives its label; the tooltip names it)."""
        span = self.span_of(span_id)
        if span is None:
            return "(a span not shown)"
        return f"{span.label} “{shorten(span.text, width)}”" if label else f"“{shorten(span.text, width)}”"

    def data(self, index, role=DISPLAY):
        if not index.isValid():
            return None
        r = self.relations[index.row()]
        col = index.column()
        if role == DISPLAY:
            return text(r.type if col == 1 else self._end(r.head if col == 0 else r.child))
        if role == DECORATION and col != 1:
            span = self.span_of(r.head if col == 0 else r.child)
            return QColor(self.colors.get(span.label, "#888888")) if span is not None else None
        if role == TOOLTIP:
            return rich(f"{self._end(r.head, 200, True)}\n—{r.type}→ {self._end(r.child, 200, True)}\nby {r.annotator}")
        if role == USER:
            return r.id
        return None


class RelationList(QWidget):
    sig_relation_chosen = Signal(object)
    """The reviewer moved to a row (click or arrow keys): that Relation."""
    sig_delete = Signal(object)
    """Delete or Backspace on a row: delete that Relation."""
    sig_retype = Signal(object, str)
    """A relation type's key on a row: the Relation and the key's letter."""
    sig_leave = Signal()
    """Esc: back to the article."""

    def __init__(self, span_of, parent=None):
        super().__init__(parent)
        self.setObjectName("relationPane")
        self.type_keys: set[str] = set()
        self._quiet = False
        self.model = RelationListModel(span_of, self)
        self.table = QTableView(objectName="relationList")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.ElideRight)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        # fitted to the type names once (set_type_names), not to the rows: fitting to contents reads all of them
        # on every change (thousands of rows)
        header.setSectionResizeMode(1, QHeaderView.Interactive)
        header.setSectionResizeMode(2, QHeaderView.Stretch)
        self.title = QLabel("<b>Relations</b>")
        self.title.setToolTip("R relates the selected span · Ctrl+R comes here · Delete deletes a relation · "
                              "a, p, m … retype it · Esc back to the article")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.model.rowsInserted.connect(self._count_changed)
        self.model.rowsRemoved.connect(self._count_changed)
        self.model.modelReset.connect(self._count_changed)
        self.keys = KeyCatcher(self._wants, self._key, self).watch(self.table)

    def set_type_names(self, names: list[str]) -> None:
        width = max([self.table.fontMetrics().horizontalAdvance(n) for n in names] + [40])
        self.table.horizontalHeader().resizeSection(1, width + 16)

    @property
    def current(self) -> Relation | None:
        row = self.table.currentIndex().row()
        return self.model.relations[row] if 0 <= row < len(self.model.relations) else None

    def _count_changed(self, *_) -> None:
        self.title.setText(f"<b>Relations</b> ({len(self.model.relations)})  <small>R relates · Ctrl+R here</small>")

    def _wants(self, event) -> bool:
        return (event.key() in (Qt.Key_Delete, Qt.Key_Backspace, Qt.Key_Escape)
                or key_letter(event) in self.type_keys)

    def _key(self, event) -> None:
        if event.key() == Qt.Key_Escape:
            self.sig_leave.emit()
            return
        relation = self.current
        if relation is None:
            return
        if event.key() in (Qt.Key_Delete, Qt.Key_Backspace):
            self.sig_delete.emit(relation)
        else:
            self.sig_retype.emit(relation, key_letter(event))

    def _row_changed(self, current, _previous) -> None:
        if current.isValid() and not self._quiet:
            self.sig_relation_chosen.emit(self.model.relations[current.row()])

    def show_row(self, row: int) -> None:
        """Make ``row`` current (clamped to the rows there are) without announcing it as chosen."""
        self._quiet = True
        try:
            n = len(self.model.relations)
            if n:
                index = self.model.index(max(0, min(row, n - 1)), 0)
                self.table.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows)
                self.table.scrollTo(index)
        finally:
            self._quiet = False
