"""Suggestions computed off the GUI thread: one thread with its own connection to the database and its own
Suggester (which holds the spaCy pipelines, loaded once), fed the documents the window opens.

The window asks for a document with ``want(doc_id)``; the newest request wins (a reviewer paging quickly through
the list does not queue up work for documents already left), and the answer comes back as one signal with the
document's id, so a late answer for a document no longer open is dropped by the receiver. The thread never
touches a widget (design.md, the Anki lesson)."""
from __future__ import annotations

import threading

from PySide6.QtCore import QThread, Signal

from ..core.errors import AnnotatorError


class SuggestionWorker(QThread):
    sig_ready = Signal(str, list)
    """A document's suggestions (doc_id, list of Suggestion), in reading order."""
    sig_failed = Signal(str, str)
    """(doc_id, one line): the sources could not run (a pipeline missing, the database unreadable)."""

    def __init__(self, db_path: str, sources, parent=None):
        super().__init__(parent)
        self.db_path = str(db_path)
        self.sources = tuple(sources)
        self._wanted: str | None = None
        self._stopping = False
        self._wake = threading.Condition()

    def want(self, doc_id: str) -> None:
        """Compute this document's suggestions next (a request not yet started is replaced)."""
        with self._wake:
            self._wanted = doc_id
            self._wake.notify()
        if not self.isRunning() and not self._stopping:
            self.start()

    def stop(self) -> None:
        with self._wake:
            self._stopping = True
            self._wake.notify()
        self.wait()  # a QThread deleted while it runs aborts the app; loading the sources ends in seconds

    def _next(self) -> str | None:
        with self._wake:
            while self._wanted is None and not self._stopping:
                self._wake.wait()
            doc_id, self._wanted = self._wanted, None
            return None if self._stopping else doc_id

    def run(self) -> None:
        from ..store import Store
        from ..suggest import Suggester

        store = suggester = None
        try:
            store = Store(self.db_path)
            suggester = Suggester(store, self.sources)
            while (doc_id := self._next()) is not None:
                try:
                    found = suggester.for_document(doc_id)
                except AnnotatorError as exc:
                    self.sig_failed.emit(doc_id, str(exc))
                    continue
                self.sig_ready.emit(doc_id, found)
        except AnnotatorError as exc:
            self.sig_failed.emit(self._wanted or "", str(exc))
        except Exception as exc:  # an unexpected failure must reach the reviewer, not die in a thread
            self.sig_failed.emit(self._wanted or "", f"Suggestions stopped: {exc!r}")
        finally:
            if suggester is not None:
                suggester.close()
            if store is not None:
                store.close()
