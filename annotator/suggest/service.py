"""Suggestions computed in a process of their own, for the review window.

Finding suggestions is Python work: on a 1 MB article with 10,000 spans it takes seconds of CPU. In a thread of
the window's process it held Python's lock (the GIL) against the window's thread, which then waited for it after
every SQLite row it read: the article took 5 s to open and paint instead of 85 ms. A process has a lock of its own,
so the window's thread only ever waits for the reply, in the receiving thread, with the lock released.

    service = SuggestionService.start(db_path, ("corpus", "patterns"))
    service.ask(doc_id, generation, changed=["d7"])  # changed: documents whose spans changed since the last ask,
                                                     # or None when anything may have (settings, another process)
    reply = service.answer(stopping=lambda: False)   # Ready(doc_id, generation, total, rows) or Failed(...)
    service.configure(("corpus",))                   # other sources: the Suggester is built again
    service.close()

The process opens the database itself through SQLite (it only reads) and keeps one ``Suggester`` (the spaCy
pipelines load once). A document with more than ``SHOWN`` suggestions sends the surest ``SHOWN`` of them with the
number found: a reviewer reads a few dozen per article, and a random 1 MB text with 10,000 tagged words had
184,533, which no list or article view shows usefully and whose transfer alone would stall the window.

The start method: "forkserver" where there is one (Linux, macOS), its server having imported this module and
spaCy once, so a window's service starts in a fork of it (tens of milliseconds, where a fresh interpreter takes a
second of CPU); "spawn" in the bundled application (its executable is the child: ``freeze_support``) and on
Windows.
"""
from __future__ import annotations

import heapq
import multiprocessing as mp
import os
import sys
from dataclasses import dataclass
from typing import Callable, Sequence

SHOWN = 5000  # suggestions a document sends at most: the surest ones
POLL = 0.1    # seconds between looks at ``stopping`` while waiting for a reply
NICE = 10     # the process's lower priority (POSIX niceness added)


@dataclass
class Ready:
    doc_id: str
    generation: int
    total: int   # found in all; ``rows`` holds at most SHOWN of them
    rows: list   # (start, end, label, text, source, score, reason), reading order


@dataclass
class Failed:
    doc_id: str
    message: str  # one line
    ended: bool = False  # the process is gone (not one document's failure): a new one may be started


def surest(found: list, limit: int = SHOWN) -> list:
    """At most ``limit`` suggestions: the highest scores (ties: the earlier in the text), kept in the order given."""
    if len(found) <= limit:
        return found
    kept = {id(s) for s in heapq.nlargest(limit, found, key=lambda s: (s.score, -s.start, -s.end))}
    return [s for s in found if id(s) in kept]


def _serve(db_path: str, sources: tuple[str, ...], conn) -> None:
    """The process: answers each request in turn until told to stop or the window's end of the pipe closes."""
    from ..core.errors import AnnotatorError
    from ..store import Store
    from .engine import Suggester

    if hasattr(os, "nice"):
        # background work: where the cores are busy, the window's process goes first (on an idle machine this
        # process has a core of its own and the priority changes nothing)
        os.nice(NICE)
    store = suggester = None
    try:
        store = Store(db_path)
        while True:
            try:
                message = conn.recv()
            except (EOFError, OSError):
                return  # the window is gone
            kind = message[0]
            if kind == "stop":
                return
            if kind == "configure":
                sources = message[1]
                if suggester is not None:
                    suggester.close()
                    suggester = None
                continue
            _, doc_id, generation, changed = message
            try:
                if suggester is None:
                    suggester = Suggester(store, sources)
                else:
                    suggester.told(changed)
                found = suggester.for_document(doc_id)
                shown = surest(found)
                rows = [(s.start, s.end, s.label, s.text, s.source, s.score, s.reason) for s in shown]
                reply: Ready | Failed = Ready(doc_id, generation, len(found), rows)
            except AnnotatorError as exc:
                reply = Failed(doc_id, str(exc))
            except Exception as exc:  # one document's failure is said, and the next request still answered
                reply = Failed(doc_id, f"suggestions failed: {type(exc).__name__}: {exc}")
            try:
                conn.send(reply)
            except OSError:
                return  # the window is gone (closed or killed while this document was computed)
    finally:
        if suggester is not None:
            suggester.close()
        if store is not None:
            store.close()


def _context():
    if getattr(sys, "frozen", False) or "forkserver" not in mp.get_all_start_methods():
        return mp.get_context("spawn")
    context = mp.get_context("forkserver")
    # imported once by the server, before it forks a service for each window (ignored once the server runs)
    context.set_forkserver_preload(["annotator.suggest.service", "annotator.suggest.engine",
                                    "annotator.suggest.corpus", "annotator.suggest.patterns"])
    return context


class SuggestionService:
    def __init__(self, process, conn):
        self.process, self.conn = process, conn
        self.ended = False  # its end of the pipe closed: the process ended, whatever its exit status says yet

    @classmethod
    def start(cls, db_path: str, sources: Sequence[str]) -> "SuggestionService":
        context = _context()
        ours, theirs = context.Pipe()
        process = context.Process(target=_serve, args=(str(db_path), tuple(sources), theirs), daemon=True,
                                  name="annotator-suggest")
        process.start()
        theirs.close()  # the process holds its own copy: our end now sees the process's end as EOF
        return cls(process, ours)

    @property
    def alive(self) -> bool:
        return not self.ended and self.process.is_alive()

    def _send(self, message) -> bool:
        try:
            self.conn.send(message)
            return True
        except OSError:  # the process ended (killed, out of memory): said by the next answer()
            self.ended = True
            return False

    def ask(self, doc_id: str, generation: int, changed: Sequence[str] | None) -> None:
        self._send(("suggest", doc_id, generation, None if changed is None else list(changed)))

    def configure(self, sources: Sequence[str]) -> None:
        self._send(("configure", tuple(sources)))

    def answer(self, stopping: Callable[[], bool]) -> Ready | Failed | None:
        """The reply to the last ``ask`` (waiting with Python's lock released), or None when ``stopping()``
        became true while waiting. A process that ended answers Failed with ``ended`` set."""
        try:
            while not self.ended and not self.conn.poll(POLL):
                if stopping():
                    return None
                if not self.process.is_alive() and not self.conn.poll(0):
                    break
            else:
                if not self.ended:
                    return self.conn.recv()
        except (EOFError, OSError):
            pass
        self.ended = True
        self.process.join(timeout=1)
        code = self.process.exitcode
        return Failed("", "the suggestion process ended unexpectedly" + (f" (exit code {code})" if code else ""),
                      ended=True)

    def close(self, timeout: float = 0.5) -> None:
        if not self.ended:
            self._send(("stop",))
        self.process.join(timeout)
        if self.process.is_alive():  # a document still being computed: its answer is not wanted any more (the
            self.process.terminate()  # process only reads the database: ending it loses nothing)
            self.process.join(5)
        self.conn.close()
