"""Merging reviewers' work into this database: the SQL half of ``annotator merge``.

The records come from bundles (canonical JSONL with tombstones, parsed by ``annotator.formats.canonical``) or from
other annotator databases (read by ``other_database`` on a read-only connection). The rules make a merge a join:
idempotent, and the same whatever the order of the bundles.

- Documents are matched by their content-hash id; a document the database lacks is added with its text. When two
  copies of a document disagree on their metadata (title, source, meta), the copy whose canonical JSON is the
  greater wins, so the result does not depend on which copy came first.
- Spans, gold spans and reviews are versions of one thing, keyed by span id (reviews by document and reviewer).
  The version with the newer ``updated`` wins; on a tie, the one whose canonical JSON is the greater wins.
  Tombstones are versions too: a deletion replays when it is newer than the edit it meets, and a tombstone of a
  span the database never had is kept, so a later merge of an older copy of that span cannot bring it back.
- Nothing is trusted: every record passes the checks of an import (``core.validate.check_merged_record``: the document
  id is the hash of its text, spans lie on their text, labels are label names, times are ours and not in the
  future), and a span id that belongs to a span of another document is refused.
- Everything runs in one transaction: a malformed record anywhere (an ``InputError`` in the stream, or a record
  that fails a check) rolls it all back and the database is left as it was.
"""
from __future__ import annotations

import json
from typing import Iterable, Iterator

from ..core.errors import InputError
from ..core.model import Document, DocumentRecord, GoldSpan, Review, Span
from ..core.validate import RecordError, check_merged_record, latest_time
from .bulk import batches
from .merge_database_links import ChangedWhileMerged, attach, detach_all, merge_database_links, state
from .merge_links import merge_links
from .merge_report import MergeReport
from .store import SPAN_COLUMNS, Change, Store

GOLD_COLUMNS = 'id, doc_id, start, "end", label, text, curator, note, created, updated, deleted, sources'


class MergeAborted(InputError):
    """A malformed record stopped the merge; nothing was written."""


# -- versions ---------------------------------------------------------------------------------------------------

def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def span_version(s: Span) -> list:
    """The fields that make a span's version, in a fixed order: what the tie-break compares as JSON."""
    out = [s.doc_id, s.start, s.end, s.label, s.text, s.annotator, s.note, s.created, s.updated, s.deleted]
    if isinstance(s, GoldSpan):
        out.append(list(s.sources))
    return out


def newer(incoming, existing, version=span_version) -> bool:
    """True if ``incoming`` should replace ``existing``: newer ``updated``, or on a tie the greater canonical JSON.
    Equal versions are not newer, which makes merging idempotent."""
    if incoming.updated != existing.updated:
        return incoming.updated > existing.updated
    a, b = version(incoming), version(existing)
    if a == b:
        return False
    return _dumps(a) > _dumps(b)


def review_version(r: Review) -> list:
    return [r.doc_id, r.annotator, r.status, r.note, r.updated]


def document_version(d: Document) -> list:
    return [d.title, d.source, d.meta]


def document_newer(incoming: Document, existing: Document) -> bool:
    """Documents have no update time: of two copies with other metadata, the greater canonical JSON wins.

    Compared as JSON, not as Python values: 1, 1.0 and true are equal in Python, so the first copy merged would
    stay, and the export would depend on the order of the merges."""
    return _dumps(document_version(incoming)) > _dumps(document_version(existing))


def _best(items: Iterable, key, is_newer, owners: set | None = None) -> dict:
    """The newest version of each thing in one batch (a bundle could hold a span twice; two bundles surely do).
    ``owners`` collects the keys of spans met in versions of different reviewers."""
    out: dict = {}
    for item in items:
        k = key(item)
        have = out.get(k)
        if have is None:
            out[k] = item
            continue
        if owners is not None and have.annotator != item.annotator:
            owners.add(k)
        if is_newer(item, have):
            out[k] = item
    return out


# -- merging ----------------------------------------------------------------------------------------------------

