"""Training the suggestion model from the window: on demand (Suggestions > Train model now) and by itself when
``retraining_due`` says the ``retrain_after`` setting's number of documents were newly marked done (only while
the "model" source is switched on: otherwise nothing would use it).

Training runs in a background process (annotator.suggest.background.TrainingJob): the window polls its messages
on a timer and shows them in the status bar beside a progress bar and a Cancel button; nothing waits on it. When
it ends, a small window shows the new model's precision, recall and F1 per label on the held-out documents beside
the previous model's on the same documents (training scores it again on them), and the suggestions are computed again (the worker's Suggester loads the newest model when
the training process's commit reaches it)."""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QProgressBar, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout)

from ..suggest import latest_model
from ..suggest.training import HELD_OUT_EVERY, retraining_due, scores_before
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


SCORE_COLUMNS = ("Label", "Spans", "New P", "New R", "New F1", "Before P", "Before R", "Before F1", "F1 change",
                 "Learnt by")


class ScoresWindow(QDialog):
    """The new model's held-out scores per label beside the previous model's (not modal: the review goes on).

    "New" and "Before" name the two models in the summary above the table, with what each was trained on; the
    previous model's scores are on the same held-out documents where training could score it again on them
    (training.scores_before), else as recorded when it was trained, and the summary says which."""

    def __init__(self, record, previous, parent=None):
        super().__init__(parent)
        self.setObjectName("modelScores")
        self.setWindowTitle("Suggestion model trained")
        self.record, self.previous = record, previous
        self.before, self.same_documents = scores_before(record, previous)
        layout = QVBoxLayout(self)
        summary = QLabel(objectName="modelSummary", wordWrap=True)
        summary.setTextFormat(Qt.PlainText)
        summary.setText(self.summary())
        layout.addWidget(summary)
        self.table = QTableWidget(0, len(SCORE_COLUMNS), objectName="modelScoreTable")
        self.table.setHorizontalHeaderLabels(SCORE_COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectRows)
        self.table.setWordWrap(False)
        if record.scores:
            self._fill()
            layout.addWidget(self.table, 1)
        else:
            note = QLabel(f"Scores not measured: fewer than {HELD_OUT_EVERY} documents marked done (one in "
                          f"{HELD_OUT_EVERY} is held out to score the model).", objectName="modelNotScored",
                          wordWrap=True)
            layout.addWidget(note)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self._fit()

    def summary(self) -> str:
        r, p = self.record, self.previous
        new = (f"New: model {r.id}, trained on {r.train_documents} document(s) marked done ({r.train_spans} spans) "
               f"in {r.seconds:.0f} s, scored on {r.heldout_documents} held-out document(s) it was not trained on.")
        if p is None:
            return new + "\nBefore: no model."
        before = f"Before: model {p.id}, trained on {p.train_documents} document(s) ({p.train_spans} spans), "
        if self.same_documents:
            return new + "\n" + before + "scored on the same held-out documents."
        return (new + "\n" + before + f"scores as recorded when it was trained, on the {p.heldout_documents} "
                "document(s) held out then (it could not be scored again on these).")

    def rows(self) -> list[tuple]:
        """(label, spans, new P, R, F1, before P, R, F1, F1 change, learnt by) as shown: the labels, then ALL
        (the micro average)."""
        component = {label: kind for kind in ("ner", "spancat") for label in self.record.info.get(kind, ())}
        out = []
        for label in sorted(self.record.scores, key=lambda k: (k == "ALL", k)):
            s, b = self.record.scores[label], self.before.get(label)
            old = (f"{b['p']:.3f}", f"{b['r']:.3f}", f"{b['f']:.3f}") if b else ("–", "–", "–")
            change = f"{s['f'] - b['f']:+.3f}".replace("-", "−") if b else "–"
            out.append((label, str(s["support"]), f"{s['p']:.3f}", f"{s['r']:.3f}", f"{s['f']:.3f}", *old, change,
                        component.get(label, "")))
        return out

    def _fill(self) -> None:
        rows = self.rows()
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                item = QTableWidgetItem(text(value))
                if 0 < c < len(row) - 1:
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.table.resizeRowsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setCurrentCell(-1, -1)  # nothing to act on: no cell framed as if it were

    def _fit(self) -> None:
        """Wide enough for every column and tall enough for every row (within the screen): nothing clipped."""
        table = self.table
        width = table.horizontalHeader().length() + 2 * table.frameWidth()
        height = table.horizontalHeader().height() + table.verticalHeader().length() + 2 * table.frameWidth()
        table.setMinimumWidth(width)
        table.setFixedHeight(min(height, 480))  # a long list of labels scrolls past 480 pixels
        self.resize(max(self.sizeHint().width(), 640), self.sizeHint().height())
