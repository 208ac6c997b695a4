"""``annotator findings --format csv|jsonl -o DIR``: the tables as an analyst loads them."""
import csv
import json

import pytest

from annotator.findings.model import COLUMNS
from tests.findings.hostile import PUBLISHER, REVIEWER, TITLE, add_hostile
from tests.findings.tagging import DAWN, SEED_BALI, SEED_UNODC, UNODC_2011, import_bundled, tag



@pytest.fixture
def tagged_db(tmp_path):
    from annotator.store import Store

    path = tmp_path / "corpus.db"
    store = Store(path)
    ids = import_bundled(store)
    tag(store, ids)
    add_hostile(store)
    store.close()
    return path


def test_every_table_loads_in_pandas_with_its_header_and_the_rows_a_reader_expects(cli_on, tagged_db, tmp_path):
    # imported here, not when the tests are collected: the whole run's process would carry pandas from the start
    pandas = pytest.importorskip("pandas", reason="pandas is in the test extras; without it the csv test reads them")
    out = tmp_path / "tables"
    result = cli_on(tagged_db)("findings", "--format", "csv", "-o", out)
    assert "5 table(s) written" in result.output and "6 commitment(s)" in result.output
    frames = {t: pandas.read_csv(out / f"{t}.csv", encoding="utf-8", keep_default_na=False) for t in COLUMNS}
    for table, frame in frames.items():
        assert list(frame.columns) == COLUMNS[table]
    commitments = frames["commitments"]
    assert len(commitments) == 6
    unodc = commitments[commitments.date == UNODC_2011].iloc[0]
    assert unodc.organisations_nearby == f"{SEED_UNODC}; {SEED_BALI}"
    assert unodc.organisations_by == "inferred by proximity"
    hostile = commitments[commitments.reviewer == REVIEWER].iloc[0]
    assert (hostile.title, hostile.publisher) == (TITLE, PUBLISHER)  # kept as written, nothing escaped in a CSV
    orgs = frames["organisations"].set_index("organisation")
    assert orgs.loc[SEED_UNODC, "mentions"] == 3 and orgs.loc[SEED_UNODC, "last_date"] == DAWN
    assert orgs.loc[SEED_UNODC, "entity"] == "UNODC"
    assert set(frames["figures"].figure) >= {"US$7 billion", "2.4 million people", "US$5 <million>"}
    coverage = frames["coverage"].set_index("what")
    assert coverage.loc["documents in the corpus", "value"] == "6"  # a column of numbers and the filters' words
    assert coverage.loc["filter: Dates", "value"] == "any to any"


def test_the_same_database_gives_the_same_files(cli_on, tagged_db, tmp_path):
    cli = cli_on(tagged_db)
    cli("findings", "-o", tmp_path / "a")
    cli("findings", "-o", tmp_path / "b")
    for table in COLUMNS:
        assert (tmp_path / "a" / f"{table}.csv").read_bytes() == (tmp_path / "b" / f"{table}.csv").read_bytes()


