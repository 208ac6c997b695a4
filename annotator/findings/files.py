"""The findings tables as files in a folder, one file a table: ``commitments``, ``organisations``, ``figures``,
``over_time`` and ``coverage``, as CSV (UTF-8, a header row) or JSONL (one object a row, keys in column order).

Commitments and figures are written while the pass makes them (memory stays flat however many there are). Every
file is written under a temporary name and renamed only once all of them are complete, so a failure or a cancel
leaves the folder as it was.
"""
from __future__ import annotations

import csv
import json
import multiprocessing as mp
import os
import queue
import shutil
import sys
from pathlib import Path
from typing import Callable

from ..core.errors import InputError
from ..store import Store
from ..store import findings_queries as queries
from . import rows
from .model import COLUMNS, Filters
from .tables import Cancelled, Findings, compute, finished, merge

FORMATS = ("csv", "jsonl")
TABLES = tuple(COLUMNS)


class _TableFile:
    def __init__(self, folder: Path, table: str, fmt: str, second: bool = False):
        self.final = folder / f"{table}.{fmt}"
        self.temporary = folder / f".{table}.{fmt}{'.second' if second else ''}.part"
        self.columns = COLUMNS[table]
        self.fh = open(self.temporary, "w", encoding="utf-8", newline="", buffering=1 << 20)
        self.pending: list[list] = []
        if fmt == "csv":
            self.csv = csv.writer(self.fh)
            if not second:  # the second half's rows go on after the first's, under its header
                self.csv.writerow(self.columns)
            # the cells that may hold a list, a boolean or None: only these are converted, the others (strings and
            # numbers) are written as they are, and rows go to the writer a few hundred at a time
            if table in CSV_LISTS:
                lists, others = CSV_LISTS[table], CSV_OTHERS[table]
                self.write = lambda values: self._add(values, lists, others)
            else:
                self.write = lambda values: self.csv.writerow([rows.csv_cell(v) for v in values])
        else:
            self.write = lambda values: self.fh.write(
                json.dumps(dict(zip(self.columns, values)), ensure_ascii=False) + "\n")

    def _add(self, values: list, lists: tuple[int, ...], others: tuple[int, ...]) -> None:
        for i in lists:
            values[i] = "; ".join(values[i])
        for i in others:
            values[i] = rows.csv_cell(values[i])
        self.pending.append(values)
        if len(self.pending) >= 500:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.csv.writerows(self.pending)
            self.pending.clear()

    def close(self) -> None:
        if not self.fh.closed:
            self.flush()
            self.fh.close()


def _special(table: str, names: tuple[str, ...]) -> tuple[int, ...]:
    return tuple(COLUMNS[table].index(n) for n in names)


# the long tables' cells that are not plain strings or numbers in the rows the pass makes: lists of strings, and
# values that may be None or a boolean
CSV_LISTS = {"commitments": _special("commitments", ("actors", "partners", "organisations_nearby", "figures")),
             "figures": ()}
CSV_OTHERS = {"commitments": (), "figures": _special("figures", ("value", "approximate"))}


