"""Team sync without a server: a shared folder or a git remote, one command (``annotator sync TARGET``).

    report = sync(store, "git@github.com:team/corpus.git", "alice", db_path="alice.db")
    report = sync(store, "/mnt/team/corpus", "alice")

The layout of the shared place is in ``layout``; one sync with it in ``place``; the git half in ``git``.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

from ..core.errors import InputError
from ..store import Store
from .place import SyncCancelled, SyncReport, sync_place

__all__ = ["SyncCancelled", "SyncReport", "is_git_remote", "sync"]

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_SCP = re.compile(r"^[\w.-]+@[\w.-]+:")  # git@github.com:team/corpus.git


def is_git_remote(target: str) -> bool:
    """A URL (https://, ssh://, file://, git://), an scp-like ``user@host:path``, or a local git repository."""
    if _URL.match(target) or _SCP.match(target):
        return True
    p = Path(target)
    bare = (p / "HEAD").is_file() and (p / "objects").is_dir() and (p / "refs").is_dir()
    return p.is_dir() and (bare or (p / ".git").exists())


def sync(store: Store | Callable[[], Store], target: str, annotator: str,
         db_path: str | Path | None = None, step: Callable[[str], None] | None = None,
         cancelled: Callable[[], bool] | None = None) -> SyncReport:
    """``store`` may be a function that opens it (see ``git.sync_git``). ``step(what)`` is told what is being
    done; ``cancelled()`` is asked while cancelling is safe (before anything is changed)."""
    if is_git_remote(target):
        from .git import sync_git

        if db_path is None or str(db_path) == ":memory:":
            raise InputError("a git sync keeps its working copy beside the database: give a database file")
        return sync_git(store, target, annotator, db_path, step, cancelled)
    folder = Path(target)
    if not folder.is_dir():
        raise InputError("no such folder (for a new shared folder, create it first; for a git remote, give its URL)",
                         target)
    return sync_place(store() if callable(store) else store, folder, annotator, key=str(folder.absolute()),
                      step=step, cancelled=cancelled)