def merge_records(store: Store, records: Iterable[DocumentRecord | InputError], report: MergeReport | None = None,
                  databases: dict[str, tuple] | None = None) -> MergeReport:
    """Merge records into the store in one transaction. An InputError in the stream aborts it: nothing is written.

    ``databases``: teammates' databases whose records came without their relations and attribute values, each
    with its ``merge_database_links.state`` from before its records were read; their links are merged after all
    the records, in SQL against the database attached (store/merge_database_links.py). One whose state is not the
    same once its links are read changed in between: ChangedWhileMerged, and nothing is written."""
    databases = databases or {}
    report = report or MergeReport()
    owners: set = set()

    def invalid(rec: InputError) -> None:
        raise MergeAborted(rec.reason + " (nothing was merged)", rec.file, rec.line)

    latest = latest_time()
    try:
        with store.transaction():
            for batch in batches(_checked(records, latest), invalid):
                _merge_batch(store, batch, report, owners)
            for number, path in enumerate(databases):
                db = attach(store.conn, str(path), number)
                try:
                    try:
                        merge_database_links(store, str(path), db, report, _refused, latest, owners)
                    except MergeAborted:
                        _unchanged(path, databases[path])  # a refusal of what its records did not have yet
                        raise
                    _unchanged(path, databases[path])  # its links are read: were they of its records' state?
                finally:
                    store.conn.execute("DROP TABLE IF EXISTS temp.merge_rows")
                    store.conn.execute("DROP TABLE IF EXISTS temp.merge_slow")
    finally:
        if databases:
            detach_all(store.conn)
    store._notify(Change("documents"))
    return report


def _unchanged(path: str, before: tuple) -> None:
    if state(path) != before:
        raise ChangedWhileMerged(path)


def _checked(records: Iterable[DocumentRecord | InputError], latest: str) -> Iterator[DocumentRecord | InputError]:
    """The records, each that fails the checks of an import turned into the InputError that names it."""
    for rec in records:
        if not isinstance(rec, InputError):
            try:
                check_merged_record(rec, latest)
            except RecordError as exc:
                rec = _refusal(rec, exc.table, exc.key, exc.reason)
        yield rec


_PARTS = {"spans": "span", "gold_spans": "gold span", "relations": "relation", "gold_relations": "gold relation",
          "span_attributes": "the attribute", "gold_span_attributes": "the gold attribute"}


def _refusal(rec: DocumentRecord, table: str, key, reason: str) -> InputError:
    """Where a refused row is: a bundle's file and line, or a database's file, table and row."""
    if rec.line or not rec.file:
        if table == "documents":
            part = "the document"
        elif table == "reviews":
            part = f"the review by {key[1]!r}"
        elif table.endswith("attributes"):
            part = f"{_PARTS[table]} {key[1]!r} of span {key[0]!r}"
        else:
            part = f"{_PARTS[table]} {key!r}"
        return InputError(f"{part}: {reason}", rec.file or None, rec.line or None)
    if table == "reviews":
        row = f"document {key[0]!r}, reviewer {key[1]!r}"
    elif table.endswith("attributes"):
        row = f"span {key[0]!r}, name {key[1]!r}"
    else:
        row = f"id {key!r}"
    return InputError(f"table {table}, {row}: {reason}", rec.file)


def _moved(rec: DocumentRecord, table: str, s: Span, home: str) -> MergeAborted:
    """A span id is made once, for a span of one document: a version of it in another document is forged."""
    err = _refusal(rec, table, s.id, f"its id is the id of a span of document {home!r}, and a span never moves to "
                                     f"another document (this one is {s.doc_id!r})")
    return MergeAborted(err.reason + " (nothing was merged)", err.file, err.line)


def _refuse_moves_within(batch: list[DocumentRecord], attr: str, table: str) -> None:
    homes: dict[str, str] = {}
    for rec in batch:
        for s in getattr(rec, attr):
            home = homes.setdefault(s.id, s.doc_id)
            if home != s.doc_id:
                raise _moved(rec, table, s, home)


def _ids_json(ids) -> str:
    return json.dumps(list(ids))


