"""A ``kill -9`` during ``annotator sync`` leaves the database as it was before the sync or as it is after it, and
the shared place readable; the next sync recovers, including from the lock files a killed git leaves (issue 17).

A sync runs in a subprocess (the command as a reviewer runs it) that stops at a chosen moment; its whole process
group (git included) is then killed with SIGKILL. The moments: in the middle of the merge's transaction, with a
temporary file written but not renamed, before the push; and, through a git hook that stops git itself while it
holds its locks, in the middle of a git command.
"""
from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotator.store import Store
from annotator.sync import git as sync_git
from annotator.sync import sync
from tests.conftest import ROOT
from tests.sync.test_convergence import canonical_bytes

A = "The UNODC met IOM in Bali.\nThey pledged US$7 billion to fight smuggling."
B = "Ministers of 45 countries agreed to share data on trafficking routes by 2027."
C = "The Bali Process met in 2025 and 12 states signed a declaration on smuggling."

# The sync in a subprocess, stopped at a moment: it says so in a marker file and sleeps until it is killed.
DRIVER = r"""
import os, sys, time
from pathlib import Path
marker, point = Path(sys.argv[1]), sys.argv[2]

def stop():
    marker.write_text("stopped")
    time.sleep(120)

from annotator.sync import git as sync_git, place
if point == "merging":  # inside the one transaction, a teammate's file merged, the next not yet
    real_merge = place.merge_records
    def merge(*args, **kwargs):
        report = real_merge(*args, **kwargs)
        stop()
        return report
    place.merge_records = merge
elif point == "renaming":  # my file written under its temporary name, not yet renamed
    real_replace = os.replace
    def replace(src, dst, *args, **kwargs):
        if str(dst).endswith(".jsonl"):
            stop()
        return real_replace(src, dst, *args, **kwargs)
    os.replace = replace
elif point == "pushing":  # committed in the working copy, not pushed
    real_git = sync_git._git
    def git(args, cwd=None):
        if args[:1] == ["push"]:
            stop()
        return real_git(args, cwd)
    sync_git._git = git
from annotator.cli import main
main(sys.argv[3:], prog_name="annotator")
"""

# git itself stopped while it holds its locks: the reference-transaction hook runs with the ref locks taken
HOOK = """#!/bin/sh
[ "$1" = prepared ] || exit 0
grep -q "$KILL_AT_REF" || exit 0
echo stopped > "$KILL_MARKER"
sleep 120
"""


def add_spans(db: Path, annotator: str, texts: list[str], n: int) -> None:
    s = Store(db)
    for t in texts:
        s.add_document(t)
    for i, d in enumerate(sorted(s.document_ids())):
        for k in range(n):
            s.add_span(d, k * 4, k * 4 + 3, "ORGANISATION", annotator)
    s.close()


def export(db: Path) -> str:
    s = Store(db)
    try:
        assert s.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return canonical_bytes(s)
    finally:
        s.close()


def run_sync(db: Path, target: str, name: str):
    s = Store(db)
    try:
        return sync(s, target, name, db_path=db)
    finally:
        s.close()


def killed_sync(tmp: Path, db: Path, target: str, name: str, point: str, env: dict | None = None) -> None:
    marker = tmp / f"stopped-{point}"
    marker.unlink(missing_ok=True)
    proc = subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(marker), point, "--db", str(db), "sync", target, "--annotator", name],
        cwd=ROOT, env={**os.environ, "KILL_MARKER": str(marker), **(env or {})}, start_new_session=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert proc.poll() is None, f"the sync ended before {point}: {proc.communicate()[0]}"
        assert time.monotonic() < deadline, f"the sync never reached {point}"
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(10)