def test_jsonl_has_one_object_a_row_keys_in_column_order_lists_as_lists(cli_on, tagged_db, tmp_path):
    cli_on(tagged_db)("findings", "--format", "jsonl", "-o", tmp_path / "j", "--since", "2011", "--until", "2011")
    lines = (tmp_path / "j" / "commitments.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    row = json.loads(lines[0])
    assert list(row) == COLUMNS["commitments"] and row["organisations_nearby"] == [SEED_UNODC, SEED_BALI]


def test_csv_module_reads_them_too(cli_on, tagged_db, tmp_path):
    cli_on(tagged_db)("findings", "-o", tmp_path / "c", "--organisation", "UNODC")
    with open(tmp_path / "c" / "commitments.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["date"] for r in rows] == [UNODC_2011]


def test_a_refused_output_writes_nothing_and_says_why_in_one_line(cli_on, tagged_db, tmp_path):
    cli = cli_on(tagged_db)
    a_file = tmp_path / "taken"
    a_file.write_text("mine")
    result = cli("findings", "-o", a_file, ok=False)
    assert "is a file: the tables go into a folder" in result.output and "Traceback" not in result.output
    assert a_file.read_text() == "mine"
    result = cli("findings", "-o", tmp_path / "x", "--since", "April", ok=False)
    assert "--since 'April' is not a date" in result.output and not (tmp_path / "x").exists()
    result = cli("findings", "--format", "html", "-o", tmp_path, ok=False)
    assert "is a folder: the report is one file" in result.output
    result = cli("findings", "-o", tmp_path / "y", "--reviewer", "Alice", ok=False)
    assert "unknown annotator 'Alice'; did you mean 'alice'?" in result.output and not (tmp_path / "y").exists()


def test_a_failed_write_leaves_no_table_behind(tagged_db, tmp_path, monkeypatch):
    from annotator.findings import counts, files
    from annotator.store import Store

    store = Store(tagged_db)
    out = tmp_path / "half"

    def broken(*a, **k):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(counts.OrgTally, "finish", broken)
    with pytest.raises(Exception, match="No space left on device"):
        files.write(store, out, "csv")
    assert list(out.iterdir()) == []
    monkeypatch.setattr(files, "SPLIT_AT", 2)  # and when a second process wrote the second half
    with pytest.raises(Exception, match="No space left on device"):
        files.write(store, out, "csv")
    assert list(out.iterdir()) == []
    store.close()


def test_the_rows_written_are_the_rows_the_window_and_the_report_show():
    """The pass hands the writers each row as its columns' values, and keeps the first ones as objects for the window
    and the report: both say the same."""
    from annotator.findings import compute, rows
    from annotator.store import Store
    from tests.findings.tagging import link

    store = Store(":memory:")
    link(store, tag(store, import_bundled(store)))
    add_hostile(store)
    commitments, figures = [], []
    found = compute(store, on_commitment=commitments.append, on_figure=figures.append)
    assert len(commitments) == 6 and len(figures) == 6
    assert commitments == [rows.commitment(c) for c in found.commitments]
    assert figures == [rows.figure(f) for f in found.figures]


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_a_large_corpus_is_written_by_two_processes_into_the_same_tables(tagged_db, tmp_path, monkeypatch, fmt):
    """A corpus past files.SPLIT_AT documents has its second half (by id) done by a second process: the tables are
    the same, byte for byte, as one process writes."""
    from annotator.findings import files
    from annotator.store import Store

    store = Store(tagged_db, readonly=True)
    one, _ = files.write(store, tmp_path / "one", fmt)
    monkeypatch.setattr(files, "SPLIT_AT", 2)
    seen = []
    two, written = files.write(store, tmp_path / "two", fmt, progress=lambda done, total: seen.append((done, total)))
    store.close()
    assert (one.processes, two.processes) == (1, 2)
    assert seen[-1] == (6, 6) and all(done <= total for done, total in seen)
    for path in written:
        assert path.read_bytes() == (tmp_path / "one" / path.name).read_bytes(), path.name
    assert not [p for p in (tmp_path / "two").iterdir() if p.name.startswith(".")]  # no part left behind


def test_a_commit_while_two_processes_read_never_mixes_two_states_of_the_database(tagged_db, tmp_path, monkeypatch):
    """Each half reads its own snapshot: a reviewer's commit after the first half began and before the second did
    would give tables with the second half's new state and the first half's old one. The tables are read again in
    one snapshot instead: they are those of the database after the commit."""
    from annotator.findings import files
    from annotator.store import Store
    from annotator.store import findings_queries as queries

    store = Store(tagged_db)  # as the command opens it (a read-only open of a closed database is immutable)
    first, last = store.document_ids()[0], store.document_ids()[-1]
    entity_names, wrote = queries.entity_names, []

    def read_then_someone_commits(s):  # the first read inside this process's snapshot; the spawned half is
        names = entity_names(s)        # still starting Python then (about a second), so it reads after the commit
        if not wrote:
            other = Store(tagged_db)
            with other.transaction():  # one commitment more in each half, in one transaction
                for doc_id in (first, last):
                    text = other.document_text(doc_id)
                    other.add_span(doc_id, 0, text.index(" ", 20), "COMMITMENT", "carol")
            other.close()
            wrote.append(True)
        return names

    monkeypatch.setattr(queries, "entity_names", read_then_someone_commits)
    monkeypatch.setattr(files, "SPLIT_AT", 2)
    two, written = files.write(store, tmp_path / "two", "csv")
    monkeypatch.setattr(files, "SPLIT_AT", 10**9)
    after, _ = files.write(store, tmp_path / "after", "csv")
    store.close()
    assert wrote
    for path in written:
        assert path.read_bytes() == (tmp_path / "after" / path.name).read_bytes(), path.name
    assert two.processes == 1  # read again in one process
    carol = [r for r in csv.DictReader((tmp_path / "two" / "commitments.csv").open(encoding="utf-8"))
             if r["reviewer"] == "carol"]
    assert len(carol) == 2
