"""The temporary tables and the writes of the set-based merge of a teammate's relations and attribute values
(store/merge_database_links.py): ``temp.merge_ends``, the ends its checks ask of both databases; ``temp.merge_rows``,
the rows that are not new; the insert of the rows that win.
"""
from __future__ import annotations

import re


def make_ends(conn, db: str) -> None:
    """``temp.merge_ends``: each span of the teammate's, keyed by document and id, with its reviewer there and, if
    the span of that id here is of the same document, its reviewer and label here: what the checks of a relation's
    ends and of a value's span ask of both databases.

    Looked up by id, a million relations' ends and the values' spans are a million look-ups at random places of
    the two spans tables' id indexes (each far larger than the page cache): 3 s of CPU for relations, 2 s for the
    values. Keyed by document first, the look-ups of a document's relations and values fall on one page. It is
    made in the order of both databases' index by document and offsets: the teammate's spans are read, and ours
    looked up, in order. A span whose version here has other offsets is looked up by id after (few)."""
    conn.execute("DROP TABLE IF EXISTS temp.merge_ends")
    conn.execute("CREATE TEMP TABLE merge_ends (doc_id, id, annotator, here_annotator, here_label, "
                 "PRIMARY KEY (doc_id, id)) WITHOUT ROWID")
    if not conn.execute(f"SELECT EXISTS (SELECT 1 FROM {db}.relations) OR EXISTS (SELECT 1 FROM {db}.span_attributes)"
                        ).fetchone()[0]:
        return  # a database without relations and values (most): its spans are not read twice
    # a teammate's table rebuilt without its key (forged) may give an id twice in a document: such a span checks
    # nothing on the fast path (its relations and values take the Python checks, which word the refusal)
    conn.execute(
        f"INSERT INTO temp.merge_ends SELECT s.doc_id, s.id, s.annotator, m.annotator, m.label FROM {db}.spans s "
        f"LEFT JOIN main.spans m INDEXED BY spans_by_document ON m.doc_id = s.doc_id AND m.start = s.start "
        f"AND m.\"end\" = s.\"end\" AND m.id = s.id WHERE true ORDER BY s.doc_id, s.start, s.\"end\" "
        f"ON CONFLICT (doc_id, id) DO UPDATE SET annotator = NULL, here_annotator = NULL")
    conn.execute("UPDATE temp.merge_ends SET here_annotator = m.annotator, here_label = m.label FROM main.spans m "
                 "WHERE merge_ends.here_annotator IS NULL AND merge_ends.annotator IS NOT NULL "
                 "AND m.id = merge_ends.id AND m.doc_id = merge_ends.doc_id")


_CREATE_INDEX = re.compile(r"^(CREATE\s+(?:UNIQUE\s+)?INDEX\s+)", re.I)


def create_rows(conn) -> None:
    conn.execute("DROP TABLE IF EXISTS temp.merge_rows")
    conn.execute("CREATE TEMP TABLE merge_rows (orow INTEGER PRIMARY KEY, mrow INTEGER, class TEXT)")


# The classing query's end: a subquery with a LIMIT is neither flattened into the outer query nor given its WHERE,
# so the class is computed once a row and only the rows that are not new are written.
KEEP_NOT_NEW = "LIMIT -1) WHERE class != 'a'"


def insert(conn, table: str, rows: str) -> int:
    """INSERT ``rows`` (columns and SELECT) into ``main.table``. Into an empty table (the first merge into a new
    team database, the largest there is) every index of the table, its key's too (schema m009), is dropped and
    built again after: one sort each instead of a million inserts at random places of B-trees far larger than the
    page cache, and the rows go in the teammate's order (a document's together) without being sorted first. The
    keys are unique: a table whose key the teammate's database does not hold unique was refused before
    (``merge_database_links._refuse_twice``), and no row of the merge's is there yet. In the merge's transaction: a rollback brings the
    indexes back with the rest."""
    empty = conn.execute(f"SELECT 1 FROM main.{table} LIMIT 1").fetchone() is None
    indexes = conn.execute("SELECT name, sql FROM main.sqlite_master WHERE type = 'index' AND tbl_name = ? "
                           "AND sql IS NOT NULL", (table,)).fetchall() if empty else []
    for name, _ in indexes:
        conn.execute(f'DROP INDEX main."{name}"')
    inserted = conn.execute(f"INSERT INTO main.{table} {rows}").rowcount
    for _, sql in indexes:
        conn.execute(_CREATE_INDEX.sub(r"\1main.", sql, count=1))
    return inserted
