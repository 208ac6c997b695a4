"""A read-only Store (findings' second process, a reading command, a teammate's database read for a merge) while
another process writes the database: it must see what was committed, never a stale or torn database.

It used to open a database nobody had open (no -wal file) with SQLite's ``immutable=1``: no locks, no check that
the file changed. A writer that came after made the -wal, checkpointed into the file, and the reader went on
showing the database as it was when opened (or pages of two states: "database disk image is malformed")."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.core.errors import AnnotatorError
from annotator.store import Store

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = 120

WRITER = """
import sys
from annotator.store import Store
writer = Store(sys.argv[1])
writer.conn.execute("PRAGMA wal_autocheckpoint = 8")  # checkpoints into the database file while the reader reads
print("open", flush=True)
sys.stdin.readline()
for i in range(int(sys.argv[2])):
    writer.add_document(f"Article {i}: UNODC and IOM pledge US$ {i} million. " * 30)
writer.close()
"""


@pytest.fixture
def closed_db(tmp_path):
    """A database in WAL mode that nobody has open: no -wal or -shm beside it."""
    path = tmp_path / "corpus.db"
    store = Store(path)
    store.add_document("The first article, about UNODC. " * 30)
    store.close()
    assert sorted(os.listdir(tmp_path)) == ["corpus.db"]
    return path


def test_a_read_only_store_sees_what_another_process_writes(closed_db):
    reader = Store(closed_db, readonly=True)
    assert reader.document_count() == 1
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(closed_db), str(ARTICLES)], cwd=ROOT,
                              env=dict(os.environ, PYTHONPATH=str(ROOT)), stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline().strip() == "open"
        writer.stdin.write("go\n")
        writer.stdin.flush()
        counts = []
        while writer.poll() is None:
            n = reader.document_count()
            texts = [reader.document(d).text for d in reader.document_ids()]  # every page of every article
            assert len(texts) >= n and all(t.count("UNODC") == 30 for t in texts)
            counts.append(n)
        assert writer.returncode == 0
    finally:
        if writer.poll() is None:
            writer.kill()
        writer.wait()
    assert counts == sorted(counts)  # never back to an older state
    assert reader.document_count() == 1 + ARTICLES  # all that was committed, not the database as it was opened
    with pytest.raises(AnnotatorError, match="read-only"):
        reader.add_document("A reader does not write.")
    reader.close()
    assert sorted(os.listdir(closed_db.parent)) == ["corpus.db"]  # nothing left beside it


def test_a_read_only_store_opened_while_another_writes_leaves_the_writers_files(closed_db):
    """The writer's -wal and -shm are its own: a reader that closes first takes nothing away from under it."""
    writer = Store(closed_db)
    writer.add_document("A second article, about IOM. " * 30)
    reader = Store(closed_db, readonly=True)
    assert reader.document_count() == 2
    writer.add_document("A third article, about WFP. " * 30)
    assert reader.document_count() == 3
    reader.close()
    assert sorted(os.listdir(closed_db.parent)) == ["corpus.db", "corpus.db-shm", "corpus.db-wal"]
    writer.add_document("A fourth article. " * 30)
    writer.close()
    assert Store(closed_db, readonly=True).document_count() == 4
