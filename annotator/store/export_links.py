"""The canonical export's reviewers' relations and attribute values read by the compiled follower
(store/_export_links.c: its head says what it does and why it is safe), or None where it cannot be used: then
store/bulk_export.py reads them through Python's sqlite3 as before, and canonical JSONL writes the same bytes.

The follower steps its statement on the store's own connection and writes each document's relations as the JSON
text canonical JSONL holds (``DocumentRecord.relations_json``), its attribute values as the dicts it puts on the
spans (``DocumentRecord.attribute_values``): at 100,000 articles with 1,000,000 relations, no Python object per
relation, no tuple per row, and SQLite's index walked in document order without sorting every relation.
"""
from __future__ import annotations

import sqlite3
import sys

try:
    from . import _export_links
except ImportError:  # no C compiler where it was installed
    _export_links = None

RELATIONS, ATTRIBUTES = 0, 1
_bound: bool | None = None


def usable() -> bool:
    """The compiled follower is built and has found the SQLite library Python's sqlite3 module uses."""
    global _bound
    if _bound is None:
        _bound = False
        if _export_links is not None and sys.platform.startswith(("linux", "darwin")):
            import _sqlite3

            _bound = _export_links.bind(getattr(_sqlite3, "__file__", ""), sqlite3.sqlite_version,
                                        sqlite3.Connection)
    return _bound


def follower(conn, sql: str, params, kind: int):
    """A follower of ``sql`` (RELATION_COLUMNS or ATTRIBUTE_COLUMNS ordered by doc_id) on ``conn``, or None."""
    if not usable() or type(conn) is not sqlite3.Connection:
        return None
    if any(type(p) is not str for p in params):
        return None
    main = next((row[2] for row in conn.execute("PRAGMA database_list") if row[1] == "main"), None)
    if main is None:
        return None
    return _export_links.follower(conn, main, sql, tuple(params), kind)
