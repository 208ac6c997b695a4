"""File > Sync…: the team's shared folder or git remote, synced off the GUI thread, now or every N minutes.

The sync runs in a job with its own connection to the database, as an import does (``jobs.Job``): the window goes
on answering, and what the sync merged reaches it through the database (``external_changes``). Where to sync and
how often are remembered per database; the last sync's time and result stay in the status bar.
"""
from __future__ import annotations

import hashlib
from datetime import datetime

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from . import file_dialogs
from .jobs import Job
from . import plain

# what a sync says it is doing, in the order it does it (the progress bar's steps)
STEPS = ("fetching", "reading", "merging", "writing", "pushing")


def settings_key(db_path: str, what: str) -> str:
    return f"sync/{hashlib.sha1(str(db_path).encode('utf-8')).hexdigest()[:16]}/{what}"


def one_line(message: str) -> str:
    lines = [ln.strip() for ln in str(message).splitlines() if ln.strip()]
    return lines[0] if lines else "the sync failed"


class SyncJob(Job):
    sig_step = Signal(int, str)
    """The step the sync is at (an index of STEPS) and what it says it is doing."""


class SyncController(QObject):
    """Runs syncs (one at a time) for the window, now or on a timer, and keeps the status bar's line."""

    sig_step = Signal(int, str)
    sig_finished = Signal(bool, str, list)
    """Whether it worked, the one-line result, and the report's lines (or the one line of what failed)."""
    sig_changed_database = Signal()

    def __init__(self, db_path: str, annotator, settings, status: QLabel, parent=None):
        super().__init__(parent)
        self.db_path = db_path
        self.annotator = annotator  # a function: the window's reviewer name when the sync starts
        self.settings = settings
        self.status = status
        self.job: SyncJob | None = None
        self.timer = QTimer(self)
        self.timer.timeout.connect(self._on_timer)
        last = self.settings.value(settings_key(db_path, "last"))
        if last:
            plain.label(self.status, str(last))
        self.set_every(self.every)

    # -- what is remembered per database -----------------------------------------------------------------------

    @property
    def target(self) -> str:
        return str(self.settings.value(settings_key(self.db_path, "target")) or "")

    @target.setter
    def target(self, value: str) -> None:
        self.settings.setValue(settings_key(self.db_path, "target"), value)

    @property
    def every(self) -> int:
        try:
            return max(0, int(self.settings.value(settings_key(self.db_path, "every")) or 0))
        except (TypeError, ValueError):
            return 0

    def set_every(self, minutes: int) -> None:
        self.settings.setValue(settings_key(self.db_path, "every"), int(minutes))
        if minutes > 0:
            self.timer.start(int(minutes) * 60_000)
        else:
            self.timer.stop()

    # -- running -----------------------------------------------------------------------------------------------

    def running(self) -> bool:
        return self.job is not None

    def start(self, target: str) -> bool:
        """Start a sync with ``target``; False if one is running already."""
        if self.job is not None:
            return False
        from ..sync import sync

        annotator, db_path = self.annotator(), self.db_path
        job = SyncJob(db_path, None, self)

        def step(what: str) -> None:
            index = next((i for i, s in enumerate(STEPS) if what.startswith(s)), 0)
            job.sig_step.emit(index, what)

        def work(store, progress, cancelled):
            return sync(store, target, annotator, db_path=db_path, step=step, cancelled=cancelled)

        job.work = work
        job.sig_step.connect(self.sig_step)
        job.sig_succeeded.connect(self._succeeded)
        job.sig_failed.connect(self._failed)
        job.finished.connect(self._ended)
        self.job = job
        plain.label(self.status, "Syncing…")
        job.start()
        return True

    def cancel(self) -> None:
        """Asks the sync to stop: it stops if it has not begun to change anything, and says so."""
        if self.job is not None:
            self.job.cancel()

    def _on_timer(self) -> None:
        if self.target and self.job is None:
            self.start(self.target)

    def _succeeded(self, report) -> None:
        summary = report.summary()
        self._remember(("Sync failed " if report.failed else "Synced ") + f"{_now()}: {summary}")
        if report.changed:
            self.sig_changed_database.emit()
        self.sig_finished.emit(not report.failed, summary, report.lines())

    def _failed(self, message: str) -> None:
        line = one_line(message)
        cancelled = line.startswith("sync cancelled")
        self._remember(f"Sync cancelled {_now()}: nothing was changed" if cancelled else f"Sync failed {_now()}: {line}")
        self.sig_finished.emit(False, line, [line])

    def _remember(self, line: str) -> None:
        plain.label(self.status, line)  # names of teammates' files in it: plain text, never markup
        self.settings.setValue(settings_key(self.db_path, "last"), line)

    def _ended(self) -> None:
        self.job = None

    def stop(self) -> None:
        """The window closes: no more timed syncs, and wait for one at work (it finishes what it began)."""
        self.timer.stop()
        if self.job is not None:
            self.job.cancel()
            self.job.wait()


