"""The bulk paths: import and export of whole corpora, beneath sqlite-utils where that is what makes them fast.

Import (here) is all or nothing: it completes, or the database is left as it was. Export (store/bulk_export.py)
streams: documents in id order walked side by side with their spans and reviews, so memory does not grow with the
corpus. Relations and attribute values (reviewers' and gold) go the same ways, beside the spans they belong to
(store/bulk_links.py checks them, store/link_staging.py stages and copies them).
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from ..core.errors import HINT_SKIP, InputError
from ..core.model import DocumentRecord
from . import bulk_links, link_staging
from .bulk_export import ExportFilter, export_records  # noqa: F401  (callers import them from here)
from .bulk_links import LinkChecker
from .store import SPAN_COLUMNS, Change, Store, now

BATCH = 2000


class ImportAborted(InputError):
    """Raised to roll back an import: carries the first bad record's error."""


@dataclass
class ImportReport:
    documents_added: int = 0
    documents_present: int = 0
    spans_added: int = 0
    spans_present: int = 0
    reviews_added: int = 0
    gold_added: int = 0
    relations_added: int = 0
    attributes_added: int = 0
    gold_relations_added: int = 0
    gold_attributes_added: int = 0
    labels_added: list[str] = field(default_factory=list)
    skipped: list[InputError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the readers said (split spans, relations not imported...)

    def lines(self) -> list[str]:
        out = [f"{self.documents_added} document(s) imported, {self.spans_added} span(s)"]
        if self.documents_present:
            # not "nothing to do": a file may bring new spans to a document the database has
            out.append(f"{self.documents_present} document(s) already in the database")
        if self.spans_present:
            out.append(f"{self.spans_present} span(s) already in the database: left as they were")
        if self.reviews_added:
            out.append(f"{self.reviews_added} review status(es) imported")
        if self.relations_added or self.attributes_added:
            out.append(f"{self.relations_added} relation(s) and {self.attributes_added} attribute value(s) imported")
        if self.gold_added:
            out.append(f"{self.gold_added} gold span(s) imported")
        if self.gold_relations_added or self.gold_attributes_added:
            out.append(f"{self.gold_relations_added} gold relation(s) and {self.gold_attributes_added} gold attribute "
                       f"value(s) imported")
        if self.labels_added:
            out.append(f"new label(s) added to the label set: {', '.join(self.labels_added)}")
        out += self.notes
        if self.skipped:
            out.append(f"{len(self.skipped)} invalid record(s) skipped:")
            out += [f"  {e}" for e in self.skipped[:20]]
            if len(self.skipped) > 20:
                out.append(f"  ... and {len(self.skipped) - 20} more")
        return out


def import_records(
    store: Store, records: Iterable[DocumentRecord | InputError], *, skip_invalid: bool = False
) -> ImportReport:
    """Import records all or nothing. An InputError in the stream aborts it (and nothing is written) unless
    ``skip_invalid``, in which case it is counted and reported.

    The records are first written to temporary tables of this connection (``temp.staged_*``, with the same
    columns and checks), which takes no lock on the database: reading and checking a large file does not keep
    the window or another program from writing. Only the last step, copying the staged rows in with one
    INSERT ... SELECT per table, is a write transaction, and a short one."""
    report = ImportReport()

    def invalid(rec: InputError) -> None:
        if not skip_invalid:
            raise ImportAborted(
                rec.reason + f" (nothing was imported; {HINT_SKIP})", rec.file, rec.line
            )
        report.skipped.append(rec)

    conn = store.conn
    labels: set[str] = set()
    given: Counter = Counter()
    links = LinkChecker(store)
    outer = conn.in_transaction  # inside a caller's transaction, staging is part of it
    _create_staging(conn)
    try:
        for batch in batches(_links_checked(records, links), invalid):
            labels |= {s.label for rec in batch for s in rec.spans} | {s.label for rec in batch for s in rec.gold}
            if outer:
                _stage_batch(conn, batch, given)
                continue
            conn.execute("BEGIN")  # a transaction of the temp database alone: no lock on the database file
            try:
                _stage_batch(conn, batch, given)
            except BaseException:
                if conn.in_transaction:  # SQLite may have rolled back already (an I/O error, a full disk)
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        with store.transaction():
            if labels:
                report.labels_added += store.ensure_labels(labels)
            _copy_staged(conn, report, given, links)
    finally:
        _drop_staging(conn)
    store._notify(Change("documents"))
    return report


STAGED_TABLES = ("documents", "spans", "reviews", "gold_spans", *bulk_links.LINK_TABLES)
_REFERENCES = re.compile(r"\s+REFERENCES\s+\w+\s*\([^)]*\)(\s+ON\s+UPDATE\s+CASCADE)?", re.I)


def _create_staging(conn) -> None:
    """Temporary tables shaped as the real ones (keys and CHECKs kept, so a file's own duplicates and bad
    offsets are judged as before), without their foreign keys, which cannot reach from temp into main."""
    _drop_staging(conn)
    for table in bulk_links.LINK_TABLES:
        # no key: each relation and attribute was checked as it was read (bulk_links.LinkChecker), the copy keeps
        # the first of an id given twice as a key would, and a key's index made staging 1.5 times as long
        conn.execute(f"CREATE TEMP TABLE staged_{table} AS SELECT * FROM main.{table} WHERE 0")
    for table in STAGED_TABLES[:-len(bulk_links.LINK_TABLES)]:
        sql = conn.execute("SELECT sql FROM main.sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()[0]
        sql = _REFERENCES.sub("", sql)
        sql = re.sub(rf"^CREATE TABLE \"?{table}\"?", f"CREATE TEMP TABLE staged_{table}", sql, count=1)
        conn.execute(sql)


def _drop_staging(conn) -> None:
    for table in STAGED_TABLES:
        conn.execute(f"DROP TABLE IF EXISTS temp.staged_{table}")


def _links_checked(records: Iterable[DocumentRecord | InputError], links: LinkChecker):
    """The records with their relations and attributes checked (bulk_links.LinkChecker); a record with a
    malformed one becomes the InputError naming it, its file and line."""
    for rec in records:
        if not isinstance(rec, InputError) and (rec.relations or rec.attributes or rec.gold_relations
                                                or rec.gold_attributes):
            try:
                links.check(rec)
            except InputError as exc:
                rec = exc.at(rec.file or None, rec.line or None)
        yield rec


def _copy_staged(conn, report: ImportReport, given: Counter, links: LinkChecker) -> None:
    """The staged rows into the database, in the order they came (the file's order is the documents' rowid order)."""
    def copy(table: str) -> int:
        before = conn.total_changes
        conn.execute(f"INSERT OR IGNORE INTO main.{table} SELECT * FROM temp.staged_{table} ORDER BY rowid")
        return conn.total_changes - before

    spans_before = report.spans_added
    report.documents_added += copy("documents")
    report.documents_present += given["documents"] - report.documents_added
    report.spans_added += copy("spans")
    report.spans_present += given["spans"] - report.spans_added
    report.reviews_added += copy("reviews")
    gold_added = copy("gold_spans")
    report.gold_added += gold_added
    spans_added = report.spans_added - spans_before
    added, notes = link_staging.copy(conn, links, given, now(), spans_as_given=spans_added == given["spans"],
                                   gold_as_given=gold_added == given["gold_spans"])
    report.relations_added += added.get("relations", 0)
    report.attributes_added += added.get("span_attributes", 0)
    report.gold_relations_added += added.get("gold_relations", 0)
    report.gold_attributes_added += added.get("gold_span_attributes", 0)
    report.notes += notes


def batches(records: Iterable[DocumentRecord | InputError], invalid) -> Iterator[list[DocumentRecord]]:
    """Records in lists of BATCH, for ``executemany``; each InputError goes to ``invalid`` (which may raise).

    The one list is emptied once the caller is done with it, so a single batch is held at a time.
    """
    batch: list[DocumentRecord] = []
    for rec in records:
        if isinstance(rec, InputError):
            invalid(rec)
            continue
        batch.append(rec)
        if len(batch) >= BATCH:
            yield batch
            batch.clear()
    if batch:
        yield batch


def _insert(conn, sql: str, rows: list) -> int:
    """``executemany`` of INSERT OR IGNORE rows; how many were new (the rest were already there)."""
    before = conn.total_changes
    conn.executemany(sql, rows)
    return conn.total_changes - before


def _stage_batch(conn, batch: list[DocumentRecord], given: Counter) -> None:
    stamp = now()
    conn.executemany(
        "INSERT OR IGNORE INTO temp.staged_documents (id, title, text, source, sha256, meta, imported) "
        "VALUES (?,?,?,?,?,?,?)",
        [(d.id, d.title, d.text, d.source, d.sha256, json.dumps(d.meta, ensure_ascii=False, sort_keys=True), stamp)
         for d in (rec.document for rec in batch)],
    )
    given["documents"] += len(batch)
    spans = [(s.id, s.doc_id, s.start, s.end, s.label, s.text, s.annotator, s.note,
              s.created or stamp, s.updated or s.created or stamp, s.deleted) for rec in batch for s in rec.spans]
    if spans:
        conn.executemany(f"INSERT OR IGNORE INTO temp.staged_spans ({SPAN_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                         spans)
        given["spans"] += len(spans)
    reviews = [(r.doc_id, r.annotator, r.status, r.note, r.updated or stamp) for rec in batch for r in rec.reviews]
    if reviews:
        conn.executemany("INSERT OR IGNORE INTO temp.staged_reviews (doc_id, annotator, status, note, updated) "
                         "VALUES (?,?,?,?,?)", reviews)
    gold = [(s.id, s.doc_id, s.start, s.end, s.label, s.text, s.annotator,
             json.dumps(list(getattr(s, "sources", ()))), s.note, s.created or stamp,
             s.updated or s.created or stamp, s.deleted) for rec in batch for s in rec.gold]
    if gold:
        given["gold_spans"] += len(gold)
        conn.executemany(
            'INSERT OR IGNORE INTO temp.staged_gold_spans (id, doc_id, start, "end", label, text, curator, sources, '
            "note, created, updated, deleted) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            gold,
        )
    link_staging.stage(conn, batch, stamp, given)
