"""The SQL half of ``annotator sync``: what was already taken from each shared place, and the queries a sync reads.

A sync records, per shared place, the SHA-256 of every teammate file it merged (``sync_files``) and what each of
those files says of its owner's own work (``sync_claims``). A file whose bytes have not changed since is not read
again; the claims are what a sync checks a file against (who wrote what) and what it leaves out of my own file.
Both are written in the transaction of the merge they describe, so they never say more than the database holds.
"""
from __future__ import annotations

import json
from typing import Iterator

from ..core.model import Document, DocumentRecord, GoldSpan, Review, Span
from .bulk_export import GOLD_ATTRIBUTE_COLUMNS, GOLD_RELATION_COLUMNS
from .bulk_export import _fill_links as fill_links
from .relations import ATTRIBUTE_COLUMNS, RELATION_COLUMNS
from .store import SPAN_COLUMNS, Store


def file_digests(store: Store, place: str) -> dict[str, str]:
    return dict(store.conn.execute("SELECT name, sha256 FROM sync_files WHERE place = ?", (place,)))


def record_file(store: Store, place: str, name: str, sha: str) -> None:
    store.conn.execute(
        "INSERT INTO sync_files (place, name, sha256) VALUES (?, ?, ?) "
        "ON CONFLICT (place, name) DO UPDATE SET sha256 = excluded.sha256", (place, name, sha))


def forget_file(store: Store, place: str, name: str) -> None:
    store.conn.execute("DELETE FROM sync_files WHERE place = ? AND name = ?", (place, name))


def claims(store: Store, place: str) -> dict[str, dict[str, tuple[str, bool]]]:
    """owner -> item -> (version, whether it is the owner's own work), for every file taken in."""
    out: dict[str, dict[str, tuple[str, bool]]] = {}
    for owner, item, version, own in store.conn.execute(
            "SELECT owner, item, version, own FROM sync_claims WHERE place = ?", (place,)):
        out.setdefault(owner, {})[item] = (version, bool(own))
    return out


def record_claims(store: Store, place: str, owner: str, said: dict[str, tuple[str, bool]]) -> None:
    store.conn.execute("DELETE FROM sync_claims WHERE place = ? AND owner = ?", (place, owner))
    store.conn.executemany("INSERT INTO sync_claims (place, owner, item, version, own) VALUES (?, ?, ?, ?, ?)",
                           [(place, owner, item, v, int(own)) for item, (v, own) in said.items()])


def document_versions(store: Store) -> Iterator[tuple[str, str, str | None, dict]]:
    """(id, title, source, meta) of every document: what a document's metadata file in the shared place holds."""
    for doc_id, title, source, meta in store.conn.execute("SELECT id, title, source, meta FROM documents"):
        yield doc_id, title, source, {} if meta == "{}" else json.loads(meta)


def documents_text(store: Store, ids) -> Iterator[tuple[str, str]]:
    """(id, text) of the given documents."""
    yield from store.conn.execute(
        "SELECT id, text FROM documents WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(list(ids)),))


def work_by_document(store: Store) -> Iterator[DocumentRecord]:
    """The work of every document that has any (spans, reviews, gold spans, and the relations and attribute
    values of those spans), tombstones included, in id order: what reviewer files are made of. The records'
    documents hold the id only: the texts are not read."""
    conn = store.conn
    spans: dict[str, list] = {}
    for row in conn.execute(f"SELECT {SPAN_COLUMNS} FROM spans"):
        spans.setdefault(row[1], []).append(Span(*row))
    reviews: dict[str, list] = {}
    for doc_id, annotator, status, note, updated in conn.execute(
            "SELECT doc_id, annotator, status, note, updated FROM reviews ORDER BY annotator"):
        reviews.setdefault(doc_id, []).append(Review(doc_id, annotator, status, note, updated))
    gold: dict[str, list] = {}
    for row in conn.execute('SELECT id, doc_id, start, "end", label, text, curator, note, created, updated, deleted, '
                            "sources FROM gold_spans"):
        gold.setdefault(row[1], []).append(GoldSpan(*row[:11], sources=tuple(json.loads(row[11]))))
    links = {}
    for table, columns, order_by in (("relations", RELATION_COLUMNS, "created, id"),
                                     ("span_attributes", ATTRIBUTE_COLUMNS, "span_id, name"),
                                     ("gold_relations", GOLD_RELATION_COLUMNS, "created, id"),
                                     ("gold_span_attributes", GOLD_ATTRIBUTE_COLUMNS, "span_id, name")):
        rows: dict[str, list] = {}
        for row in conn.execute(f"SELECT doc_id, {columns} FROM {table} ORDER BY {order_by}"):
            rows.setdefault(row[0], []).append(row)
        links[table] = rows
    order = lambda s: (s.start, -s.end, s.label, s.annotator, s.id)  # noqa: E731 (the export's reading order)
    for doc_id in sorted(spans.keys() | reviews.keys() | gold.keys()):
        rec = DocumentRecord(Document(doc_id, ""), sorted(spans.get(doc_id, ()), key=order), reviews.get(doc_id, []),
                             sorted(gold.get(doc_id, ()), key=order))
        fill_links(rec, links["relations"].get(doc_id, []), links["span_attributes"].get(doc_id, []), rec.spans,
                   False)
        fill_links(rec, links["gold_relations"].get(doc_id, []), links["gold_span_attributes"].get(doc_id, []),
                   rec.gold, True)
        yield rec