def _merge_batch(store: Store, batch: list[DocumentRecord], report: MergeReport, owners: set) -> None:
    """``owners`` collects the ids of spans met in versions of different reviewers: a teammate's database's
    relations with such an end are joined with the stored spans (merge_database_links)."""
    conn = store.conn
    _refuse_moves_within(batch, "spans", "spans")
    _refuse_moves_within(batch, "gold", "gold_spans")
    docs = _best((r.document for r in batch), lambda d: d.id, document_newer)
    _merge_documents(store, docs, report)
    spans = _best((s for r in batch for s in r.spans), lambda s: s.id, newer, owners)
    gold = _best((s for r in batch for s in r.gold), lambda s: s.id, newer, owners)
    reviews = _best(
        (v for r in batch for v in r.reviews), lambda v: (v.doc_id, v.annotator),
        lambda a, b: newer(a, b, review_version),
    )

    span_winners = _winners(conn, spans, f"SELECT {SPAN_COLUMNS} FROM spans", Span, report, "spans", batch, owners)
    gold_winners = _winners(conn, gold, f"SELECT {GOLD_COLUMNS} FROM gold_spans", _gold_from_row, report, "gold",
                            batch, owners)
    _ensure_labels(store, [s for s, _ in span_winners] + [s for s, _ in gold_winners], report)

    _write_spans(conn, span_winners)
    _write_gold(conn, gold_winners)
    _merge_reviews(conn, reviews, report)
    merge_links(store, batch, report, _refused, {"spans": {s.id: (s.doc_id, s.annotator) for s, _ in span_winners},
                                                 "gold_spans": {s.id: (s.doc_id, s.annotator) for s, _ in gold_winners}})


def _refused(rec: DocumentRecord, table: str, key, reason: str) -> MergeAborted:
    err = _refusal(rec, table, key, reason)
    return MergeAborted(err.reason + " (nothing was merged)", err.file, err.line)


def _merge_documents(store: Store, docs: dict[str, Document], report: MergeReport) -> None:
    conn = store.conn
    existing = {
        row[0]: row
        for row in conn.execute(
            "SELECT id, title, source, meta, rowid, text FROM documents WHERE id IN (SELECT value FROM json_each(?))",
            (_ids_json(docs),),
        )
    }
    new = [d for i, d in docs.items() if i not in existing]
    if new:
        store.insert_documents(new)
        report.documents_added += len(new)
    indexed = None
    for doc_id, row in existing.items():
        report.documents_present += 1
        incoming = docs[doc_id]
        if not document_newer(incoming, Document(doc_id, "", row[1], row[2], "", json.loads(row[3]))):
            continue
        if indexed is None:
            indexed = conn.execute("SELECT indexed_rowid FROM search_index_state").fetchone()[0]
        rowid, text = row[4], row[5]
        if rowid <= indexed:  # the search index holds the old title: take it out and put the new one in
            conn.execute(
                "INSERT INTO documents_fts (documents_fts, rowid, title, text) VALUES ('delete', ?, ?, ?)",
                (rowid, row[1], text),
            )
            conn.execute("INSERT INTO documents_fts (rowid, title, text) VALUES (?, ?, ?)", (rowid, incoming.title, text))
        conn.execute(
            "UPDATE documents SET title = ?, source = ?, meta = ? WHERE id = ?",
            (incoming.title, incoming.source, json.dumps(incoming.meta, ensure_ascii=False, sort_keys=True), doc_id),
        )
        report.documents_updated += 1


def _gold_from_row(*row) -> GoldSpan:
    return GoldSpan(*row[:11], sources=tuple(json.loads(row[11])))


