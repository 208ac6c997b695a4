"""Queries the review window needs that the Store does not offer (functions taking a Store; SQL stays in store/)."""
from __future__ import annotations


def document_row(store, doc_id: str, *, annotator: str | None = None, status: str | None = None,
                 search: str | None = None) -> int | None:
    """Where ``doc_id`` sits in ``store.list_documents(...)`` with the same filter, or None if it is not listed.

    Two indexed lookups, whatever the corpus size: a list model can select the open document in a list of
    100,000 rows without walking its pages.
    """
    found = store.conn.execute("SELECT rowid FROM documents WHERE id = ?", (doc_id,)).fetchone()
    if found is None:
        return None
    clause, params = store._document_filter(annotator, status, search)
    glue = " AND " if clause else " WHERE "
    listed = store.conn.execute(
        f"SELECT count(*) FROM documents d{clause}{glue}d.rowid = ?", [*params, found[0]]
    ).fetchone()[0]
    if not listed:
        return None
    return store.conn.execute(
        f"SELECT count(*) FROM documents d{clause}{glue}d.rowid < ?", [*params, found[0]]
    ).fetchone()[0]
