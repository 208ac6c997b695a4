"""Team curation in the window: File > Merge, the agreement panel, and the curation panel where a
curator settles the reviewers' spans into the gold layer from the keyboard."""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.errors import AnnotatorError
from . import file_dialogs
from .jobs import Job
from .plain import rich_fragment, text
from .transfer_dialogs import _JobDialog


def _pct(x) -> str:
    return "—" if x is None else f"{x:.3f}"


# -- merge --------------------------------------------------------------------------------------------------------

class MergeDialog(_JobDialog):
    RUN_TEXT = "Merge"

    def __init__(self, db_path: str, parent=None):
        super().__init__(db_path, "Merge reviewers' work", parent)
        self.setObjectName("mergeDialog")
        buttons = self._path_list("mergePaths", [("Add bundles or databases…", "addBundles", self._add)])
        self.form.addRow("Bundles and databases", self.paths)
        self.form.addRow("", buttons)

    def _add(self) -> None:
        self.add_paths(*file_dialogs.open_files(self, "Bundles or databases to merge",
                                                "Bundles and databases (*.jsonl *.db *.sqlite);;All files (*)"))

    def total(self) -> int:
        return 1000

    def work(self):
        from ..curation.merge import merge_paths

        paths = self.chosen_paths()
        if not paths:
            raise AnnotatorError("Add a bundle or a database to merge first.")

        def run(store, progress, cancelled):
            return merge_paths(store, paths, progress=lambda fraction, _msg="": progress(int(fraction * 1000), True),
                               cancelled=cancelled)

        return run

    def _succeeded(self, result) -> None:
        super()._succeeded(result)
        self.sig_changed_database.emit()

    def describe(self, result) -> list[str]:
        return result.lines()


# -- agreement ----------------------------------------------------------------------------------------------------

