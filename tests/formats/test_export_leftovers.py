"""What a killed export leaves is cleaned by the next export to the same place, and export folders follow the
umask (issue 9, section 5)."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
import time

import pytest

from annotator import formats
from annotator.store import Store
from annotator.store.bulk import export_records

fcntl = pytest.importorskip("fcntl")  # POSIX: how a live export's folder is told from a dead one's


@pytest.fixture
def corpus(tmp_path):
    store = Store(tmp_path / "c.db")
    for i in range(12):
        d = store.add_document(f"Article {i}: the UNODC met IOM in Bali.")[0].id
        store.add_span(d, len(f"Article {i}: the "), len(f"Article {i}: the UNODC"), "ORGANISATION", "alice")
    yield store
    store.close()


def export(store, fmt, out):
    return formats.write_to(formats.get(fmt), export_records(store), out, formats.Options())


def hidden(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


KILLED_EXPORT = """
import os, signal, sys
from annotator import formats
from annotator.store import Store
from annotator.store.bulk import export_records
store = Store(sys.argv[1])
def records():
    for n, rec in enumerate(export_records(store)):
        if n == 6:
            os.kill(os.getpid(), signal.SIGKILL)  # as the system kills a process: no finally, no clean-up
        yield rec
formats.write_to(formats.get(sys.argv[2]), records(), sys.argv[3], formats.Options())
"""


@pytest.mark.parametrize("fmt, out", [("brat", "brat-out"), ("spacy-shards", "shards"), ("jsonl", "out.jsonl")])
def test_what_a_killed_export_leaves_goes_with_the_next_export_there(corpus, tmp_path, fmt, out):
    exports = tmp_path / "exports"
    exports.mkdir()
    killed = subprocess.run([sys.executable, "-c", KILLED_EXPORT, corpus.path, fmt, str(exports / out)])
    assert killed.returncode == -9
    left = sorted(os.listdir(exports))
    assert left and all(name.endswith(".partial") for name in left)  # the reported leftovers
    old = time.time() - 3600
    for name in left:
        os.utime(exports / name, (old, old))
    assert export(corpus, fmt, exports / out) == 12
    assert sorted(os.listdir(exports)) == [out]


def test_only_dead_exports_of_that_target_are_removed(corpus, tmp_path):
    target = tmp_path / "brat"
    old = time.time() - 3600
    names = {
        "dead": ".brat.k2j4_x9q.partial",      # a killed export's (tempfile's naming, before this change)
        "dead2": ".brat.0a1b2c3d.partial",     # a killed export's
        "live": ".brat.5e6f7a8b.partial",      # an export running now, in another window
        "fresh": ".brat.9c8d7e6f.partial",     # just made by an export that has not locked it yet
        "other": ".brat2.0a1b2c3d.partial",    # another target's
        "user": ".brat.notes.partial",         # not our naming
    }
    for key, name in names.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "x.ann").write_text("x")
        if key != "fresh":
            os.utime(tmp_path / name, (old, old))
    live = os.open(tmp_path / names["live"], os.O_RDONLY)
    fcntl.flock(live, fcntl.LOCK_EX | fcntl.LOCK_NB)
    try:
        export(corpus, "brat", target)
    finally:
        os.close(live)
    kept = {k for k, name in names.items() if (tmp_path / name).exists()}
    assert kept == {"live", "fresh", "other", "user"}


@pytest.mark.parametrize("fmt", ["brat", "text", "spacy-shards"])
@pytest.mark.parametrize("umask", [0o022, 0o002])
def test_export_folders_follow_the_umask(corpus, tmp_path, fmt, umask):
    previous = os.umask(umask)
    try:
        export(corpus, fmt, tmp_path / "out")
    finally:
        os.umask(previous)
    folder_mode = stat.S_IMODE((tmp_path / "out").stat().st_mode)
    assert folder_mode == 0o777 & ~umask
    file_modes = {stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "out").iterdir()}
    assert file_modes == {0o666 & ~umask}
