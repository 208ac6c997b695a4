"""Merging the relations and attribute values of a teammate's database: in SQL, against the database ATTACHed
read-only, after its spans (store/merge.py).

The rules are those of store/merge_links.py (newest wins, tombstones, ties to the greater canonical JSON, the same
checks and refusals); only the way differs. A bundle's links are Python objects already; a database holds a
million relations as rows, and turning each into an object, checking it, comparing it and writing it back cost
more than the spans themselves. Here each table is read once, set-based:

1. One pass classifies every row of the teammate's table into a temporary table: on the fast path (every check
   of ``check_merged_record`` and of the store passes, written as SQL conditions that can only be stricter),
   new, newer, older, a tombstone, or a relation whose id is here between other spans (refused); a tie with
   another version goes to the Python comparison of canonical JSON (``newer_tie``), as in merge_links.
2. Rows off the fast path (a forged row, a value that is not a plain number or ASCII text, a time that is not
   plainly ours, and all the gold tables, which are few) take the Python path of merge_links in chunks: its
   checks word the refusal, or the row merges as a bundle's would.
3. The winners are written with one UPDATE ... FROM and one INSERT ... SELECT; the counts come from the
   classification.

Text that is not UTF-8 cannot slip through: every text the fast path copies is ASCII (store/merge_checks.py), or
equal to a text that was read (and so decoded) as a span or a checked relation type. Only a database nobody has
open is merged this way (``read_whole``), so that its spans and its links are read from the same file.
"""
from __future__ import annotations

import json
import os
import re
import sqlite3
from urllib.parse import quote

from ..core import relation_scheme
from ..core.errors import InvariantError
from . import merge_checks as checks
from . import merge_links, problems
from .bulk_links import LINK_TABLES
from .merge_database_slow import Row, slow_attributes, slow_relations

ALIAS = "merged_db"  # and the database's number in the merge: each stays attached until the transaction ends
LINK_CACHE_KB = 16384  # SQLite's page cache for this database while the links merge (see merge_database_links)

# -- attaching ----------------------------------------------------------------------------------------------------

def attach(conn, path: str, number: int) -> str:
    """ATTACH the teammate's database to read its links, through SQLite's locks as ``problems.connect`` opens one
    (``immutable=1`` took no lock and never looked at the -wal: a teammate's window that wrote and checkpointed
    meanwhile was read half old, half new). One we may write is attached read-write, so that SQLite makes the
    -wal and -shm it needs to read through the locks and removes them when it is detached (as the last one to close
    it); nothing of ours writes it (``_refuse_writes``). One we cannot write that nobody has open is attached
    immutable, as ``problems.connect`` opens it: SQLite could make no -shm beside it. Only a database nobody had open
    when the merge began is merged this way (``read_whole``), and ``state`` tells whether it changed meanwhile."""
    absolute = os.path.abspath(path)
    uri = "file:" + quote(absolute)
    if problems.is_writable(absolute):
        uri += "?mode=rw"
    elif os.path.exists(absolute + "-wal"):
        uri += "?mode=ro"
    else:
        uri += "?mode=ro&immutable=1"
    alias = f"{ALIAS}{number}"
    conn.execute(f"ATTACH DATABASE ? AS {alias}", (uri,))
    conn.set_authorizer(_refuse_writes)
    return alias


_WRITES = {sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE, sqlite3.SQLITE_CREATE_INDEX,
           sqlite3.SQLITE_CREATE_TABLE, sqlite3.SQLITE_DROP_INDEX, sqlite3.SQLITE_DROP_TABLE,
           sqlite3.SQLITE_ALTER_TABLE}


