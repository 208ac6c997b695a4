"""Review > Findings: the findings tables in the window, computed in the background (a Job with its own
connection: the window stays responsive, with progress and Cancel), each commitment or figure one double-click
(or Enter) away from its document with the span selected; "Save report…" writes the same HTML page as
``annotator findings --format html``."""
from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..core.model import REVIEW_STATUSES
from .jobs import Job
from .plain import text

KEEP = 5000  # rows of each long table the panel holds; the CSV and the report say how many there are in all


def _sort_key(value):
    """How a cell sorts: numbers as numbers, then text without regard to case (ISO dates, which every date column
    holds, sort as dates that way); lists by their text."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, value, "")
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    return (1, 0, str(value).casefold())


def _missing(value) -> bool:
    return value is None or value == "" or value == [] or value == ()


class RowsModel(QAbstractTableModel):
    """A read-only table of rows already made (lists of values); each row may carry where it opens. Sortable by
    any column (a click on its header): empty cells stay last whichever the direction."""

    def __init__(self, headers: list[str], parent=None):
        super().__init__(parent)
        self.headers = headers
        self.rows: list[list] = []
        self.targets: list[tuple[str, int, int] | None] = []
        self.sorted_by: tuple[int, Qt.SortOrder] | None = None

    def set_rows(self, rows: list[list], targets: list | None = None) -> None:
        self.beginResetModel()
        self.rows = rows
        self.targets = targets or [None] * len(rows)
        self.endResetModel()
        if self.sorted_by is not None:
            self.sort(*self.sorted_by)

    def sort(self, column: int, order=Qt.AscendingOrder) -> None:
        if not 0 <= column < len(self.headers):
            return
        self.sorted_by = (column, order)
        self.layoutAboutToBeChanged.emit()
        rows = self.rows
        present = [i for i in range(len(rows)) if not _missing(rows[i][column])]
        present.sort(key=lambda i: _sort_key(rows[i][column]), reverse=order == Qt.DescendingOrder)
        new_order = present + [i for i in range(len(rows)) if _missing(rows[i][column])]
        self.rows = [rows[i] for i in new_order]
        self.targets = [self.targets[i] for i in new_order]
        # the selection and the current row follow their rows to where they are now
        moved_to = {old: new for new, old in enumerate(new_order)}
        before = self.persistentIndexList()
        self.changePersistentIndexList(before, [self.index(moved_to[i.row()], i.column()) for i in before])
        self.layoutChanged.emit()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        value = self.rows[index.row()][index.column()]
        if role in (Qt.DisplayRole, Qt.ToolTipRole):
            if isinstance(value, (list, tuple)):
                value = "; ".join(str(v) for v in value)
            if role == Qt.ToolTipRole:
                return None  # a tooltip would be read as rich text: the cell itself shows the value
            return text("" if value is None else value)
        if role == Qt.TextAlignmentRole and isinstance(value, (int, float)) and not isinstance(value, bool):
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return self.headers[section]
        return None


def _table(name: str, model: RowsModel) -> QTableView:
    view = QTableView(objectName=name)
    view.setModel(model)
    view.setEditTriggers(QAbstractItemView.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectRows)
    view.setSelectionMode(QAbstractItemView.SingleSelection)
    view.verticalHeader().hide()
    view.setWordWrap(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    # a click on a header sorts by that column (again: the other way); until then the rows keep the pass's order
    view.horizontalHeader().setSortIndicatorClearable(True)
    view.horizontalHeader().setSortIndicator(-1, Qt.AscendingOrder)
    view.setSortingEnabled(True)
    return view


class FindingsDialog(QDialog):
    sig_open_range = Signal(str, int, int)
    """Open this document with this range selected (a commitment or a figure of the tables)."""

    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.setObjectName("findingsDialog")
        self.setWindowTitle("Findings")
        self.store = store
        self.job: Job | None = None
        self.findings = None
        self.since = QLineEdit(objectName="findingsSince", placeholderText="YYYY[-MM[-DD]]")
        self.until = QLineEdit(objectName="findingsUntil", placeholderText="YYYY[-MM[-DD]]")
        self.publisher = QLineEdit(objectName="findingsPublisher", placeholderText="any")
        self.organisation = QLineEdit(objectName="findingsOrganisation", placeholderText="any")
        self.kind = QLineEdit(objectName="findingsKind", placeholderText="any")
        self.layer = QComboBox(objectName="findingsLayer")
        self.layer.addItem("every reviewer, gold if curated", ("", False))
        self.layer.addItem("gold (curated)", ("", True))
        # the reviewers are added when the first findings arrive (their coverage names them): asking the database
        # here would scan every span before the dialog could show (a second on 100,000 documents)
        self.status = QComboBox(objectName="findingsStatus")
        self.status.addItem("any", None)
        for s in REVIEW_STATUSES:
            self.status.addItem(s, s)
        self.by_month = QCheckBox("Over time by month", objectName="findingsByMonth")
        for edit in (self.since, self.until, self.publisher, self.organisation, self.kind):
            edit.returnPressed.connect(self.compute)
        form = QFormLayout()
        form.addRow("From", self.since)
        form.addRow("To", self.until)
        form.addRow("Publisher", self.publisher)
        form.addRow("Organisation", self.organisation)
        form.addRow("Kind", self.kind)
        form.addRow("Layer", self.layer)
        form.addRow("Review status", self.status)
        form.addRow("", self.by_month)
        self.compute_button = QPushButton("Compute", objectName="computeFindings")
        self.compute_button.clicked.connect(self.compute)
        self.cancel_button = QPushButton("Cancel", objectName="cancelFindings", enabled=False)
        self.cancel_button.clicked.connect(self.cancel)
        self.save_button = QPushButton("Save report…", objectName="saveFindingsReport", enabled=False)
        self.save_button.clicked.connect(self.save_report)
        self.progress = QProgressBar(objectName="findingsProgress")
        self.progress.setRange(0, max(1, store.document_count()))
        self.summary = QLabel(objectName="findingsSummary", wordWrap=True)
        self.summary.setTextFormat(Qt.PlainText)
        buttons = QHBoxLayout()
        for b in (self.compute_button, self.cancel_button, self.save_button):
            buttons.addWidget(b)
        side = QVBoxLayout()
        side.addLayout(form)
        side.addLayout(buttons)
        side.addWidget(self.progress)
        side.addStretch(1)
        left = QWidget()
        left.setLayout(side)
        left.setMaximumWidth(340)
        self.models = {
            "commitments": RowsModel(["Date", "Publisher", "Commitment", "Actors", "Partners", "Organisations nearby",
                                      "Found by", "Figures", "Kind", "Reviewer", "Status", "Title"]),
            "organisations": RowsModel(["Organisation", "Mentions", "Documents", "As actor", "As partner", "Nearby",
                                        "First seen", "Last seen", "Commits with most"]),
            "figures": RowsModel(["Unit", "Value", "Approximate", "Figure", "Date", "Commitment", "Reviewer", "Title"]),
            "over_time": RowsModel(["Period", "Organisation", "Commitments"]),
            "coverage": RowsModel(["What", "Who", "Value"]),
        }
        self.tabs = QTabWidget(objectName="findingsTabs")
        self.views = {}
        for key, title in (("commitments", "Commitments"), ("organisations", "Organisations"), ("figures", "Figures"),
                           ("over_time", "Over time"), ("coverage", "Coverage")):
            view = self.views[key] = _table(f"findings_{key}", self.models[key])
            if key in ("commitments", "figures"):
                view.doubleClicked.connect(lambda index, k=key: self._open(k, index))
                view.activated.connect(lambda index, k=key: self._open(k, index))
            self.tabs.addTab(view, title)
        right = QVBoxLayout()
        right.addWidget(self.summary)
        right.addWidget(QLabel("Click a column's header to sort by it. Double-click (or Enter on) a commitment or a figure "
                               "to open it in its document."))
        right.addWidget(self.tabs, 1)
        layout = QHBoxLayout(self)
        layout.addWidget(left)
        layout.addLayout(right, 1)
        self.resize(1200, 700)
        self.compute()  # opens at once and fills in the background

    # -- the filters ------------------------------------------------------------------------------------------

    def filters(self):
        from ..findings import Filters

        who, gold = self.layer.currentData()
        return Filters(self.since.text(), self.until.text(), self.publisher.text().strip(),
                       self.organisation.text().strip(), self.kind.text().strip(), who or None, gold,
                       self.status.currentData(), self.by_month.isChecked())

    # -- the background work ----------------------------------------------------------------------------------

    def _start(self, work, done) -> None:
        try:
            filters = self.filters().checked()
        except ValueError as exc:
            self.summary.setText(str(exc))
            return
        if self.job is not None:
            return
        self.progress.setValue(0)
        self.compute_button.setEnabled(False)
        self.save_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.job = Job(self.store.path, lambda store, progress, cancelled: work(store, filters, progress, cancelled),
                       self)
        self.job.sig_progress.connect(self.progress.setValue)
        self.job.sig_succeeded.connect(done)
        self.job.sig_failed.connect(self._failed)
        self.job.finished.connect(self._finished)
        self.job.start()

    def compute(self) -> None:
        self.summary.setText("Computing…")
        self._start(_compute, self.show_findings)

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def _failed(self, message: str) -> None:
        self.summary.setText(message)

    def _finished(self) -> None:
        self.job = None
        self.compute_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.save_button.setEnabled(self.findings is not None)

    def closeEvent(self, event) -> None:
        if self.job is not None:
            self.job.cancel()
            Job.let_go(self.job)
            self.job = None
        super().closeEvent(event)

    # -- showing them -----------------------------------------------------------------------------------------

    def show_findings(self, found) -> None:
        from ..findings import rows

        self.findings = found
        if self.layer.count() == 2:
            for k, (who, *_) in enumerate(found.coverage.reviewers, 1):
                self.layer.insertItem(k, text(who), (who, False))
        shown = len(found.commitments)
        self.summary.setText(
            f"{found.commitment_count} commitment(s) ({found.with_relations} with organisations from relations, "
            f"{found.by_proximity} inferred by proximity), {len(found.organisations)} organisation(s), "
            f"{found.figure_count} figure(s), in {found.coverage.in_findings} of {found.coverage.documents} "
            "document(s)" + (f"; the first {shown} commitments shown (Save report or `annotator findings` for all)"
                            if shown < found.commitment_count else "."))
        commitments = sorted(found.commitments, key=lambda c: (c.date or "~", c.publisher, c.doc_id, c.start))
        self.models["commitments"].set_rows(
            [[c.date, c.publisher, c.text, c.actors, c.partners, c.nearby, c.organisations_by,
              [x.shown() for x in c.figures], c.kind, c.reviewer, c.status, c.title] for c in commitments],
            [(c.doc_id, c.start, c.end) for c in commitments])
        self.models["organisations"].set_rows(
            [[o.name, o.mentions, o.documents, o.as_actor, o.as_partner, o.nearby, o.first_date, o.last_date,
              [f"{n} ({k})" for n, k in o.with_most]] for o in found.organisations])
        self.models["figures"].set_rows(
            [[x.unit, x.value, "approximate" if x.approximate else "", x.text, x.date, x.commitment, x.reviewer,
              x.title] for x in found.figures],
            [(x.doc_id, x.start, x.end) for x in found.figures])
        self.models["over_time"].set_rows([list(r) for r in found.over_time])
        self.models["coverage"].set_rows(rows.coverage(found.coverage))
        for view in self.views.values():
            view.resizeColumnsToContents()
            for column in range(view.model().columnCount()):
                view.setColumnWidth(column, min(view.columnWidth(column), 260))

    def _open(self, key: str, index) -> None:
        target = self.models[key].targets[index.row()] if index.isValid() else None
        if target:
            self.sig_open_range.emit(*target)

    def save_report(self) -> None:
        from .file_dialogs import save_file

        path = save_file(self, "Save the findings report", "findings.html")
        if not path:
            return
        self.summary.setText("Writing the report…")
        self._start(lambda store, filters, progress, cancelled: _save(store, filters, progress, cancelled, path),
                    lambda found: self.summary.setText(f"Report saved: {path}"))


def _agreement(store, cancelled):
    from ..curation.agreement import pairwise_f1

    return pairwise_f1(store, cancelled)


def _compute(store, filters, progress, cancelled):
    from ..findings import compute

    return compute(store, filters, keep=KEEP, agreement=_agreement(store, cancelled),
                   progress=lambda done, total: progress(done, True), cancelled=cancelled)


def _save(store, filters, progress, cancelled, path):
    from ..findings import report

    return report.write(store, path, filters, agreement=_agreement(store, cancelled),
                        progress=lambda done, total: progress(done, True), cancelled=cancelled)
