"""Training the suggestion model from the window: on demand (Suggestions > Train model now) and by itself when
``retraining_due`` says the ``retrain_after`` setting's number of documents were newly marked done (only while
the "model" source is switched on: otherwise nothing would use it).

Training runs in a background process (annotator.suggest.background.TrainingJob): the window polls its messages
on a timer and shows them in the status bar beside a progress bar and a Cancel button; nothing waits on it. When
it ends, a small window shows the new model's precision, recall and F1 per label on the held-out documents beside
the previous model's, and the suggestions are computed again (the worker's Suggester loads the newest model when
the training process's commit reaches it)."""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QProgressBar, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout)

from ..suggest import latest_model
from ..suggest.training import HELD_OUT_EVERY, retraining_due
from .plain import text


class Retraining(QObject):
    POLL_MS = 200

    def __init__(self, window, desk):
        super().__init__(window)
        self.window, self.desk, self.store = window, desk, window.store
        self.job = None
        self.previous = None          # the model the new one is compared with
        self.iterations = 0           # passes over the documents; 0: training chooses from the corpus size
        self.last_result = None       # the ScoresWindow of the last training, or the error line
        self._failed_at = -1          # newly done documents when training last failed: not retried until more
        self.bar = QProgressBar(objectName="trainingProgress", maximumWidth=160, textVisible=True)
        self.cancel_button = QPushButton("Cancel training", objectName="cancelTraining")
        self.cancel_button.clicked.connect(self.cancel)
        status = window.statusBar()
        for widget in (self.bar, self.cancel_button):
            status.addPermanentWidget(widget)
            widget.hide()
        self.timer = QTimer(self, interval=self.POLL_MS)
        self.timer.timeout.connect(self._poll)
        self._due = QTimer(self, singleShot=True, interval=300)  # statuses change in bursts
        self._due.timeout.connect(self.check_due)
        self.train_action = QAction("Train model now", window)
        self.train_action.triggered.connect(lambda: self.start("asked for"))
        self.cancel_action = QAction("Cancel training", window, enabled=False)
        self.cancel_action.triggered.connect(self.cancel)
        desk.menu.addSeparator()
        desk.menu.addAction(self.train_action)
        desk.menu.addAction(self.cancel_action)
        self._unsubscribe = self.store.subscribe(self._on_change)
        self._due.start()  # a database where enough documents were done before the window opened

    @property
    def running(self) -> bool:
        return self.job is not None

    def _on_change(self, change) -> None:
        if change.kind == "review":
            self._due.start()

    def check_due(self) -> bool:
        """Start training if the ``retrain_after`` documents were newly marked done and the model is used."""
        if self.running or "model" not in self.desk.sources or self.store.path == ":memory:":
            return False
        due, newly, threshold = retraining_due(self.store)
        if not due or newly <= self._failed_at:
            return False
        return self.start(f"{newly} document{'s' if newly != 1 else ''} newly marked done (retrain after {threshold})")

    def start(self, why: str) -> bool:
        from ..suggest.background import TrainingJob

        say = self.window.statusBar().showMessage
        if self.running:
            say("The suggestion model is being trained already (Suggestions > Cancel training stops it)", 5000)
            return False
        if self.store.path == ":memory:":
            say("A database in memory has nowhere to keep a model", 5000)
            return False
        self.previous = latest_model(self.store)
        self.job = TrainingJob.start(self.store.path, iterations=self.iterations)
        self.bar.setRange(0, 0)  # busy until the first pass is reported
        self.bar.setFormat("training…")
        self.bar.show()
        self.cancel_button.show()
        self.cancel_action.setEnabled(True)
        self.train_action.setEnabled(False)
        self.timer.start()
        say(f"Training the suggestion model in the background ({why}): the window stays usable", 8000)
        return True

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.bar.setFormat("cancelling…")
            self.window.statusBar().showMessage("Cancelling the training: no model will be saved", 5000)

    def _poll(self) -> None:
        if self.job is None:
            return
        from ..suggest.background import Finished

        for message in self.job.poll():
            if isinstance(message, Finished):
                self._finished(message)
                return
            if message.stage == "training" and message.total:
                self.bar.setRange(0, message.total)
                self.bar.setValue(message.done)
                self.bar.setFormat(f"pass {message.done}/{message.total}")
            self.window.statusBar().showMessage(f"Training the suggestion model: {text(message.message)}", 4000)

    def _finished(self, finished) -> None:
        self.timer.stop()
        self.job = None
        self.bar.hide()
        self.cancel_button.hide()
        self.cancel_action.setEnabled(False)
        self.train_action.setEnabled(True)
        if finished.error:
            self._failed_at = retraining_due(self.store)[1]
            self.last_result = finished.error
            self.window.statusBar().showMessage(f"The suggestion model was not trained: {text(finished.error)}", 15000)
            return
        record = latest_model(self.store)
        self.last_result = ScoresWindow(record, self.previous, self.window)
        self.last_result.show()
        self.window.statusBar().showMessage(
            f"Suggestion model {record.id} trained: the suggestions now use it", 8000)
        self.desk.model_changed()

    def stop(self) -> None:
        self._due.stop()
        self.timer.stop()
        self._unsubscribe()
        if self.job is not None:  # the window closes: the job saves nothing
            self.job.cancel()
            self.job.process.join(timeout=10)
            if self.job.process.is_alive():
                self.job.process.terminate()
            self.job = None


SCORE_COLUMNS = ("Label", "P", "R", "F1", "Spans", "Previous P", "Previous R", "Previous F1")


class ScoresWindow(QDialog):
    """The new model's held-out scores per label beside the previous model's (not modal: the review goes on)."""

    def __init__(self, record, previous, parent=None):
        super().__init__(parent)
        self.setObjectName("modelScores")
        self.setWindowTitle("Suggestion model trained")
        self.record, self.previous = record, previous
        layout = QVBoxLayout(self)
        summary = QLabel(objectName="modelSummary", wordWrap=True)
        summary.setTextFormat(Qt.PlainText)
        before = f"model {previous.id}" if previous is not None else "no model before"
        summary.setText(
            f"Model {record.id}: trained on {record.train_documents} document(s) marked done ({record.train_spans} "
            f"spans) in {record.seconds:.0f} s; scored on {record.heldout_documents} held-out document(s) it was "
            f"not trained on, beside {before}.")
        layout.addWidget(summary)
        self.table = QTableWidget(0, len(SCORE_COLUMNS), objectName="modelScoreTable")
        self.table.setHorizontalHeaderLabels(SCORE_COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        if record.scores:
            self._fill()
            layout.addWidget(self.table)
        else:
            note = QLabel(f"Scores not measured: fewer than {HELD_OUT_EVERY} documents marked done (one in "
                          f"{HELD_OUT_EVERY} is held out to score the model).", objectName="modelNotScored",
                          wordWrap=True)
            layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self.resize(640, 300)

    def rows(self) -> list[tuple]:
        """(label, P, R, F1, spans, previous P, R, F1) as shown: the labels, then ALL (the micro average)."""
        old = self.previous.scores if self.previous is not None else {}
        out = []
        for label in sorted(self.record.scores, key=lambda k: (k == "ALL", k)):
            s, p = self.record.scores[label], old.get(label)
            out.append((label, f"{s['p']:.3f}", f"{s['r']:.3f}", f"{s['f']:.3f}", str(s["support"]),
                        *((f"{p['p']:.3f}", f"{p['r']:.3f}", f"{p['f']:.3f}") if p else ("–", "–", "–"))))
        return out

    def _fill(self) -> None:
        rows = self.rows()
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                item = QTableWidgetItem(text(value))
                if c:
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
