"""The gold layer: the spans a curator settled on, kept in ``gold_spans`` with the curator and the reviewers'
span ids they were taken from (``sources``).

A curator can also reject a reviewer's span. A rejection is kept in ``gold_spans`` too, as a row that is deleted
(a tombstone, so it is never gold) with the note ``rejected`` and the rejected spans as its sources: it merges
like any gold row, and curation progress counts it as a decision. Gold ids are derived from the document, range
and label (a UUID 5), so two curators taking the same span make the same row, and a merge of their work keeps
one.

Each function is one transaction and sends one ``Change("gold", doc_id, ids)``.
"""
from __future__ import annotations

import json
import uuid
from typing import Iterable, Iterator, Sequence

from ..core.errors import InvariantError, NotFound
from ..core.model import Document, DocumentRecord, GoldSpan, Span
from . import gold_links
from .bulk_export import _Follower
from .store import Change, Store, now

COLUMNS = 'id, doc_id, start, "end", label, text, curator, note, created, updated, deleted, sources'
REJECTED = "rejected"
NAMESPACE = uuid.UUID("5f0c2d0e-6a57-4d2b-9a0e-3c1b7d4e9f21")


def gold_id(doc_id: str, start: int, end: int, label: str, kind: str = "gold") -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{doc_id}:{start}:{end}:{label}"))


def _from_row(row) -> GoldSpan:
    return GoldSpan(*row[:11], sources=tuple(json.loads(row[11])))


def is_rejection(s: Span) -> bool:
    return bool(s.deleted) and s.note == REJECTED


def get(store: Store, span_id: str) -> GoldSpan:
    row = store.conn.execute(f"SELECT {COLUMNS} FROM gold_spans WHERE id = ?", (span_id,)).fetchone()
    if row is None:
        raise NotFound(f"no gold span with id {span_id}")
    return _from_row(row)


def find(store: Store, span_id: str) -> GoldSpan | None:
    row = store.conn.execute(f"SELECT {COLUMNS} FROM gold_spans WHERE id = ?", (span_id,)).fetchone()
    return _from_row(row) if row else None


def spans(store: Store, doc_id: str) -> list[GoldSpan]:
    """A document's live gold spans in reading order."""
    rows = store.conn.execute(
        f'SELECT {COLUMNS} FROM gold_spans WHERE doc_id = ? AND deleted IS NULL ORDER BY start, "end" DESC, label, id',
        (doc_id,),
    )
    return [_from_row(r) for r in rows]


def rejections(store: Store, doc_id: str) -> list[GoldSpan]:
    rows = store.conn.execute(
        f'SELECT {COLUMNS} FROM gold_spans WHERE doc_id = ? AND deleted IS NOT NULL AND note = ? ORDER BY start, "end" DESC, label, id',
        (doc_id, REJECTED),
    )
    return [_from_row(r) for r in rows]


def _write(store: Store, s: GoldSpan, insert: bool) -> GoldSpan:
    values = (s.doc_id, s.start, s.end, s.label, s.text, s.annotator, s.note, s.created, s.updated, s.deleted,
              json.dumps(list(s.sources)))
    with store.transaction():
        if insert:
            store.conn.execute(f"INSERT INTO gold_spans ({COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", (s.id, *values))
        else:
            store.conn.execute(
                'UPDATE gold_spans SET doc_id = ?, start = ?, "end" = ?, label = ?, text = ?, curator = ?, note = ?, '
                "created = ?, updated = ?, deleted = ?, sources = ? WHERE id = ?",
                (*values, s.id),
            )
    store._notify(Change("gold", s.doc_id, (s.id,)))
    return s


def _check(store: Store, doc_id: str, start: int, end: int, label: str, curator: str) -> str:
    if not curator:
        raise InvariantError("a gold span needs a curator")
    store._check_label(label)
    return store._checked_text(doc_id, start, end)


def take(
    store: Store, doc_id: str, start: int, end: int, label: str, curator: str, sources: Sequence[str] = ()
) -> tuple[GoldSpan, bool]:
    """Put (start, end, label) into the gold layer. Returns the gold span and whether this call made it live
    (False if an equal gold span was already there: its sources are then widened)."""
    text = _check(store, doc_id, start, end, label, curator)
    same = store.conn.execute(
        f'SELECT {COLUMNS} FROM gold_spans WHERE doc_id = ? AND start = ? AND "end" = ? AND label = ? '
        "AND deleted IS NULL ORDER BY id LIMIT 1",
        (doc_id, start, end, label),
    ).fetchone()
    if same:
        have = _from_row(same)
        more = tuple(sorted(set(have.sources) | set(sources)))
        if more != have.sources:
            with store.transaction():
                have = _write(store, have.evolve(sources=more, updated=now()), insert=False)
                gold_links.take_links(store, have, curator)
        return have, False
    stamp = now()
    new_id = gold_id(doc_id, start, end, label)
    old = find(store, new_id)
    if old is not None and (old.deleted is None or (old.doc_id, old.start, old.end, old.label) != (doc_id, start, end, label)):
        new_id, old = str(uuid.uuid4()), None  # that id has moved on (an edited gold span): a fresh one
    span = GoldSpan(new_id, doc_id, start, end, label, text, curator, "", stamp, stamp, None,
                    sources=tuple(sorted(set(sources))))
    if old is not None:  # taken before, then dropped: the same row comes back
        span = span.evolve(created=old.created)
    with store.transaction():
        span = _write(store, span, insert=old is None)
        gold_links.take_links(store, span, curator)
    return span, True