def _refuse_writes(action: int, arg1, arg2, database, trigger) -> int:
    """SQLite's authorizer while a teammate's database is attached read-write: nothing may change it."""
    if action in _WRITES and database and database.startswith(ALIAS):
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def state(path: str) -> tuple:
    """What changes when anybody commits to the database: its file (a checkpoint, a write without WAL) and the
    work waiting in its -wal. An empty or missing -wal holds nothing: the -wal our ATTACH makes is not a change.
    Read with stat(), which opens nothing (SQLite's POSIX locks are dropped by any close of the file)."""
    db = os.stat(path)
    try:
        wal = os.stat(f"{path}-wal")
        log = (wal.st_size, wal.st_mtime_ns) if wal.st_size else None
    except FileNotFoundError:
        log = None
    return db.st_ino, db.st_size, db.st_mtime_ns, log


class ChangedWhileMerged(Exception):
    """The teammate's database changed between the read of its records and of its links: the merge is rolled back
    and done again with its links read with its records, in one snapshot (curation/merge.py)."""

    def __init__(self, path: str):
        super().__init__(path)
        self.path = path


def read_whole(path: str) -> bool:
    """True if nobody has the database open (no -wal file with work in it): the records (read by
    ``other_database.read_database``) and the links (read here) are then read from the same file. A database open in
    a teammate's window could change between the two reads: its links come with its records, in one snapshot."""
    wal = f"{path}-wal"
    return not os.path.exists(wal) or os.path.getsize(wal) == 0


def detach_all(conn) -> None:
    """After the transaction (SQLite refuses to detach a database read in an open one)."""
    conn.set_authorizer(None)
    for row in conn.execute("PRAGMA database_list").fetchall():
        if row[1].startswith(ALIAS):
            conn.execute(f"DETACH DATABASE {row[1]}")


def attachable(conn) -> int:
    """How many more databases this connection can attach (SQLite's limit, 10 unless built otherwise)."""
    return conn.getlimit(sqlite3.SQLITE_LIMIT_ATTACHED) - (len(conn.execute("PRAGMA database_list").fetchall()) - 1)


def _register_functions(conn) -> None:
    conn.create_function("merge_newer_tie", 2, newer_tie, deterministic=True)


def newer_tie(incoming: str, existing: str) -> int:
    """Of two versions with the same ``updated``, as JSON arrays: 1 if the incoming one wins (merge_links._newer)."""
    a, b = json.loads(incoming), json.loads(existing)
    return int(a != b and merge_links._dumps(a) > merge_links._dumps(b))


# -- the merge ----------------------------------------------------------------------------------------------------

def merge_database_links(store, path: str, db: str, report, refuse, latest: str, owners_changed: set) -> None:
    """Within the merge's transaction, after the database's spans: its relations and attribute values, reviewers'
    and gold, from the database attached as ``db``. ``refuse(rec, table, key, reason)`` returns the MergeAborted
    to raise. ``owners_changed``: ids of spans of which the merge met versions of different reviewers (their
    relations' ends are joined with the stored spans)."""
    conn = store.conn
    tables = {r[0] for r in conn.execute(f"SELECT name FROM {db}.sqlite_master WHERE type = 'table'")}
    if not set(LINK_TABLES) <= tables:
        return  # a database made before relations (schema m002)
    _register_functions(conn)
    # the relations' ids and ends are random keys: with SQLite's 2 MB page cache, inserting a million of them into
    # their indexes and looking up their ends reads and spills pages all the time. A larger cache while this runs
    # (a fixed size: memory does not grow with the corpus); the connection's own is put back after.
    caches = {name: conn.execute(f"PRAGMA {name}.cache_size").fetchone()[0] for name in ("main", db)}
    conn.execute(f"PRAGMA main.cache_size = {-LINK_CACHE_KB}")
    conn.execute(f"PRAGMA {db}.cache_size = {-LINK_CACHE_KB // 2}")
    try:
        _merge_tables(store, path, db, report, refuse, latest, owners_changed)
    finally:
        for name, size in caches.items():
            conn.execute(f"PRAGMA {name}.cache_size = {size}")


