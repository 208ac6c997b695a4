"""Queries that feed the findings (annotator/findings): documents' dates and publishers, one layer's spans with
the text around each commitment, statuses, and (where the database has them) relations, attributes and the
canonical organisations.

Everything streams in document-id order: cursors on one connection, walked side by side (``_Follower``), inside
one read transaction so they see one snapshot; one document's text at a time.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from itertools import groupby
from operator import itemgetter

from .store import Store


class _Follower:
    """Rows of a cursor ordered by document id, handed out one document's at a time as the documents go by (the
    same walk as bulk._Follower, grouped by itertools.groupby: the grouping loop runs in C, and this pass reads a
    million rows and more)."""

    def __init__(self, cursor):
        self.groups = groupby(cursor, key=itemgetter(0))
        self.head = next(self.groups, None)

    def take(self, key) -> list:
        while self.head is not None and self.head[0] < key:
            self.head = next(self.groups, None)
        if self.head is not None and self.head[0] == key:
            rows = list(self.head[1])  # taken before the next group, which ends this one
            self.head = next(self.groups, None)
            return rows
        return []

def has_table(store: Store, name: str) -> bool:
    return store.conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


@contextmanager
def snapshot(store: Store):
    """One read transaction around the cursors, so documents, spans and statuses agree with each other even when
    another connection writes meanwhile. A caller already inside a transaction reads in it."""
    conn = store.conn
    mine = not conn.in_transaction
    if mine:
        conn.execute("BEGIN")
    try:
        yield
    finally:
        if mine and conn.in_transaction:
            conn.execute("ROLLBACK")  # nothing was written: ending the read is all this does


def data_version(store: Store) -> int:
    """SQLite's count of commits by other connections, as this connection sees it (outside a transaction): equal
    before and after a read done by several processes means they all read the same database."""
    return store.conn.execute("PRAGMA data_version").fetchone()[0]


Part = tuple  # (first document id or None, the id it stops before or None): a range of documents, by id


def _within(column: str, part: Part | None) -> tuple[str, list]:
    """The SQL condition (after AND) and parameters keeping the rows of a range of documents."""
    lo, hi = part or (None, None)
    sql, params = "", []
    if lo is not None:
        sql, params = f" AND {column} >= ?", [lo]
    if hi is not None:
        sql, params = sql + f" AND {column} < ?", params + [hi]
    return sql, params


def middle_document(store: Store) -> str | None:
    """The id of the document half way through the corpus in id order: where a second process starts."""
    n = store.conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    row = store.conn.execute("SELECT id FROM documents ORDER BY id LIMIT 1 OFFSET ?", (n // 2,)).fetchone()
    return row[0] if row else None


def documents(store: Store, part: Part | None = None) -> Iterator[tuple[str, str, object, object, str]]:
    """(id, title, meta date, meta publisher, text) of every document (of ``part``), in id order; date and
    publisher as stored (any JSON value, or None). One text at a time: the caller finds sentences and quotations
    in it."""
    where, params = _within("id", part)
    return store.conn.execute(
        "SELECT id, title, json_extract(meta, '$.date'), json_extract(meta, '$.publisher'), text FROM documents "
        f"WHERE 1{where} ORDER BY id", params)


def layer_spans(store: Store, *, gold: bool, annotator: str | None, part: Part | None = None) -> _Follower:
    """Live spans of the reviewers (or of the gold layer), grouped by document in id order, in reading order:
    (doc_id, span id, start, end, label, text, annotator or curator)."""
    table, who = ("gold_spans", "curator") if gold else ("spans", "annotator")
    where, params = "deleted IS NULL", []
    if annotator is not None:
        where += f" AND {who} = ?"
        params.append(annotator)
    more, more_params = _within("doc_id", part)
    where, params = where + more, params + more_params
    return _Follower(store.conn.execute(
        f'SELECT doc_id, id, start, "end", label, text, {who} FROM {table} WHERE {where} ORDER BY doc_id, start',
        params))


def reviews(store: Store, part: Part | None = None) -> _Follower:
    """(doc_id, annotator, status) of every status, grouped by document in id order."""
    where, params = _within("doc_id", part)
    return _Follower(store.conn.execute(
        f"SELECT doc_id, annotator, status FROM reviews WHERE 1{where} ORDER BY doc_id, annotator", params))


def relations(store: Store, *, gold: bool, part: Part | None = None) -> _Follower | None:
    """(doc_id, head, child, type) of every live relation of the layer, by document; None where the database has
    no relations yet (made before they existed)."""
    table = "gold_relations" if gold else "relations"
    if not has_table(store, table):
        return None
    where, params = _within("doc_id", part)
    return _Follower(store.conn.execute(
        f"SELECT doc_id, head, child, type FROM {table} WHERE deleted IS NULL{where} ORDER BY doc_id", params))


ATTRIBUTES = ("entity", "value", "unit", "approximate", "kind")  # the attributes the findings read


def attributes(store: Store, *, gold: bool, part: Part | None = None) -> _Follower | None:
    """(doc_id, span id, name, value) of every live attribute of the layer the findings read (ATTRIBUTES), by
    document; None where the database
    has no attributes. The stored JSON is read by SQLite (json_extract): a string or a number comes as itself, true
    and false as 1 and 0."""
    table = "gold_span_attributes" if gold else "span_attributes"
    if not has_table(store, table):
        return None
    where, params = _within("doc_id", part)
    return _Follower(store.conn.execute(
        f"SELECT doc_id, span_id, name, CASE WHEN json_valid(value) THEN json_extract(value, '$') ELSE value END "
        f"FROM {table} WHERE deleted IS NULL AND name IN ({', '.join('?' * len(ATTRIBUTES))}){where} ORDER BY doc_id",
        [*ATTRIBUTES, *params]))


def entity_names(store: Store) -> dict[str, tuple[str, str]]:
    """Every organisation of the registry by its id: (the id links count under, its canonical name). An entity
    merged into another counts as the one it was merged into (links may still name the old id). Empty without a
    registry."""
    if not has_table(store, "entities"):
        return {}
    rows = {r[0]: (r[1], r[2]) for r in store.conn.execute("SELECT id, name, merged_into FROM entities")}
    out = {}
    for entity_id in rows:
        kept, seen = entity_id, set()
        while rows[kept][1] and rows[kept][1] in rows and kept not in seen:
            seen.add(kept)
            kept = rows[kept][1]
        out[entity_id] = (kept, rows[kept][0])
    return out


def coverage(store: Store) -> list[tuple[str, int, int, int, int]]:
    """Per reviewer (everyone with a span or a status): documents done, skipped, live spans, live commitments
    (label COMMITMENT), by name. One pass over the spans and one over the statuses, whatever the number of
    reviewers."""
    q = store.conn.execute
    tagged = {who: (n, c) for who, n, c in q(
        "SELECT annotator, count(*), sum(label = 'COMMITMENT') FROM spans WHERE deleted IS NULL GROUP BY annotator")}
    marked = {who: (d, k) for who, d, k in q(
        "SELECT annotator, sum(status = 'done'), sum(status = 'skipped') FROM reviews GROUP BY annotator")}
    return [(who, *marked.get(who, (0, 0)), *tagged.get(who, (0, 0))) for who in sorted(tagged.keys() | marked.keys())]


def corpus_counts(store: Store) -> dict[str, int]:
    """Documents, documents someone marked done, documents done by two or more, documents with gold spans."""
    q = store.conn.execute
    return {
        "documents": q("SELECT count(*) FROM documents").fetchone()[0],
        "reviewed": q("SELECT count(DISTINCT doc_id) FROM reviews WHERE status = 'done'").fetchone()[0],
        "reviewed_by_several": q(
            "SELECT count(*) FROM (SELECT doc_id FROM reviews WHERE status = 'done' GROUP BY doc_id "
            "HAVING count(*) > 1)").fetchone()[0],
        "curated": q("SELECT count(DISTINCT doc_id) FROM gold_spans WHERE deleted IS NULL").fetchone()[0],
    }