def _now() -> str:
    return datetime.now().strftime("%H:%M")


class SyncDialog(QDialog):
    """Where to sync (a folder chosen, or a git remote typed), how often, Sync now, progress, Cancel, the report."""

    def __init__(self, controller: SyncController, parent=None):
        super().__init__(parent)
        self.setObjectName("syncDialog")
        self.setAttribute(Qt.WA_DeleteOnClose)  # a fresh one each time, showing what is remembered
        self.setWindowTitle("Sync with the team")
        self.controller = controller
        self.target = QLineEdit(controller.target, objectName="syncTarget")
        self.target.setPlaceholderText("a shared folder, or a git remote: git@github.com:team/corpus.git")
        choose = QPushButton("Choose folder…", objectName="chooseFolder")
        choose.clicked.connect(self._choose)
        where = QWidget()
        row = QHBoxLayout(where)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.target, 1)
        row.addWidget(choose)
        self.every = QSpinBox(objectName="syncEvery")
        self.every.setRange(0, 24 * 60)
        self.every.setSuffix(" min")
        self.every.setSpecialValueText("never")
        self.every.setValue(controller.every)
        self.every.valueChanged.connect(controller.set_every)
        form = QFormLayout()
        form.addRow("Shared folder or git remote", where)
        form.addRow("Sync by itself every", self.every)
        self.progress = QProgressBar(objectName="progress")
        self.progress.setRange(0, len(STEPS))
        self.progress.setVisible(False)
        self.step = QLabel(objectName="syncStep")
        self.report = QPlainTextEdit(objectName="report", readOnly=True)
        self.report.setPlaceholderText("What the sync did will show here. Your own file goes to reviewers/, each "
                                       "text once to texts/; a teammate's file that cannot be taken in is named.")
        buttons = QDialogButtonBox()
        self.run_button = buttons.addButton("Sync now", QDialogButtonBox.AcceptRole)
        self.run_button.setObjectName("runButton")
        self.cancel_button = buttons.addButton(QDialogButtonBox.Close)
        self.cancel_button.setObjectName("cancelButton")
        self.run_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel_or_close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.step)
        layout.addWidget(self.report)
        layout.addWidget(buttons)
        controller.sig_step.connect(self._on_step)
        controller.sig_finished.connect(self._on_finished)
        self.resize(640, 400)
        if controller.running():
            self._working()

    def _choose(self) -> None:
        folder = file_dialogs.open_folder(self, "Shared folder")
        if folder:
            self.target.setText(folder)

    def accept(self) -> None:  # Enter syncs; it never closes the dialog half-way
        self.start()

    def start(self) -> None:
        target = self.target.text().strip()
        if not target:
            self.report.setPlainText("Choose a shared folder or type a git remote first.")
            return
        self.controller.target = target
        if self.controller.start(target):
            self._working()

    def _working(self) -> None:
        self.progress.setVisible(True)
        self.progress.setValue(0)
        self.run_button.setEnabled(False)
        self.cancel_button.setText("Cancel")
        self.report.setPlainText("Syncing…")

    def _on_step(self, index: int, what: str) -> None:
        self.progress.setValue(index)
        plain.label(self.step, what)

    def _on_finished(self, ok: bool, summary: str, lines: list) -> None:
        self.progress.setVisible(False)
        self.step.clear()
        self.report.setPlainText("\n".join(lines))  # a QPlainTextEdit: shown as plain text, never markup
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("Close")

    def cancel_or_close(self) -> None:
        if self.controller.running():
            self.controller.cancel()
            self.report.appendPlainText("Cancelling (a sync that has begun to change the database finishes)…")
            self.cancel_button.setEnabled(False)
        else:
            self.reject()

    def reject(self) -> None:  # Escape while syncing cancels, as Cancel does
        if self.controller.running():
            self.cancel_or_close()
            return
        super().reject()


__all__ = ["SyncController", "SyncDialog"]