def _merge_tables(store, path, db, report, refuse, latest, owners_changed) -> None:
    context = (store, path, report, refuse, latest, db)
    _relations(context, owners_changed)
    _attributes(context)
    for table, spans, who, attr, prefix in merge_links.RELATION_TABLES[1:]:
        slow_relations(context, table, spans, who, attr, prefix)
    for table, spans, who, attr, prefix in merge_links.ATTRIBUTE_TABLES[1:]:
        slow_attributes(context, table, spans, who, attr, prefix)


def _good_types(conn, db: str) -> list[str]:
    """The relation type names of the teammate's relations that pass the name check (each checked once)."""
    good = []
    for (raw,) in conn.execute(f"SELECT DISTINCT CAST(type AS BLOB) FROM {db}.relations"):
        try:
            name = raw.decode("utf-8")
            relation_scheme.check_relation_name(name)
        except (UnicodeDecodeError, InvariantError, AttributeError):
            continue
        good.append(name)
    return good


_CLASSES_WON = "('a', 'A', 'u', 'd')"
# How a row is classed: ``CASE WHEN <the checks> THEN <new, newer, older...> ELSE 's' END``. The checks stand in a
# WHEN, where SQLite stops an AND at its first false operand; as a value (``coalesce(<checks>, 0)``) it computes
# every operand of every row, the time checks of times equal to one already checked included (2 s of CPU for a
# million relations). A check that is NULL (an end that is not there) is false: the row goes to the Python path.


def _relations(context, owners_changed: set) -> None:
    store, path, report, refuse, latest, db = context
    conn = store.conn
    good = _good_types(conn, db)
    conn.execute("DROP TABLE IF EXISTS temp.merge_rows")
    o_version = "json_array(o.doc_id, o.head, o.child, o.type, o.annotator, o.created, o.updated, o.deleted)"
    m_version = o_version.replace("o.", "m.")
    fast = (f"{checks.ascii_id('o.id')} AND h.doc_id = o.doc_id AND c.doc_id = o.doc_id AND o.head != o.child "
            f"AND o.type IN (SELECT value FROM json_each(:types)) AND h.annotator = o.annotator "
            f"AND c.annotator = o.annotator AND {checks.our_time('o.created')} "
            f"AND (o.updated = o.created OR {checks.our_time('o.updated')}) "
            f"AND (o.deleted IS NULL OR o.deleted = o.updated OR {checks.our_time('o.deleted')})")
    _refuse_twice(context, "relations", ("id",))
    conn.execute(
        f"CREATE TEMP TABLE merge_rows AS SELECT o.rowid AS orow, m.rowid AS mrow, "
        f"CASE WHEN {fast} THEN CASE "  # a WHEN stops at the first check that fails (see _CLASS)
        f"WHEN m.rowid IS NULL THEN (CASE WHEN o.deleted IS NULL THEN 'a' ELSE 'A' END) "
        f"WHEN m.doc_id IS NOT o.doc_id OR m.head IS NOT o.head OR m.child IS NOT o.child THEN 'm' "
        f"WHEN o.updated < m.updated THEN 'i' "
        f"WHEN o.updated = m.updated AND (o.type IS m.type AND o.annotator IS m.annotator "
        f"AND o.created IS m.created AND o.deleted IS m.deleted "
        f"OR NOT merge_newer_tie({o_version}, {m_version})) THEN 'i' "
        f"WHEN o.deleted IS NOT NULL AND m.deleted IS NULL THEN 'd' ELSE 'u' END ELSE 's' END AS class "
        f"FROM {db}.relations o LEFT JOIN {db}.spans h ON h.id = o.head "
        f"LEFT JOIN {db}.spans c ON c.id = o.child LEFT JOIN main.relations m ON m.id = o.id",
        {"types": json.dumps(good), "latest": latest})
    moved = conn.execute(f"SELECT o.id, m.doc_id FROM temp.merge_rows x JOIN {db}.relations o ON o.rowid = x.orow "
                         f"JOIN main.relations m ON m.rowid = x.mrow WHERE x.class = 'm' LIMIT 1").fetchone()
    if moved:
        raise refuse(Row(path, "relations", []), "relations", moved[0],
                     f"its id is the id of a relation between other spans (of document {moved[1]!r}); a relation "
                     f"never changes its ends")
    table, spans, who, attr, prefix = merge_links.RELATION_TABLES[0]
    slow_relations(context, table, spans, who, attr, prefix, by_rowid=True)
    counts = dict(conn.execute("SELECT class, count(*) FROM temp.merge_rows GROUP BY class").fetchall())
    new_types = [t for t in good if not conn.execute("SELECT 1 FROM main.relation_types WHERE name = ?",
                                                     (t,)).fetchone()]
    won = [t for t in new_types if conn.execute(
        f"SELECT 1 FROM temp.merge_rows x JOIN {db}.relations o ON o.rowid = x.orow WHERE o.type = ? "
        f"AND x.class IN {_CLASSES_WON} LIMIT 1", (t,)).fetchone()]
    merge_links._ensure_types(store, set(won), report)
    conn.execute(
        f"UPDATE main.relations SET type = o.type, annotator = o.annotator, created = o.created, "
        f"updated = o.updated, deleted = o.deleted FROM temp.merge_rows x JOIN {db}.relations o "
        f"ON o.rowid = x.orow WHERE x.class IN ('u', 'd') AND main.relations.rowid = x.mrow")
    _insert(conn, "relations", "(id, doc_id, head, child, type, annotator, created, updated, deleted) "
            "SELECT o.id, o.doc_id, o.head, o.child, o.type, o.annotator, o.created, o.updated, o.deleted "
            f"FROM temp.merge_rows x JOIN {db}.relations o ON o.rowid = x.orow WHERE x.class IN ('a', 'A')")
    merge_links._add_counts(report, prefix, {"added": counts.get("a", 0), "deleted": counts.get("A", 0)
                                             + counts.get("d", 0), "updated": counts.get("u", 0),
                                             "ignored": counts.get("i", 0)})
    if owners_changed:
        _check_stored_ends(context, owners_changed)
    conn.execute("DROP TABLE temp.merge_rows")


