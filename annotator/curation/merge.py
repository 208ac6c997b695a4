"""Merging reviewers' work: bundles (canonical JSONL with tombstones) and other annotator databases.

    report = merge_paths(store, ["alice.jsonl", "bob.db"], progress=lambda fraction, message: ...)

All the paths are merged in one transaction: a malformed bundle (its message names the file and the line) leaves
the database as it was. The rules (newest edit wins, ties broken by the canonical JSON, deletions replayed) are in
``annotator.store.merge``; they make a merge idempotent and independent of the order of the bundles.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Iterator

from .. import formats
from ..core import database_files
from ..core.errors import InputError
from ..core.model import DocumentRecord
from ..store import Store
from ..store.merge import MergeAborted, MergeReport, merge_records
from ..store.merge_database_links import ChangedWhileMerged, attachable, read_whole, state
from ..store.merge_entities import merge_registry
from ..store.other_database import database_document_count, read_alias_rows, read_database, read_entities

__all__ = ["MergeAborted", "MergeReport", "merge_paths", "bundle_kind"]

Progress = Callable[[float, str], None]


def bundle_kind(path: str | Path) -> str:
    """``"database"`` for an SQLite file (by its header, whatever its name), else ``"bundle"`` (canonical JSONL)."""
    return "database" if database_files.is_sqlite_file(path) else "bundle"  # an open one is not opened to tell


def _same_file(a: str | Path, b: str) -> bool:
    try:
        return b != ":memory:" and os.path.samefile(a, b)
    except OSError:
        return False


def merge_paths(
    store: Store, paths, progress: Progress | None = None, cancelled: Callable[[], bool] | None = None
) -> MergeReport:
    """Merge bundles and databases into ``store``, all in one transaction.

    ``progress(fraction, message)`` is called as the work goes (fraction from 0 to 1); it is called from the thread
    that runs the merge, so a window should pass a function that posts to its own thread. ``cancelled()`` is
    polled between documents: when it returns True, ``formats.Cancelled`` is raised and nothing is merged.
    """
    paths = [Path(p) for p in paths]
    for p in paths:
        if not p.is_file():
            raise InputError("no such file", str(p))
    whole: set[str] = set()  # databases to read in one snapshot, links with records
    while True:
        try:
            return _merge(store, paths, whole, progress, cancelled)
        except ChangedWhileMerged as changed:  # rolled back: nothing was written
            if changed.path in whole:
                raise
            whole.add(changed.path)


def _merge(store: Store, paths: list[Path], whole: set[str], progress: Progress | None,
           cancelled: Callable[[], bool] | None) -> MergeReport:
    report = MergeReport(sources=[str(p) for p in paths])
    plan = []
    for p in paths:
        if _same_file(p, store.path):
            report.notes.append(f"{p}: ignored, it is the database being merged into")
            continue
        open_db = database_files.open_database_of(p)
        if open_db is not None and os.path.abspath(p) != open_db:  # a -wal/-shm: reading it would drop SQLite's locks
            raise InputError("this is a file of the database in use, not a bundle or a database to merge", str(p))
        kind = bundle_kind(p)
        size = database_document_count(p) if kind == "database" else p.stat().st_size
        plan.append((p, kind, max(size, 1)))
    total = sum(size for _, _, size in plan) or 1

    # a teammate's database's relations and attribute values are merged in SQL against it, attached, after the
    # records (store/merge_database_links.py); one open in their window, or past SQLite's limit of attached
    # databases, with its records, as a bundle's are
    # (a teammate's window that writes meanwhile: ``state`` is taken before anything is read, and if it is not the
    # same once the links are read, all is done again with that database's links read with its records)
    databases = [path for path, kind, _ in plan
                 if kind == "database" and str(path) not in whole and read_whole(str(path))]
    databases = databases[:max(0, attachable(store.conn) - 1)]
    states = {str(path): state(str(path)) for path in databases}

    def records() -> Iterator[DocumentRecord | InputError]:
        done = 0
        for path, kind, size in plan:
            message = f"merging {path.name}"
            if progress:
                progress(done / total, message)
            if kind == "database":
                # the teammate's registry first, so their links find their entities (this runs inside the merge's
                # transaction: merge_records consumes these records within it)
                entities, alias_rows = read_entities(path), read_alias_rows(path)
                problem = next((e for e in (entities, alias_rows) if isinstance(e, InputError)), None) or \
                    merge_registry(store, entities, str(path), report, alias_rows)
                if problem is not None:
                    yield problem
                    return
                n = 0
                for rec in read_database(path, links=path not in databases):
                    if cancelled and cancelled():
                        raise formats.Cancelled("cancelled")
                    yield rec
                    n += 1
                    if progress and n % 500 == 0:
                        progress((done + n) / total, message)
            else:
                seen = [0]

                def tick(nbytes: int, seen=seen, done=done, message=message) -> None:
                    seen[0] += nbytes
                    if progress and seen[0] % 4096 < nbytes:  # now and then, not on every line
                        progress((done + seen[0]) / total, message)

                options = formats.Options(annotator="import", include_deleted=True, progress=tick, cancelled=cancelled)
                for rec in formats.read_file(path, "jsonl", options):
                    formats.check_cancelled(options)
                    yield rec
            done += size
        if progress:
            progress(1.0, "merged")

    return merge_records(store, records(), report, states)
