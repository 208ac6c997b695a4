"""Schema m009: the relations' and attribute values' keys are unique indexes of their own and a relation has one
index beside its key, (doc_id, head, child). Every statement the window runs to find a span's relations (select a
span, relate two, delete a span and undo it) and curation's taking into gold must still find them in an index, and
an old database upgrades with its work and its keys as unique as before."""
from __future__ import annotations

import sqlite3

import pytest
from sqlite_utils import Database

from annotator.store import Store, gold, schema

from .test_relations import tagged as tagged  # noqa: F401 (the fixture)


def _plans(store: Store, action) -> dict[str, list[str]]:
    """The query plan of each statement ``action`` runs that reads or writes the reviewers' relations."""
    seen: list[str] = []
    store.conn.set_trace_callback(seen.append)
    try:
        action()
    finally:
        store.conn.set_trace_callback(None)
    out = {}
    for sql in seen:
        words = sql.replace("(", " ").replace(",", " ").split()
        if "relations" in words and sql.lstrip().upper().startswith(("SELECT", "UPDATE")):
            out[sql] = [r[3] for r in store.conn.execute("EXPLAIN QUERY PLAN " + sql)]
    return out


def _full_scans(plans: dict[str, list[str]]) -> list[str]:
    return [f"{sql}: {line}" for sql, lines in plans.items() for line in lines
            if line.startswith(("SCAN relations", "SCAN r ")) or line in ("SCAN r", "SCAN relations")]


@pytest.fixture
def related(tagged):
    store, doc, commitment, iom, _, money = tagged
    store.add_relation(doc.id, commitment.id, money.id, "AMOUNT")
    return store, doc, commitment, iom, money


def test_the_window_finds_a_span_s_relations_in_the_index_whatever_it_does(related):
    store, doc, commitment, iom, money = related

    def work():
        store.relations(doc.id, span_id=iom.id)  # selecting a span: its relations, as head or child
        store.relations(doc.id, span_id=money.id)
        store.add_relation(doc.id, commitment.id, iom.id, "ACTOR")  # refused twice: looked up first
        store.delete_span(iom.id)  # its relations go with it
        store.restore_span(iom.id)  # undo: they come back

    plans = _plans(store, work)
    assert not _full_scans(plans), _full_scans(plans)
    window = next(lines for sql, lines in plans.items() if "UNION ALL" in sql and "SELECT id, doc_id" in sql)
    # head and child are read in the index; only the span's own relations are read as rows
    assert any("USING COVERING INDEX relations_by_document (doc_id=? AND head=?)" in line for line in window), window
    assert any("USING COVERING INDEX relations_by_document (doc_id=?)" in line for line in window), window
    assert [r.type for r in store.relations(doc.id, span_id=iom.id)] == ["ACTOR"]
    assert [r.type for r in store.relations(doc.id, span_id=money.id)] == ["AMOUNT"]


def test_taking_spans_into_gold_finds_their_relations_in_the_index(related):
    store, doc, commitment, iom, money = related
    store.add_relation(doc.id, commitment.id, iom.id, "ACTOR")

    def work():
        gold.take(store, doc.id, commitment.start, commitment.end, "COMMITMENT", "carol", [commitment.id])
        gold.take(store, doc.id, iom.start, iom.end, "ORGANISATION", "carol", [iom.id])

    plans = _plans(store, work)
    assert plans and not _full_scans(plans), _full_scans(plans)
    assert [r.type for r in gold.gold_links.relations(store, doc.id)] == ["ACTOR"]


def test_a_database_of_the_schema_before_m009_upgrades_with_its_relations_values_and_keys(tmp_path):
    path = tmp_path / "old.db"
    db = Database(path)
    schema.upgrade(db, stop_before="m009_relation_and_value_keys_as_indexes")
    db.conn.executemany("INSERT INTO labels (name, color) VALUES (?, '#E69F00')",
                        [("COMMITMENT",), ("ORGANISATION",), ("FIGURE",)])
    db.execute("INSERT INTO relation_types (name, head_label, child_label) VALUES ('ACTOR', 'COMMITMENT', "
               "'ORGANISATION')")
    db.execute("INSERT INTO attribute_defs (label, name, type) VALUES ('FIGURE', 'unit', 'text')")
    db.execute("INSERT INTO documents VALUES ('d1', 't', 'IOM pledged 7', NULL, 'x', '{}', 'now')")
    t = "2026-01-01T00:00:00.000000+00:00"
    db.conn.executemany("INSERT INTO spans VALUES (?, 'd1', ?, ?, ?, ?, 'ana', '', ?, ?, NULL)",
                        [("c1", 0, 11, "COMMITMENT", "IOM pledged", t, t), ("o1", 0, 3, "ORGANISATION", "IOM", t, t),
                         ("f1", 12, 13, "FIGURE", "7", t, t)])
    db.execute("INSERT INTO relations VALUES ('r1', 'd1', 'c1', 'o1', 'ACTOR', 'ana', ?, ?, NULL)", (t, t))
    db.execute("INSERT INTO span_attributes VALUES ('f1', 'd1', 'unit', '\"USD\"', 'ana', 1, ?, NULL)", (t,))
    db.conn.commit()
    db.close()

    store = Store(path)
    assert [(r.id, r.head, r.child) for r in store.relations("d1", span_id="o1")] == [("r1", "c1", "o1")]
    assert store.attribute("f1", "unit").value == "USD" and store.attribute("f1", "unit").proposed
    indexes = {r[0]: r[1] for r in store.conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('relations', 'span_attributes')")}
    new = {r[0]: r[1] for r in Store().conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('relations', 'span_attributes')")}
    assert indexes == new and set(new) == {"relations_by_id", "relations_by_document", "span_attributes_by_span",
                                           "span_attributes_by_document"}
    # the keys are as unique as the primary keys were
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        store.conn.execute("INSERT INTO relations VALUES ('r1', 'd1', 'o1', 'c1', 'ACTOR', 'ana', ?, ?, NULL)", (t, t))
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        store.conn.execute("INSERT INTO span_attributes VALUES ('f1', 'd1', 'unit', '\"EUR\"', 'ana', 0, ?, NULL)",
                           (t,))
    store.set_attribute("f1", "unit", "EUR")  # a new value replaces the old, as with the primary key
    assert store.attribute("f1", "unit").value == "EUR"
    assert store.conn.execute("SELECT count(*) FROM span_attributes").fetchone()[0] == 1
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