def team(tmp: Path, target: str) -> tuple[Path, Path]:
    """alice and bob have synced once; since then each has new work: bob has synced his, alice not yet."""
    alice, bob = tmp / "alice.db", tmp / "bob.db"
    add_spans(alice, "alice", [A, B], 2)
    add_spans(bob, "bob", [C], 2)
    for db, name in ((alice, "alice"), (bob, "bob"), (alice, "alice")):
        assert not run_sync(db, target, name).refused
    add_spans(alice, "alice", [], 3)
    add_spans(bob, "bob", [B], 3)
    assert not run_sync(bob, target, "bob").refused
    return alice, bob


def check_after_kill(tmp: Path, alice: Path, bob: Path, target: str, before: str, point: str) -> list[str]:
    killed = export(alice)
    # the shared place is readable: a newcomer takes everything in it, nothing refused
    newcomer = run_sync(tmp / f"newcomer-{point}.db", target, "carol")
    assert not newcomer.refused and not newcomer.waiting and not newcomer.failed, newcomer.lines()
    # the next sync recovers
    again = run_sync(alice, target, "alice")
    assert not again.refused and not again.failed, again.lines()
    after = export(alice)
    assert killed in (before, after), f"killed at {point}: the database is neither as before nor as after the sync"
    if point == "merging":
        assert killed == before  # the merge had not been committed
    run_sync(bob, target, "bob")
    assert export(bob) == after  # and the team converges
    return again.notes


@pytest.mark.parametrize("point", ["merging", "renaming"])
def test_a_sync_to_a_folder_killed_midway(tmp_path, point):
    shared = tmp_path / "shared"
    shared.mkdir()
    alice, bob = team(tmp_path, str(shared))
    before = export(alice)
    killed_sync(tmp_path, alice, str(shared), "alice", point)
    if point == "renaming":  # a hidden temporary file is all that is left of the write
        assert [p.name for p in (shared / "reviewers").iterdir() if p.name.startswith(".")]
    check_after_kill(tmp_path, alice, bob, str(shared), before, point)


# (the merge's transaction is the same through git as through a folder: tested above)
@pytest.mark.parametrize("point,ref", [("pushing", None), ("git checkout", "refs/heads/")])
def test_a_sync_through_git_killed_midway(tmp_path, point, ref):
    remote = tmp_path / "team.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
    alice, bob = team(tmp_path, str(remote))
    before = export(alice)
    if ref:
        wc = sync_git.working_copy_of(alice, str(remote))
        hooks = tmp_path / "hooks"
        hooks.mkdir()
        (hooks / "reference-transaction").write_text(HOOK)
        (hooks / "reference-transaction").chmod(0o755)
        subprocess.run(["git", "-C", str(wc), "config", "core.hooksPath", str(hooks)], check=True)
        killed_sync(tmp_path, alice, str(remote), "alice", "hook", {"KILL_AT_REF": ref})
        left = sorted(p.name for p in (wc / ".git").rglob("*.lock"))
        assert left == ["HEAD.lock", "main.lock"], "git was killed without leaving its locks: the test no longer tests"
        subprocess.run(["git", "-C", str(wc), "config", "--unset", "core.hooksPath"], check=True)
        # and the index lock a git killed in "git add" or "git commit" leaves (the hook cannot stop git there)
        (wc / ".git" / "index.lock").write_bytes(b"DIRC")
    else:
        killed_sync(tmp_path, alice, str(remote), "alice", point)
    notes = check_after_kill(tmp_path, alice, bob, str(remote), before, point)
    if ref:  # the recovery says what it removed
        assert any("removed 3 lock file(s) a killed sync had left" in n and ".git/index.lock" in n for n in notes), notes


def test_a_second_sync_of_the_same_database_at_once_is_told_plainly(tmp_path):
    remote = tmp_path / "team.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
    alice = tmp_path / "alice.db"
    add_spans(alice, "alice", [A], 1)
    wc = sync_git.working_copy_of(alice, str(remote))
    wc.parent.mkdir()
    with open(wc.with_name(f".{wc.name}.lock"), "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(sync_git.Busy, match="another sync of this database with this remote is at work"):
            run_sync(alice, str(remote), "alice")

