"""Training in a background process, so that neither the window nor its Python threads wait on it.

    job = TrainingJob.start(db_path, labels=("ORGANISATION",))
    while job.running:
        for message in job.poll():       # Progress values, then a final Finished
            ...
    job.cancel()                         # stops it between batches; no model is saved or recorded

The process is started with "spawn" (a fresh interpreter: forking a process that runs Qt is unsafe), opens the
database itself through SQLite, and records the model there when it is done; the window learns of it from
SQLite's data_version, as of any other connection's commit.
"""
from __future__ import annotations

import multiprocessing as mp
import queue
from dataclasses import dataclass
from typing import Sequence

from .training import Progress


@dataclass
class Finished:
    """The last message: the new model's id, or what went wrong in one line."""

    model_id: int | None = None
    error: str = ""


def _run(db_path: str, labels: Sequence[str], out_dir: str | None, iterations: int, messages, stop) -> None:
    from ..core.errors import AnnotatorError
    from ..formats import Cancelled
    from ..store import Store
    from .training import train

    store = None
    try:
        store = Store(db_path)
        record = train(store, labels=labels, out_dir=out_dir, iterations=iterations, progress=messages.put,
                       cancelled=stop.is_set)
        messages.put(Finished(record.id))
    except (AnnotatorError, Cancelled) as exc:
        messages.put(Finished(error=str(exc)))
    except Exception as exc:  # anything else still ends the job with a message, not a silent dead process
        messages.put(Finished(error=f"training failed: {type(exc).__name__}: {exc}"))
    finally:
        if store is not None:
            store.close()


class TrainingJob:
    def __init__(self, process, messages, stop):
        self.process, self.messages, self.stop = process, messages, stop
        self.finished: Finished | None = None
        self.messages_seen: list[Progress | Finished] = []  # everything poll() returned, in order

    @classmethod
    def start(cls, db_path: str, *, labels: Sequence[str] = (), out_dir: str | None = None,
              iterations: int = 0) -> "TrainingJob":
        context = mp.get_context("spawn")
        messages, stop = context.Queue(), context.Event()
        process = context.Process(target=_run, args=(str(db_path), tuple(labels), out_dir, iterations, messages, stop),
                                  daemon=True, name="annotator-train")
        process.start()
        return cls(process, messages, stop)

    @property
    def running(self) -> bool:
        return self.finished is None

    def poll(self, timeout: float = 0.0) -> list[Progress | Finished]:
        """The messages that arrived (waiting up to ``timeout`` for the first one)."""
        out: list = []
        while self.finished is None:
            try:
                message = self.messages.get(timeout=timeout if not out else 0.0) if timeout or out else \
                    self.messages.get_nowait()
            except queue.Empty:
                if not self.process.is_alive() and self.messages.empty():
                    self.finished = Finished(error=f"training stopped unexpectedly (exit code {self.process.exitcode})")
                    out.append(self.finished)
                    self.messages_seen.append(self.finished)
                break
            out.append(message)
            self.messages_seen.append(message)
            if isinstance(message, Finished):
                self.finished = message
                self.process.join(timeout=5)
        return out

    def wait(self, timeout: float | None = None) -> Finished:
        import time

        end = None if timeout is None else time.monotonic() + timeout
        while self.finished is None:
            if end is not None and time.monotonic() > end:
                raise TimeoutError("training is still running")
            self.poll(timeout=0.2)
        return self.finished

    def cancel(self) -> None:
        self.stop.set()
