"""Relations and attribute values through the store's bulk import and export (issue 14, store side)."""
from __future__ import annotations

import pytest

from annotator.core.errors import InputError
from annotator.core.model import (Document, DocumentRecord, GoldRelation, GoldSpan, Relation, Span,
                                  SpanAttribute)
from annotator.core.text import ID_LENGTH, sha256
from annotator.store.bulk import ExportFilter, ImportAborted, export_records, import_records
from annotator.store.store import Store

TEXT = ("China will strengthen cooperation with IOM and UNODC, pledging US$7 billion. "
        "The International Organization for Migration welcomed it.")
T0 = "2026-05-05T10:00:00.000000+00:00"
T1 = "2026-05-05T11:00:00.000000+00:00"


def doc(text: str = TEXT) -> Document:
    digest = sha256(text)
    return Document(digest[:ID_LENGTH], text, "t", "f.txt", digest)


def span(d: Document, part: str, label: str, who: str = "ana", span_id: str | None = None, cls=Span, **kw) -> Span:
    start = d.text.index(part)
    return cls(span_id or f"{who}-{part}", d.id, start, start + len(part), label, part, who, "", T0, T0, None, **kw)


def record(line: int = 1):
    d = doc()
    c = span(d, "China will strengthen cooperation with IOM and UNODC", "COMMITMENT")
    iom, unodc = span(d, "IOM", "ORGANISATION"), span(d, "UNODC", "ORGANISATION")
    money = span(d, "US$7 billion", "FIGURE")
    rec = DocumentRecord(d, [c, iom, unodc, money], line=line, file="in.jsonl")
    rec.relations = [Relation("r1", d.id, c.id, iom.id, "ACTOR", "ana", T0, T0),
                     Relation("r2", d.id, c.id, unodc.id, "PARTNER", "ana", T0, T1, T1),
                     Relation("r3", d.id, c.id, money.id, "AMOUNT", "ana", T0, T0)]
    rec.attributes = [SpanAttribute(money.id, d.id, "value", 7_000_000_000, "ana", True, T0),
                      SpanAttribute(money.id, d.id, "unit", "USD", "ana", False, T0),
                      SpanAttribute(iom.id, d.id, "entity", "IOM", "ana", False, T1)]
    gc = span(d, "China will strengthen cooperation with IOM and UNODC", "COMMITMENT", "cur", "g-c", GoldSpan,
              sources=(c.id,))
    giom = span(d, "IOM", "ORGANISATION", "cur", "g-iom", GoldSpan, sources=(iom.id,))
    rec.gold = [gc, giom]
    rec.gold_relations = [GoldRelation("gr1", d.id, gc.id, giom.id, "ACTOR", "cur", T0, T0, sources=("r1",))]
    rec.gold_attributes = [SpanAttribute(giom.id, d.id, "entity", "IOM", "cur", False, T0)]
    return rec


def exported(store, **flt):
    return list(export_records(store, ExportFilter(include_deleted=True, **flt)))


def test_relations_attributes_and_their_gold_come_back_out_as_they_went_in():
    store = Store()  # IOM is in the registry every database starts with
    report = import_records(store, [record()])
    assert report.relations_added == 3 and report.attributes_added == 3
    assert report.gold_relations_added == 1 and report.gold_attributes_added == 1
    assert "3 relation(s) and 3 attribute value(s) imported" in report.lines()
    (out,) = exported(store)
    rec = record()
    assert out.relations == rec.relations  # the tombstone of r2 included
    assert sorted(out.attributes, key=lambda a: (a.span_id, a.name)) == out.attributes
    assert sorted(map(repr, out.attributes)) == sorted(map(repr, rec.attributes))
    assert out.gold_relations == rec.gold_relations and out.gold_relations[0].sources == ("r1",)
    assert out.gold_attributes == rec.gold_attributes
    # what the window's store reads is the same
    assert [r.type for r in store.relations(rec.document.id)] == ["ACTOR", "AMOUNT"]
    assert store.attribute("ana-US$7 billion", "value").proposed
    # importing it again adds nothing and drops nothing
    again = import_records(store, [record()])
    assert again.relations_added == 0 and again.attributes_added == 0
    assert not [n for n in again.notes if "not imported" in n]


def test_a_plain_export_leaves_out_deleted_relations_and_those_whose_span_is_filtered_out():
    store = Store()
    import_records(store, [record()])
    (out,) = list(export_records(store))
    assert [r.id for r in out.relations] == ["r1", "r3"]
    (figures,) = list(export_records(store, ExportFilter(labels=("COMMITMENT", "FIGURE"))))
    assert [r.id for r in figures.relations] == ["r3"]
    assert {a.name for a in figures.attributes} == {"value", "unit"}
    (nobody,) = list(export_records(store, ExportFilter(annotators=("bo",), gold=False)))
    assert nobody.relations == [] and nobody.attributes == [] and nobody.gold_relations == []


