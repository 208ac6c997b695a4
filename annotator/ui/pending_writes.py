"""Actions the database could not take yet: kept in order, retried, and shown until they are written.

A reviewer's key must never freeze the window on another connection's write lock (an import finishing, a merge,
a command-line import), nor be lost without a word when the disk is full or the database is read-only. The
window's connection waits at most WAIT_SECONDS for a lock; an action it could not write goes into this queue, is
not shown as done (the article, the span table and the counts only ever show what the database holds), and is
retried: by itself while the database is busy, and when the reviewer asks (the bar's Retry, or F5) for the rest.
Later actions queue behind it, so they are written in the order they were made.
"""
from __future__ import annotations

import time

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMessageBox, QPushButton

from ..core.errors import WriteFailed
from .jobs import Job

WAIT_SECONDS = 0.08  # how long the GUI thread waits for another connection's write lock
RETRY_MS = 250
QUIET_SECONDS = 1.0  # a busy database that frees up within this is not worth a bar


class PendingWrites(QObject):
    sig_changed = Signal()
    """The queue or its reason changed: the bar shows it (or hides)."""

    def __init__(self, stack, parent=None):
        super().__init__(parent)
        self.stack = stack
        self.queue: list = []
        self.problem: WriteFailed | None = None
        self.since = 0.0
        self.timer = QTimer(self, interval=RETRY_MS)
        self.timer.timeout.connect(self.retry)

    def run(self, command) -> bool:
        """Push ``command`` now if nothing waits before it and the database takes it; else queue it. True when
        written. Refusals of the action itself (an AnnotatorError that is not a WriteFailed) are raised."""
        if self.queue:
            self.queue.append(command)
            self.sig_changed.emit()
            return False
        try:
            self.stack.push(command)
            return True
        except WriteFailed as exc:
            self.queue.append(command)
            self._failed(exc)
            return False

    def retry(self) -> int:
        """Write what waits, in order, until the database refuses again; how many were written."""
        written = 0
        while self.queue:
            try:
                self.stack.push(self.queue[0])
            except WriteFailed as exc:
                self._failed(exc)
                return written
            self.queue.pop(0)
            written += 1
        self.problem = None
        self.timer.stop()
        self.sig_changed.emit()
        return written

    def discard(self) -> None:
        self.queue.clear()
        self.problem = None
        self.timer.stop()
        self.sig_changed.emit()

    def _failed(self, exc: WriteFailed) -> None:
        if self.problem is None:
            self.since = time.monotonic()
        self.problem = exc
        if exc.kind == "busy":
            self.timer.start()  # the lock goes when the other writer commits
        else:
            self.timer.stop()  # a full disk or a read-only file does not mend itself: the reviewer retries
        self.sig_changed.emit()

    def may_close(self, parent) -> bool:
        """Before the window closes: a last try, then the reviewer decides; actions are never dropped unsaid."""
        if self.queue:
            self.retry()
        if not self.queue:
            return True
        box = QMessageBox(QMessageBox.Warning, "Actions not saved", "", QMessageBox.Discard | QMessageBox.Cancel,
                          parent)
        box.setObjectName("unsavedOnClose")
        box.setTextFormat(Qt.PlainText)
        box.setText(self.describe() + "\n\nClose and lose them (Discard), or keep the window open (Cancel)?")
        box.setDefaultButton(QMessageBox.Cancel)
        if box.exec() == QMessageBox.Discard:
            self.discard()
            return True
        return False

    def worth_showing(self) -> bool:
        if not self.queue:
            return False
        return self.problem is None or self.problem.kind != "busy" or time.monotonic() - self.since >= QUIET_SECONDS

    def describe(self) -> str:
        n = len(self.queue)
        what = f"{n} action{'s' if n != 1 else ''} not saved yet"
        problem = self.problem
        if problem is None:
            return what + "."
        if problem.kind == "busy":
            who = ("an import, export or merge of this window is writing to it" if Job.running()
                   else "another program (a command-line import or merge, another window) is writing to it")
            return f"{what}: the database is busy ({who}). Retrying by itself…"
        reason = {"readonly": "the database is read-only (the file or its folder cannot be written)",
                  "full": "the disk is full: free some space, then Retry",
                  "io": "the disk could not be written (an I/O error or a file size limit)"}.get(problem.kind, str(problem))
        return f"{what}: {reason}."


class PendingWritesBar(QFrame):
    """A bar above the article, shown while actions wait: why, Retry (F5) and Discard."""

    def __init__(self, pending: PendingWrites, parent=None):
        super().__init__(parent)
        self.setObjectName("pendingWrites")
        self.setFrameShape(QFrame.StyledPanel)
        self.setStyleSheet("#pendingWrites { background: #FFF4CE; color: #1A1A1A; }")
        self.pending = pending
        self.message = QLabel(objectName="pendingMessage")
        self.message.setTextFormat(Qt.PlainText)  # it may name a file, which is the user's text
        self.message.setWordWrap(True)
        self.retry_button = QPushButton("Retry (F5)", objectName="retryWrites")
        self.discard_button = QPushButton("Discard", objectName="discardWrites")
        self.retry_button.setFocusPolicy(Qt.NoFocus)  # the article keeps the keyboard
        self.discard_button.setFocusPolicy(Qt.NoFocus)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(self.message, 1)
        row.addWidget(self.retry_button)
        row.addWidget(self.discard_button)
        self.retry_button.clicked.connect(pending.retry)
        self.discard_button.clicked.connect(pending.discard)
        pending.sig_changed.connect(self.update_shown)
        # a busy database gets a second before the bar appears (it usually frees up by then)
        self._later = QTimer(self, singleShot=True, interval=int(QUIET_SECONDS * 1000) + 50)
        self._later.timeout.connect(self.update_shown)
        self.hide()

    def update_shown(self) -> None:
        if self.pending.worth_showing():
            self.message.setText(self.pending.describe())
            self.show()
        else:
            self.hide()
            if self.pending.queue:
                self._later.start()
