"""The command line and the database file (issue 9, sections 2 and 5): exports never write over a database, only
commands that make a corpus create one, and a wrong, newer, read-only or busy database gets a one-line message."""
import os
import sqlite3
import stat
import shutil
import subprocess
import sys
import tempfile
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from annotator.cli import main
from annotator.store import Store, schema
from tests.cli.conftest import Cli
from tests.conftest import DOCUMENTS, ROOT


def run(*args, db=None):
    prefix = ["--db", str(db)] if db is not None else []
    return CliRunner().invoke(main, [*prefix, *map(str, args)], catch_exceptions=False)


def one_line_error(result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [l for l in result.output.splitlines() if l.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    return lines[0]


def integrity_ok(path) -> bool:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()


@pytest.fixture
def corpus(cli):
    cli("import", DOCUMENTS)
    return cli


# -- section 2: exporting onto the database destroys it ----------------------------------------------------------

@pytest.mark.parametrize("extra", [[], ["--bundle"], ["--gold"], ["--format", "conll"], ["--format", "spacy"],
                                   ["--format", "brat"]])
def test_export_onto_the_database_is_refused(corpus, extra):
    before = corpus.stats()
    message = one_line_error(run("export", "-o", corpus.db, *extra, db=corpus.db))
    assert corpus.db in message and "database in use" in message and "Nothing was written" in message
    assert integrity_ok(corpus.db) and corpus.stats() == before


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
def test_export_onto_a_file_of_the_database_is_refused(corpus, suffix):
    message = one_line_error(run("export", "-o", corpus.db + suffix, db=corpus.db))
    assert "a file of the database in use" in message
    assert integrity_ok(corpus.db)


def test_export_onto_another_sqlite_file_is_refused(corpus, tmp_path):
    other = tmp_path / "teammate.sqlite"
    Store(other).close()
    size = other.stat().st_size
    message = one_line_error(run("export", "-o", other, db=corpus.db))
    assert "is an SQLite database" in message and other.stat().st_size == size and integrity_ok(other)


def test_import_of_the_database_itself_is_refused_without_opening_it(corpus, tmp_path):
    message = one_line_error(run("import", corpus.db, db=corpus.db))
    assert "the database in use" in message
    message = one_line_error(run("import", corpus.db + "-wal", db=corpus.db))
    assert "the database in use" in message


# -- section 5: the command line and the database file ------------------------------------------------------------

def test_an_empty_db_path_is_refused(tmp_path):
    message = one_line_error(run("import", DOCUMENTS, db=""))
    assert "--db" in message and "empty" in message


@pytest.mark.parametrize("command", [["stats"], ["export"], ["labels"], ["agreement"]])
def test_a_mistyped_db_is_not_created(tmp_path, command):
    missing = tmp_path / "sub" / "anotator.db"
    message = one_line_error(run(*command, db=missing))
    assert f"no database at {missing}" in message
    assert not missing.exists() and not missing.parent.exists()


@pytest.mark.parametrize("command", [["import", DOCUMENTS], ["labels", "add", "LOCATION"]])
def test_commands_that_make_a_corpus_create_the_database(tmp_path, command):
    new = tmp_path / "new" / "corpus.db"
    result = run(*command, db=new)
    assert result.exit_code == 0, result.output
    assert new.exists()


def test_a_file_that_is_not_a_database(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text("# not a database\n" * 100)
    message = one_line_error(run("stats", db=readme))
    assert str(readme) in message and "not an annotator database" in message
    assert readme.read_text() == "# not a database\n" * 100


def test_a_database_made_by_a_newer_version(corpus):
    conn = sqlite3.connect(corpus.db)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                 "VALUES ('annotator', 'm099_from_the_future', '2030-01-01')")
    conn.commit()
    conn.close()
    message = one_line_error(run("stats", db=corpus.db))
    ours = schema.migrations._migrations[-1].name  # the last migration this version knows
    assert "newer version" in message and "m099_from_the_future" in message and f"knows up to {ours}" in message


class Unprivileged:
    """Runs the command line as a user who may read the database but not write it: as ``nobody`` through
    setpriv when the tests run as root (root writes read-only files), else in this process after a chmod."""

    def __init__(self, tmp_path, *, folder_writable: bool):
        self.folder = tempfile.mkdtemp(prefix="ro-", dir="/tmp")
        self.db = os.path.join(self.folder, "corpus.db")
        Cli(self.db)("import", DOCUMENTS)  # closed on exit: -wal and -shm are gone
        self.root = os.geteuid() == 0
        self.folder_mode = 0o777 if folder_writable else 0o755
        if self.root:
            os.chmod(self.folder, self.folder_mode)
            os.chmod(self.db, 0o644)
        else:
            os.chmod(self.db, 0o444)
            if not folder_writable:
                os.chmod(self.folder, 0o555)

    def __call__(self, *args):
        if not self.root:
            return run(*args, db=self.db)
        proc = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable,
                               "-m", "annotator", "--db", self.db, *map(str, args)], cwd=self.folder,
                              env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True, text=True)
        return SimpleNamespace(exit_code=proc.returncode, output=proc.stdout + proc.stderr)

    def cleanup(self):
        os.chmod(self.folder, 0o755)
        shutil.rmtree(self.folder)