def _check_stored_ends(context, owners_changed: set) -> None:
    """A relation written here whose end is a span of which another reviewer's version met it: its ends as stored
    must be of its document and reviewer (merge_links checks a bundle's the same way)."""
    store, path, report, refuse, latest, db = context
    ids = json.dumps(sorted(owners_changed))
    bad = store.conn.execute(
        f"SELECT o.id, h.id IS NULL OR c.id IS NULL, h.doc_id, c.doc_id, h.annotator, c.annotator, o.annotator, "
        f"o.doc_id FROM temp.merge_rows x JOIN {db}.relations o ON o.rowid = x.orow "
        f"LEFT JOIN main.spans h ON h.id = o.head LEFT JOIN main.spans c ON c.id = o.child "
        f"WHERE x.class IN {_CLASSES_WON} AND (o.head IN (SELECT value FROM json_each(:ids)) "
        f"OR o.child IN (SELECT value FROM json_each(:ids))) AND (h.id IS NULL OR c.id IS NULL "
        f"OR h.doc_id != o.doc_id OR c.doc_id != o.doc_id OR h.annotator != o.annotator "
        f"OR c.annotator != o.annotator) LIMIT 1", {"ids": ids}).fetchone()
    if bad:
        reason = ("an end of it is not a span here" if bad[1] else
                  f"its ends are here spans of {', '.join(sorted({bad[4], bad[5]}))} in document(s) "
                  f"{', '.join(sorted({bad[2], bad[3]}))}, not {bad[6]}'s in {bad[7]}")
        raise refuse(Row(path, "relations", []), "relations", bad[0], reason)


