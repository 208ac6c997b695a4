"""Reading another annotator database for a merge: read-only, leaving no file beside it, each row's columns
checked before they are read (a teammate's sqlite3 shell can put anything in a column).

The values themselves are checked after, with every other record of the merge (``core.validate.check_merged_record``).
"""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Iterator


from ..core.errors import InputError
from ..core.model import DocumentRecord, Entity
from . import problems
from .bulk_export import ExportFilter, export_records
from .bulk_links import LINK_TABLES


class _ReadOnly:
    """Just enough of a Store for ``export_records``: a connection."""

    def __init__(self, conn):
        self.conn = conn


def database_document_count(path: str | Path) -> int:
    conn = _connect_readonly(path)
    try:
        return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    finally:
        conn.close()


def _connect_readonly(path: str | Path):
    """A connection that cannot write and leaves no -wal or -shm file beside the database (its folder may be
    read-only: a shared drive, a USB stick). ``problems.connect`` reads one we could write through SQLite's locks
    (a teammate's window may open it meanwhile); one we cannot write, as immutable when no -wal file is there
    (nobody has it open, nothing waits in a log), else through the teammate's own -wal file."""
    given, path = str(path), Path(path).resolve()
    wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
    if wal.is_file() and wal.stat().st_size and not shm.exists() and not os.access(path.parent, os.W_OK):
        # SQLite needs a -shm file to read a -wal; without one it could read only the database file and miss
        # the teammate's latest work without a word: a merge that says "done" must have read it all
        raise InputError(
            f"its latest work is in {wal.name}, which cannot be read here: there is no {shm.name} beside it and the"
            " folder is read-only. Copy the database with its -wal file to a folder you can write, or open it once"
            " with annotator where it is, then merge again", given)
    try:
        conn = problems.connect(str(path), readonly=True)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        raise InputError(f"cannot read this database: {exc}", given) from None
    missing = {"documents", "spans", "reviews"} - tables
    if missing:
        conn.close()
        raise InputError(f"not an annotator database (it has no {', '.join(sorted(missing))} table)", given)
    return conn


def read_database(path: str | Path, links: bool = True) -> Iterator[DocumentRecord]:
    """Every document of another annotator database with all its spans (tombstones too), reviews and gold spans,
    read from one snapshot on a read-only connection: the other database is never written.

    Without ``links`` the records carry no relations and attribute values: the merge takes those in SQL
    (store/merge_database_links.py), which checks their ends itself, and the reviewers' relations and values are
    checked there: the rows its SQL conditions take have the right types and documents, the others are checked
    here (``link_row_problem``) before they are read."""
    conn = _connect_readonly(path)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        has_gold = "gold_spans" in tables
        # a database of schema m002 (made before relations) has none of their tables: its work merges without them
        has_links = set(LINK_TABLES) <= tables
        skip = {t for t in ("gold_spans", *LINK_TABLES) if t not in tables}
        dangling = skip if links else skip | set(LINK_TABLES)
        apart = skip if links else skip | set(CHECKED_IN_THE_MERGE)
        conn.execute("BEGIN")  # one snapshot for all the cursors
        try:
            bad = _badly_typed_row(conn, apart) or _orphan_row(conn, apart) or _dangling_link(conn, dangling)
            if bad:
                yield InputError(bad, str(path))
                return
            for rec in export_records(_ReadOnly(conn), ExportFilter(include_deleted=True, gold=has_gold,
                                                                    links=has_links and links)):
                rec.file = str(path)
                yield rec
        except sqlite3.DatabaseError as exc:
            # text that is not UTF-8 stops the read at its column; find its row to name it
            where = _undecodable_row(conn, skip) if "decode" in str(exc).lower() else None
            yield InputError(where or f"cannot read this database: {exc}", str(path))
        conn.execute("ROLLBACK")
    finally:
        conn.close()


# What each column must hold for the rows to be read at all (SQLite keeps whatever a teammate's sqlite3 shell
# puts in a column): the checks of the values themselves come after, in ``core.validate.check_merged_record``.
_TEXT, _TEXT_OR_NULL, _INTEGER, _OBJECT, _ARRAY = "text", "text or null", "an integer", "a JSON object", "a JSON array"
_JSON = "a JSON value"
_SPAN_TYPES = {"id": _TEXT, "doc_id": _TEXT, "start": _INTEGER, "end": _INTEGER, "label": _TEXT, "text": _TEXT,
               "note": _TEXT, "created": _TEXT, "updated": _TEXT, "deleted": _TEXT_OR_NULL}
