"""Relations and attribute values staged beside an import's spans and copied into the database with them.

The rows of the records that store/bulk_links.LinkChecker kept are staged in temp tables (store/bulk.py makes them),
which takes no lock on the database; the copy into the database is part of the import's one short transaction.
"""
from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter

from ..core.model import DocumentRecord, Relation, SpanAttribute
from .bulk_links import LinkChecker
from .relations import ANY_LABEL

try:  # the staging rows' common case, compiled (core/_relations.c); else the Python below, which it is held to
    from ..core._relations import attribute_rows as _compiled_attribute_rows, relation_rows as _compiled_rows
except ImportError:
    _compiled_rows = _compiled_attribute_rows = None


def relation_rows(relations: list, stamp: str, gold: bool) -> list[tuple]:
    if not gold and _compiled_rows is not None:
        rows = _compiled_rows(Relation, relations, stamp)
        if rows is not None:  # None: not all of them are Relations (a caller's subclass): the loop below
            return rows
    if gold:
        return [(r.id, r.doc_id, r.head, r.child, r.type, r.annotator, json.dumps(list(getattr(r, "sources", ()))),
                 r.created or stamp, r.updated or r.created or stamp, r.deleted) for r in relations]
    return [(r.id, r.doc_id, r.head, r.child, r.type, r.annotator, r.created or stamp,
             r.updated or r.created or stamp, r.deleted) for r in relations]


def attribute_rows(attributes: list, stamp: str) -> list[tuple]:
    if _compiled_attribute_rows is not None:
        rows = _compiled_attribute_rows(SpanAttribute, attributes, stamp)
        if rows is not None:  # None: a value of another type (a list from a caller): the loop below
            return rows
    return [(a.span_id, a.doc_id, a.name, json.dumps(a.value, ensure_ascii=False), a.annotator, int(a.proposed),
             a.updated or stamp, a.deleted) for a in attributes]


STAGE_SQL = {
    "relations": "INSERT OR IGNORE INTO temp.staged_relations (id, doc_id, head, child, type, annotator, created, "
                 "updated, deleted) VALUES (?,?,?,?,?,?,?,?,?)",
    "gold_relations": "INSERT OR IGNORE INTO temp.staged_gold_relations (id, doc_id, head, child, type, curator, "
                      "sources, created, updated, deleted) VALUES (?,?,?,?,?,?,?,?,?,?)",
    "span_attributes": "INSERT OR IGNORE INTO temp.staged_span_attributes (span_id, doc_id, name, value, "
                       "annotator, proposed, updated, deleted) VALUES (?,?,?,?,?,?,?,?)",
    "gold_span_attributes": "INSERT OR IGNORE INTO temp.staged_gold_span_attributes (span_id, doc_id, name, value, "
                            "curator, proposed, updated, deleted) VALUES (?,?,?,?,?,?,?,?)",
}


def stage(conn, batch: list[DocumentRecord], stamp: str, given: Counter) -> None:
    for table, rows in (
        ("relations", relation_rows([r for rec in batch for r in rec.relations], stamp, False)),
        ("gold_relations", relation_rows([r for rec in batch for r in rec.gold_relations], stamp, True)),
        ("span_attributes", attribute_rows([a for rec in batch for a in rec.attributes], stamp)),
        ("gold_span_attributes", attribute_rows([a for rec in batch for a in rec.gold_attributes], stamp)),
    ):
        if rows:
            conn.executemany(STAGE_SQL[table], rows)
            given[table] += len(rows)


# -- the copy, inside the import's transaction ---------------------------------------------------------------