def _attributes(context) -> None:
    store, path, report, refuse, latest, db = context
    conn = store.conn
    conn.execute("DROP TABLE IF EXISTS temp.merge_rows")
    o_version = ("json_array(o.doc_id, o.span_id, o.name, json(o.value), o.annotator, "
                 "json(CASE o.proposed WHEN 0 THEN 'false' ELSE 'true' END), o.updated, o.deleted)")
    m_version = o_version.replace("o.", "m.")
    # the checks of the record (its span, there, of its document and reviewer) and of the store (its span here,
    # of the same; the value one its attribute takes, unless it was cleared)
    fast = (f"{checks.ascii_id('o.name')} AND typeof(o.value) = 'text' AND os.doc_id = o.doc_id "
            f"AND os.annotator = o.annotator "
            f"AND ms.doc_id = o.doc_id AND ms.annotator = o.annotator AND o.proposed IN (0, 1) "
            f"AND (CASE WHEN o.deleted IS NULL THEN {checks.value_fits('o.value')} "
            f"ELSE {checks.plain_value('o.value')} END) AND {checks.our_time('o.updated')} "
            f"AND (o.deleted IS NULL OR o.deleted = o.updated OR {checks.our_time('o.deleted')})")
    _refuse_twice(context, "span_attributes", ("span_id", "name"))
    conn.execute(
        f"CREATE TEMP TABLE merge_rows AS SELECT o.rowid AS orow, m.rowid AS mrow, "
        f"CASE WHEN {fast} THEN CASE "
        f"WHEN m.rowid IS NULL THEN 'a' "
        f"WHEN m.doc_id IS NOT o.doc_id THEN 'm' "
        f"WHEN o.updated < m.updated THEN 'i' "
        f"WHEN o.updated = m.updated AND (o.value IS m.value AND o.annotator IS m.annotator "
        f"AND o.proposed IS m.proposed AND o.deleted IS m.deleted "
        f"OR NOT merge_newer_tie({o_version}, {m_version})) THEN 'i' "
        f"WHEN o.deleted IS NOT NULL AND m.deleted IS NULL THEN 'd' ELSE 'u' END ELSE 's' END AS class "
        f"FROM {db}.span_attributes o LEFT JOIN {db}.spans os ON os.id = o.span_id "
        f"LEFT JOIN main.spans ms ON ms.id = o.span_id "
        f"LEFT JOIN main.attribute_defs d ON d.label = ms.label AND d.name = o.name "
        f"LEFT JOIN main.span_attributes m ON m.span_id = o.span_id AND m.name = o.name",
        {"latest": latest})
    moved = conn.execute(f"SELECT o.span_id, o.name, m.doc_id FROM temp.merge_rows x JOIN {db}.span_attributes o "
                         f"ON o.rowid = x.orow JOIN main.span_attributes m ON m.rowid = x.mrow "
                         f"WHERE x.class = 'm' LIMIT 1").fetchone()
    if moved:
        raise refuse(Row(path, "attributes", []), "span_attributes", (moved[0], moved[1]),
                     f"its span is here of document {moved[2]!r}")
    table, spans, who, attr, prefix = merge_links.ATTRIBUTE_TABLES[0]
    slow_attributes(context, table, spans, who, attr, prefix, by_rowid=True)
    # an entity the registry lacks is made from its span's text, as merge_links does (one per id: the first row)
    for entity_id, stamp, text, _ in conn.execute(
            f"SELECT json_extract(o.value, '$'), o.updated, ms.text, min(o.rowid) FROM temp.merge_rows x "
            f"JOIN {db}.span_attributes o ON o.rowid = x.orow JOIN main.spans ms ON ms.id = o.span_id "
            f"JOIN main.attribute_defs d ON d.label = ms.label AND d.name = o.name AND d.type = 'entity' "
            f"WHERE x.class IN ('a', 'u', 'd') AND o.deleted IS NULL "
            f"AND o.name IN (SELECT name FROM main.attribute_defs WHERE type = 'entity') "  # before the span's look-up
            f"AND json_extract(o.value, '$') NOT IN (SELECT id FROM main.entities) "
            f"GROUP BY json_extract(o.value, '$')").fetchall():
        merge_links._add_entity(conn, entity_id, merge_links._entity_name(text), stamp)
        report.entities_added += 1
    counts = dict(conn.execute("SELECT class, count(*) FROM temp.merge_rows GROUP BY class").fetchall())
    conn.execute(
        f"UPDATE main.span_attributes SET value = o.value, annotator = o.annotator, proposed = o.proposed, "
        f"updated = o.updated, deleted = o.deleted FROM temp.merge_rows x JOIN {db}.span_attributes o "
        f"ON o.rowid = x.orow WHERE x.class IN ('u', 'd') AND main.span_attributes.rowid = x.mrow")
    _insert(conn, "span_attributes", "(span_id, doc_id, name, value, annotator, proposed, updated, deleted) "
            "SELECT o.span_id, o.doc_id, o.name, o.value, o.annotator, o.proposed, o.updated, o.deleted "
            f"FROM temp.merge_rows x JOIN {db}.span_attributes o ON o.rowid = x.orow WHERE x.class = 'a'")
    merge_links._add_counts(report, prefix, {"added": counts.get("a", 0), "deleted": counts.get("d", 0),
                                             "updated": counts.get("u", 0), "ignored": counts.get("i", 0)})
    conn.execute("DROP TABLE temp.merge_rows")