def _winners(conn, incoming: dict, select: str, make, report: MergeReport, kind: str,
             batch: list[DocumentRecord], owners: set) -> list[tuple[Span, bool]]:
    """The incoming versions that win, each with whether the database already has that id. A version of a span
    of another document is refused."""
    if not incoming:
        return []
    existing = {
        row[0]: make(*row)
        for row in conn.execute(f"{select} WHERE id IN (SELECT value FROM json_each(?))", (_ids_json(incoming),))
    }
    out = []
    for span_id, s in incoming.items():
        have = existing.get(span_id)
        if have is None:
            out.append((s, False))
            if kind == "spans":
                if s.deleted:
                    report.tombstones_added += 1
                else:
                    report.spans_added += 1
            elif not s.deleted:
                report.gold_added += 1
            continue
        if have.annotator != s.annotator:
            owners.add(span_id)
        if have.doc_id != s.doc_id:
            came_from = next(r for r in batch if any(x is s for x in (r.spans if kind == "spans" else r.gold)))
            raise _moved(came_from, "spans" if kind == "spans" else "gold_spans", s, have.doc_id)
        if not newer(s, have):
            if kind == "spans":
                report.spans_ignored += 1
            else:
                report.gold_ignored += 1
            continue
        out.append((s, True))
        if kind == "spans":
            if s.deleted and not have.deleted:
                report.spans_deleted += 1
            elif have.deleted and not s.deleted:
                report.spans_restored += 1
            else:
                report.spans_updated += 1
        else:
            if s.deleted and not have.deleted:
                report.gold_deleted += 1
            else:
                report.gold_updated += 1
    return out


def _ensure_labels(store: Store, winners: list[Span], report: MergeReport) -> None:
    """Labels of the winning versions must exist: live spans bring theirs back into use; a label known only from
    tombstones is added retired, so the palette does not grow a label nobody uses."""
    live = {s.label for s in winners if not s.deleted}
    dead = {s.label for s in winners if s.deleted} - live
    if live:
        report.labels_added += store.ensure_labels(live)
    if dead:
        known = {r[0] for r in store.conn.execute("SELECT name FROM labels")}
        unknown = sorted(dead - known)
        if unknown:
            store.ensure_labels(unknown)
            store.conn.executemany("UPDATE labels SET retired = 1, hotkey = '' WHERE name = ?", [(n,) for n in unknown])


def _span_values(s: Span) -> tuple:
    return (s.doc_id, s.start, s.end, s.label, s.text, s.annotator, s.note, s.created, s.updated, s.deleted)


def _write_spans(conn, winners: list[tuple[Span, bool]]) -> None:
    conn.executemany(
        f"INSERT INTO spans ({SPAN_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        [(s.id, *_span_values(s)) for s, present in winners if not present],
    )
    conn.executemany(
        'UPDATE spans SET doc_id = ?, start = ?, "end" = ?, label = ?, text = ?, annotator = ?, note = ?, '
        "created = ?, updated = ?, deleted = ? WHERE id = ?",
        [(*_span_values(s), s.id) for s, present in winners if present],
    )


def _write_gold(conn, winners: list[tuple[Span, bool]]) -> None:
    def values(s):
        return (*_span_values(s), json.dumps(list(getattr(s, "sources", ()))))

    conn.executemany(
        f"INSERT INTO gold_spans ({GOLD_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        [(s.id, *values(s)) for s, present in winners if not present],
    )
    conn.executemany(
        'UPDATE gold_spans SET doc_id = ?, start = ?, "end" = ?, label = ?, text = ?, curator = ?, note = ?, '
        "created = ?, updated = ?, deleted = ?, sources = ? WHERE id = ?",
        [(*values(s), s.id) for s, present in winners if present],
    )


def _merge_reviews(conn, reviews: dict, report: MergeReport) -> None:
    if not reviews:
        return
    doc_ids = {k[0] for k in reviews}
    existing = {
        (r[0], r[1]): Review(*r)
        for r in conn.execute(
            "SELECT doc_id, annotator, status, note, updated FROM reviews WHERE doc_id IN (SELECT value FROM json_each(?))",
            (_ids_json(doc_ids),),
        )
    }
    rows = []
    for key, r in reviews.items():
        have = existing.get(key)
        if have is None:
            report.reviews_added += 1
        elif newer(r, have, review_version):
            report.reviews_updated += 1
        else:
            report.reviews_ignored += 1
            continue
        rows.append((r.doc_id, r.annotator, r.status, r.note, r.updated))
    conn.executemany(
        "INSERT INTO reviews (doc_id, annotator, status, note, updated) VALUES (?,?,?,?,?) "
        "ON CONFLICT (doc_id, annotator) DO UPDATE SET status = excluded.status, note = excluded.note, "
        "updated = excluded.updated",
        rows,
    )