def copy(conn, checker: LinkChecker, given: Counter, stamp: str, *, spans_as_given: bool = False,
         gold_as_given: bool = False) -> tuple[dict, list[str]]:
    """The staged relations and attributes into the database, after the spans (whose stored copies they are
    joined with). Returns how many of each were added and the report's notes.

    ``spans_as_given`` (``gold_as_given``): every span (gold span) of the file was added by this import, so each
    relation's and attribute's span is stored as the file gave it, and the checker has already seen that it is of
    the same document and reviewer (and live, for a live relation): the join with the stored spans, two random
    lookups a relation, is left out."""
    types_added = [name for name in checker.new_types
                   if not conn.execute("SELECT 1 FROM main.relation_types WHERE name = ?", (name,)).fetchone()]
    if types_added:
        position = conn.execute("SELECT coalesce(max(position) + 1, 0) FROM main.relation_types").fetchone()[0]
        conn.executemany("INSERT INTO main.relation_types (name, head_label, child_label, position) VALUES (?,?,?,?)",
                         [(name, ANY_LABEL, ANY_LABEL, position + n) for n, name in enumerate(types_added)])
    entities_added = [e for e in checker.new_entities
                      if not conn.execute("SELECT 1 FROM main.entities WHERE id = ?", (e,)).fetchone()]
    if entities_added:
        # as a line carries it (its name, kind, country, aliases and times), else named after its first span
        carried = checker.carried
        conn.executemany("INSERT INTO main.entities (id, name, kind, country, created, updated) VALUES (?,?,?,?,?,?)",
                         [(e, c.name, c.kind, c.country, c.created or stamp, c.updated or stamp) if (c := carried.get(e))
                          else (e, checker.new_entities[e], "organisation", "", stamp, stamp) for e in entities_added])
        conn.executemany("INSERT OR IGNORE INTO main.entity_aliases (entity_id, alias) VALUES (?,?)",
                         [(e, a) for e in entities_added for a in (carried[e].aliases if e in carried
                                                                    else (checker.new_entities[e],))])
    defs_added = [d for key, d in sorted(checker.defs_added.items()) if not conn.execute(
        "SELECT 1 FROM main.attribute_defs WHERE label = ? AND name = ?", key).fetchone()]
    if defs_added:  # after the label's own attributes
        conn.executemany("INSERT INTO main.attribute_defs (label, name, type, choices, position) VALUES (?,?,?,?,"
                         "(SELECT coalesce(max(position) + 1, 0) FROM main.attribute_defs WHERE label = ?))",
                         [(d.label, d.name, d.type, json.dumps(list(d.choices)), d.label) for d in defs_added])
    added: dict[str, int] = {}
    stored_drops: Counter = Counter()
    for table, spans, who, as_given in (("relations", "spans", "annotator", spans_as_given),
                                        ("gold_relations", "gold_spans", "curator", gold_as_given)):
        if not given[table]:
            continue
        # the ends as stored: same document, same reviewer (the stored span wins over the file's when both exist)
        join = "" if as_given else (
            f" JOIN main.{spans} h ON h.id = r.head JOIN main.{spans} c ON c.id = r.child "
            f"WHERE h.doc_id = r.doc_id AND c.doc_id = r.doc_id AND h.{who} = r.{who} AND c.{who} = r.{who} "
            f"AND (r.deleted IS NOT NULL OR (h.deleted IS NULL AND c.deleted IS NULL))")
        added[table] = insert_rows(conn, table, f"SELECT r.* FROM temp.staged_{table} r{join}", "r.rowid")
        if added[table] < given[table]:  # already here, or kept out by the join: those kept out are not here now
            stored_drops["stored"] += _count(conn, f"SELECT count(*) FROM temp.staged_{table} r WHERE r.id NOT IN "
                                                   f"(SELECT id FROM main.{table})")
    for table, spans, who, as_given in (("span_attributes", "spans", "annotator", spans_as_given),
                                        ("gold_span_attributes", "gold_spans", "curator", gold_as_given)):
        if not given[table]:
            continue
        join = "" if as_given else (
            f" JOIN main.{spans} s ON s.id = a.span_id WHERE s.doc_id = a.doc_id AND s.{who} = a.{who}")
        added[table] = insert_rows(conn, table, f"SELECT a.* FROM temp.staged_{table} a{join}", "a.rowid")
        if added[table] < given[table]:
            stored_drops["attribute stored"] += _count(
                conn, f"SELECT count(*) FROM temp.staged_{table} a WHERE NOT EXISTS (SELECT 1 FROM main.{table} m "
                      f"WHERE m.span_id = a.span_id AND m.name = a.name)")
    notes = checker.notes(types_added, entities_added, +stored_drops)
    if defs_added:
        notes.insert(0, "new attribute(s) added to the scheme, typed from the files' values (change them with "
                        "'annotator labels --scheme' and 'labels load'): " + ", ".join(
                            f"{d.label}.{d.name} ({d.type}" + (f": {', '.join(d.choices)}" if d.choices else "") + ")"
                            for d in defs_added))
    return added, notes


_INDEX_NAME = re.compile(r"^(CREATE\s+(?:UNIQUE\s+)?INDEX\s+)", re.I)


def insert_rows(conn, table: str, select: str, order: str) -> int:
    """``INSERT OR IGNORE`` the rows of ``select`` into ``main.table``, in the order they came (the first of a key
    given twice is kept, as a key would), within the caller's transaction; how many were added.

    Into an empty table (a new database's first import) every index is dropped first, the key's too (a unique
    index since schema m009), and built again after, in the same transaction: one sort each instead of a million
    inserts at random places of B-trees far larger than SQLite's page cache. A rollback brings them back with the
    rest. Should the key's index then find a key given twice, that attempt is rolled back (to a savepoint) and the
    rows are copied again with the key's index in place, which keeps the first of them as before. The rows stay
    in the file's order, which for our own export is the documents' order, the order an export reads them in.
    Measured with raw SQLite, 1,000,000 relations of 100,000 documents into an empty table: 32.6 s of CPU with the
    join and the indexes kept, 12.4 s without the join and with the indexes built after but the key's; of what was
    left, inserting 1,000,000 random UUIDs into the key's index took 9.4 s."""
    empty = conn.execute(f"SELECT 1 FROM main.{table} LIMIT 1").fetchone() is None
    if not empty:
        return _insert(conn, table, select, order)
    indexes = conn.execute("SELECT name, sql FROM main.sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql "
                           "IS NOT NULL", (table,)).fetchall()
    unique = [(name, sql) for name, sql in indexes if sql.upper().startswith("CREATE UNIQUE")]
    others = [(name, sql) for name, sql in indexes if (name, sql) not in unique]
    for name, _ in others:
        conn.execute(f'DROP INDEX main."{name}"')
    if unique:
        conn.execute("SAVEPOINT copy_without_keys")
        try:
            for name, _ in unique:
                conn.execute(f'DROP INDEX main."{name}"')
            added = _insert(conn, table, select, order)
            for name, sql in unique:
                conn.execute(_INDEX_NAME.sub(r"\1main.", sql, count=1))
            conn.execute("RELEASE copy_without_keys")
        except sqlite3.IntegrityError:  # a key given twice: the first is kept by copying with the key's index
            conn.execute("ROLLBACK TO copy_without_keys")
            conn.execute("RELEASE copy_without_keys")
            added = _insert(conn, table, select, order)
    else:
        added = _insert(conn, table, select, order)
    for name, sql in others:
        conn.execute(_INDEX_NAME.sub(r"\1main.", sql, count=1))
    return added


def _insert(conn, table: str, select: str, order: str) -> int:
    before = conn.total_changes
    conn.execute(f"INSERT OR IGNORE INTO main.{table} {select} ORDER BY {order}")
    return conn.total_changes - before


def _count(conn, sql: str) -> int:
    return conn.execute(sql).fetchone()[0]
