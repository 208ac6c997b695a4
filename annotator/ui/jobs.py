"""Long database work (import, export, merge) off the GUI thread, with progress and cancel.

A job opens its own connection to the database and never touches a widget; when it ends it emits one signal, and
the window decides what to refresh (design.md, the Anki lesson).
"""
from __future__ import annotations

import threading
import time
from typing import Callable

from PySide6.QtCore import QThread, Signal

from ..core.errors import AnnotatorError
from ..formats import Cancelled

_count_lock = threading.Lock()


class Job(QThread):
    sig_progress = Signal(int)
    """How far the work has got (bytes read, documents written: the dialog knows which)."""
    sig_succeeded = Signal(object)
    """The work's result."""
    sig_failed = Signal(str)
    """A message for the user: what went wrong, or that it was cancelled and nothing changed."""

    def __init__(self, db_path: str, work: Callable, parent=None):
        super().__init__(parent)
        self.db_path = db_path
        self.work = work
        self._cancel = False
        self._done = 0
        self._last_emit = 0.0

    # Jobs let go of while blocked (see let_go), kept until they end: a QThread deleted while it runs aborts the app.
    _let_go: set = set()

    _at_work = 0  # jobs inside run(): a count, not the jobs themselves (Qt may delete a finished one)

    @classmethod
    def running(cls) -> bool:
        """Whether a job of this process is at work on a database (the window names it when a write waits)."""
        return cls._at_work > 0

    def cancel(self) -> None:
        self._cancel = True

    @classmethod
    def let_go(cls, job: "Job") -> None:
        """Nobody waits for this cancelled job any more: it ends on its own (rolling back) when its read returns."""
        job.setParent(None)
        # the ones that have ended are dropped here, not from their own finished signal (emitted from the thread
        # itself, before it has quite ended)
        cls._let_go = {j for j in cls._let_go if not j.isFinished()} | {job}

    def cancelled(self) -> bool:
        return self._cancel

    def _progress(self, n: int, absolute: bool = False) -> None:
        self._done = n if absolute else self._done + n
        now = time.monotonic()
        if now - self._last_emit > 0.05:  # at most 20 updates a second
            self._last_emit = now
            self.sig_progress.emit(self._done)

    def run(self) -> None:
        with _count_lock:
            Job._at_work += 1
        try:
            self._run()
        finally:
            with _count_lock:
                Job._at_work -= 1

    def _run(self) -> None:
        from ..store import Store

        store = Store(self.db_path)
        try:
            result = self.work(store, self._progress, self.cancelled)
        except Cancelled:
            self.sig_failed.emit("Cancelled: nothing was changed.")
        except AnnotatorError as exc:
            self.sig_failed.emit(str(exc))
        except Exception as exc:  # an unexpected failure must still reach the user, not die in a thread
            self.sig_failed.emit(f"Unexpected error: {exc!r}")
        else:
            self.sig_succeeded.emit(result)
        finally:
            store.close()