_COLUMN_TYPES = {
    "documents": {"id": _TEXT, "text": _TEXT, "title": _TEXT, "source": _TEXT_OR_NULL, "sha256": _TEXT,
                  "meta": _OBJECT},
    "spans": {**_SPAN_TYPES, "annotator": _TEXT},
    "reviews": {"doc_id": _TEXT, "annotator": _TEXT, "status": _TEXT, "note": _TEXT, "updated": _TEXT},
    "gold_spans": {**_SPAN_TYPES, "curator": _TEXT, "sources": _ARRAY},
    "relations": {"id": _TEXT, "doc_id": _TEXT, "head": _TEXT, "child": _TEXT, "type": _TEXT, "annotator": _TEXT,
                  "created": _TEXT, "updated": _TEXT, "deleted": _TEXT_OR_NULL},
    "gold_relations": {"id": _TEXT, "doc_id": _TEXT, "head": _TEXT, "child": _TEXT, "type": _TEXT, "curator": _TEXT,
                       "sources": _ARRAY, "created": _TEXT, "updated": _TEXT, "deleted": _TEXT_OR_NULL},
    "span_attributes": {"span_id": _TEXT, "doc_id": _TEXT, "name": _TEXT, "value": _JSON, "annotator": _TEXT,
                        "proposed": _INTEGER, "updated": _TEXT, "deleted": _TEXT_OR_NULL},
    "gold_span_attributes": {"span_id": _TEXT, "doc_id": _TEXT, "name": _TEXT, "value": _JSON, "curator": _TEXT,
                             "proposed": _INTEGER, "updated": _TEXT, "deleted": _TEXT_OR_NULL},
}
_KEYS = {"reviews": ("doc_id", "annotator"), "span_attributes": ("span_id", "name"),
         "gold_span_attributes": ("span_id", "name")}


def _where(table: str, key: list) -> str:
    if table == "reviews":
        return f"document {key[0]!r}, reviewer {key[1]!r}"
    if table in _KEYS:
        return f"span {key[0]!r}, name {key[1]!r}"
    return f"id {key[0]!r}"


def _type_test(column: str, kind: str) -> str:
    c = f'"{column}"'
    return {
        _TEXT: f"typeof({c}) != 'text'",
        _TEXT_OR_NULL: f"typeof({c}) NOT IN ('text', 'null')",
        _INTEGER: f"typeof({c}) != 'integer'",
        _OBJECT: f"(CASE WHEN typeof({c}) = 'text' AND json_valid({c}) THEN json_type({c}) END) IS NOT 'object'",
        _ARRAY: f"(CASE WHEN typeof({c}) = 'text' AND json_valid({c}) THEN json_type({c}) END) IS NOT 'array'",
        _JSON: f"NOT (typeof({c}) = 'text' AND json_valid({c}))",
    }[kind]


# The reviewers' relations and values of a database merged in SQL: checked by store/merge_database_links.py (its
# SQL conditions imply a row's types and document) and store/merge_database_slow.py (the other rows, here)
CHECKED_IN_THE_MERGE = ("relations", "span_attributes")


def link_row_problem(conn, schema: str, table: str, rows: str) -> tuple | None:
    """For store/merge_database_links.py: (key, reason) of the first of the rows of ``schema.table`` that SQL
    condition ``rows`` picks (those its own conditions did not take) that is badly typed or of no document, the
    reason worded as ``read_database`` words it; or None."""
    skip = set(_COLUMN_TYPES) - {table}
    found = _badly_typed(conn, skip, schema, rows) or _orphan(conn, skip, schema, rows)
    if found is None:
        return None
    key = found[1]
    return (key[0] if len(key) == 1 else tuple(key)), found[2]


def _message(found: tuple | None) -> str | None:
    if found is None:
        return None
    table, key, reason = found
    return f"table {table}, {_where(table, key)}: {reason}"