def test_a_relation_to_a_span_the_reader_skipped_is_dropped_and_counted():
    rec = record()
    rec.spans = [s for s in rec.spans if s.label != "FIGURE"]  # say a reader could not take the figure
    store = Store()
    report = import_records(store, [rec])
    assert report.relations_added == 2
    assert "1 relation(s) to a span that was not imported (skipped by the reader or invalid): not imported" in \
        report.lines()
    assert "2 attribute value(s) of a span that was not imported: not imported" in report.lines()


def test_a_relation_type_the_database_lacks_is_created_for_any_labels_and_said():
    rec = record()
    rec.relations.append(Relation("r4", rec.document.id, "ana-IOM", "ana-UNODC", "WORKS_WITH", "ana", T0, T0))
    store = Store()
    report = import_records(store, [rec])
    t = store.relation_type("WORKS_WITH")
    assert (t.head_label, t.child_label) == ("*", "*")
    assert any("new relation type(s) added, connecting any labels" in n and "WORKS_WITH" in n for n in report.lines())
    assert "r4" in {r.id for r in store.relations(rec.document.id)}


def test_a_relation_between_labels_its_type_does_not_connect_is_dropped_and_counted():
    rec = record()
    rec.relations.append(Relation("r4", rec.document.id, "ana-IOM", "ana-UNODC", "ACTOR", "ana", T0, T0))
    report = import_records(Store(), [rec])
    assert report.relations_added == 3
    assert "1 relation(s) between labels their type does not connect: not imported" in report.lines()


def test_an_entity_the_registry_lacks_is_created_from_the_span_text_and_said():
    store = Store()
    rec = record()
    for attr in (*rec.attributes, *rec.gold_attributes):
        if attr.name == "entity":
            attr.value = "OUR-IOM"  # an id the registry every database starts with does not have
    report = import_records(store, [rec])
    entity = store.entity("OUR-IOM")
    assert entity.name == "IOM" and entity.aliases == ("IOM",)
    assert any("1 new entity added to the registry" in n for n in report.lines())
    assert store.entity_links("OUR-IOM") == 1  # the reviewer's span (entity_links counts the reviewers' layer)


@pytest.mark.parametrize("change, message", [
    (lambda rec: setattr(rec.attributes[0], "value", "seven"), "FIGURE.value takes a finite number"),
    (lambda rec: setattr(rec.attributes[1], "name", "colour"), "FIGURE has no attribute 'colour'"),
    (lambda rec: setattr(rec.attributes[2], "value", "not an id"), "an entity id is 1 to 64"),
    (lambda rec: setattr(rec.relations[0], "annotator", "bo"), "relation 1 is bo's but joins spans of ana"),
    (lambda rec: setattr(rec.relations[0], "child", rec.relations[0].head), "relation 1 joins a span to itself"),
    (lambda rec: setattr(rec.relations[0], "doc_id", "0" * 16), "relation 1 is of document '0000000000000000'"),
    (lambda rec: setattr(rec.relations[0], "type", "A\ud800"), "relation 1: its type holds a lone surrogate"),
    (lambda rec: setattr(rec.gold_attributes[0], "annotator", "ana"), "gold attribute 1 is ana's but its span is cur"),
    (lambda rec: setattr(rec.relations[1], "head", ["x"]), "relation 2: its head must be a non-empty string"),
    (lambda rec: setattr(rec.attributes[0], "span_id", {"a": 1}), "attribute 1: its span must be a non-empty string"),
    (lambda rec: setattr(rec.attributes[0], "name", ["value"]), "attribute 1: its name must be a non-empty string"),
])
def test_a_malformed_relation_or_attribute_refuses_its_record_naming_file_and_line(change, message):
    good, bad = record(1), record(2)
    good.document = doc(TEXT + " Another.")
    for item in (*good.spans, *good.relations, *good.attributes, *good.gold, *good.gold_relations,
                 *good.gold_attributes):
        item.doc_id = good.document.id
    change(bad)
    store = Store()
    with pytest.raises(ImportAborted) as caught:
        import_records(store, [good, bad])
    assert str(caught.value).startswith("in.jsonl, line 2: ") and message in str(caught.value)
    assert "\n" not in str(caught.value)
    assert store.conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
    assert store.conn.execute("SELECT count(*) FROM relations").fetchone()[0] == 0
    report = import_records(store, [good, bad], skip_invalid=True)
    assert report.documents_added == 1 and report.relations_added == 3 and len(report.skipped) == 1
    assert isinstance(report.skipped[0], InputError)


