"""The canonical export's relations and attribute values read in C (store/_export_links.c) against the same export
read through Python's sqlite3 (the path it falls back to): byte for byte, on random rows."""
from __future__ import annotations

import json
import sqlite3
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from annotator.core.model import Document, DocumentRecord, Span
from annotator.core.text import ID_LENGTH, sha256
from annotator.store import export_links
from annotator.store.bulk import ExportFilter, export_records, import_records
from annotator.store.relations import ATTRIBUTE_COLUMNS, RELATION_COLUMNS
from annotator.store.store import Store
from annotator.transfer import export_to

T0 = "2026-05-05T10:00:00.000000+00:00"
T1 = "2026-05-05T11:00:00.000000+00:00"
TEXTS = ("China will strengthen cooperation with IOM and UNODC, pledging US$7 billion. Ça coûte 😀.",
         "Japan and the IOM agreed on a plan worth €40 million.")
LABELS = ("COMMITMENT", "ORGANISATION", "FIGURE", "ORGANISATION", "FIGURE")
STRINGS = ["r", "é", "😀", 'a"b', "a\\b", "\x00\x01\x1f\x7f", "\n\r\t\b\f", "\u2028\u2029", "ONUDC’s", "", "z"]


def _store() -> Store:
    """Two documents of five spans each, of two reviewers (ana's and bob's), the second with a deleted span."""
    store = Store()
    records = []
    for n, text in enumerate(TEXTS):
        digest = sha256(text)
        d = Document(digest[:ID_LENGTH], text, f"t{n}", "f.txt", digest)
        spans = [Span(f"s{n}{i}", d.id, i * 3, i * 3 + 2, label, text[i * 3:i * 3 + 2], "ana" if i < 3 else "bob",
                      "", T0, T0, None) for i, label in enumerate(LABELS)]
        records.append(DocumentRecord(d, spans))
    import_records(store, records)
    store.conn.execute("UPDATE spans SET deleted = ? WHERE id = 's12'", (T1,))
    store.conn.commit()
    return store


STORE = _store()
DOC_IDS = [r[0] for r in STORE.conn.execute("SELECT id FROM documents ORDER BY id")]
SPAN_IDS = [f"s{n}{i}" for n in range(2) for i in range(5)] + ["gone"]


def _json_value(draw) -> str:
    """An attribute's stored JSON: the plain forms the follower reads and others it leaves to Python."""
    return draw(st.one_of(
        st.text(st.sampled_from("aé😀\"\\\n\x7f\u2028 "), max_size=4).map(lambda s: json.dumps(s, ensure_ascii=False)),
        st.text(st.sampled_from("aé"), max_size=3).map(json.dumps),  # \u00e9: an escape
        st.integers(-10**20, 10**20).map(json.dumps),
        st.floats(allow_nan=False, allow_infinity=False).map(json.dumps),
        st.sampled_from(["true", "false", "null", "1.50", "-0", "1e5", "1E+2", " 1", '"IOM"', '"UNODC"', "[1]"]),
    ))


@st.composite
def links(draw):
    relations, attributes = [], []
    for i in range(draw(st.one_of(st.integers(0, 8), st.just(40)))):  # 40: past the follower's insertion sort
        head, child = draw(st.lists(st.sampled_from(SPAN_IDS), min_size=2, max_size=2, unique=True))
        relations.append((f"{draw(st.sampled_from(STRINGS))}{i}", draw(st.sampled_from(DOC_IDS)), head, child,
                          draw(st.sampled_from(["ACTOR", "AMOUNT", "PARTNER"])), draw(st.sampled_from(["ana", "bob"])),
                          draw(st.sampled_from([T0, T1, "", "é"])), draw(st.sampled_from([T0, "x\u0007"])),
                          draw(st.sampled_from([None, None, None, T1]))))
    seen = set()
    for _ in range(draw(st.integers(0, 8))):
        key = (draw(st.sampled_from(SPAN_IDS)), draw(st.sampled_from(["unit", "value", "entity", "é", "a"])))
        if key in seen:
            continue
        seen.add(key)
        attributes.append((*key, draw(st.sampled_from(DOC_IDS)), _json_value(draw),
                           draw(st.sampled_from(["ana", "bob"])), draw(st.sampled_from([0, 1, 7, "yes"])),
                           draw(st.sampled_from([T0, T1, "é\n"])), draw(st.sampled_from([None, None, T1]))))
    return relations, attributes


def _put(relations, attributes) -> None:
    conn = STORE.conn
    conn.execute("DELETE FROM relations")
    conn.execute("DELETE FROM span_attributes")
    conn.executemany(f"INSERT INTO relations ({RELATION_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)", relations)
    conn.executemany("INSERT INTO span_attributes (span_id, name, doc_id, value, annotator, proposed, updated, "
                     "deleted) VALUES (?,?,?,?,?,?,?,?)", attributes)
    conn.commit()


def _export(folder: Path, flt: ExportFilter | None, compiled: bool) -> bytes:
    out = folder / f"{int(compiled)}.jsonl"
    with pytest.MonkeyPatch.context() as m:
        if not compiled:
            m.setattr(export_links, "_bound", False)
        export_to(STORE, out, fmt="jsonl", flt=flt)
    return out.read_bytes()


FILTERS = [None, ExportFilter(labels=("COMMITMENT", "FIGURE")), ExportFilter(annotators=("ana",)),
           ExportFilter(status="todo")]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(links(), st.sampled_from(FILTERS))