def _badly_typed_row(conn, skip: set) -> str | None:
    """The first row whose columns cannot be read as ours, as ``table T, id X: COLUMN must be ...``; or None."""
    return _message(_badly_typed(conn, skip))


def _orphan_row(conn, skip: set) -> str | None:
    """A row whose document is not in the database (its foreign key was off, as in the sqlite3 shell): it would be
    left out without a word, so it refuses the merge."""
    return _message(_orphan(conn, skip))


def _badly_typed(conn, skip: set, schema: str = "main", rows: str = "") -> tuple | None:
    for table, columns in _COLUMN_TYPES.items():
        if table in skip:
            continue
        which = " ".join(f"WHEN {_type_test(c, kind)} THEN '{c}'" for c, kind in columns.items())
        row = conn.execute(
            f"SELECT * FROM (SELECT rowid, CASE {which} END AS bad FROM {schema}.{table}"
            f"{' WHERE ' + rows if rows else ''}) WHERE bad IS NOT NULL LIMIT 1"
        ).fetchone()
        if row is None:
            continue
        rowid, column = row
        key_columns = ", ".join(f'"{k}"' for k in _KEYS.get(table, ("id",)))
        value, *key = conn.execute(f'SELECT "{column}", {key_columns} FROM {schema}.{table} WHERE rowid = ?',
                                   (rowid,)).fetchone()
        kind = columns[column]
        got = repr(value) if kind in (_OBJECT, _ARRAY, _JSON) and isinstance(value, str) else f"{type(value).__name__} {value!r}"
        if value is None:
            got = "null"
        what = "is not" if kind in (_OBJECT, _ARRAY, _JSON) else "must be"
        return table, key, f"{column} {what} {kind}, got {got}"
    return None


def _undecodable_row(conn, skip: set) -> str | None:
    """The first text value that is not UTF-8, as ``table T, id X: COLUMN is not UTF-8 text``. Read as bytes, only
    once a read has failed on one, so a good database pays nothing for it."""
    for table, columns in _COLUMN_TYPES.items():
        if table in skip:
            continue
        key_columns = ", ".join(f'"{k}"' for k in _KEYS.get(table, ("id",)))
        for column in columns:
            rows = conn.execute(f'SELECT CAST("{column}" AS BLOB), CAST({key_columns.replace(", ", " AS BLOB), CAST(")} '
                                f'AS BLOB) FROM {table} WHERE typeof("{column}") = \'text\'')
            for value, *key in rows:
                try:
                    value.decode("utf-8")
                except UnicodeDecodeError as exc:
                    shown = [k.decode("utf-8", "replace") for k in key]
                    where = _where(table, shown)
                    return f"table {table}, {where}: {column} is not UTF-8 text (byte {exc.start} is 0x{value[exc.start]:02X})"
    return None


def _orphan(conn, skip: set, schema: str = "main", rows: str = "") -> tuple | None:
    for table, columns in _COLUMN_TYPES.items():
        if table == "documents" or table in skip:
            continue
        key_columns = ", ".join(f't."{k}"' for k in _KEYS.get(table, ("id",)))
        if rows:  # a few rows: each looked up
            row = conn.execute(f"SELECT t.doc_id, {key_columns} FROM {schema}.{table} t WHERE {rows} AND NOT EXISTS "
                               f"(SELECT 1 FROM {schema}.documents d WHERE d.id = t.doc_id) LIMIT 1").fetchone()
        else:
            # each document once, in the order of the table's index by document (every table of ours has one): the
            # look-ups in documents go in order too, instead of one at a random place per row (a million relations)
            row = conn.execute(
                f"SELECT t.doc_id, {key_columns} FROM (SELECT DISTINCT doc_id FROM {table}) o JOIN {table} t "
                "ON t.doc_id = o.doc_id WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = o.doc_id) LIMIT 1"
            ).fetchone()
        if row:
            return table, list(row[1:]), f"its document {row[0]!r} is not in the documents table"
    return None


