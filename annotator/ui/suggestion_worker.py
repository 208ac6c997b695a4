"""Suggestions computed off the GUI thread: one thread that hands the documents the window opens, and the ones
it will open next, to the suggestion process (suggest/service.py: its own connection to the database, its own
Suggester holding the spaCy pipelines) and waits for each answer with Python's lock released, so the window's
thread never competes with the computing for it.

The window asks for the open document with ``want(doc_id, generation)``: the newest request wins (a reviewer
paging quickly through the list does not queue up work for documents already left) and goes before anything
else. ``ahead(doc_ids, generation)`` gives the documents to compute while nothing is wanted (the next to-do ones):
it replaces the previous list. ``changed(doc_id)`` says a document's spans changed (None: anything may have), so
the process reads only those again. Each answer comes back as one signal with the document's id, its suggestions
(at most ``service.SHOWN``, the surest), how many were found and the generation it was asked under, so the
receiver drops answers computed before a change it has seen since. ``configure(sources)`` makes the process build
its Suggester again before the next document (the settings changed). The thread never touches a widget
(design.md, the Anki lesson)."""
from __future__ import annotations

import threading

from PySide6.QtCore import QThread, Signal


class SuggestionWorker(QThread):
    sig_ready = Signal(str, list, int, int)
    """A document's suggestions (doc_id, list of Suggestion in reading order, how many were found, the generation
    asked under)."""
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
        self._changed: set[str] | None = set()  # documents changed since the last request (None: anything)
        self._stopping = False
        self.service = None  # the suggestion process (suggest/service.py), started with the first request
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

    def forget(self) -> None:
        """Nothing wanted or ahead any more (every source switched off); what is being computed still answers."""
        with self._wake:
            self._wanted, self._ahead = None, []

    def configure(self, sources) -> None:
        """Other sources (the settings changed): the Suggester is built again before the next document."""
        with self._wake:
            self.sources = tuple(sources)
            self._rebuild = True

    def changed(self, doc_id: str | None) -> None:
        """A document's spans changed (None: anything may have: settings, the registry, another process)."""
        with self._wake:
            if doc_id is None:
                self._changed = None
            elif self._changed is not None:
                self._changed.add(doc_id)

    def _take_changed(self) -> list[str] | None:
        with self._wake:
            changed, self._changed = self._changed, set()
            return None if changed is None else sorted(changed)

    def _stopping_now(self) -> bool:
        with self._wake:
            return self._stopping

    def _start(self) -> None:
        if not self.isRunning() and not self._stopping:
            self.start()

    def stop(self) -> None:
        with self._wake:
            self._stopping = True
            self._wake.notify()
        self.wait()  # a QThread deleted while it runs aborts the app; it sees ``_stopping`` within a tenth of a second

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
        from ..core.model import Suggestion
        from ..suggest.service import Failed, SuggestionService

        service = self.service = None
        doc_id = ""
        try:
            while (request := self._next()) is not None:
                doc_id, generation = request
                rebuild = self._sources_changed()
                for attempt in range(2):  # a process found ended (killed, out of memory) is started again, once
                    if service is None or not service.alive:
                        if service is not None:
                            service.close()
                        with self._wake:
                            sources = self.sources
                        service = self.service = SuggestionService.start(self.db_path, sources)
                        self._take_changed()  # a new process reads everything
                    elif rebuild:
                        with self._wake:
                            service.configure(self.sources)
                    rebuild = False
                    service.ask(doc_id, generation, self._take_changed())
                    reply = service.answer(self._stopping_now)
                    if not (isinstance(reply, Failed) and reply.ended and attempt == 0):
                        break
                if reply is None:
                    break
                if isinstance(reply, Failed):
                    self.sig_failed.emit(doc_id, reply.message)
                    continue
                found = [Suggestion(doc_id, *row) for row in reply.rows]
                self.sig_ready.emit(doc_id, found, reply.total, generation)
        except Exception as exc:  # an unexpected failure must reach the reviewer, not die in a thread
            self.sig_failed.emit(doc_id, f"Suggestions stopped: {exc!r}")
        finally:
            with self._wake:
                self._working = False
                self._wanted, self._ahead = None, []
            if service is not None:
                service.close()
