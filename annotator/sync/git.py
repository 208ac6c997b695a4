"""Sync through a git remote, with the git command-line client (the user's own credentials, SSH configuration and
credential helpers work as they do for every other git command; a git library would bring its own).

The remote holds the shared place's layout (``layout``). A working copy of it is kept beside the database, in
``DATABASE.sync/NAME-HASH`` (one per remote). A sync:

1. clones or fetches the remote; if that fails (offline, unreachable, no access) it stops there: the database is
   untouched, and the message says what git said;
2. puts the working copy at the remote's branch exactly (what is mine in it is written again from my database in
   the next step, so nothing of mine is lost by dropping an unpushed commit);
3. merges the teammates' files and writes mine (``place.sync_place``);
4. commits and pushes. A push rejected because a teammate pushed first is retried once after steps 1 to 3; if it
   fails again, or the remote is gone by then, the merged work stays in the database and goes with the next sync.

No file is ever written by two reviewers, so git never has a conflict to resolve.

A sync holds a lock of its own on the working copy (``flock`` on a file beside it, which the system lets go of
when the process ends, however it ends). Holding it, no git command of ours can be at work there, so the lock
files a killed git leaves (``.git/index.lock``, ``.git/refs/.../main.lock``) are left-overs: they are removed, and
the sync goes on. Another sync of the same database at work is said plainly.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Callable

from ..core.errors import AnnotatorError
from ..store import Store
from .place import SyncReport, sync_place

try:
    import fcntl
except ImportError:  # Windows: no flock; two syncs of one database at once are the user's to avoid
    fcntl = None

DEFAULT_BRANCH = "main"


class Unreachable(AnnotatorError):
    """The remote could not be read: nothing was changed."""


class GitMissing(AnnotatorError):
    pass


def working_copy_of(db_path: str | Path, url: str) -> Path:
    """Where the working copy of ``url`` is kept: beside the database, named after the remote."""
    db = Path(db_path).absolute()
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", url).strip("-.")[-40:] or "remote"
    return db.with_name(db.name + ".sync") / f"{slug}-{hashlib.sha256(url.encode()).hexdigest()[:8]}"


def _git(args: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess:
    # never a prompt that nobody answers (a window has no terminal); the user's credential helper and SSH agent
    # still answer
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        # housekeeping (git gc --auto) in the foreground: a gc left running after the sync would hold locks that
        # the next sync, holding the working copy, takes for a killed git's
        return subprocess.run(["git", "-c", "gc.autoDetach=false", "-c", "maintenance.autoDetach=false", *args],
                              cwd=cwd, capture_output=True, text=True, env=env, timeout=600)
    except FileNotFoundError:
        raise GitMissing("git is not installed (or not on PATH): install it, or sync through a shared folder") from None
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(args, 1, "", "git took more than 10 minutes and was stopped")


def _said(p: subprocess.CompletedProcess) -> str:
    """git's last line of complaint, which is the one that says what went wrong."""
    lines = [ln.strip() for ln in (p.stderr or p.stdout or "").splitlines() if ln.strip()]
    lines = [ln for ln in lines if not ln.startswith("hint:")] or lines
    return lines[-1] if lines else f"git exited with {p.returncode}"


def _ok(p: subprocess.CompletedProcess, what: str) -> None:
    if p.returncode:
        raise AnnotatorError(f"{what}: {_said(p)}")


class Busy(AnnotatorError):
    """Another sync of this database with this remote is at work."""


@contextlib.contextmanager
def _working_copy_lock(wc: Path, first: bool):
    """Hold the working copy for this sync; then clear what killed syncs left in it."""
    wc.parent.mkdir(parents=True, exist_ok=True)
    lock_path = wc.with_name(f".{wc.name}.lock")
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise Busy(f"another sync of this database with this remote is at work ({wc}): wait for it to "
                           "end, then sync again") from None
        cleared = _clear_leftovers(wc)
        yield cleared
    finally:
        os.close(fd)
        if first and not (wc / ".git").is_dir():
            lock_path.unlink(missing_ok=True)  # a first sync that failed leaves nothing beside the database
            try:
                wc.parent.rmdir()
            except OSError:
                pass  # other working copies are in it


def _clear_leftovers(wc: Path) -> list[str]:
    """Lock files of git commands that were killed, and clones that never finished (we hold the working copy:
    nothing of ours is at work in it)."""
    cleared = []
    for p in wc.parent.glob(f".{wc.name}.cloning-*"):
        shutil.rmtree(p, ignore_errors=True)
    git_dir = wc / ".git"
    if git_dir.is_dir():
        for p in [*git_dir.glob("*.lock"), *(git_dir / "refs").rglob("*.lock")]:
            try:
                p.unlink()
                cleared.append(str(p.relative_to(wc)))
            except OSError:
                pass
    return cleared


def _fetch(url: str, wc: Path) -> None:
    if (wc / ".git").is_dir():
        p = _git(["fetch", "--quiet", "--prune", "origin"], wc)
    else:
        wc.parent.mkdir(parents=True, exist_ok=True)
        cloning = wc.with_name(f".{wc.name}.cloning-{os.getpid()}")
        shutil.rmtree(cloning, ignore_errors=True)
        p = _git(["clone", "--quiet", "--no-checkout", url, str(cloning)])
        if not p.returncode:
            os.replace(cloning, wc)  # only a whole clone takes the working copy's name
        else:
            shutil.rmtree(cloning, ignore_errors=True)
    if p.returncode:
        raise Unreachable(f"cannot reach {url}: {_said(p)} (nothing was changed; sync again when it can be reached)")


