"""Queries that feed curation: agreement input, consistency input, a document's reviewers' spans and gold rows.

Each streams in document-id order (cursors walked side by side), so memory does not grow with the corpus.
"""
from __future__ import annotations

import json
from typing import Iterator, Sequence

from .bulk_export import _Follower
from .store import Store


def _marks(n: int) -> str:
    return ",".join("?" * n)


def reviewers(store: Store) -> list[str]:
    """Reviewers who marked at least one document done, by name."""
    return [r[0] for r in store.conn.execute("SELECT DISTINCT annotator FROM reviews WHERE status = 'done' ORDER BY 1")]


def span_annotators(store: Store) -> list[str]:
    """Everyone with at least one live span, by name."""
    return [r[0] for r in store.conn.execute("SELECT DISTINCT annotator FROM spans WHERE deleted IS NULL ORDER BY 1")]


def compared_documents_sql(annotators: Sequence[str], all_documents: bool) -> tuple[str, list]:
    """The documents an agreement compares, as a subquery of ids.

    By default, the documents that every one of ``annotators`` marked done: a document someone has not finished
    (or skipped) would count their missing spans as disagreements. With ``all_documents``, every document that one
    of them marked done or put a live span in."""
    k = len(annotators)
    if not all_documents:
        return (
            f"SELECT doc_id FROM reviews WHERE status = 'done' AND annotator IN ({_marks(k)}) "
            f"GROUP BY doc_id HAVING count(*) = ?",
            [*annotators, k],
        )
    return (
        f"SELECT doc_id FROM reviews WHERE status = 'done' AND annotator IN ({_marks(k)}) "
        f"UNION SELECT doc_id FROM spans WHERE deleted IS NULL AND annotator IN ({_marks(k)})",
        [*annotators, *annotators],
    )


def count_compared_documents(store: Store, annotators: Sequence[str], all_documents: bool = False) -> int:
    sub, params = compared_documents_sql(annotators, all_documents)
    return store.conn.execute(f"SELECT count(*) FROM ({sub})", params).fetchone()[0]


def agreement_input(
    store: Store, annotators: Sequence[str], label: str | None = None, all_documents: bool = False
) -> Iterator[tuple[str, str, str, list[tuple[str, int, int, str]]]]:
    """(doc id, title, text, live spans of the annotators as (annotator, start, end, label)) for each compared
    document, in id order."""
    conn = store.conn
    sub, params = compared_documents_sql(annotators, all_documents)
    docs = conn.execute(f"SELECT id, title, text FROM documents WHERE id IN ({sub}) ORDER BY id", params)
    where = f"deleted IS NULL AND annotator IN ({_marks(len(annotators))})"
    sparams: list = list(annotators)
    if label is not None:
        where += " AND label = ?"
        sparams.append(label)
    spans = _Follower(
        conn.execute(f'SELECT annotator, doc_id, start, "end", label FROM spans WHERE {where} ORDER BY doc_id', sparams)
    )
    for doc_id, title, text in docs:
        yield doc_id, title, text, [(r[0], r[2], r[3], r[4]) for r in spans.take(doc_id)]


def tagged_spans(store: Store, annotators: Sequence[str] = (), labels: Sequence[str] = (), gold: bool = False):
    """(text, label, doc_id, start, end, annotator) of every live span (or gold span), for consistency review."""
    table, who = ("gold_spans", "curator") if gold else ("spans", "annotator")
    where, params = ["deleted IS NULL"], []
    if annotators:
        where.append(f"{who} IN ({_marks(len(annotators))})")
        params += list(annotators)
    if labels:
        where.append(f"label IN ({_marks(len(labels))})")
        params += list(labels)
    return store.conn.execute(
        f'SELECT text, label, doc_id, start, "end", {who} FROM {table} WHERE {" AND ".join(where)}', params
    )


def document_texts(store: Store) -> Iterator[tuple[str, str]]:
    """(id, text) of every document, in id order."""
    return store.conn.execute("SELECT id, text FROM documents ORDER BY id")