def test_a_relation_whose_span_ids_the_database_has_in_another_document_is_kept_out():
    store = Store()
    other = doc("Something else entirely, by IOM.")
    store.add_document(other.text, title="o")
    # the database already has the span id "ana-IOM" in another document (a hostile or broken file)
    store.conn.execute('INSERT INTO spans VALUES (?,?,?,?,?,?,?,?,?,?,NULL)',
                       ("ana-IOM", other.id, 28, 31, "ORGANISATION", "IOM", "ana", "", T0, T0))
    report = import_records(store, [record()])
    assert report.relations_added == 2
    assert any("1 relation(s) whose spans the database already has with another document" in n
               for n in report.lines())
    assert store.attribute("ana-IOM", "entity") is None


def test_a_relation_to_a_span_id_the_same_file_gives_twice_is_kept_out_and_counted():
    # the file's second document reuses a span id of its first: the first is stored, so the second document's
    # relation to "its" span would join two documents
    first = record()
    d2 = doc("Another article: Thailand pledged help with IOM.")
    c2 = span(d2, "Thailand pledged help", "COMMITMENT", span_id="c2")
    dup = span(d2, "IOM", "ORGANISATION", span_id="ana-IOM")  # the first record's IOM span has this id
    second = DocumentRecord(d2, [c2, dup], line=2, file="in.jsonl")
    second.relations = [Relation("r9", d2.id, c2.id, dup.id, "ACTOR", "ana", T0, T0)]
    store = Store()
    report = import_records(store, [first, second])
    assert report.relations_added == 3  # the first record's three, not r9
    assert any("1 relation(s) whose spans the database already has with another document" in n
               for n in report.lines())
    assert [r.id for r in store.relations(d2.id)] == []


def test_an_import_into_a_new_database_leaves_the_relation_indexes_as_a_new_database_has_them():
    def indexes(store):
        return sorted(store.conn.execute(
            "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL").fetchall())

    store = Store()
    before = indexes(store)
    import_records(store, [record()])
    assert indexes(store) == before
    # a span's relations are found in the index (doc_id, head, child), its document named
    plan = " ".join(r[3] for r in store.conn.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM relations WHERE doc_id = ? AND (head = ? OR child = ?) AND deleted IS NULL",
        ("d", "a", "a")))
    assert "USING INDEX relations_by_document (doc_id=?)" in plan
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert [r.id for r in store.relations(record().document.id, span_id="ana-IOM")] == ["r1"]


@pytest.mark.parametrize("unit", ['say "no"', "C:\\units", "per\tday", "m²", "𠀀 people", "a\u2028b", "'", "\"\""])
def test_a_text_value_with_quotes_escapes_or_odd_characters_comes_back_out_as_it_went_in(unit):
    rec = record()
    money = next(s for s in rec.spans if s.label == "FIGURE")
    rec.attributes = [SpanAttribute(money.id, rec.document.id, "unit", unit, "ana", False, T0)]
    store = Store()
    import_records(store, [rec])
    (out,) = exported(store)
    assert [(a.name, a.value) for a in out.attributes] == [("unit", unit)]


def test_a_relation_id_given_twice_into_a_new_database_keeps_the_first_and_the_key():
    """Into an empty table the key's index is built after the rows; a relation id the file gives twice (two
    documents) must still keep the first and ignore the second, as the key does when it is there all along."""
    first = record()
    d2 = doc("Another article: Thailand pledged help with UNODC.")
    c2, u2 = span(d2, "Thailand pledged help", "COMMITMENT", span_id="c2"), span(d2, "UNODC", "ORGANISATION",
                                                                                  span_id="u2")
    second = DocumentRecord(d2, [c2, u2], line=2, file="in.jsonl")
    second.relations = [Relation("r1", d2.id, c2.id, u2.id, "PARTNER", "ana", T0, T0)]  # the first's id
    store = Store()
    report = import_records(store, [first, second])
    assert report.relations_added == 3
    assert [(r.id, r.type) for r in store.relations(first.document.id) if r.id == "r1"] == [("r1", "ACTOR")]
    assert store.relations(d2.id) == []
    keys = store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'relations' "
                              "AND sql LIKE 'CREATE UNIQUE%'").fetchall()
    assert keys == [("relations_by_id",)]
    # and without a key given twice, the same import leaves the same indexes
    store2 = Store()
    import_records(store2, [record()])
    assert sorted(store2.conn.execute("SELECT name, sql FROM sqlite_master WHERE tbl_name = 'relations'")) == sorted(
        store.conn.execute("SELECT name, sql FROM sqlite_master WHERE tbl_name = 'relations'"))
