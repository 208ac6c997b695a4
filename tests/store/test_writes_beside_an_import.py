"""Issue 9, section 4: an import does not keep others from writing while it reads, and a write the database
refuses (busy, read-only) is a WriteFailed the window can show and retry, never a half-done action."""
import sqlite3
import time

import pytest

from annotator.core.errors import InputError, WriteFailed
from annotator.formats.common import make_record
from annotator.store import Store
from annotator.store.bulk import ImportAborted, import_records


def record(i: int, line: int | None = None):
    return make_record(f"Article {i} about UNODC and IOM.", [(14, 19, "ORGANISATION")], annotator="import",
                       line=line or i)


def test_a_reviewer_writes_while_an_import_reads_its_file(tmp_path):
    db = tmp_path / "c.db"
    Store(db).add_document("The article the reviewer is tagging, about UNODC.")
    importer, window = Store(db), Store(db)
    window.set_busy_timeout(0.1)
    doc = window.document_ids()[0]
    times = []

    def records():
        for i in range(5000):
            if i == 2500:  # halfway through the file, the reviewer presses a key
                began = time.perf_counter()
                window.add_span(doc, 44, 49, "ORGANISATION", "alice")
                times.append(time.perf_counter() - began)
            yield record(i)

    report = import_records(importer, records())
    assert report.documents_added == 5000 and report.spans_added == 5000
    assert times and times[0] < 0.1  # the key did not wait for the import
    after = Store(db)
    assert after.document_count() == 5001
    assert [s.annotator for s in after.spans(doc)] == ["alice"]


def test_an_import_that_fails_late_still_imports_nothing(tmp_path):
    db = tmp_path / "c.db"
    store = Store(db)

    def records():
        for i in range(4500):
            yield record(i)
        yield InputError("bad record", "f.jsonl", 4501)

    with pytest.raises(ImportAborted):
        import_records(store, records())
    assert store.document_count() == 0
    assert Store(db).document_count() == 0
    # the staging tables are gone with the import: a second import starts clean
    assert import_records(store, (record(i) for i in range(3))).documents_added == 3


def test_duplicates_within_a_file_and_in_the_database_are_counted_as_before(tmp_path):
    store = Store(tmp_path / "c.db")
    import_records(store, [record(1)])
    report = import_records(store, [record(1), record(2), record(2)])
    assert (report.documents_added, report.documents_present) == (1, 2)
    assert (report.spans_added, report.spans_present) == (1, 2)


def test_a_busy_database_is_a_write_failed_of_kind_busy_and_nothing_is_half_done(tmp_path):
    db = tmp_path / "c.db"
    window = Store(db)
    doc, _ = window.add_document("A text about UNODC.")
    window.set_busy_timeout(0.05)
    holder = sqlite3.connect(db)
    holder.execute("BEGIN IMMEDIATE")
    began = time.perf_counter()
    with pytest.raises(WriteFailed) as caught:
        window.add_span(doc.id, 13, 18, "ORGANISATION", "alice")
    assert time.perf_counter() - began < 0.5
    assert caught.value.kind == "busy" and "busy" in str(caught.value)
    holder.rollback()
    holder.close()
    assert window.spans(doc.id) == []
    assert window.add_span(doc.id, 13, 18, "ORGANISATION", "alice").text == "UNODC"  # the retry works


def test_a_read_only_database_refuses_writes_as_write_failed(tmp_path):
    db = tmp_path / "c.db"
    s = Store(db)
    doc, _ = s.add_document("A text about UNODC.")
    s.close()
    ro = Store(db, readonly=True)
    with pytest.raises(WriteFailed) as caught:
        ro.add_span(doc.id, 13, 18, "ORGANISATION", "alice")
    assert caught.value.kind == "readonly" and "read-only" in str(caught.value)