def delete(store: Store, span_id: str) -> GoldSpan:
    """Take a span out of the gold layer (a tombstone, so merges replay it)."""
    old = get(store, span_id)
    if old.deleted:
        return old
    stamp = now()
    with store.transaction():
        gold_links.drop_links(store, span_id, stamp)
        return _write(store, old.evolve(deleted=stamp, updated=stamp), insert=False)


def restore(store: Store, span_id: str) -> GoldSpan:
    old = get(store, span_id)
    store._check_label(old.label)
    return _write(store, old.evolve(deleted=None, note="" if old.note == REJECTED else old.note, updated=now()),
                  insert=False)


def update(store: Store, span_id: str, *, start: int | None = None, end: int | None = None,
           label: str | None = None, curator: str | None = None) -> GoldSpan:
    """Edit a live gold span's range or label (the curator who edits it becomes its curator)."""
    old = get(store, span_id)
    if old.deleted:
        raise InvariantError("the gold span has been deleted")
    start = old.start if start is None else start
    end = old.end if end is None else end
    label = old.label if label is None else label
    text = _check(store, old.doc_id, start, end, label, curator or old.annotator)
    return _write(store, old.evolve(start=start, end=end, label=label, text=text, annotator=curator or old.annotator,
                                    updated=now()), insert=False)


def put(store: Store, span: GoldSpan) -> GoldSpan:
    """Put a gold row back as it was (undo of an edit, a delete or a rejection), with a new update time."""
    old = find(store, span.id)
    if not span.deleted:
        _check(store, span.doc_id, span.start, span.end, span.label, span.annotator)
    return _write(store, span.evolve(updated=now()), insert=old is None)


def reject(store: Store, doc_id: str, start: int, end: int, label: str, curator: str,
           sources: Sequence[str] = ()) -> tuple[GoldSpan, GoldSpan | None]:
    """Record that (start, end, label) is not gold. Returns the rejection row and what it was before (None if new)."""
    if not curator:
        raise InvariantError("a rejection needs a curator")
    text = store._checked_text(doc_id, start, end)  # the label may be retired: a rejection is never gold
    stamp = now()
    rid = gold_id(doc_id, start, end, label, "rejected")
    old = find(store, rid)
    if old is not None and is_rejection(old) and set(sources) <= set(old.sources):
        return old, old
    merged = tuple(sorted(set(sources) | (set(old.sources) if old is not None else set())))
    row = GoldSpan(rid, doc_id, start, end, label, text, curator, REJECTED,
                   old.created if old else stamp, stamp, stamp, sources=merged)
    return _write(store, row, insert=old is None), old


def unreject(store: Store, rejection_id: str) -> GoldSpan:
    """Withdraw a rejection: the row stays a plain tombstone, so a merge replays the withdrawal."""
    old = get(store, rejection_id)
    if not is_rejection(old):
        return old
    return _write(store, old.evolve(note="", updated=now()), insert=False)


# -- reading in bulk --------------------------------------------------------------------------------------------

def curation_input(
    store: Store, annotators: Sequence[str] = (), doc_ids: Sequence[str] | None = None
) -> Iterator[tuple[str, str, list[Span], list[GoldSpan]]]:
    """Per document (id order): id, title, the reviewers' live spans and the gold rows (live ones and rejections)."""
    conn = store.conn
    dwhere, dparams = "", []
    if doc_ids is not None:
        dwhere, dparams = " WHERE id IN (SELECT value FROM json_each(?))", [json.dumps(list(doc_ids))]
    docs = conn.execute(f"SELECT id, title FROM documents{dwhere} ORDER BY id", dparams)
    swhere, sparams = "deleted IS NULL", []
    if annotators:
        swhere += f" AND annotator IN ({','.join('?' * len(annotators))})"
        sparams = list(annotators)
    from .store import SPAN_COLUMNS

    span_rows = _Follower(conn.execute(f"SELECT {SPAN_COLUMNS} FROM spans WHERE {swhere} ORDER BY doc_id", sparams))
    gold_rows = _Follower(conn.execute(
        f"SELECT {COLUMNS} FROM gold_spans WHERE deleted IS NULL OR note = ? ORDER BY doc_id", (REJECTED,)
    ))
    for doc_id, title in docs:
        yield doc_id, title, [Span(*r) for r in span_rows.take(doc_id)], [_from_row(r) for r in gold_rows.take(doc_id)]


def gold_records(store: Store, labels: Iterable[str] = ()) -> Iterator[DocumentRecord]:
    """Every document the curation touched (a live gold span or a rejection), in id order, with its live gold
    spans as its spans (the curator as their annotator): the gold layer in the shape of a canonical export."""
    conn = store.conn
    labels = tuple(labels)
    lwhere = f" AND label IN ({','.join('?' * len(labels))})" if labels else ""
    docs = conn.execute(
        "SELECT id, text, title, source, sha256, meta FROM documents WHERE id IN "
        "(SELECT doc_id FROM gold_spans WHERE deleted IS NULL OR note = ?) ORDER BY id",
        (REJECTED,),
    )
    rows = _Follower(conn.execute(
        'SELECT id, doc_id, start, "end", label, text, curator, note, created, updated, deleted '
        f'FROM gold_spans WHERE deleted IS NULL{lwhere} ORDER BY doc_id', labels,
    ))
    for doc_id, text, title, source, digest, meta in docs:
        spans = sorted((Span(*r) for r in rows.take(doc_id)), key=lambda s: (s.start, -s.end, s.label, s.annotator, s.id))
        rec = DocumentRecord(Document(doc_id, text, title, source, digest, json.loads(meta)), spans, [], [])
        # the gold relations and values of these spans (a query a document: the gold layer is small)
        rec.relations, rec.attributes = gold_links.as_reviewer_links(store, doc_id, {s.id for s in spans})
        yield rec
