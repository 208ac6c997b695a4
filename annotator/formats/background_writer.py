"""Exports write on a thread of their own, so the next records are made while the previous ones go to disk.

Writing is a large share of an export of the verbose formats: spaCy JSONL writes about 40 KB per 4 KB article
(4 GB for 100,000 articles, some seconds of the kernel's time on its own), brat creates two files per article.
System calls release the GIL, so on a second core they overlap with the work of making the records.

Handing over costs: the thread needs the GIL to take work, and taking it from a busy exporter is a forced switch
(up to Python's switch interval, 5 ms). So work goes over in batches: a megabyte of a file's bytes, written with
one ``writev``; or a few hundred small files, created by ``_write_files.c`` with the GIL released for the whole
batch. Memory stays flat: at most ``MAX_BATCHES`` batches wait, then the exporter waits for the disk. An error of
the thread (a full disk) is raised by the next write and by ``close``; nothing is silently lost.
"""
from __future__ import annotations

import io
import os
import queue
import threading
from pathlib import Path
from typing import Callable

BATCH = 1 << 20  # bytes of one file handed over at once
FILES_BATCH = 256  # files handed over at once
MAX_BATCHES = 4
TEXT_CHUNK = 1 << 16  # what a text file hands over at once (TextIOWrapper's default is 8 KB)
_IOV_MAX = min(os.sysconf("SC_IOV_MAX") if hasattr(os, "sysconf") else 1024, 1024)


class _BatchThread:
    """A thread that runs ``consume`` on each batch put to it, in order, and keeps the first error for the caller."""

    def __init__(self, consume: Callable[[list], None], name: str):
        self._consume = consume
        self._queue: queue.Queue[list | None] = queue.Queue(MAX_BATCHES)
        self.error: BaseException | None = None
        self._reported = False
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def put(self, batch: list) -> None:
        self.check()
        self._queue.put(batch)

    def check(self) -> None:
        """Raise the thread's error: every time, since a caller that went on would lose what it wrote."""
        if self.error is not None:
            self._reported = True
            raise self.error

    def wait(self) -> None:
        self._queue.join()

    def stop(self) -> None:
        """Finish the batches given, end the thread, and raise its error unless a write already did."""
        self._queue.put(None)
        self._thread.join()
        if self.error is not None and not self._reported:
            self._reported = True
            raise self.error

    def _run(self) -> None:
        while True:
            batch = self._queue.get()
            try:
                if batch is None:
                    return
                if self.error is None:
                    self._consume(batch)
            except BaseException as exc:  # handed to the exporter, which stops and removes what it wrote
                self.error = exc
            finally:
                self._queue.task_done()


class BackgroundWriter(io.BufferedIOBase):
    """A binary file written on its own thread."""

    def __init__(self, path: str | Path):
        super().__init__()
        self._file = open(path, "wb", buffering=0)
        fd = self._file.fileno()
        self._worker = _BatchThread(lambda chunks: _write_all(fd, chunks), f"write {Path(path).name}")
        self._batch: list[bytes] = []
        self._batch_bytes = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._worker.check()
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
            self._worker.wait()
            self._worker.check()

    def close(self) -> None:
        if self.closed:
            return
        try:
            self._hand_over()
            self._worker.stop()
        finally:
            self._file.close()
            super().close()

    def _hand_over(self) -> None:
        if self._batch:
            batch, self._batch, self._batch_bytes = self._batch, [], 0
            self._worker.put(batch)


_writev = getattr(os, "writev", None)  # not on Windows: there a chunk at a time


def _write_all(fd: int, chunks: list[bytes]) -> None:
    """One writev for the batch; what a short write leaves is written by the next call."""
    views = [memoryview(c) for c in chunks if c]
    while views:
        written = _writev(fd, views[:_IOV_MAX]) if _writev is not None else os.write(fd, views[0])
        while views and written >= len(views[0]):
            written -= len(views[0])
            views.pop(0)
        if views and written:
            views[0] = views[0][written:]


def _write_files_python(batch: list[tuple[bytes, bytes]]) -> None:
    """What _write_files.c does, where it was not built (without its gain: each call here needs the GIL back)."""
    for path, data in batch:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)


try:
    from ._write_files import write_files as _write_files
except ImportError:  # built without a C compiler
    _write_files = _write_files_python


class BackgroundFiles:
    """Many small files of one folder, created on a thread: ``write(name, data)``, then ``close()``."""

    def __init__(self, folder: str | Path):
        self.folder = os.fsencode(Path(folder))
        self._worker = _BatchThread(_write_files, f"write into {Path(folder).name}")
        self._batch: list[tuple[bytes, bytes]] = []

    def write(self, name: str, data: bytes) -> None:
        if "/" in name or "\\" in name or "\x00" in name or name in ("", ".", ".."):
            # the last guard of "nothing outside the folder": writers make names with common.safe_file_name
            raise ValueError(f"not a file name of this folder: {name!r}")
        self._worker.check()
        self._batch.append((os.path.join(self.folder, os.fsencode(name)), data))
        if len(self._batch) >= FILES_BATCH:
            self._batch, batch = [], self._batch
            self._worker.put(batch)

    def close(self) -> None:
        if self._batch:
            self._batch, batch = [], self._batch
            self._worker.put(batch)
        self._worker.stop()

    def __enter__(self) -> "BackgroundFiles":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_background(path: str | Path, binary: bool):
    """The file ``path`` for writing, in text (UTF-8, ``\\n`` line ends) or binary mode, written in the background."""
    raw = BackgroundWriter(path)
    if binary:
        return raw
    text = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
    text._CHUNK_SIZE = TEXT_CHUNK
    return text
