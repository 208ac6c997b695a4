"""The hidden folder an export of a folder format is written into before it is moved into place
(``.NAME.XXXXXXXX.partial`` beside the target NAME), and the clean-up of those a killed export left.

A killed process (SIGKILL, a power cut) runs no clean-up, so its staging folder stays; the next export to the
same target removes it. A staging folder in use is never removed: its export holds an ``flock`` on the folder
for as long as it runs (the kernel drops the lock when the process dies, however it dies), and a folder younger
than a minute is left alone too (it may have been made a moment ago by an export that has not yet locked it).

The folder is made with ``os.mkdir``, so its mode follows the umask like any folder the user makes
(``tempfile.mkdtemp`` makes it 0700, and the renamed folder kept that: teammates and a brat server could not
read the export).
"""
from __future__ import annotations

import os
import re
import secrets
import shutil
import stat
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

try:
    import fcntl
except ImportError:  # Windows: no flock; there a staging folder is judged by its age alone
    fcntl = None  # type: ignore[assignment]

SUFFIX = ".partial"
GRACE_SECONDS = 60  # younger than this, a staging folder may be another export's that is not locked yet
NO_LOCK_AGE = 24 * 3600  # where there is no flock, a staging folder this old is surely dead
_TOKEN = re.compile(r"[A-Za-z0-9_]{8}")  # ours (hex) and tempfile.mkdtemp's, which earlier versions used


def _is_ours(name: str, target: Path) -> bool:
    head = f".{target.name}."
    return (name.startswith(head) and name.endswith(SUFFIX)
            and _TOKEN.fullmatch(name[len(head):-len(SUFFIX)]) is not None)


def _try_lock(path: Path) -> int | None:
    """A descriptor of the folder holding its exclusive lock, or None if another process holds it."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def remove_stale(target: Path) -> list[str]:
    """Remove the staging folders of ``target`` that killed exports left; return their names."""
    try:
        names = os.listdir(target.parent)
    except OSError:
        return []
    removed = []
    now = time.time()
    for name in sorted(n for n in names if _is_ours(n, target)):
        path = target.parent / name
        try:
            st = path.lstat()
            age = now - st.st_mtime
            if not stat.S_ISDIR(st.st_mode) or age < GRACE_SECONDS:
                continue
            if fcntl is None:
                if age >= NO_LOCK_AGE:
                    shutil.rmtree(path, ignore_errors=True)
                    removed.append(name)
                continue
            fd = _try_lock(path)
        except OSError:
            continue
        if fd is None:
            continue  # an export is writing it now
        try:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(name)
        finally:
            os.close(fd)
    return removed


@contextmanager
def staging_folder(target: Path) -> Iterator[Path]:
    """A new, locked staging folder beside ``target`` (its parent must exist); removed on the way out unless the
    caller has renamed it into place. Stale ones of the same target go first."""
    remove_stale(target)
    while True:
        path = target.parent / f".{target.name}.{secrets.token_hex(4)}{SUFFIX}"
        try:
            os.mkdir(path)  # 0777 less the umask
            break
        except FileExistsError:
            continue
    fd = None
    try:
        if fcntl is not None:
            fd = _try_lock(path)
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
        if fd is not None:
            os.close(fd)