class AgreementDialog(QDialog):
    sig_open_document = Signal(str)
    """The curator asked to look at this document (one of the lowest-agreement ones)."""

    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.setObjectName("agreementDialog")
        self.setWindowTitle("Agreement")
        self.store = store
        self.job: Job | None = None
        self.reviewers = QListWidget(objectName="agreementReviewers")
        self.reviewers.setMaximumHeight(90)
        for who in store.annotators():
            item = QListWidgetItem(text(who))
            item.setData(Qt.UserRole, who)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Checked)
            self.reviewers.addItem(item)
        self.label = QComboBox(objectName="agreementLabel")
        self.label.addItem("every label", None)
        for label in store.labels():
            self.label.addItem(text(label.name), label.name)
        self.all_documents = QCheckBox("Every document (not only those every reviewer marked done)",
                                       objectName="allDocuments")
        self.compute_button = QPushButton("Compute", objectName="computeAgreement")
        self.compute_button.clicked.connect(self.compute)
        self.summary = QLabel(objectName="agreementSummary", wordWrap=True)
        self.summary.setTextFormat(Qt.PlainText)  # reviewer names
        self.overall = QTableWidget(0, 6, objectName="agreementOverall")
        self.overall.setHorizontalHeaderLabels(["Label", "Exact P", "Exact R", "Exact F1", "Overlap F1", "α (tokens)"])
        self.pairs = QTableWidget(0, 4, objectName="agreementPairs")
        self.pairs.setHorizontalHeaderLabels(["Pair", "Exact F1", "Overlap F1", "Cohen's κ"])
        self.lowest = QTableWidget(0, 3, objectName="agreementLowest")
        self.lowest.setHorizontalHeaderLabels(["Lowest agreement first", "Exact F1", "Disagreements"])
        self.lowest.cellDoubleClicked.connect(self._open_lowest)
        for table in (self.overall, self.pairs, self.lowest):
            table.setEditTriggers(QAbstractItemView.NoEditTriggers)
            table.setSelectionBehavior(QAbstractItemView.SelectRows)
            table.verticalHeader().hide()
            table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        top = QHBoxLayout()
        top.addWidget(self.reviewers, 1)
        side = QVBoxLayout()
        side.addWidget(self.label)
        side.addWidget(self.all_documents)
        side.addWidget(self.compute_button)
        top.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.overall)
        layout.addWidget(self.pairs)
        layout.addWidget(QLabel("Double-click a document to open it."))
        layout.addWidget(self.lowest)
        self.resize(760, 720)
        self._lowest_ids: list[str] = []
        if len(self.chosen()) >= 2:
            # computed on open, in the background (a Job): the window does not open empty
            QTimer.singleShot(0, self.compute)
        else:
            self.summary.setText("Agreement needs two reviewers' work in this database: merge a teammate's first "
                                 "(File > Merge reviewers' work…).")

    def chosen(self) -> list[str]:
        return [self.reviewers.item(i).data(Qt.UserRole) for i in range(self.reviewers.count())
                if self.reviewers.item(i).checkState() == Qt.Checked]

    def compute(self) -> None:
        from ..curation import agreement

        if self.job is not None:
            return
        who = self.chosen()
        if len(who) < 2:
            self.summary.setText("Choose at least two reviewers.")
            return
        label, every = self.label.currentData(), self.all_documents.isChecked()
        self.summary.setText("Computing…")
        self.compute_button.setEnabled(False)
        self.job = Job(self.store.path, lambda store, progress, cancelled: agreement.compute(
            store, who, label, all_documents=every, worst=20), self)
        self.job.sig_succeeded.connect(self.show_report)
        self.job.sig_failed.connect(self.summary.setText)
        self.job.finished.connect(self._finished)
        self.job.start()
        # it starts by itself when the dialog opens: the dialog may be closed or deleted before it ends, and a
        # QThread deleted while it runs aborts the app, so the job is kept apart from the dialog until it ends
        Job.let_go(self.job)

    def _finished(self) -> None:
        self.job = None
        self.compute_button.setEnabled(True)

    def closeEvent(self, event):  # noqa: N802
        if self.job is not None:
            self.job.cancel()
        super().closeEvent(event)

    def show_report(self, report) -> None:
        from ..curation.agreement import ALL

        self.summary.setText(
            f"{', '.join(text(a) for a in report.annotators)} on {report.documents} document(s) ({report.basis}), {report.tokens:,} tokens"
        )
        labels = [ALL] + [l for l in report.labels if l != ALL]
        self.overall.setRowCount(len(labels))
        for row, label in enumerate(labels):
            exact, overlap = report.exact.get(label), report.overlap.get(label)
            cells = [text(label), _pct(exact and exact.precision), _pct(exact and exact.recall), _pct(exact and exact.f1),
                     _pct(overlap and overlap.f1), _pct(report.alpha.get(label))]
            for col, cell in enumerate(cells):
                self.overall.setItem(row, col, QTableWidgetItem(cell))
        self.pairs.setRowCount(len(report.pairs))
        for row, pair in enumerate(report.pairs):
            cells = [text(f"{pair.a} · {pair.b}"), _pct(pair.exact[ALL].f1 if ALL in pair.exact else None),
                     _pct(pair.overlap[ALL].f1 if ALL in pair.overlap else None), _pct(pair.kappa.get(ALL))]
            for col, cell in enumerate(cells):
                self.pairs.setItem(row, col, QTableWidgetItem(cell))
        self.lowest.setRowCount(len(report.lowest))
        self._lowest_ids = [d.doc_id for d in report.lowest]
        for row, d in enumerate(report.lowest):
            for col, cell in enumerate([text(d.title), _pct(d.f1_exact), str(d.disagreements)]):
                self.lowest.setItem(row, col, QTableWidgetItem(cell))

    def _open_lowest(self, row: int, _col: int) -> None:
        if 0 <= row < len(self._lowest_ids):
            self.sig_open_document.emit(self._lowest_ids[row])


# -- curation -----------------------------------------------------------------------------------------------------

