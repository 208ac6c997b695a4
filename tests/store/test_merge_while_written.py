"""A teammate's database that changes while it is merged: the merge must take one state of it, whole.

Its records (documents, spans, reviews) are read first, its relations and attribute values after, in SQL against
the database attached (store/merge_database_links.py). It used to be attached with ``immutable=1``: no lock, no
look at the -wal, no check that the file had changed since the records were read. A teammate who related a new
span and closed their window in between (closing folds the -wal into the file) gave a merge that read the
relation but not its span."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest

from annotator.curation import merge as curation_merge
from annotator.curation.merge import merge_paths
from annotator.store import Store
from annotator.store import merge as store_merge
from annotator.store.merge_database_links import attach, detach_all

from .test_merge import bundle_text, merge_text
from .test_merge_links import alice as alice  # noqa: F401 (the fixture)

ROOT = Path(__file__).resolve().parents[2]

# The teammate's window, in a process of its own: a new ORGANISATION span, made the PARTNER of the commitment,
# then the window closed (its -wal folded into the database file and removed, as every window's close does).
TEAMMATE = """
import sys
from annotator.store import Store
alice = Store(sys.argv[1])
d = next(d for d in alice.document_ids() if "UNODC" in alice.document(d).text)
text = alice.document(d).text
start = text.index("UNODC")
unodc = alice.add_span(d, start, start + 5, "ORGANISATION", "alice")
commitment = next(s for s in alice.spans(d) if s.label == "COMMITMENT")
alice.add_relation(d, commitment.id, unodc.id, "PARTNER")
alice.set_attribute(unodc.id, "entity", "UNODC")
alice.close()
"""


def _teammate_writes(path: str) -> None:
    done = subprocess.run([sys.executable, "-c", TEAMMATE, path], cwd=ROOT, capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=60)
    assert done.returncode == 0, done.stderr


def _alice_db(alice, folder) -> str:
    path = folder / "alice.db"
    db = Store(path)
    merge_text(db, bundle_text(alice))
    db.close()
    assert sorted(os.listdir(folder)) == ["alice.db"]  # closed: nobody has it open
    return str(path)


def test_a_relation_made_while_the_records_were_merged_comes_with_its_span(alice, tmp_path):
    folder = tmp_path / "alice"
    folder.mkdir()
    path = _alice_db(alice, folder)
    real_attach = store_merge.attach

    def attach_after_the_teammate_wrote(conn, attached, number):
        if not written:
            written.append(attached)
            _teammate_writes(attached)  # between the records' read and the links'
        return real_attach(conn, attached, number)

    written: list = []
    team = Store(":memory:")
    real_merge, merges = curation_merge._merge, []
    with mock.patch.object(store_merge, "attach", attach_after_the_teammate_wrote), \
            mock.patch.object(curation_merge, "_merge", lambda *a: merges.append(a) or real_merge(*a)):
        report = merge_paths(team, [path])
    assert written == [path] and len(merges) == 2  # rolled back, then merged again in one snapshot
    d = next(d for d in team.document_ids() if team.relations(d))
    # the database as the teammate left it, whole: the new span, its relation and its value
    assert sorted((r.type, team.span(r.child).text) for r in team.relations(d)) == [
        ("ACTOR", "IOM"), ("AMOUNT", "US$7 billion"), ("PARTNER", "UNODC")]
    as_left = Store(path, readonly=True)
    assert bundle_text(team) == bundle_text(as_left)
    as_left.close()
    assert report.spans_added == 4 and report.relations_added == 3
    assert sorted(os.listdir(folder)) == ["alice.db"]  # nothing of ours left beside it


def test_a_database_nobody_changes_is_merged_in_sql_and_left_as_it_was(alice, tmp_path):
    """The common case keeps its fast path: the links merged against the database attached, nothing left beside it,
    the file unchanged."""
    folder = tmp_path / "alice"
    folder.mkdir()
    path = _alice_db(alice, folder)
    before = os.stat(path)
    attached: list = []
    real_attach = store_merge.attach
    team = Store(":memory:")
    real_merge, merges = curation_merge._merge, []
    with mock.patch.object(store_merge, "attach", lambda *a: attached.append(a[1]) or real_attach(*a)), \
            mock.patch.object(curation_merge, "_merge", lambda *a: merges.append(a) or real_merge(*a)):
        report = merge_paths(team, [path])
    assert len(merges) == 1  # not taken for a change: no second merge
    assert attached == [path] and report.relations_added == 2 and report.attributes_added == 3
    assert bundle_text(team) == bundle_text(alice)
    after = os.stat(path)
    assert (after.st_mtime_ns, after.st_size) == (before.st_mtime_ns, before.st_size)
    assert sorted(os.listdir(folder)) == ["alice.db"]


def test_nothing_of_ours_can_write_the_teammates_database_while_it_is_attached(alice, tmp_path):
    """It is attached read-write when we may write it (so SQLite reads it through its locks and cleans up after):
    SQLite's authorizer refuses every change to it all the same."""
    folder = tmp_path / "alice"
    folder.mkdir()
    path = _alice_db(alice, folder)
    team = Store(":memory:")
    alias = attach(team.conn, path, 0)
    for statement in (f"DELETE FROM {alias}.relations", f"UPDATE {alias}.spans SET label = 'X'",
                      f"DROP TABLE {alias}.span_attributes", f"CREATE TABLE {alias}.mine (x)"):
        with pytest.raises(sqlite3.DatabaseError, match="not authorized"):
            team.conn.execute(statement)
    assert team.conn.execute(f"SELECT count(*) FROM {alias}.relations").fetchone() == (2,)
    team.conn.execute("CREATE TEMP TABLE ours (x)")  # our own tables are ours to write
    detach_all(team.conn)
    team.add_document("Still writable: the authorizer goes with the attached database.")
    assert sorted(os.listdir(folder)) == ["alice.db"]