def live_ranges(store: Store, annotators: Sequence[str] = (), gold: bool = False) -> Iterator[tuple[str, list]]:
    """Per document (id order), the (start, end) of every live span (of the annotators, or of the gold layer)."""
    table, who = ("gold_spans", "curator") if gold else ("spans", "annotator")
    where, params = "deleted IS NULL", []
    if annotators:
        where += f" AND {who} IN ({_marks(len(annotators))})"
        params = list(annotators)
    cursor = store.conn.execute(f'SELECT doc_id, start, "end" FROM {table} WHERE {where} ORDER BY doc_id', params)
    current, rows = None, []
    for doc_id, start, end in cursor:
        if doc_id != current:
            if rows:
                yield current, rows
            current, rows = doc_id, []
        rows.append((start, end))
    if rows:
        yield current, rows


def document_titles(store: Store, doc_ids: Sequence[str]) -> dict[str, str]:
    if not doc_ids:
        return {}
    return dict(store.conn.execute(
        "SELECT id, title FROM documents WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(list(doc_ids)),)
    ))


def reviewers_done(store: Store, doc_id: str) -> list[str]:
    """Who marked this document done."""
    return [r[0] for r in store.conn.execute(
        "SELECT annotator FROM reviews WHERE doc_id = ? AND status = 'done' ORDER BY annotator", (doc_id,))]


def done_by_document(store: Store) -> dict[str, list[str]]:
    """For every document someone marked done, who did."""
    out: dict[str, list[str]] = {}
    for doc_id, who in store.conn.execute(
        "SELECT doc_id, annotator FROM reviews WHERE status = 'done' ORDER BY doc_id, annotator"
    ):
        out.setdefault(doc_id, []).append(who)
    return out


class LinkInput:
    """The reviewers' live relations and attribute values of the compared documents, handed out a document at a
    time in id order (walked beside ``agreement_input``): relations as (annotator, head (start, end, label), child
    (start, end, label), type), values as (annotator, (start, end, label), name, value). A relation counts when it
    and both its ends are live (and, with a label, both ends have it)."""

    def __init__(self, store: Store, annotators: Sequence[str], label: str | None = None,
                 all_documents: bool = False):
        sub, params = compared_documents_sql(annotators, all_documents)
        marks = _marks(len(annotators))
        only = " AND h.label = ? AND c.label = ?" if label is not None else ""
        self._relations = _Follower(store.conn.execute(
            f'SELECT r.annotator, r.doc_id, h.start, h."end", h.label, c.start, c."end", c.label, r.type '
            f"FROM relations r JOIN spans h ON h.id = r.head JOIN spans c ON c.id = r.child "
            f"WHERE r.deleted IS NULL AND h.deleted IS NULL AND c.deleted IS NULL AND r.annotator IN ({marks}) "
            f"AND r.doc_id IN ({sub}){only} ORDER BY r.doc_id",
            [*annotators, *params, *([label, label] if label is not None else [])]))
        self._attributes = _Follower(store.conn.execute(
            f'SELECT a.annotator, a.doc_id, s.start, s."end", s.label, a.name, a.value FROM span_attributes a '
            f"JOIN spans s ON s.id = a.span_id WHERE a.deleted IS NULL AND s.deleted IS NULL "
            f"AND a.annotator IN ({marks}) AND a.doc_id IN ({sub})"
            + (" AND s.label = ?" if label is not None else "") + " ORDER BY a.doc_id",
            [*annotators, *params, *([label] if label is not None else [])]))

    def take(self, doc_id: str) -> tuple[list, list]:
        relations = [(r[0], (r[2], r[3], r[4]), (r[5], r[6], r[7]), r[8]) for r in self._relations.take(doc_id)]
        values = [(r[0], (r[2], r[3], r[4]), r[5], json.loads(r[6])) for r in self._attributes.take(doc_id)]
        return relations, values