def write(
    store: Store,
    folder: str | Path,
    fmt: str = "csv",
    filters: Filters | None = None,
    *,
    agreement=None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> tuple[Findings, list[Path]]:
    """Compute the findings and write each table into ``folder`` (made if missing). Returns the findings (with the
    first rows kept) and the files written, in table order."""
    if fmt not in FORMATS:
        raise InputError(f"unknown findings format {fmt!r}: choose one of {', '.join(FORMATS)} (or html)")
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputError("is a file: the tables go into a folder (one file a table); give a folder", str(folder))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot make the folder: {exc.strerror}", str(folder)) from None
    files: dict[str, _TableFile] = {}
    second: _SecondHalf | None = None
    try:
        for table in TABLES:
            files[table] = _TableFile(folder, table, fmt)
        middle = _split_at(store)
        if middle is None:
            findings = compute(store, filters, keep=0, agreement=agreement, progress=progress, cancelled=cancelled,
                               on_commitment=files["commitments"].write, on_figure=files["figures"].write)
        else:
            version = queries.data_version(store)
            second = _SecondHalf(store.path, folder, fmt, filters, middle)

            mine = [0, 1]  # documents this process has done, of how many

            def both(n: int, total: int) -> None:  # the documents done by either process
                mine[:] = [n, total]
                second.poll()
                progress(n + second.done, total)

            findings = compute(store, filters, keep=0, agreement=agreement, cancelled=cancelled, part=(None, middle),
                               finish=False, on_commitment=files["commitments"].write, on_figure=files["figures"].write,
                               progress=both if progress else None)
            waiting = (lambda theirs: progress(mine[0] + theirs, mine[1])) if progress else None
            findings = finished(merge(findings, second.result(cancelled, waiting)))
            findings.processes = 2
            if queries.data_version(store) != version:
                # someone committed while the halves read: each read its own snapshot, so the tables could mix two
                # states of the database; read it all again in this process, in one snapshot
                second.end()
                second = None
                for table in ("commitments", "figures"):
                    files[table].fh.close()
                    files[table] = _TableFile(folder, table, fmt)
                findings = compute(store, filters, keep=0, agreement=agreement, progress=progress,
                                   cancelled=cancelled, on_commitment=files["commitments"].write,
                                   on_figure=files["figures"].write)
            else:
                for table in ("commitments", "figures"):
                    files[table].flush()
                    files[table].fh.flush()
                    with open(second.files[table], "rb") as theirs:
                        shutil.copyfileobj(theirs, files[table].fh.buffer, 1 << 20)
            if progress:
                progress(findings.coverage.documents, findings.coverage.documents)
        for o in findings.organisations:
            files["organisations"].write(rows.organisation(o))
        for period, organisation, n in findings.over_time:
            files["over_time"].write([period, organisation, n])
        for name, value in findings.filters.described():  # what the tables were made from, for whoever reads them
            files["coverage"].write([f"filter: {name}", "", value])
        for row in rows.coverage(findings.coverage):
            files["coverage"].write(row)
        for f in files.values():
            f.close()
        for f in files.values():
            os.replace(f.temporary, f.final)
    except OSError as exc:
        raise InputError(f"cannot write the tables: {exc.strerror or exc}", str(folder)) from None
    finally:
        if second is not None:
            second.end()
        for f in files.values():
            f.fh.close()
            if f.temporary.exists():
                f.temporary.unlink()
    return findings, [f.final for f in files.values()]


# -- two processes --------------------------------------------------------------------------------------------
# The pass is one core's work, and most of a large corpus's time; the documents split by id into two halves whose
# rows are written one after the other, and whose counts add up, so a second process takes the second half. The
# tables are the same as one process makes (a test compares them byte for byte). Each half reads its own snapshot
# of the database, so a commit by anyone while they read (SQLite's data_version) makes this process read it all
# again in one snapshot: the tables never mix two states of the database.

SPLIT_AT = 20_000  # documents from which a second process pays for its start (about a second)


def _split_at(store: Store) -> str | None:
    """The first document id of the second half, where a second process is worth it; None where it is not (a small
    corpus, one core, a database in memory, or the frozen application, which cannot start a Python of its own)."""
    if store.path == ":memory:" or getattr(sys, "frozen", False) or (os.cpu_count() or 1) < 2:
        return None
    if store.document_count() < SPLIT_AT:
        return None
    return queries.middle_document(store)


class _SecondHalf:
    """The second half of the documents' rows, written by a process of its own (started with "spawn": a process
    that may run Qt must not fork) into files beside the first half's, its counts sent back when it is done."""

    def __init__(self, db: str, folder: Path, fmt: str, filters: Filters | None, middle: str):
        self.files = {t: folder / f".{t}.{fmt}.second.part" for t in ("commitments", "figures")}
        context = mp.get_context("spawn")
        self.messages, self.stop = context.Queue(), context.Event()
        self.done, self.found, self.error = 0, None, ""
        self.process = context.Process(target=_second_half, daemon=True,
                                       args=(db, str(folder), fmt, filters, middle, self.messages, self.stop))
        self.process.start()

    def poll(self, wait: float = 0.0) -> None:
        try:
            while True:
                kind, value = self.messages.get(timeout=wait) if wait else self.messages.get_nowait()
                wait = 0.0
                if kind == "progress":
                    self.done = value
                elif kind == "done":
                    self.found = value
                else:
                    self.error = value
        except queue.Empty:
            pass

    def result(self, cancelled: Callable[[], bool] | None, progress: Callable[[int], None] | None = None) -> Findings:
        """The second half's counts once it is done; ``progress(documents it has done)`` meanwhile."""
        while self.found is None:
            if cancelled and cancelled():
                raise Cancelled("cancelled: nothing was written")
            self.poll(0.1)
            if progress:
                progress(self.done)
            if self.error:
                raise InputError(f"the second half of the documents failed: {self.error}")
            if self.found is None and not self.process.is_alive():
                self.poll(0.5)
                if self.found is None:
                    raise InputError(f"the second half of the documents failed (exit code {self.process.exitcode})")
        return self.found

    def end(self) -> None:
        self.stop.set()
        self.process.join(10)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join()
        for path in self.files.values():
            if path.exists():
                path.unlink()


def _second_half(db: str, folder: str, fmt: str, filters: Filters | None, middle: str, messages, stop) -> None:
    """In the second process: the rows of the documents from ``middle`` on, and their counts."""
    out: dict[str, _TableFile] = {}
    try:
        store = Store(db, readonly=True)
        for table in ("commitments", "figures"):
            out[table] = _TableFile(Path(folder), table, fmt, second=True)
        found = compute(store, filters, keep=0, part=(middle, None), finish=False,
                        on_commitment=out["commitments"].write, on_figure=out["figures"].write,
                        progress=lambda n, total: messages.put(("progress", n)), cancelled=stop.is_set)
        for f in out.values():
            f.close()
        store.close()
        messages.put(("done", found))
    except Cancelled:
        messages.put(("failed", "cancelled"))
    except Exception as exc:  # any failure ends the job with a message the first process shows, not a silent death
        messages.put(("failed", f"{type(exc).__name__}: {exc}"))
