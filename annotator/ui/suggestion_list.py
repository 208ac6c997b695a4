"""The suggestions list under the article, beside the span table: each suggestion of the open document, in document order, as its
label, text, source, score and reason (plain text, elided; the whole reason in the tooltip). Its title holds the
count and how many are at or above the accept-all threshold, so the status bar keeps its room for the selection.

Choosing a row makes that suggestion the current one (outlined in the article); Enter accepts it, a label's key
accepts it with that label, X rejects it, Esc goes back to the article. Tab in the article moves the row.

The list folds to its title (the arrow beside it): the article then has the column's height, which curation mode
wants, its dock taking a third of the window (suggestion_fold.py chooses per mode and remembers)."""
from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QSplitter, QTableView,
                               QToolButton, QVBoxLayout, QWidget)

from .key_catcher import KeyCatcher
from .models import ALIGNMENT, DECORATION, DISPLAY, RIGHT, TOOLTIP, _Columns
from .plain import rich, text
from .review_status import shorten


class SuggestionListModel(_Columns):
    COLUMNS = ("Label", "Text", "Source", "Score", "Reason")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.items: list = []
        self.colors: dict[str, str] = {}

    def set_items(self, items: list, colors: dict[str, str]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.colors = dict(colors)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()):  # noqa: N802
        return 0 if parent.isValid() else len(self.items)

    def data(self, index, role=DISPLAY):
        if not index.isValid():
            return None
        s = self.items[index.row()]
        col = index.column()
        if role == DISPLAY:
            return text((s.label, shorten(s.text, 60), s.source, f"{s.score:.2f}", s.reason)[col])
        if role == DECORATION and col == 0:
            return QColor(self.colors.get(s.label, "#888888"))
        if role == ALIGNMENT and col == 3:
            return RIGHT
        if role == TOOLTIP:
            return rich(f"{s.label} “{s.text}”\nfrom {s.source}, score {s.score:.2f}\n{s.reason}")
        return None


class SuggestionList(QWidget):
    sig_chosen = Signal(int)
    """The reviewer moved to a row (click or arrow keys): its index in the list."""
    sig_key = Signal(object)
    """A key the list passes to the suggestion desk (Enter, X, a label's key) on the current row."""
    sig_leave = Signal()
    """Esc: back to the article."""
    sig_folded = Signal(bool)
    """The reviewer folded (True) or unfolded the list with its arrow."""

    UNFOLDED = 16777215  # QWIDGETSIZE_MAX: no maximum height

    def __init__(self, wants_key, parent=None):
        """``wants_key(event)``: the desk takes this key (Enter, X, a label's key) for the current suggestion."""
        super().__init__(parent)
        self.setObjectName("suggestionPane")
        self._quiet = False
        self.model = SuggestionListModel(self)
        self.table = QTableView(objectName="suggestionList")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.ElideRight)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)  # fitting to contents reads every row on each change
        header.setSectionResizeMode(4, QHeaderView.Stretch)  # the reason: as wide as the article leaves it
        width = self.table.fontMetrics().horizontalAdvance
        header.resizeSection(0, width("ORGANISATION") + 34)
        header.resizeSection(2, width("patterns") + 16)
        header.resizeSection(3, width("Score") + 14)
        header.resizeSection(1, width("Bali Process on People Smuggling") + 8)
        # the count lives here, not in the status bar, so the selection's message there is never cut
        self.title = QLabel("Suggestions", objectName="suggestionsLabel")
        self.title.setTextFormat(Qt.PlainText)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.title.setToolTip("Tab / Shift+Tab next / previous · Enter accepts · a label's key accepts with that "
                              "label · X rejects · Ctrl+Shift+A accepts those at or above the threshold · "
                              "Ctrl+G comes here · Esc back to the article")
        self.fold_button = QToolButton(objectName="suggestionsFold", autoRaise=True, checkable=True)
        self.fold_button.setArrowType(Qt.DownArrow)
        self.fold_button.setToolTip("Fold the suggestions list to its title, so that the article has the height")
        self.fold_button.clicked.connect(self._fold_clicked)
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(self.fold_button)
        head.addWidget(self.title, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.table, 1)
        self._unfolded_height = 0  # the list's height in the splitter before it was folded
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self._wants_key = wants_key
        self.keys = KeyCatcher(self._wants, self._key, self).watch(self.table)

    @property
    def folded(self) -> bool:
        return self.fold_button.isChecked()

    def set_folded(self, folded: bool) -> None:
        """Only the title row (with the count) while folded; the splitter gives the article the rest, and the
        list's earlier height back when it unfolds."""
        splitter = self.parentWidget() if isinstance(self.parentWidget(), QSplitter) else None
        if folded and not self.table.isHidden() and splitter is not None:
            self._unfolded_height = splitter.sizes()[splitter.indexOf(self)]
        self.fold_button.setChecked(folded)
        self.fold_button.setArrowType(Qt.RightArrow if folded else Qt.DownArrow)
        self.fold_button.setToolTip("Unfold the suggestions list (Ctrl+G goes to it)" if folded else
                                    "Fold the suggestions list to its title, so that the article has the height")
        self.table.setHidden(folded)
        title = self.layout().itemAt(0).sizeHint().height()
        self.setMaximumHeight(title if folded else self.UNFOLDED)
        if splitter is None:
            return
        # the splitter keeps a child's share when its maximum changes (the rest stays empty): give it over
        at, sizes = splitter.indexOf(self), splitter.sizes()
        other = at - 1 if at else at + 1
        change = (title if folded else max(self._unfolded_height, 2 * title)) - sizes[at]
        if folded or change > 0:
            sizes[at] += change
            sizes[other] -= change
            splitter.setSizes(sizes)

    def _fold_clicked(self, checked: bool) -> None:
        self.set_folded(checked)
        self.sig_folded.emit(checked)

    def set_items(self, items: list, colors: dict[str, str], current: int | None) -> None:
        self._quiet = True
        try:
            self.model.set_items(items, colors)
        finally:
            self._quiet = False
        self.show_row(current)

    def _wants(self, event) -> bool:
        return event.key() == Qt.Key_Escape or (self.current_row is not None and self._wants_key(event))

    def _key(self, event) -> None:
        if event.key() == Qt.Key_Escape:
            self.sig_leave.emit()
        else:
            self.sig_key.emit(event)

    @property
    def current_row(self) -> int | None:
        row = self.table.currentIndex().row()
        return row if 0 <= row < len(self.model.items) else None

    def _row_changed(self, current, _previous) -> None:
        if current.isValid() and not self._quiet:
            self.sig_chosen.emit(current.row())

    def show_row(self, row: int | None) -> None:
        """Make ``row`` current (None: no row) without announcing it as chosen."""
        self._quiet = True
        try:
            selection = self.table.selectionModel()
            if row is not None and 0 <= row < len(self.model.items):
                index = self.model.index(row, 0)
                selection.setCurrentIndex(index, QItemSelectionModel.ClearAndSelect | QItemSelectionModel.Rows)
                self.table.scrollTo(index)
            else:
                selection.clearSelection()
                selection.setCurrentIndex(QModelIndex(), QItemSelectionModel.NoUpdate)
        finally:
            self._quiet = False