_CREATE_INDEX = re.compile(r"^(CREATE\s+(?:UNIQUE\s+)?INDEX\s+)", re.I)


def _insert(conn, table: str, rows: str) -> None:
    """INSERT ``rows`` (columns and SELECT) into ``main.table``. Into an empty table (the first merge into a new
    team database, the largest there is) every index of the table, its key's too (schema m009), is dropped and
    built again after: one sort each instead of a million inserts at random places of B-trees far larger than the
    page cache, and the rows go in the teammate's order (a document's together) without being sorted first. The
    keys are unique: a table whose key the teammate's database does not hold unique was refused before
    (``_refuse_twice``), and no row of the merge's is there yet. In the merge's transaction: a rollback brings the
    indexes back with the rest."""
    empty = conn.execute(f"SELECT 1 FROM main.{table} LIMIT 1").fetchone() is None
    indexes = conn.execute("SELECT name, sql FROM main.sqlite_master WHERE type = 'index' AND tbl_name = ? "
                           "AND sql IS NOT NULL", (table,)).fetchall() if empty else []
    for name, _ in indexes:
        conn.execute(f'DROP INDEX main."{name}"')
    conn.execute(f"INSERT INTO main.{table} {rows}")
    for _, sql in indexes:
        conn.execute(_CREATE_INDEX.sub(r"\1main.", sql, count=1))


def _refuse_twice(context, table: str, key: tuple) -> None:
    """Refuse a teammate's table that holds a key twice. Ours keeps its key unique (a primary key before schema
    m009, a unique index since), which the database's own schema says; only a table rebuilt without it (a forged
    one) is read to find a key given twice, and it may hold none."""
    store, path, report, refuse, latest, db = context
    conn = store.conn
    for _, name, unique, _, partial in conn.execute(f"PRAGMA {db}.index_list('{table}')").fetchall():
        if unique and not partial and tuple(r[2] for r in conn.execute(f"PRAGMA {db}.index_info('{name}')")) == key:
            return
    columns = ", ".join(key)
    twice = conn.execute(f"SELECT {columns} FROM {db}.{table} GROUP BY {columns} HAVING count(*) > 1 "
                         f"LIMIT 1").fetchone()
    if twice:
        attr = "relations" if table == "relations" else "attributes"
        raise refuse(Row(path, attr, []), table, twice[0] if len(key) == 1 else tuple(twice),
                     "the table holds it twice (its key is not unique there)")