def _dangling_link(conn, skip: set) -> str | None:
    """A relation or attribute value whose span is not a span of its document in that database: the export it is
    read through would leave it out without a word, so it refuses the merge."""
    for table, spans in (("relations", "spans"), ("gold_relations", "gold_spans")):
        if table in skip:
            continue
        for role in ("head", "child"):
            row = conn.execute(f"SELECT id, {role} FROM {table} r WHERE NOT EXISTS (SELECT 1 FROM {spans} s WHERE "
                               f"s.id = r.{role} AND s.doc_id = r.doc_id) LIMIT 1").fetchone()
            if row:
                return f"table {table}, id {row[0]!r}: its {role} {row[1]!r} is not a span of this document"
    for table, spans in (("span_attributes", "spans"), ("gold_span_attributes", "gold_spans")):
        if table in skip:
            continue
        row = conn.execute(f"SELECT span_id, name FROM {table} a WHERE NOT EXISTS (SELECT 1 FROM {spans} s WHERE "
                           f"s.id = a.span_id AND s.doc_id = a.doc_id) LIMIT 1").fetchone()
        if row:
            return f"table {table}, {_where(table, list(row))}: its span is not a span of this document"
    return None


def _alias_rows(conn) -> list[tuple]:
    """(entity_id, alias, updated, deleted) of every alias row, tombstones included; a database made before m008
    has no times: its aliases are live and older than any edit ('')."""
    columns = {r[1] for r in conn.execute("PRAGMA table_info(entity_aliases)")}
    timed = "updated, deleted" if {"updated", "deleted"} <= columns else "'', NULL"
    return conn.execute(f"SELECT entity_id, alias, {timed} FROM entity_aliases ORDER BY entity_id, alias").fetchall()


def read_alias_rows(path: str | Path) -> list[tuple] | InputError:
    """Another database's aliases as versions (entity_id, alias, updated, deleted), for a merge to replay their
    removals (store/merge_entities.py); an InputError naming a row that is not of that shape."""
    conn = _connect_readonly(path)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "entity_aliases" not in tables:
            return []
        conn.execute("BEGIN")
        rows = _alias_rows(conn)
        for row in rows:
            if not all(type(v) is str for v in row[:3]) or not (row[3] is None or type(row[3]) is str):
                return InputError(f"table entity_aliases, entity {row[0]!r:.70}, alias {row[1]!r:.70}: its columns "
                                  "must be text (deleted: text or null)", str(path))
        return rows
    except sqlite3.DatabaseError as exc:
        return InputError(f"cannot read its aliases: {exc}", str(path))
    finally:
        conn.close()


def read_entities(path: str | Path) -> list[Entity] | InputError:
    """The entity registry of another annotator database (none for one made before the registry), each entity's
    columns checked as ``_badly_typed_row`` checks the others; an InputError naming the first bad row."""
    conn = _connect_readonly(path)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not {"entities", "entity_aliases"} <= tables:
            return []
        conn.execute("BEGIN")
        types = {"id": _TEXT, "name": _TEXT, "kind": _TEXT, "country": _TEXT, "created": _TEXT, "updated": _TEXT,
                 "deleted": _TEXT_OR_NULL, "merged_into": _TEXT_OR_NULL}
        which = " ".join(f"WHEN {_type_test(c, kind)} THEN '{c}'" for c, kind in types.items())
        bad = conn.execute(f"SELECT id, bad FROM (SELECT id, CASE {which} END AS bad FROM entities) "
                           f"WHERE bad IS NOT NULL LIMIT 1").fetchone()
        if bad is None:
            bad = conn.execute("SELECT entity_id, 'alias' FROM entity_aliases WHERE typeof(alias) != 'text' OR "
                               "typeof(entity_id) != 'text' LIMIT 1").fetchone()
        if bad:
            return InputError(f"table entities, id {bad[0]!r}: {bad[1]} must be {types.get(bad[1], _TEXT)}", str(path))
        aliases: dict[str, list[str]] = {}
        for entity_id, alias, _, deleted in _alias_rows(conn):
            if deleted is None:
                aliases.setdefault(entity_id, []).append(alias)
        return [Entity(r[0], r[1], r[2], tuple(aliases.get(r[0], ())), r[3], r[4], r[5], r[6], r[7])
                for r in conn.execute("SELECT id, name, kind, country, created, updated, deleted, merged_into "
                                      "FROM entities ORDER BY id")]
    except sqlite3.DatabaseError as exc:
        return InputError(f"cannot read its entities: {exc}", str(path))
    finally:
        conn.close()