class CurationPanel(QWidget):
    """One document's candidates: each distinct span of the compared reviewers, a column (lane) per reviewer,
    agreed ones marked; G or Enter takes the selected one into gold, A takes every agreed one, R or Delete rejects,
    all undoable with the window's Ctrl+Z."""

    sig_select_range = Signal(int, int)

    def __init__(self, window):
        super().__init__()
        self.setObjectName("curationPanel")
        self.window_ = window
        self.state = None
        self.title = QLabel(objectName="curationProgress")
        self.table = QTableWidget(0, 0, objectName="curationCandidates")
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.currentCellChanged.connect(self._row_changed)
        help_ = QLabel("G / Enter: take into gold · 1, 2, 3…: take it with that label · E: take the text selected in the "
                       "article instead (a corrected range) · A: take every agreed span · R / Delete: reject · "
                       "Ctrl+Z: undo")
        help_.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addWidget(help_)
        for keys, slot in ((["G", "Return", "Enter"], self.take), (["A"], self.take_agreed),
                           (["R", "Delete"], self.reject), (["E"], self.take_selection)):
            for key in keys:
                shortcut = QShortcut(QKeySequence(key), self.table)
                shortcut.setContext(Qt.WidgetWithChildrenShortcut)
                shortcut.activated.connect(slot)

    @property
    def curator(self) -> str:
        return self.window_.annotator

    def refresh(self) -> None:
        from ..curation import adjudication

        doc_id = self.window_.doc_id
        if not doc_id:
            return
        row = self.table.currentRow()
        self.state = adjudication.document(self.window_.store, doc_id)
        who = self.state.annotators
        columns = ["Text", "Label", *who, "Agreed", "Gold"]
        self.table.setColumnCount(len(columns))
        self.table.setHorizontalHeaderLabels(columns)
        self.table.setRowCount(len(self.state.candidates))
        for r, c in enumerate(self.state.candidates):
            # with one reviewer there is nobody to agree with: "—", not "≠" on every row
            cells = [text(c.text.replace("\n", " ⏎ ")), text(c.label), *("✓" if w in c.annotators else "" for w in who),
                     "—" if len(who) < 2 else "✓" if c.agreed else "≠", {"taken": "gold", "rejected": "rejected"}.get(c.decision, "")]
            for col, cell in enumerate(cells):
                item = QTableWidgetItem(cell)
                if col == 1:
                    item.setForeground(QColor(self.window_.colors.get(c.label, "#888888")))
                if col == len(cells) - 2 and not c.agreed and len(who) >= 2:
                    item.setForeground(QColor("#D55E00"))
                self.table.setItem(r, col, item)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        p = self.state.progress()
        agreed = p.agreed if len(who) >= 2 else "— (one reviewer)"
        self.title.setText(f"<b>Curation</b> — decided {p.decided} of {p.candidates} · agreed {agreed} · "
                           f"gold spans {p.gold} · reviewers: {rich_fragment(', '.join(who)) or 'none'}")
        if self.state.candidates:
            self.table.setCurrentCell(max(0, min(row, len(self.state.candidates) - 1)), 0)

    def current(self):
        row = self.table.currentRow()
        if self.state is None or not (0 <= row < len(self.state.candidates)):
            return None
        return self.state.candidates[row]

    def _row_changed(self, row, *_):
        c = self.current()
        if c is not None:
            self.sig_select_range.emit(c.start, c.end)

    def _push(self, command) -> None:
        if self.window_._run(command):
            self.refresh()

    def take(self) -> None:
        from ..curation.adjudication import TakeCandidate

        c = self.current()
        if c is not None and c.decision != "taken":
            self._push(TakeCandidate(c, self.curator))
            self._next_undecided()

    def _taken_gold(self, c):
        from ..store import gold as gold_store

        return gold_store.find(self.window_.store, c.gold_id) if c.decision == "taken" and c.gold_id else None

    def take_as(self, label: str) -> None:
        """Take the selected candidate into gold with another label (or relabel its gold span)."""
        from ..curation.adjudication import EditGold, TakeSpan

        c = self.current()
        if c is None:
            return
        taken = self._taken_gold(c)
        if taken is not None:
            if taken.label != label:
                self._push(EditGold(taken, self.curator, label=label))
        else:
            self._push(TakeSpan(c.doc_id, c.start, c.end, label, self.curator, c.span_ids))

    def take_selection(self) -> None:
        """Take the range selected in the article, with the candidate's label: the curator's corrected span."""
        from ..curation.adjudication import EditGold, TakeSpan

        c = self.current()
        selection = self.window_.view.selection_offsets()
        if c is None or selection is None:
            self.window_.statusBar().showMessage("Select the corrected range in the article first, then press E", 5000)
            return
        start, end = selection
        text = self.window_.view.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        taken = self._taken_gold(c)
        if taken is not None:
            self._push(EditGold(taken, self.curator, start=start, end=end))
        else:
            self._push(TakeSpan(c.doc_id, start, end, c.label, self.curator, c.span_ids))

    def take_agreed(self) -> None:
        from ..curation.adjudication import TakeAgreed

        if not self.window_.doc_id:
            return
        left = [c for c in (self.state.candidates if self.state else []) if c.agreed and not c.decision]
        if not left:
            single = self.state is not None and len(self.state.annotators) < 2
            self.window_.statusBar().showMessage(
                "One reviewer only: no span is agreed; take each with G, or merge another reviewer's work"
                if single else "Nothing agreed is left to take in this document", 5000)
            return
        command = TakeAgreed(self.window_.doc_id, self.curator, self.state.annotators if self.state else None)
        if self.window_._run(command):
            self.refresh()
            self.window_.statusBar().showMessage(f"Took {command.count} agreed span(s) into gold", 4000)

    def reject(self) -> None:
        from ..curation.adjudication import RejectCandidate

        c = self.current()
        if c is not None and c.decision != "rejected":
            self._push(RejectCandidate(c, self.curator))
            self._next_undecided()

    def _next_undecided(self) -> None:
        if self.state is None:
            return
        row = self.table.currentRow()
        for r in list(range(row + 1, len(self.state.candidates))) + list(range(0, row + 1)):
            if not self.state.candidates[r].decision:
                self.table.setCurrentCell(r, 0)
                return
