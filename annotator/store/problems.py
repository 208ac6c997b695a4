"""What went wrong with the database file, in a user's words: opening it, and SQLite's errors while using it.

The command line and the window show these instead of a traceback; they are here because only the store knows
SQLite's exceptions (design.md section 1: no sqlite outside annotator/store).
"""
from __future__ import annotations

import os
import sqlite3
from urllib.parse import quote

from ..core.errors import DatabaseUnusable

DEFAULT_BUSY_SECONDS = 5.0


def busy_seconds() -> float:
    """How long a write waits for another writer's lock before it gives up (ANNOTATOR_BUSY_TIMEOUT overrides)."""
    try:
        return max(0.0, float(os.environ.get("ANNOTATOR_BUSY_TIMEOUT", DEFAULT_BUSY_SECONDS)))
    except ValueError:
        return DEFAULT_BUSY_SECONDS


def is_writable(path: str) -> bool:
    """A database we may write: the file, and its folder (where SQLite makes the -wal and -shm files)."""
    folder = os.path.dirname(os.path.abspath(path))
    return os.access(path, os.W_OK) and os.access(folder, os.W_OK | os.X_OK)


def connect(path: str, *, readonly: bool) -> sqlite3.Connection:
    """A connection to the database at ``path``; ``readonly``: one that refuses every write.

    A read-only connection must still take part in SQLite's locking, so that another process may write the
    database while it reads: one with ``immutable=1`` takes no lock and never looks again at the file, and once a
    writer comes (making the -wal, checkpointing into the file) it goes on showing the database as it was, or pages
    of two states ("database disk image is malformed"). So ``immutable=1`` is only for a database SQLite cannot read
    otherwise (below)."""
    if not readonly:
        return sqlite3.connect(path, check_same_thread=False, timeout=busy_seconds())
    uri = "file:" + quote(os.path.abspath(path))
    if is_writable(path):
        # A database we could write, read by a window, a findings process or a merge that must not change it: a
        # connection that may write (so SQLite makes the -wal and -shm it needs, and the last one to close removes
        # them, as every writer's does) but refuses every change (query_only). "mode=ro" would read through the
        # same locks but leave the -wal and -shm it made behind.
        conn = sqlite3.connect(uri + "?mode=rw", uri=True, check_same_thread=False, timeout=busy_seconds())
        conn.execute("PRAGMA query_only = ON")
        return conn
    uri += "?mode=ro"
    if not os.path.exists(path + "-wal"):
        # A database we cannot write (the file, or its folder: read-only media, a shared drive, another user's file)
        # that nobody has open in WAL mode (a writer keeps its -wal file). SQLite reads a WAL database only through
        # a -wal and a -shm file: here it could not make them, or they would be ours (with the file's mode), where
        # they would stop its owner's next write. SQLite's answer for such a file is immutable=1 (uri.html): no
        # file beside it, no lock. Only a user who may write it could change it while we read (see the README).
        return sqlite3.connect(uri + "&immutable=1", uri=True, check_same_thread=False)
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=busy_seconds())
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        conn.close()
        if os.path.getsize(path + "-wal") == 0:  # an empty log holds nothing the database file lacks
            return sqlite3.connect(uri + "&immutable=1", uri=True, check_same_thread=False)
        # A -wal with work in it that SQLite cannot read here (no -shm beside it, in a folder we cannot write):
        # reading the database file alone would show less than it holds, without a word.
        raise DatabaseUnusable(
            f"{path}: its latest work is in {os.path.basename(path)}-wal, which cannot be read here (no -shm file "
            "beside it, and the folder cannot be written). Open it once where it is, with write access, or copy "
            "the database with its -wal file to a folder you can write") from None


def kind_of(exc: BaseException) -> str:
    """What kind of refusal an SQLite error is (see core.errors.WriteFailed)."""
    lowered = str(exc).lower()
    if "readonly" in lowered or "read-only" in lowered:
        return "readonly"
    if "locked" in lowered or "busy" in lowered:
        return "busy"
    if "disk is full" in lowered or "disk full" in lowered:
        return "full"
    if "disk i/o error" in lowered:
        return "io"
    return "other"


def explain(exc: BaseException, path: str | None) -> str | None:
    """A one-line message for an SQLite error met while using the database at ``path``; None if it is not one."""
    if isinstance(exc, DatabaseUnusable):
        return str(exc)
    if not isinstance(exc, sqlite3.Error):
        return None
    where = f"{path}: " if path else ""
    text = str(exc)
    lowered = text.lower()
    if "readonly" in lowered or "read-only" in lowered:
        return (f"{where}the database is read-only (the file or its folder cannot be written); nothing was "
                "changed. Reading commands (stats, export, agreement) work")
    if "locked" in lowered or "busy" in lowered:
        return (f"{where}the database is busy: another program (an import, a merge, another window) is writing to "
                f"it and did not finish within {busy_seconds():g} s; nothing was changed, try again when it is done")
    if "disk is full" in lowered or "disk full" in lowered:
        return f"{where}the disk is full; nothing was changed"
    if "disk i/o error" in lowered:
        return f"{where}the disk could not be written (I/O error, or a file size limit); nothing was changed"
    if "not a database" in lowered or "malformed" in lowered or "encrypted" in lowered:
        return f"{where}not an annotator database, or a damaged one (SQLite says: {text})"
    if "unable to open" in lowered:
        return f"{where}the database cannot be opened (SQLite says: {text})"
    return None
