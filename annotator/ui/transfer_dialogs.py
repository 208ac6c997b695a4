"""File > Import and File > Export: format, filters, progress and cancel, the work running off the GUI thread."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from .. import formats, transfer
from ..core.errors import AnnotatorError
from ..core.model import REVIEW_STATUSES
from ..store.bulk import ExportFilter
from . import file_dialogs
from .jobs import Job
from .plain import text


class _JobDialog(QDialog):
    """A form, a Run button, a progress bar, Cancel, and a report of what happened."""

    sig_changed_database = Signal()
    """The job changed the database (an import): views should refresh."""

    RUN_TEXT = "Run"

    def __init__(self, db_path: str, title: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.db_path = db_path
        self.job: Job | None = None
        self.form = QFormLayout()
        self.progress = QProgressBar(objectName="progress")
        self.progress.setVisible(False)
        self.report = QPlainTextEdit(objectName="report", readOnly=True)
        self.report.setPlaceholderText("What happened will show here.")
        self.report.setMaximumHeight(160)
        self.buttons = QDialogButtonBox()
        self.run_button = self.buttons.addButton(self.RUN_TEXT, QDialogButtonBox.AcceptRole)
        self.run_button.setObjectName("runButton")
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.Close)
        self.cancel_button.setObjectName("cancelButton")
        self.run_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel_or_close)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.progress)
        layout.addWidget(self.report)
        layout.addWidget(self.buttons)
        self.resize(620, 420)

    def _path_list(self, name: str, buttons: list[tuple[str, str, object]]) -> QWidget:
        """A list of chosen files and folders (``self.paths``) with buttons that add to it."""
        self.paths = QListWidget(objectName=name)
        row_widget = QWidget()
        row_widget.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Fixed)  # the list takes the spare height
        row = QHBoxLayout(row_widget)
        row.setContentsMargins(0, 0, 0, 0)
        for text, object_name, slot in buttons:
            button = QPushButton(text, objectName=object_name)
            button.clicked.connect(slot)
            row.addWidget(button)
        row.addStretch()
        return row_widget

    def add_paths(self, *paths) -> None:
        for p in paths:
            self.paths.addItem(str(p))

    def chosen_paths(self) -> list[str]:
        return [self.paths.item(i).text() for i in range(self.paths.count())]

    def accept(self) -> None:  # Enter runs the job; it never closes the dialog half-way
        self.start()

    def work(self):
        raise NotImplementedError

    def total(self) -> int:
        return 0

    def start(self) -> None:
        if self.job is not None:
            return
        try:
            work = self.work()
            total = self.total()
        except AnnotatorError as exc:
            self.report.setPlainText(self.in_own_words(str(exc)))
            return
        self.progress.setVisible(True)
        self.progress.setRange(0, total)  # 0..0 is a busy bar when the total is not known
        self.progress.setValue(0)
        self.run_button.setEnabled(False)
        self.cancel_button.setText("Cancel")
        self.report.setPlainText("Working…")
        self.job = Job(self.db_path, work, self)
        self.job.sig_progress.connect(lambda n: self.progress.setValue(min(n, self.progress.maximum())))
        self.job.sig_succeeded.connect(self._succeeded)
        self.job.sig_failed.connect(self._failed)
        self.job.finished.connect(self._finished)
        self.job.start()

    def cancel_or_close(self) -> None:
        if self.job is not None:
            self._cancel_job()
        else:
            self.reject()

    # How long Cancel waits for the work to notice: it polls between records, so only a read that does not return
    # (a file on a network share that stopped answering, a pipe) takes longer.
    CANCEL_WAIT_MS = 300

    def _cancel_job(self) -> None:
        """Cancel; if the work is blocked in a read, let it go instead of waiting: it stops, and rolls back, as soon
        as the read returns, and the dialog is free at once (waiting froze the window for as long as the read)."""
        job = self.job
        job.cancel()
        if job.wait(self.CANCEL_WAIT_MS):
            self.cancel_button.setEnabled(False)
            self.report.appendPlainText("Cancelling…")  # its signals, queued, end the job in the dialog
            return
        for signal in (job.sig_progress, job.sig_succeeded, job.sig_failed, job.finished):
            signal.disconnect()
        Job.let_go(job)
        self.progress.setVisible(False)
        self.report.setPlainText("Cancelled: nothing was changed. The file being read does not answer; the import"
                                 " stops, without changing anything, when it does.")
        self._finished()

    def _succeeded(self, result) -> None:
        self.progress.setValue(self.progress.maximum())
        self.report.setPlainText("\n".join(self.describe(result)))

    def _failed(self, message: str) -> None:
        self.progress.setVisible(False)  # a full bar over "nothing was imported" reads as done
        self.report.setPlainText(self.in_own_words(message))

    def in_own_words(self, message: str) -> str:
        return message

    def _finished(self) -> None:
        self.job = None
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("Close")

    def describe(self, result) -> list[str]:
        return [str(result)]

    def closeEvent(self, event):  # noqa: N802
        if self.job is not None:
            self._cancel_job()
        super().closeEvent(event)

    def reject(self) -> None:  # Escape while working cancels, as the Cancel button does
        if self.job is not None:
            self._cancel_job()
        super().reject()


class ImportDialog(_JobDialog):
    RUN_TEXT = "Import"

    def __init__(self, db_path: str, annotator: str, parent=None):
        super().__init__(db_path, "Import documents", parent)
        self.setObjectName("importDialog")
        self.annotator = annotator
        buttons = self._path_list("importPaths", [("Add files…", "addFiles", self._add_files),
                                                  ("Add folder…", "addFolder", self._add_folder)])
        self.format = QComboBox(objectName="importFormat")
        for name in ["auto", *formats.names()]:
            self.format.addItem(name if name != "auto" else "auto (by file name)", name)
        self.encoding = QLineEdit("utf-8", objectName="importEncoding")
        self.skip_invalid = QCheckBox("Skip invalid records (and say how many)", objectName="skipInvalid")
        self.form.addRow("Files and folders", self.paths)
        self.form.addRow("", buttons)
        self.form.addRow("Format", self.format)
        self.form.addRow("Text encoding", self.encoding)
        self.form.addRow("", self.skip_invalid)

    def _add_files(self) -> None:
        self.add_paths(*file_dialogs.open_files(
            self, "Files to import", "Documents (*.txt *.jsonl *.ndjson *.json *.conll *.spacy *.ann);;All files (*)"))

    def _add_folder(self) -> None:
        folder = file_dialogs.open_folder(self, "Folder to import")
        if folder:
            self.add_paths(folder)

    def total(self) -> int:
        return transfer.import_size(self.chosen_paths(), self.format.currentData())

    def work(self):
        paths = self.chosen_paths()
        if not paths:
            raise AnnotatorError("Add a file or a folder to import first.")
        fmt, encoding, skip = self.format.currentData(), self.encoding.text().strip() or "utf-8", self.skip_invalid.isChecked()
        annotator = self.annotator

        def run(store, progress, cancelled):
            return transfer.import_paths(store, paths, fmt=fmt, encoding=encoding, annotator=annotator,
                                         skip_invalid=skip, progress=progress, cancelled=cancelled)

        return run

    def _succeeded(self, result) -> None:
        super()._succeeded(result)
        self.sig_changed_database.emit()

    def describe(self, result) -> list[str]:
        return result.lines()

    def in_own_words(self, message: str) -> str:
        return transfer.in_window_words(message)  # the CLI's message, naming this dialog's controls, not options


NO_TARGET = "Say where to write the export first."


class ExportDialog(_JobDialog):
    RUN_TEXT = "Export"

    def __init__(self, db_path: str, store, parent=None):
        super().__init__(db_path, "Export the corpus", parent)
        self.setObjectName("exportDialog")
        self.store = store
        self.output = QLineEdit(objectName="exportPath")
        self.output.textChanged.connect(self._where_given)
        browse = QPushButton("Browse…", objectName="browse")
        browse.clicked.connect(self._browse)
        target = QWidget()
        row = QHBoxLayout(target)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.output, 1)
        row.addWidget(browse)
        self.format = QComboBox(objectName="exportFormat")
        for name in formats.names():
            self.format.addItem(f"{name} — {formats.get(name).DESCRIPTION}", name)
        self.format.setCurrentIndex(self.format.findData("jsonl"))  # ours, lossless, unless asked otherwise
        self.annotator = QComboBox(objectName="exportAnnotator")
        self.annotator.addItem("every annotator", None)
        for who in store.annotators():
            self.annotator.addItem(text(who), who)
        self.label = QComboBox(objectName="exportLabel")
        self.label.addItem("every label", None)
        for label in store.labels():
            self.label.addItem(text(label.name), label.name)
        self.status = QComboBox(objectName="exportStatus")
        self.status.addItem("every document", None)
        for status in REVIEW_STATUSES:
            self.status.addItem(status, status)
        self.strict = QCheckBox("Strict: write nothing if the format would lose or adjust anything", objectName="strict")
        self.form.addRow("Write to", target)
        self.form.addRow("Format", self.format)
        self.form.addRow("Annotator", self.annotator)
        self.form.addRow("Label", self.label)
        self.form.addRow("Review status", self.status)
        self.form.addRow("", self.strict)

    def _browse(self) -> None:
        module = formats.get(self.format.currentData())
        if getattr(module, "WRITES_FOLDER", False):
            path = file_dialogs.open_folder(self, "Folder to write")
        else:
            path = file_dialogs.save_file(self, "File to write", "corpus.jsonl")
        if path:
            self.output.setText(path)

    def _where_given(self, text: str) -> None:
        if text.strip() and self.report.toPlainText() == NO_TARGET:
            self.report.clear()  # the request is answered: it must not stay on screen

    def _filter(self) -> ExportFilter:
        who, label = self.annotator.currentData(), self.label.currentData()
        return ExportFilter(annotators=(who,) if who else (), labels=(label,) if label else (), status=self.status.currentData())

    def total(self) -> int:
        return self.store.document_count()

    def work(self):
        output = self.output.text().strip()
        if not output:
            raise AnnotatorError(NO_TARGET)
        fmt, flt, strict = self.format.currentData(), self._filter(), self.strict.isChecked()

        def run(store, progress, cancelled):
            return (output, fmt, transfer.export_to(store, output, fmt=fmt, flt=flt, strict=strict,
                                                    progress=lambda n: progress(n, True), cancelled=cancelled))

        return run

    def describe(self, result) -> list[str]:
        output, fmt, exported = result
        lines = [f"{exported.documents} document(s) written to {output} as {fmt}."]
        lost = exported.report.lines()
        return lines + (["What the format could not hold:"] + [f"  {l}" for l in lost] if lost else ["Nothing was lost."])