def _remote_branch(wc: Path) -> str | None:
    """The remote's branch to sync on: the one its HEAD names, else main or master, else None (an empty remote)."""
    p = _git(["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"], wc)
    if not p.returncode and p.stdout.strip().startswith("origin/"):
        return p.stdout.strip()[len("origin/"):]
    refs = _git(["for-each-ref", "--format=%(refname:short)", "refs/remotes/origin"], wc).stdout.split()
    names = [r[len("origin/"):] for r in refs if r.startswith("origin/") and r != "origin/HEAD"]
    for name in (DEFAULT_BRANCH, "master"):
        if name in names:
            return name
    return names[0] if names else None


def _take_remote(wc: Path) -> str:
    """Put the working copy at the remote's branch exactly (or empty, for an empty remote); the branch name."""
    branch = _remote_branch(wc)
    if branch is None:
        _ok(_git(["symbolic-ref", "HEAD", f"refs/heads/{DEFAULT_BRANCH}"], wc), "git")
        _git(["update-ref", "-d", f"refs/heads/{DEFAULT_BRANCH}"], wc)  # an unpushed commit: written again below
        _git(["read-tree", "--empty"], wc)
        branch = DEFAULT_BRANCH
    else:
        _ok(_git(["checkout", "--quiet", "--force", "-B", branch, f"origin/{branch}"], wc), "git checkout")
        _ok(_git(["reset", "--quiet", "--hard", f"origin/{branch}"], wc), "git reset")
    _ok(_git(["clean", "--quiet", "-d", "--force"], wc), "git clean")
    return branch


def _commit(wc: Path, annotator: str, report: SyncReport) -> bool:
    """Commit what this sync wrote; False if it wrote nothing."""
    _ok(_git(["add", "--all"], wc), "git add")
    if not _git(["diff", "--cached", "--quiet"], wc).returncode:
        return False
    who = []
    if not _git(["config", "user.email"], wc).stdout.strip():  # the user's own identity when git has one
        who = ["-c", f"user.name={annotator}", "-c", "user.email=annotator-sync@localhost"]
    message = f"{annotator}: sync" + (f" ({report.texts_written} new text(s))" if report.texts_written else "")
    _ok(_git([*who, "commit", "--quiet", "--no-verify", "-m", message], wc), "git commit")
    return True


def _rejected(p: subprocess.CompletedProcess) -> bool:
    """A teammate pushed first (or at the same moment: the remote could not lock the branch)."""
    text = p.stderr or ""
    return any(s in text for s in ("[rejected]", "non-fast-forward", "fetch first", "cannot lock ref"))


def sync_git(store: Store | Callable[[], Store], url: str, annotator: str, db_path: str | Path,
             step: Callable[[str], None] | None = None, cancelled: Callable[[], bool] | None = None) -> SyncReport:
    """``store`` may be a function that opens it: then it is opened only once the remote has answered, so that a
    first sync into a new database that cannot reach the remote makes no database file."""
    wc = working_copy_of(db_path, url)
    with _working_copy_lock(wc, first=not (wc / ".git").is_dir()) as cleared:
        report = _sync_git(store, url, annotator, wc, step or (lambda what: None), cancelled)
    if cleared:
        report.notes.append(f"removed {len(cleared)} lock file(s) a killed sync had left in {wc} "
                            f"({', '.join(cleared[:3])})")
    return report


def _sync_git(store, url: str, annotator: str, wc: Path, step, cancelled) -> SyncReport:
    total: SyncReport | None = None
    for attempt in (1, 2):
        step(f"fetching {url}")
        _fetch(url, wc)
        branch = _take_remote(wc)
        if callable(store):
            store = store()
        report = sync_place(store, wc, annotator, key=url, step=step, cancelled=cancelled)
        total = report if total is None else _add(total, report)
        total.place = f"{url} (working copy {wc})"
        if not _commit(wc, annotator, report):
            return total
        step(f"pushing to {url}")
        p = _git(["push", "--quiet", "origin", f"HEAD:refs/heads/{branch}"], wc)
        if not p.returncode:
            total.notes.append(f"pushed to {url} ({branch})")
            return total
        if not _rejected(p):
            total.notes.append(f"could not push to {url}: {_said(p)}; what came in is in your database, and your "
                               "work goes with the next sync")
            total.failed = True
            return total
        if attempt == 2:
            total.notes.append(f"{url} rejected the push twice (teammates pushing at the same time); your work goes "
                               "with the next sync")
            total.failed = True
    return total


def _add(a: SyncReport, b: SyncReport) -> SyncReport:
    b.merged = a.merged + b.merged
    b.refused = a.refused + [r for r in b.refused if r not in a.refused]
    b.texts_written += a.texts_written
    b.documents_added += a.documents_added
    b.waiting = b.waiting or a.waiting
    b.my_file_written = b.my_file_written or a.my_file_written
    b.notes = a.notes + b.notes
    return b
