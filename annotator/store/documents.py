"""Documents: storing them (texts never change once stored), reading them, the document list's pages and filters,
the next document to review, and the full-text search index. A part of the Store (its connection, transactions
and change notices), like the label set."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Callable, Iterable

from ..core.errors import InputError, InvariantError, NotFound
from ..core.model import REVIEW_STATUSES, Document
from ..core.text import document_id, first_line_title, sha256
from .changes import Change, now


@dataclass
class DocumentRow:
    """One line of the document list: what it shows, without the text."""

    id: str
    title: str
    status: str
    span_count: int
    length: int


class Documents:
    # -- documents --------------------------------------------------------------------------------------------

    def add_document(
        self, text: str, *, title: str | None = None, source: str | None = None, meta: dict | None = None
    ) -> tuple[Document, bool]:
        """Store a document (text already normalised). Returns it and whether it was new."""
        if not text.strip():
            raise InputError("the document is empty or only whitespace")
        doc_id = document_id(text)
        existing = self.conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if existing:
            return self.document(doc_id), False
        doc = Document(
            id=doc_id,
            text=text,
            title=(title or first_line_title(text)),
            source=source,
            sha256=sha256(text),
            meta=dict(meta or {}),
        )
        with self.transaction():
            self.insert_documents([doc])
        self._notify(Change("documents", doc_id))
        return doc, True

    def insert_documents(self, docs: Iterable[Document]) -> None:
        """Bulk insert inside the caller's transaction; ids already present are left alone."""
        stamp = now()
        self.conn.executemany(
            "INSERT OR IGNORE INTO documents (id, title, text, source, sha256, meta, imported) VALUES (?,?,?,?,?,?,?)",
            (
                (d.id, d.title, d.text, d.source, d.sha256, json.dumps(d.meta, ensure_ascii=False, sort_keys=True), stamp)
                for d in docs
            ),
        )

    def has_document(self, doc_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is not None

    def document(self, doc_id: str) -> Document:
        row = self.conn.execute(
            "SELECT id, text, title, source, sha256, meta FROM documents WHERE id = ?", (doc_id,)
        ).fetchone()
        if row is None:
            raise NotFound(f"no document with id {doc_id}")
        return Document(row[0], row[1], row[2], row[3], row[4], json.loads(row[5]))

    def document_text(self, doc_id: str) -> str:
        # Texts never change once stored, so the last one read is kept: every span edit checks its offsets
        # against the text, and reading 1 MB from the database was most of the cost of an edit.
        cached = self._last_text
        if cached[0] == doc_id:
            return cached[1]
        row = self.conn.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise NotFound(f"no document with id {doc_id}")
        self._last_text = (doc_id, row[0])
        return row[0]

    def document_count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM documents").fetchone()[0]

    def document_ids(self) -> list[str]:
        """Ids in list order (the order documents were imported)."""
        return [r[0] for r in self.conn.execute("SELECT id FROM documents ORDER BY rowid")]

    def _document_filter(self, annotator: str | None, status: str | None, search: str | None):
        where, params = [], []
        if status:
            if status not in REVIEW_STATUSES:
                raise InvariantError(f"unknown status {status!r}: choose one of {', '.join(REVIEW_STATUSES)}")
            where.append("coalesce((SELECT status FROM reviews r WHERE r.doc_id = d.id AND r.annotator = ?), 'todo') = ?")
            params += [annotator or "", status]
        if search and search.strip():
            self.update_search_index()
            where.append("d.rowid IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)")
            params.append(fts_query(search))
        return (" WHERE " + " AND ".join(where)) if where else "", params

    def count_documents(self, *, annotator: str | None = None, status: str | None = None, search: str | None = None) -> int:
        clause, params = self._document_filter(annotator, status, search)
        return self.conn.execute(f"SELECT count(*) FROM documents d{clause}", params).fetchone()[0]

    def list_documents(
        self,
        offset: int = 0,
        limit: int = 100,
        *,
        annotator: str | None = None,
        status: str | None = None,
        search: str | None = None,
    ) -> list[DocumentRow]:
        """One page of the document list, without loading texts: what a lazy list model asks for."""
        clause, params = self._document_filter(annotator, status, search)
        rows = self.conn.execute(
            f"""SELECT d.id, d.title,
                   coalesce((SELECT status FROM reviews r WHERE r.doc_id = d.id AND r.annotator = ?), 'todo'),
                   (SELECT count(*) FROM spans s WHERE s.doc_id = d.id AND s.deleted IS NULL
                        AND (? IS NULL OR s.annotator = ?)),
                   length(d.text), instr(CAST(d.text AS BLOB), x'00') > 0
                FROM documents d{clause} ORDER BY d.rowid LIMIT ? OFFSET ?""",
            [annotator or "", annotator, annotator, *params, limit, offset],
        ).fetchall()
        # SQLite's length() stops at a NUL character: such a text (rare) is counted here instead
        return [DocumentRow(*r[:4], len(self.document_text(r[0])) if r[5] else r[4]) for r in rows]

    def next_document(self, after_doc_id: str | None, *, annotator: str, status: str = "todo") -> str | None:
        """The next document (in list order, wrapping around) whose status for this annotator is ``status``."""
        pivot = 0
        if after_doc_id:
            row = self.conn.execute("SELECT rowid FROM documents WHERE id = ?", (after_doc_id,)).fetchone()
            pivot = row[0] if row else 0
        query = """SELECT d.id FROM documents d WHERE d.rowid {op} ?
                   AND coalesce((SELECT status FROM reviews r WHERE r.doc_id = d.id AND r.annotator = ?), 'todo') = ?
                   ORDER BY d.rowid LIMIT 1"""
        for op in (">", "<"):
            row = self.conn.execute(query.format(op=op), (pivot, annotator, status)).fetchone()
            if row and row[0] != after_doc_id:
                return row[0]
        return None

    # -- full-text search -------------------------------------------------------------------------------------

    def pending_search_index(self) -> int:
        """How many documents the search index has not seen yet (it is brought up to date on demand)."""
        mark = self.conn.execute("SELECT indexed_rowid FROM search_index_state").fetchone()[0]
        return self.conn.execute("SELECT count(*) FROM documents WHERE rowid > ?", (mark,)).fetchone()[0]

    def update_search_index(self, batch: int = 2000, progress: Callable[[int], None] | None = None) -> int:
        """Index documents added since the last call. Documents never change, so indexing is append-only."""
        done = 0
        while True:
            with self.transaction():
                mark = self.conn.execute("SELECT indexed_rowid FROM search_index_state").fetchone()[0]
                top = self.conn.execute(
                    "SELECT max(rowid), count(*) FROM (SELECT rowid FROM documents WHERE rowid > ? ORDER BY rowid LIMIT ?)",
                    (mark, batch),
                ).fetchone()
                if not top[1]:
                    return done
                self.conn.execute(
                    "INSERT INTO documents_fts (rowid, title, text) SELECT rowid, title, text FROM documents "
                    "WHERE rowid > ? AND rowid <= ?",
                    (mark, top[0]),
                )
                self.conn.execute("UPDATE search_index_state SET indexed_rowid = ?", (top[0],))
            done += top[1]
            if progress:
                progress(done)


def fts_query(text: str) -> str:
    """Turn what a user types into an FTS5 query: every word must appear, the last one as a prefix."""
    words = [w for w in "".join(c if c.isalnum() else " " for c in text).split() if w]
    if not words:
        return '""'
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " AND ".join(quoted)
