"""A file whose writes happen on a thread of their own, so an export computes its next records while the previous
ones go to disk.

Writing is a large share of an export of the verbose formats: spaCy JSONL writes about 40 KB per 4 KB article
(4 GB for 100,000 articles, some seconds of the kernel's time on its own). The system call releases the GIL, so
on a second core it overlaps with the work of making the records.

Handing over costs: the thread needs the GIL to take a chunk, and taking it from a busy exporter is a forced
switch. So chunks are gathered into batches of ``BATCH`` bytes, and a batch goes to disk in one ``writev`` call:
one switch per megabyte, not per record. Memory stays flat: at most ``MAX_BATCHES`` batches wait, then the
exporter waits for the disk. An error of the thread (a full disk) is raised by the next ``write`` and by
``close``; nothing is silently lost.
"""
from __future__ import annotations

import io
import os
import queue
import threading
from pathlib import Path

BATCH = 1 << 20
MAX_BATCHES = 4
TEXT_CHUNK = 1 << 16  # what a text file hands over at once (TextIOWrapper's default is 8 KB)
_IOV_MAX = min(os.sysconf("SC_IOV_MAX") if hasattr(os, "sysconf") else 1024, 1024)


class BackgroundWriter(io.BufferedIOBase):
    def __init__(self, path: str | Path):
        super().__init__()
        self._file = open(path, "wb", buffering=0)
        self._queue: queue.Queue[list[bytes] | None] = queue.Queue(MAX_BATCHES)
        self._batch: list[bytes] = []
        self._batch_bytes = 0
        self._error: BaseException | None = None
        self._reported = False
        self._thread = threading.Thread(target=self._run, name=f"write {Path(path).name}", daemon=True)
        self._thread.start()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        if self._error is not None:  # every time: a caller that went on writing would lose what it wrote
            self._reported = True
            raise self._error
        if self.closed:
            raise ValueError("write to a closed file")
        chunk = bytes(data)  # no copy for bytes; a copy of a buffer the caller may reuse
        self._batch.append(chunk)
        self._batch_bytes += len(chunk)
        if self._batch_bytes >= BATCH or len(self._batch) >= _IOV_MAX:
            self._hand_over()
        return len(chunk)

    def flush(self) -> None:
        """Wait until everything written so far is in the file."""
        if not self.closed:
            self._hand_over()
            self._queue.join()
        self._raise_error()

    def close(self) -> None:
        if self.closed:
            return
        try:
            self._hand_over()
            self._queue.put(None)
            self._thread.join()
            self._file.close()
        finally:
            super().close()
        self._raise_error()

    def _hand_over(self) -> None:
        if self._batch:
            batch, self._batch, self._batch_bytes = self._batch, [], 0
            self._queue.put(batch)

    def _raise_error(self) -> None:
        """Raise the thread's error, once (close() after a failed write() does not raise it a second time)."""
        if self._error is not None and not self._reported:
            self._reported = True
            raise self._error

    def _run(self) -> None:
        fd = self._file.fileno()
        while True:
            batch = self._queue.get()
            try:
                if batch is None:
                    return
                if self._error is None:
                    _write_all(fd, batch)
            except BaseException as exc:  # handed to the exporter, which stops and removes the partial file
                self._error = exc
            finally:
                self._queue.task_done()


def _write_all(fd: int, chunks: list[bytes]) -> None:
    """One writev for the batch; what a short write leaves is written by the next call."""
    views = [memoryview(c) for c in chunks if c]
    while views:
        written = os.writev(fd, views)
        while views and written >= len(views[0]):
            written -= len(views[0])
            views.pop(0)
        if views and written:
            views[0] = views[0][written:]


def open_background(path: str | Path, binary: bool):
    """The file ``path`` for writing, in text (UTF-8, ``\\n`` line ends) or binary mode, written in the background."""
    raw = BackgroundWriter(path)
    if binary:
        return raw
    text = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
    text._CHUNK_SIZE = TEXT_CHUNK
    return text
