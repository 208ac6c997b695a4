"""Which files are the databases this process has open, so that nothing but SQLite ever opens them.

SQLite's locks are POSIX advisory locks: they belong to the process, and closing any descriptor of the database
file or of its -wal/-shm files drops every lock the process holds on it (SQLite's "How To Corrupt An SQLite
Database File", section 2.2). An import that sniffs a file's first bytes, a merge that checks a header, an
export that writes over a path: each must first ask ``is_open_database_file`` (a ``stat``, never an ``open``)
and leave such a file alone. The store registers each database it opens here.

``is_sqlite_file`` reads a header, so it asks ``is_open_database_file`` first: an open database counts as an
SQLite file without being opened.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

from .errors import InputError

SQLITE_MAGIC = b"SQLite format 3\x00"
# The files SQLite keeps beside a database: the write-ahead log, its shared-memory index, a rollback journal.
COMPANIONS = ("", "-wal", "-shm", "-journal")

_lock = threading.Lock()
_open: dict[str, int] = {}  # absolute path of an open database -> how many connections have it open


def register(path: str | Path) -> None:
    key = os.path.abspath(path)
    with _lock:
        _open[key] = _open.get(key, 0) + 1


def unregister(path: str | Path) -> None:
    key = os.path.abspath(path)
    with _lock:
        if _open.get(key, 0) > 1:
            _open[key] -= 1
        else:
            _open.pop(key, None)


def open_database_of(path: str | Path) -> str | None:
    """The open database that ``path`` is (or is the -wal/-shm/-journal of), found by name and by inode."""
    with _lock:
        databases = list(_open)
    if not databases:
        return None
    candidate = os.path.abspath(path)
    try:
        real = os.path.realpath(candidate)
        st = os.stat(candidate)
    except OSError:
        st = None
        real = candidate
    for db in databases:
        for suffix in COMPANIONS:
            companion = db + suffix
            if candidate == companion or real == os.path.realpath(companion):
                return db
            if st is not None:
                try:
                    other = os.stat(companion)
                except OSError:
                    continue
                if (st.st_dev, st.st_ino) == (other.st_dev, other.st_ino):
                    return db
    return None


def is_open_database_file(path: str | Path) -> bool:
    return open_database_of(path) is not None


def is_sqlite_file(path: str | Path) -> bool:
    """True for an SQLite database by its header, whatever its name; an open database is never opened to tell."""
    if is_open_database_file(path):
        return True
    try:
        if not os.path.isfile(path):
            return False
        with open(path, "rb") as fh:
            return fh.read(16) == SQLITE_MAGIC
    except OSError:
        return False


def refuse_as_export_target(path: str | Path) -> None:
    """An export never writes over a database: the one in use, its companions, or any other SQLite file."""
    db = open_database_of(path)
    if db is not None:
        what = "the database in use" if os.path.abspath(path) == db else f"a file of the database in use ({db})"
        raise InputError(f"this is {what}; writing an export there would destroy it. Nothing was written; "
                         "choose another file", str(path))
    if is_sqlite_file(path):
        raise InputError("this is an SQLite database; an export will not write over it. Nothing was written; "
                         "choose another file", str(path))
