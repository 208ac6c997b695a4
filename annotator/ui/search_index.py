"""Brings the full-text index up to date off the GUI thread, so the first search of a large corpus is instant."""
from __future__ import annotations

from PySide6.QtCore import QThread, Signal


class SearchIndexer(QThread):
    sig_indexed = Signal(int)
    """Documents indexed so far in this run."""

    def __init__(self, db_path: str, parent=None):
        super().__init__(parent)
        self.db_path = db_path
        self._stop = False

    def run(self) -> None:
        if self.db_path == ":memory:":
            return  # an in-memory database is private to its connection: searching indexes it on demand
        from ..store import Store

        store = Store(self.db_path)  # a thread's own connection; it never touches a widget
        try:
            while not self._stop:
                try:
                    store.update_search_index(batch=500, progress=self._progress)
                    break
                except InterruptedError:
                    break
                except Exception as exc:
                    # The window committed a span while this batch was being written: SQLite refuses the
                    # batch ("database is locked", a stale snapshot) and rolls it back. Batches are
                    # idempotent, so take the next one from where the index stands.
                    if "locked" not in str(exc):
                        raise
                    self.msleep(20)
        finally:
            store.close()

    def _progress(self, n: int) -> None:
        self.sig_indexed.emit(n)
        if self._stop:
            raise InterruptedError

    def stop(self) -> None:
        self._stop = True
        self.wait(5000)