@pytest.mark.parametrize("folder_writable", [True, False], ids=["read-only file", "read-only folder"])
def test_a_read_only_database_reads_and_refuses_writes(tmp_path, folder_writable):
    ro = Unprivileged(tmp_path, folder_writable=folder_writable)
    try:
        stats = ro("stats", "--json")
        assert stats.exit_code == 0 and '"documents": 5' in stats.output, stats.output
        out = os.path.join(ro.folder if folder_writable else "/tmp", f"out-{os.getpid()}.jsonl")
        exported = ro("export", "-o", out)
        assert exported.exit_code == 0, exported.output
        assert len(open(out).read().splitlines()) == 5
        os.unlink(out)
        article = os.path.join("/tmp", f"new-article-{os.getpid()}.txt")
        with open(article, "w") as fh:
            fh.write("A new article about UNODC.\n")
        os.chmod(article, 0o644)
        for write in (["labels", "add", "LOCATION"], ["import", article]):
            message = one_line_error(ro(*write))
            assert ro.db in message and "read-only" in message
        os.unlink(article)
        assert sorted(os.listdir(ro.folder)) == ["corpus.db"]  # nothing left beside it
        assert integrity_ok(ro.db)
    finally:
        ro.cleanup()


def test_a_database_locked_by_another_writer(corpus, monkeypatch):
    monkeypatch.setenv("ANNOTATOR_BUSY_TIMEOUT", "0.3")
    holder = sqlite3.connect(corpus.db, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    try:
        message = one_line_error(run("labels", "add", "LOCATION", db=corpus.db))
        assert "busy" in message and "another program" in message
    finally:
        holder.rollback()
        holder.close()
    assert run("labels", "add", "LOCATION", db=corpus.db).exit_code == 0


@pytest.mark.parametrize("command", ["import", "merge"])
def test_a_file_size_limit_during_import_or_merge(corpus, tmp_path, command):
    """`ulimit -f` (or a full disk) while the rows go in: one line, and the database as it was."""
    import json
    import resource
    import signal

    big = tmp_path / "big.jsonl"
    big.write_text("".join(json.dumps({"text": f"Article {i} about UNODC and IOM. " * 40}) + "\n" for i in range(3000)))
    if command == "merge":
        teammate = tmp_path / "teammate.db"
        assert run("import", big, db=teammate).exit_code == 0
        source = teammate
    else:
        source = big
    before = corpus.stats()
    limit = os.path.getsize(corpus.db) + 400_000  # room for some of the rows, not all

    def limited():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG) instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    proc = subprocess.run([sys.executable, "-m", "annotator", "--db", corpus.db, command, str(source)],
                          cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True, text=True,
                          preexec_fn=limited, timeout=300)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = [l for l in proc.stderr.splitlines() if l.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "Traceback" not in proc.stderr, proc.stderr
    assert "disk" in lines[0] or "too large" in lines[0] or "size" in lines[0], lines[0]
    assert integrity_ok(corpus.db) and corpus.stats() == before


def test_a_read_only_folder_with_a_log_it_cannot_read_is_refused_not_read_short(tmp_path):
    """A -wal with committed work but no -shm, in a folder we cannot write: SQLite cannot read the log, and the
    database file alone lacks that work, so reading commands say so instead of showing less than it holds."""
    ro = Unprivileged(tmp_path, folder_writable=False)
    try:
        os.chmod(ro.folder, 0o755)
        writer = sqlite3.connect(ro.db)
        writer.execute("PRAGMA wal_autocheckpoint = 0")
        writer.execute("INSERT INTO labels (name, color) VALUES ('LATEST', '#000000')")
        writer.commit()
        # a writer killed with its work in the log: keep the -wal as it was before the close checkpoints it
        shutil.copy(ro.db + "-wal", ro.db + "-wal.saved")
        writer.close()
        os.replace(ro.db + "-wal.saved", ro.db + "-wal")
        if os.path.exists(ro.db + "-shm"):
            os.unlink(ro.db + "-shm")
        os.chmod(ro.db + "-wal", 0o644)
        if not ro.root:
            os.chmod(ro.folder, 0o555)
        message = one_line_error(ro("labels"))
        assert "-wal" in message and "cannot be read here" in message
    finally:
        ro.cleanup()
