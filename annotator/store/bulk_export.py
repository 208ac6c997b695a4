"""The bulk export: every document with its spans, reviews, gold, relations and attribute values, streamed.

Documents in id order (or import order) are walked side by side with their rows, so memory does not grow with
the corpus: one cursor a table, each document handed its rows as the cursors pass it. Relations and attribute
values (reviewers' and gold) come with the spans they belong to (store/bulk_links.py).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterator

from ..core.model import Document, DocumentRecord, GoldSpan, Relation, Review, Span
from . import bulk_links, export_links
from .relations import ATTRIBUTE_COLUMNS, RELATION_COLUMNS
from .store import SPAN_COLUMNS, Store


@dataclass
class ExportFilter:
    annotators: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    status: str | None = None
    include_deleted: bool = False
    gold: bool = True
    links: bool = True  # relations and attribute values (a teammate's database of schema m002 has no tables of them)
    # "id" (canonical JSONL's contract: diffable, the same whatever the import order) or "imported": the order
    # the documents came into the database, which is the source file's order (token formats' round trips)
    order: str = "id"
    # the reviewers' relations as rows (``DocumentRecord.relation_rows``: tuples in Relation's field order, in the
    # order canonical JSONL writes them) instead of Relation objects: canonical JSONL writes them without making
    # a million objects (formats/canonical.py); in id order only. Without tombstones, where the compiled follower
    # binds (store/export_links.py), the relations come as their JSON text instead (``relations_json``) and the
    # attribute values as the spans' dicts (``attribute_values``)
    relation_rows: bool = False

    def span_where(self, alias: str = "") -> tuple[str, list]:
        where, params = [], []
        p = f"{alias}." if alias else ""
        if self.annotators:
            where.append(f"{p}annotator IN ({','.join('?' * len(self.annotators))})")
            params += list(self.annotators)
        if self.labels:
            where.append(f"{p}label IN ({','.join('?' * len(self.labels))})")
            params += list(self.labels)
        if not self.include_deleted:
            where.append(f"{p}deleted IS NULL")
        return (" WHERE " + " AND ".join(where)) if where else "", params

    def document_where(self) -> tuple[str, list]:
        if not self.status:
            return "", []
        who = ""
        params: list = []
        if self.annotators:
            who = f" AND r.annotator IN ({','.join('?' * len(self.annotators))})"
            params = list(self.annotators)
        if self.status == "todo":
            # to do: nobody (of the chosen reviewers) has marked it done or skipped
            return (
                f" WHERE NOT EXISTS (SELECT 1 FROM reviews r WHERE r.doc_id = d.id AND r.status != 'todo'{who})",
                params,
            )
        return f" WHERE EXISTS (SELECT 1 FROM reviews r WHERE r.doc_id = d.id AND r.status = ?{who})", [self.status, *params]


def _grouped(cursor, key_index: int = 0) -> Iterator[tuple[str, list]]:
    """Rows of a cursor ordered by a document id, grouped by it."""
    current, rows = None, []
    for row in cursor:
        if row[key_index] != current:
            if rows:
                yield current, rows
            current, rows = row[key_index], []
        rows.append(row)
    if rows:
        yield current, rows


class _Follower:
    """Walks a grouped cursor alongside the documents (both in the same order of a key: the id, or the document's
    rowid), handing each document its rows."""

    def __init__(self, cursor, key_index: int = 1):
        self.groups = _grouped(cursor, key_index)
        self.head = next(self.groups, None)

    def take(self, key) -> list:
        while self.head is not None and self.head[0] < key:
            self.head = next(self.groups, None)
        if self.head is not None and self.head[0] == key:
            rows = self.head[1]
            self.head = next(self.groups, None)
            return rows
        return []


def _span_order(s: Span):
    return (s.start, -s.end, s.label, s.annotator, s.id)


def export_records(store: Store, flt: ExportFilter | None = None) -> Iterator[DocumentRecord]:
    """Every document in id order (or import order: ``flt.order``) with its spans (reading order), reviews and gold
    spans, streamed."""
    flt = flt or ExportFilter()
    # Separate connections would see other snapshots; separate cursors on one connection are one snapshot
    # when read inside a transaction.
    conn = store.conn
    dwhere, dparams = flt.document_where()
    # the key both sides are walked in: the id, or the rowid (import order). With the rowid, documents are the
    # outer loop and each one's rows come from its doc_id index already in order: no sort of every span.
    if flt.order == "imported":
        key, order = "d.rowid", "d.rowid"

        def joined(columns: str, table: str, where: str, order_by: str) -> str:
            return (f"SELECT d.rowid, {columns} FROM documents d JOIN {table} t ON t.doc_id = d.id{where} "
                    f"ORDER BY d.rowid, {order_by}")
    else:
        key, order = "d.id", "d.id"

        def joined(columns: str, table: str, where: str, order_by: str) -> str:
            return f"SELECT t.doc_id, {columns} FROM {table} t{where} ORDER BY t.doc_id, {order_by}"
    docs = conn.execute(
        f"SELECT {key}, d.id, d.text, d.title, d.source, d.sha256, d.meta FROM documents d{dwhere} ORDER BY {order}",
        dparams,
    )
    swhere, sparams = flt.span_where("t")
    span_columns = ", ".join(f"t.{c.strip()}" for c in SPAN_COLUMNS.split(","))
    span_rows = _Follower(conn.execute(joined(span_columns, "spans", swhere, 't.start, t."end"'), sparams), 0)
    rwhere, rparams = "", []
    if flt.annotators:
        rwhere = f" WHERE t.annotator IN ({','.join('?' * len(flt.annotators))})"
        rparams = list(flt.annotators)
    review_rows = _Follower(
        conn.execute(joined("t.annotator, t.doc_id, t.status, t.note, t.updated", "reviews", rwhere, "t.annotator"),
                     rparams), 0)
    gold_rows = None
    if flt.gold:
        gwhere = "" if flt.include_deleted else " WHERE t.deleted IS NULL"
        if flt.labels:
            gwhere += (" AND " if gwhere else " WHERE ") + f"t.label IN ({','.join('?' * len(flt.labels))})"
        gold_rows = _Follower(
            conn.execute(
                joined('t.id, t.doc_id, t.start, t."end", t.label, t.text, t.curator, t.note, t.created, t.updated, '
                       't.deleted, t.sources', "gold_spans", gwhere, 't.start, t."end"'),
                list(flt.labels),
            ), 0)
    # relations and attribute values: those of the exported spans (both ends exported, for a relation)
    deleted = "" if flt.include_deleted else "t.deleted IS NULL"

    def links(table: str, columns: str, who: str, order_by: str, reviewers: tuple) -> _Follower:
        where = [deleted] if deleted else []
        if reviewers:
            where.append(f"t.{who} IN ({','.join('?' * len(reviewers))})")
        cols = ", ".join(f"t.{c.strip()}" for c in columns.split(","))
        return _Follower(conn.execute(joined(cols, table, (" WHERE " + " AND ".join(where)) if where else "",
                                             order_by), list(reviewers)), 0)

    nothing = _Follower(iter(()), 0)
    relation_rows = attribute_rows = gold_relation_rows = gold_attribute_rows = nothing
    as_rows = flt.relation_rows and flt.order == "id"
    # canonical JSONL's relations as JSON text and attribute values as dicts, read in C (store/export_links.py):
    # without tombstones, where the follower can be used; else the rows below
    compiled_relations = compiled_attributes = None
    if flt.links and as_rows and not flt.include_deleted:
        who = f" AND annotator IN ({','.join('?' * len(flt.annotators))})" if flt.annotators else ""
        compiled_relations = export_links.follower(
            conn, f"SELECT {RELATION_COLUMNS} FROM relations WHERE deleted IS NULL{who} ORDER BY doc_id",
            flt.annotators, export_links.RELATIONS)
        compiled_attributes = export_links.follower(
            conn, f"SELECT {ATTRIBUTE_COLUMNS} FROM span_attributes WHERE deleted IS NULL{who} ORDER BY doc_id",
            flt.annotators, export_links.ATTRIBUTES)
    if flt.links and as_rows and compiled_relations is None:  # Relation's own columns, grouped by its doc_id
        where = [] if flt.include_deleted else ["deleted IS NULL"]
        if flt.annotators:
            where.append(f"annotator IN ({','.join('?' * len(flt.annotators))})")
        relation_rows = _Follower(conn.execute(
            f"SELECT {RELATION_COLUMNS} FROM relations{(' WHERE ' + ' AND '.join(where)) if where else ''} "
            f"ORDER BY doc_id, created, id", list(flt.annotators)), 1)
    elif flt.links and not as_rows:
        relation_rows = links("relations", RELATION_COLUMNS, "annotator", "t.created, t.id", flt.annotators)
    if flt.links and compiled_attributes is None:
        attribute_rows = links("span_attributes", ATTRIBUTE_COLUMNS, "annotator", "t.span_id, t.name",
                               flt.annotators)
    if flt.gold and flt.links:
        gold_relation_rows = links("gold_relations", GOLD_RELATION_COLUMNS, "curator", "t.created, t.id", ())
        gold_attribute_rows = links("gold_span_attributes", GOLD_ATTRIBUTE_COLUMNS, "curator", "t.span_id, t.name",
                                    ())
    for k, doc_id, text, title, source, digest, meta in docs:
        spans = [Span(*r[1:]) for r in span_rows.take(k)]
        spans.sort(key=_span_order)
        reviews = [Review(r[2], r[1], r[3], r[4], r[5]) for r in review_rows.take(k)]
        rec = DocumentRecord(Document(doc_id, text, title, source, digest, json.loads(meta)), spans, reviews)
        if compiled_relations is not None or compiled_attributes is not None:
            _take_compiled(rec, compiled_relations, compiled_attributes, relation_rows, attribute_rows, k)
        elif as_rows:
            rec.relation_rows = relation_rows.take(k)
            _fill_links(rec, (), attribute_rows.take(k), rec.spans, False)
        else:
            _fill_links(rec, relation_rows.take(k), attribute_rows.take(k), rec.spans, False)
        if gold_rows is not None:
            rec.gold = [GoldSpan(*r[1:12], sources=tuple(json.loads(r[12]))) for r in gold_rows.take(k)]
            rec.gold.sort(key=_span_order)
            _fill_links(rec, gold_relation_rows.take(k), gold_attribute_rows.take(k), rec.gold, True)
        yield rec


GOLD_RELATION_COLUMNS = "id, doc_id, head, child, type, curator, sources, created, updated, deleted"
GOLD_ATTRIBUTE_COLUMNS = ATTRIBUTE_COLUMNS.replace("annotator", "curator")


def _fill_links(rec: DocumentRecord, relation_rows: list, attribute_rows: list, spans: list[Span], gold: bool) -> None:
    if not relation_rows and not attribute_rows:
        return
    ids = {s.id for s in spans}
    relations = bulk_links.only_between([bulk_links.relation_from_row(r[1:], True) for r in relation_rows] if gold
                                        else [Relation(*r[1:]) for r in relation_rows], ids)
    attributes = [a for a in map(bulk_links.attribute_from_row, (r[1:] for r in attribute_rows)) if a.span_id in ids]
    if gold:
        rec.gold_relations, rec.gold_attributes = relations, attributes
    else:
        rec.relations, rec.attributes = relations, attributes


def _take_compiled(rec: DocumentRecord, relations, attributes, relation_rows: _Follower, attribute_rows: _Follower,
                   doc_id: str) -> None:
    """The document's relations and attribute values from the compiled followers (either may be None: then from
    the rows), each between or of the exported spans. A follower hands a document's rows instead where they are not
    the plain case: then they go the way of the rows."""
    ids = [s.id for s in rec.spans]
    got = relations.take(doc_id, ids) if relations is not None else relation_rows.take(doc_id)
    if type(got) is str:
        rec.relations_json = got
    else:
        rec.relation_rows = got
    if attributes is None:
        _fill_links(rec, (), attribute_rows.take(doc_id), rec.spans, False)
        return
    got = attributes.take(doc_id, ids)
    if type(got) is dict:
        rec.attribute_values = got or None
    else:  # the rows as the Python path reads them: doc_id first
        _fill_links(rec, (), [(doc_id, *row) for row in got], rec.spans, False)