def test_the_compiled_reader_writes_the_bytes_of_the_python_reader(rows, flt):
    _put(*rows)
    with tempfile.TemporaryDirectory() as tmp:
        fast = _export(Path(tmp), flt, True)
        assert fast == _export(Path(tmp), flt, False)
    for line in fast.decode("utf-8").split("\n")[:-1]:  # a filtered export writes only relations between its spans
        obj = json.loads(line)
        written = {s["id"] for s in obj["spans"]}
        assert all(r["head"] in written and r["child"] in written for r in obj.get("relations", []))


def test_the_reader_is_used_here_and_hands_the_line_its_text():
    """On Linux (where CI runs) the follower binds to Python's own SQLite: the records carry JSON, not rows."""
    assert export_links.usable() or not sys.platform.startswith("linux"), \
        "store/_export_links.c was not built, or did not find the SQLite of Python's sqlite3 module"
    _put([("r1", DOC_IDS[0], "s00", "s01", "ACTOR", "ana", T0, T0, None),
          ("r0", DOC_IDS[0], "s00", "s02", "AMOUNT", "ana", T0, T0, None)],
         [("s02", "unit", DOC_IDS[0], '"USD"', "ana", 1, T0, None)])
    recs = list(export_records(STORE, ExportFilter(relation_rows=True)))
    first = next(r for r in recs if r.document.id == DOC_IDS[0])
    if export_links.usable():
        assert first.relation_rows is None and first.attributes == []
        assert [r["id"] for r in json.loads(first.relations_json)] == ["r0", "r1"]  # (created, id)
        assert first.attribute_values == {"s02": {"unit": {"value": "USD", "proposed": True, "updated": T0}}}


def test_a_document_whose_rows_are_not_plain_gets_them_as_python_reads_them():
    """A blob where text is stored, a proposed flag that is not a number: the follower hands that document's rows
    (all of them) as the tuples Python's sqlite3 makes, and the next document's as JSON again."""
    if not export_links.usable():
        assert not sys.platform.startswith("linux")
        return
    _put([], [])
    conn = STORE.conn
    conn.execute(f"INSERT INTO relations ({RELATION_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)",
                 ("r1", DOC_IDS[0], "s00", "s01", "ACTOR", "ana", T0, T0, None))
    conn.execute(f"INSERT INTO relations ({RELATION_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)",
                 (b"r\xff", DOC_IDS[0], "s00", "s02", "ACTOR", "ana", T0, T0, None))
    conn.execute(f"INSERT INTO relations ({RELATION_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)",
                 ("r3", DOC_IDS[1], "s10", "s11", "ACTOR", "ana", T0, T0, None))
    conn.execute(f"INSERT INTO span_attributes ({ATTRIBUTE_COLUMNS}) VALUES (?,?,?,?,?,?,?,?)",
                 ("s02", DOC_IDS[0], "unit", '"USD"', "ana", "yes", T0, None))
    conn.commit()
    ids = set(SPAN_IDS)
    relations = export_links.follower(conn, f"SELECT {RELATION_COLUMNS} FROM relations ORDER BY doc_id", (),
                                      export_links.RELATIONS)
    got = relations.take(DOC_IDS[0], ids)
    assert sorted(got, key=repr) == sorted(conn.execute(f"SELECT {RELATION_COLUMNS} FROM relations WHERE doc_id = ?",
                                                        (DOC_IDS[0],)).fetchall(), key=repr)
    assert json.loads(relations.take(DOC_IDS[1], ids))[0]["id"] == "r3"
    values = export_links.follower(conn, f"SELECT {ATTRIBUTE_COLUMNS} FROM span_attributes ORDER BY doc_id", (),
                                   export_links.ATTRIBUTES)
    assert values.take(DOC_IDS[0], ids) == [("s02", DOC_IDS[0], "unit", '"USD"', "ana", "yes", T0, None)]
    assert values.take(DOC_IDS[1], ids) == {}


def test_a_connection_it_does_not_know_is_read_through_python():
    class Mine(sqlite3.Connection):
        pass

    conn = sqlite3.connect(":memory:", factory=Mine)
    assert export_links.follower(conn, "SELECT 1", (), export_links.RELATIONS) is None
    conn.close()


def test_a_follower_whose_connection_was_closed_says_so(tmp_path):
    """Not a crash: the statement outlives the closed connection (SQLite keeps it until finalized) and the next
    document's rows are refused with SQLite's error class."""
    if not export_links.usable():
        assert not sys.platform.startswith("linux")
        return
    conn = sqlite3.connect(tmp_path / "x.db")
    conn.execute("CREATE TABLE t (id, doc_id, head, child, type, annotator, created, updated, deleted)")
    conn.executemany("INSERT INTO t VALUES (?,?,?,?,?,?,?,?,?)",
                     [(f"r{i}", f"d{i}", "a", "b", "T", "ana", T0, T0, None) for i in range(3)])
    conn.commit()
    first = export_links.follower(conn, "SELECT * FROM t ORDER BY doc_id", (), export_links.RELATIONS)
    assert json.loads(first.take("d1", [f"s{i}" for i in range(40)] + ["b", "a"]))[0]["id"] == "r1"
    del first
    follower = export_links.follower(conn, "SELECT * FROM t ORDER BY doc_id", (), export_links.RELATIONS)
    many = [f"s{i}" for i in range(40)]  # past the few ids looked for one by one: sorted and searched
    assert follower.take("d0", [*many, "b"]) == ""  # one end not written: nor is the relation
    conn.close()
    with pytest.raises(sqlite3.OperationalError, match="closed"):
        follower.take("d2", {"a", "b"})
    del follower
