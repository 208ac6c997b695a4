"""The rows of a teammate's relations and attribute values that the set-based merge of
store/merge_database_links.py does not take (a forged row, an id or a text that is not plain ASCII, a number that is
not an integer, and all the gold tables, which are few): read as objects, CHUNK at a time, checked as a bundle's
are (core.validate, whose messages word any refusal) and merged by store/merge_links.py as a bundle's would be.
"""
from __future__ import annotations

import json

from ..core.validate import _attribute_problem, _relation_problem
from . import merge_links, other_database
from .bulk_links import attribute_from_row, relation_from_row

CHUNK = 5000  # rows off the fast path taken into Python at a time: memory stays flat however many there are


def _refuse_unreadable(context, table: str, attr: str) -> None:
    """The reviewers' relations and values off the fast path: refused, as ``other_database.read_database`` refuses
    any other table's, if a column holds what ours cannot (a number for a time, a value that is not JSON) or the
    document is not there. The rows on the fast path passed conditions that imply both."""
    store, path, report, refuse, latest, db = context
    found = other_database.link_row_problem(store.conn, db, table,
                                            "rowid IN (SELECT orow FROM temp.merge_rows WHERE class = 's')")
    if found:
        raise refuse(Row(path, attr, []), table, *found)


class Row:
    """Where a refused row is, for ``merge._refusal``: the database's file, no line."""

    def __init__(self, path: str, attr: str, items: list):
        self.file, self.line = path, 0
        setattr(self, attr, items)


def _decoded(table: str, key, row: tuple, names: tuple) -> tuple:
    """The row's blobs as text (a cast keeps SQLite from failing the whole read on one bad byte)."""
    out = []
    for name, value in zip(names, row):
        if isinstance(value, bytes):
            try:
                value = value.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise _NotUtf8(f"{name} is not UTF-8 text (byte {exc.start} is 0x{value[exc.start]:02X})") from None
        out.append(value)
    return tuple(out)


class _NotUtf8(Exception):
    pass


def _text_columns(columns: tuple, text: set) -> str:
    return ", ".join(f'CASE WHEN typeof("{c}") = \'text\' THEN CAST("{c}" AS BLOB) ELSE "{c}" END'
                     if c in text else f'"{c}"' for c in columns)


def _rows(conn, db: str, table: str, columns: tuple, by_rowid: bool):
    """The rows of the teammate's ``table`` (those off the fast path, with ``by_rowid``), CHUNK at a time."""
    select = _text_columns(columns, set(columns) - {"proposed"})
    last = 0
    if by_rowid:
        conn.execute("DROP TABLE IF EXISTS temp.merge_slow")
        conn.execute("CREATE TEMP TABLE merge_slow (orow INTEGER PRIMARY KEY)")
        conn.execute("INSERT INTO temp.merge_slow SELECT orow FROM temp.merge_rows WHERE class = 's'")
    while True:
        if by_rowid:
            picked = (f"SELECT o.rowid, {select} FROM temp.merge_slow x JOIN {db}.{table} o ON o.rowid = x.orow "
                      f"WHERE x.orow > ? ORDER BY x.orow LIMIT {CHUNK}")
        else:
            picked = f"SELECT o.rowid, {select} FROM {db}.{table} o WHERE o.rowid > ? ORDER BY o.rowid LIMIT {CHUNK}"
        rows = conn.execute(picked, (last,)).fetchall()
        if not rows:
            return
        last = rows[-1][0]
        yield rows


def _end_spans(conn, db: str, spans: str, who: str, ids: set) -> dict:
    """The teammate's spans of these ids: what check_merged_record knows of a relation's or value's ends."""
    out = {}
    for span_id, doc_id, owner in conn.execute(
            f"SELECT id, doc_id, {who} FROM {db}.{spans} WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(ids)),)):
        out[span_id] = _End(doc_id, owner)
    return out


class _End:
    __slots__ = ("doc_id", "annotator")

    def __init__(self, doc_id, annotator):
        self.doc_id, self.annotator = doc_id, annotator


_RELATION_COLUMNS = ("id", "doc_id", "head", "child", "type", "{who}", "created", "updated", "deleted")


def slow_relations(context, table, spans, who, attr, prefix, by_rowid=False) -> None:
    store, path, report, refuse, latest, db = context
    conn = store.conn
    if table not in {r[0] for r in conn.execute(f"SELECT name FROM {db}.sqlite_master WHERE type = 'table'")}:
        return
    gold = table == "gold_relations"
    columns = tuple(c.format(who=who) for c in _RELATION_COLUMNS)
    if gold:
        columns = columns[:6] + ("sources",) + columns[6:]
    if by_rowid:
        _refuse_unreadable(context, table, attr)
    for rows in _rows(conn, db, table, columns, by_rowid):
        relations = []
        for rowid, *row in rows:
            try:
                row = _decoded(table, None, tuple(row), columns)
                r = relation_from_row(row, gold)
            except _NotUtf8 as exc:
                raise refuse(Row(path, attr, []), table, _key_text(row[0]), str(exc)) from None
            relations.append(r)
        ends = _end_spans(conn, db, spans, who, {x for r in relations for x in (r.head, r.child) if isinstance(x, str)})
        for r in relations:
            mine = {k: v for k, v in ends.items() if v.doc_id == r.doc_id and k in (r.head, r.child)}
            problem = _relation_problem(r, r.doc_id, mine, latest, "gold" if gold else "")
            if problem:
                raise refuse(Row(path, attr, [r]), table, r.id, problem)
        merge_links._merge_relations(store, table, spans, who, attr, prefix, {r.id: r for r in relations},
                                     [Row(path, attr, relations)], report, refuse, {})


def _key_text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def slow_attributes(context, table, spans, who, attr, prefix, by_rowid=False) -> None:
    store, path, report, refuse, latest, db = context
    conn = store.conn
    if table not in {r[0] for r in conn.execute(f"SELECT name FROM {db}.sqlite_master WHERE type = 'table'")}:
        return
    columns = ("span_id", "doc_id", "name", "value", who, "proposed", "updated", "deleted")
    if by_rowid:
        _refuse_unreadable(context, table, attr)
    for rows in _rows(conn, db, table, columns, by_rowid):
        values = []
        for rowid, *row in rows:
            try:
                row = _decoded(table, None, tuple(row), columns)
            except _NotUtf8 as exc:
                raise refuse(Row(path, attr, []), table, (_key_text(row[0]), _key_text(row[2])), str(exc)) from None
            values.append(attribute_from_row(row))
        ends = _end_spans(conn, db, spans, who, {a.span_id for a in values})
        for a in values:
            mine = {a.span_id: ends[a.span_id]} if a.span_id in ends and ends[a.span_id].doc_id == a.doc_id else {}
            problem = _attribute_problem(a, a.doc_id, mine, latest)
            if problem:
                raise refuse(Row(path, attr, [a]), table, (a.span_id, a.name), problem)
        merge_links._merge_attributes(conn, table, spans, who, attr, prefix, {(a.span_id, a.name): a for a in values},
                                      [Row(path, attr, values)], report, refuse)


