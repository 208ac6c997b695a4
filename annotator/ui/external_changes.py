"""Noticing what other connections commit: a command-line import, a second window, a merge, this window's jobs.

SQLite's ``PRAGMA data_version`` changes on a connection when any *other* connection commits to the database
(our own commits leave it alone, and the window already refreshes after them from the store's change notices).
Reading it is a few microseconds, so the window polls it; when it moves, the window refreshes what other
connections may have touched (the list's rows and counts, the labels, the open document's spans, the progress),
each part comparing before it repaints, so a change elsewhere costs a few small queries and no flicker.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

POLL_MS = 500  # so that a change shows "within about a second"


class ExternalChanges(QObject):
    sig_changed = Signal()
    """Another connection committed to the database since the last look."""

    def __init__(self, store, parent=None):
        super().__init__(parent)
        self.store = store
        self.last = store.data_version()
        self.timer = QTimer(self, interval=POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.timer.start()

    def poll(self) -> bool:
        try:
            version = self.store.data_version()
        except Exception:  # a closed or vanished database: the window says so where it writes, not here
            return False
        if version == self.last:
            return False
        self.last = version
        self.sig_changed.emit()
        return True

    def stop(self) -> None:
        self.timer.stop()
