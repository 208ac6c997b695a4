"""Suggestions computed off the GUI thread: one thread with its own connection to the database and its own
Suggester (which holds the spaCy pipelines, loaded once), fed the documents the window opens and the ones it will
open next.

The window asks for the open document with ``want(doc_id, generation)``: the newest request wins (a reviewer
paging quickly through the list does not queue up work for documents already left) and goes before anything
else. ``ahead(doc_ids, generation)`` gives the documents to compute while nothing is wanted (the next to-do ones):
it replaces the previous list. Each answer comes back as one signal with the document's id and the generation it
was asked under, so the receiver drops answers computed before a change it has seen since. ``configure(sources)``
makes the thread build its Suggester again before the next document (the settings changed). The thread never
touches a widget (design.md, the Anki lesson)."""
from __future__ import annotations

import threading

from PySide6.QtCore import QThread, Signal

from ..core.errors import AnnotatorError


class SuggestionWorker(QThread):
    sig_ready = Signal(str, list, int)
    """A document's suggestions (doc_id, list of Suggestion in reading order, the generation asked under)."""
    sig_failed = Signal(str, str)
    """(doc_id, one line): the sources could not run (a pipeline missing, the database unreadable)."""

    def __init__(self, db_path: str, sources, parent=None):
        super().__init__(parent)
        self.db_path = str(db_path)
        self.sources = tuple(sources)
        self._wanted: tuple[str, int] | None = None
        self._ahead: list[tuple[str, int]] = []
        self._working = False
        self._working_on: tuple[str, int] | None = None  # the request being computed
        self._rebuild = False
        self._stopping = False
        self._wake = threading.Condition()

    @property
    def busy(self) -> bool:
        """Something is being computed or waits to be: False once every request has been answered."""
        with self._wake:
            return self._working or self._wanted is not None or bool(self._ahead)

    def want(self, doc_id: str, generation: int = 0) -> None:
        """Compute this document's suggestions next (a request not yet started is replaced); nothing more when
        the same request is being computed already (it was computed ahead and is not finished)."""
        with self._wake:
            if self._working_on == (doc_id, generation):
                self._wanted = None
                return
            self._wanted = (doc_id, generation)
            self._ahead = [a for a in self._ahead if a[0] != doc_id]
            self._wake.notify()
        self._start()

    def ahead(self, doc_ids, generation: int = 0) -> None:
        """Compute these documents, in this order, when nothing is wanted (replaces the previous list)."""
        with self._wake:
            self._ahead = [(d, generation) for d in doc_ids]
            self._wake.notify()
        if doc_ids:
            self._start()

    def configure(self, sources) -> None:
        """Other sources (the settings changed): the Suggester is built again before the next document."""
        with self._wake:
            self.sources = tuple(sources)
            self._rebuild = True

    def _start(self) -> None:
        if not self.isRunning() and not self._stopping:
            self.start()

    def stop(self) -> None:
        with self._wake:
            self._stopping = True
            self._wake.notify()
        self.wait()  # a QThread deleted while it runs aborts the app; loading the sources ends in seconds

    def _next(self) -> tuple[str, int] | None:
        with self._wake:
            self._working, self._working_on = False, None
            while self._wanted is None and not self._ahead and not self._stopping:
                self._wake.wait()
            if self._stopping:
                return None
            if self._wanted is not None:
                request, self._wanted = self._wanted, None
            else:
                request = self._ahead.pop(0)
            self._working, self._working_on = True, request
            return request

    def _sources_changed(self) -> bool:
        with self._wake:
            changed, self._rebuild = self._rebuild, False
            return changed

    def run(self) -> None:
        from ..store import Store
        from ..suggest import Suggester

        store = suggester = None
        doc_id = ""
        try:
            store = Store(self.db_path)
            while (request := self._next()) is not None:
                doc_id, generation = request
                try:
                    if self._sources_changed() or suggester is None:
                        if suggester is not None:
                            suggester.close()
                            suggester = None
                        suggester = Suggester(store, self.sources)
                    found = suggester.for_document(doc_id)
                except AnnotatorError as exc:
                    self.sig_failed.emit(doc_id, str(exc))
                    continue
                self.sig_ready.emit(doc_id, found, generation)
        except AnnotatorError as exc:
            self.sig_failed.emit(doc_id, str(exc))
        except Exception as exc:  # an unexpected failure must reach the reviewer, not die in a thread
            self.sig_failed.emit(doc_id, f"Suggestions stopped: {exc!r}")
        finally:
            with self._wake:
                self._working = False
                self._wanted, self._ahead = None, []
            if suggester is not None:
                suggester.close()
            if store is not None:
                store.close()
