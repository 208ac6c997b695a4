"""The Store: one object owns the write connection, checks every invariant, and commits every action at once.

Every public method that changes something is one transaction, committed before it returns, so a window that
shows the result after the call never shows something a crash could lose (design.md section 3).
"""
from __future__ import annotations

import sqlite3
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

from sqlite_utils import Database

from ..core import database_files
from ..core.errors import DatabaseUnusable, InputError, InvariantError, NotFound, WriteFailed
from ..core.model import Span
from ..core.validate import check_span
from . import normalise, problems, schema
from .changes import Change, now  # noqa: F401  (imported from here by the other store modules)
from .documents import Documents
from .entities import EntityRegistry
from .label_set import LabelSet
from .relations import RelationSet
from .reviews import Reviews

SPAN_COLUMNS = 'id, doc_id, start, "end", label, text, annotator, note, created, updated, deleted'


def new_id() -> str:
    return str(uuid.uuid4())


def span_from_row(row) -> Span:
    return Span(*row)


class Store(Documents, LabelSet, RelationSet, EntityRegistry, Reviews):
    def __init__(self, db: Database | str | Path = ":memory:", *, readonly: bool = False):
        given = db
        """Open (or create) the database. ``readonly`` opens it with SQLite's ``mode=ro``: reads work, writes
        raise, and nothing is created beside it. A file that is not an annotator database, or one made by a newer
        version, raises DatabaseUnusable naming it."""
        self.readonly = readonly
        if not isinstance(db, Database):
            path = str(db)
            if path != ":memory:" and not readonly:
                Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
            conn = problems.connect(path, readonly=readonly) if path != ":memory:" else sqlite3.connect(
                path, check_same_thread=False)
            db = Database(conn)
        self.db = db
        self.conn = db.conn
        self._last_text: tuple[str | None, str] = (None, "")
        try:
            schema.check(db, self.path, readonly=readonly)
            self.conn.execute("PRAGMA foreign_keys = ON")
            if self._is_file() and not readonly:
                db.enable_wal()
                # With WAL, NORMAL keeps every committed transaction through a crash of the process.
                self.conn.execute("PRAGMA synchronous = NORMAL")
            if not readonly:
                schema.upgrade(db)
                if not self.db["labels"].count:
                    self._create_default_labels()
                if not self.db["relation_types"].count and not self.db["attribute_defs"].count and not self.db[
                        "relations"].count:
                    self._create_default_relation_scheme()
                if not self.db["entities"].count:  # the registry's organisations (resources/organisations.json)
                    normalise.seed_entities(self)
        except sqlite3.Error as exc:
            where = str(given) if not isinstance(given, Database) else "the database"
            self.conn.close()
            raise DatabaseUnusable(problems.explain(exc, where) or f"{where}: {exc}") from None
        except DatabaseUnusable:
            self.conn.close()
            raise
        self.listeners: list[Callable[[Change], None]] = []
        self._registered = self.path if self._is_file() else None
        if self._registered:
            database_files.register(self._registered)  # so that nothing in the process opens it but SQLite

    @contextmanager
    def transaction(self):
        """A write transaction that takes the write lock at once (BEGIN IMMEDIATE).

        A deferred transaction that reads and then writes cannot wait for another connection's write (SQLite
        refuses the upgrade at once to avoid a deadlock); the window, the search indexer and an import running
        in a thread are such connections. Nested use becomes a savepoint.

        A write the database refuses for a reason outside the action (busy, read-only, a full disk) is rolled
        back and raised as WriteFailed, with a message a user can act on and its kind.
        """
        if self.conn.in_transaction:
            with self.db.atomic():
                yield
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise self._write_failed(exc) from None
        try:
            yield
        except sqlite3.OperationalError as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise self._write_failed(exc) from None
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise self._write_failed(exc) from None

    def _write_failed(self, exc: sqlite3.OperationalError) -> WriteFailed:
        return WriteFailed(problems.explain(exc, self.path) or f"{self.path}: {exc}", problems.kind_of(exc))

    def data_version(self) -> int:
        """A number that changes when another connection commits to the database (SQLite's data_version)."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def set_busy_timeout(self, seconds: float) -> None:
        """How long a write waits for another connection's write lock before it fails as busy. The window keeps
        this short, so that a reviewer's key never freezes it (the action is retried instead)."""
        self.conn.execute(f"PRAGMA busy_timeout = {max(0, int(seconds * 1000))}")

    def close(self) -> None:
        self.conn.close()
        if self._registered:
            database_files.unregister(self._registered)
            self._registered = None

    def _is_file(self) -> bool:
        row = self.conn.execute("PRAGMA database_list").fetchone()
        return bool(row and row[2])

    @property
    def path(self) -> str:
        return self.conn.execute("PRAGMA database_list").fetchone()[2] or ":memory:"

    def schema_version(self) -> tuple[int, str]:
        """How many schema migrations the database has and the last one's name (a read-only one may lag)."""
        names = schema.applied(self.db)
        return len(names), (names[-1] if names else "")

    # -- change notices ---------------------------------------------------------------------------------------

    def subscribe(self, listener: Callable[[Change], None]) -> Callable[[], None]:
        self.listeners.append(listener)
        return lambda: self.listeners.remove(listener) if listener in self.listeners else None

    def _notify(self, change: Change) -> None:
        for listener in list(self.listeners):
            listener(change)

    # -- spans ------------------------------------------------------------------------------------------------

    def _check_label(self, label: str) -> None:
        row = self.conn.execute("SELECT retired FROM labels WHERE name = ?", (label,)).fetchone()
        if row is None:
            raise InvariantError(f"unknown label {label!r}; known labels: {', '.join(l.name for l in self.labels())}")
        if row[0]:
            raise InvariantError(f"label {label!r} is retired")

    def _checked_text(self, doc_id: str, start: int, end: int, stated: str | None = None) -> str:
        try:
            return check_span(self.document_text(doc_id), start, end, stated)
        except InputError as exc:
            raise InvariantError(exc.reason) from None

    def add_span(
        self,
        doc_id: str,
        start: int,
        end: int,
        label: str,
        annotator: str,
        note: str = "",
        *,
        text: str | None = None,
        span_id: str | None = None,
    ) -> Span:
        if not annotator:
            raise InvariantError("a span needs an annotator")
        self._check_label(label)
        covered = self._checked_text(doc_id, start, end, text)
        stamp = now()
        span = Span(span_id or new_id(), doc_id, start, end, label, covered, annotator, note, stamp, stamp, None)
        with self.transaction():
            self.conn.execute(f"INSERT INTO spans ({SPAN_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)", _span_row(span))
        self._notify(Change("spans", doc_id, (span.id,)))
        return span

    def span(self, span_id: str) -> Span:
        row = self.conn.execute(f"SELECT {SPAN_COLUMNS} FROM spans WHERE id = ?", (span_id,)).fetchone()
        if row is None:
            raise NotFound(f"no span with id {span_id}")
        return span_from_row(row)

    def spans(self, doc_id: str, *, annotator: str | None = None, include_deleted: bool = False) -> list[Span]:
        """A document's spans in reading order (start, then longer first, then label)."""
        sql = f"SELECT {SPAN_COLUMNS} FROM spans WHERE doc_id = ?"
        params: list = [doc_id]
        if annotator is not None:
            sql += " AND annotator = ?"
            params.append(annotator)
        if not include_deleted:
            sql += " AND deleted IS NULL"
        sql += ' ORDER BY start, "end" DESC, label, annotator, id'
        return [span_from_row(r) for r in self.conn.execute(sql, params)]

    def span_annotators(self) -> list[str]:
        """Who has live spans in this database (statuses alone do not count)."""
        return [r[0] for r in self.conn.execute(
            "SELECT DISTINCT annotator FROM spans WHERE deleted IS NULL ORDER BY 1")]

    def annotators(self) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT annotator FROM spans UNION SELECT annotator FROM reviews ORDER BY 1")]

    def _update_span(self, span_id: str, **changes) -> Span:
        old = self.span(span_id)
        if old.deleted and "deleted" not in changes:
            raise InvariantError("the span has been deleted")
        new = old.evolve(updated=now(), **changes)
        with self.transaction():
            self.conn.execute(
                'UPDATE spans SET start = ?, "end" = ?, label = ?, text = ?, note = ?, updated = ?, deleted = ? WHERE id = ?',
                (new.start, new.end, new.label, new.text, new.note, new.updated, new.deleted, span_id),
            )
        self._notify(Change("spans", new.doc_id, (span_id,)))
        return new

    def relabel_span(self, span_id: str, label: str) -> Span:
        self._check_label(label)
        return self._update_span(span_id, label=label)

    def resize_span(self, span_id: str, start: int, end: int) -> Span:
        old = self.span(span_id)
        return self._update_span(span_id, start=start, end=end, text=self._checked_text(old.doc_id, start, end))

    def note_span(self, span_id: str, note: str) -> Span:
        return self._update_span(span_id, note=note)

    def delete_span(self, span_id: str) -> Span:
        """Delete a span, keeping a tombstone so a merge can replay the deletion."""
        old = self.span(span_id)
        if old.deleted:
            return old
        stamp = now()
        with self.transaction():  # its relations go with it, with its time stamp (restore_span brings them back)
            relations = self._tombstone_relations_of(old.doc_id, span_id, stamp)
            span = self._update_span(span_id, deleted=stamp)
        if relations:
            self._notify(Change("relations", old.doc_id, (span_id,)))
        return span

    def restore_span(self, span_id: str) -> Span:
        """Bring back a deleted span (undo of a delete, redo of an add)."""
        old = self.span(span_id)
        self._check_label(old.label)
        with self.transaction():
            span = self._update_span(span_id, deleted=None)
            relations = self._restore_relations_of(old.doc_id, span_id, old.deleted) if old.deleted else ()
        if relations:
            self._notify(Change("relations", old.doc_id, (span_id,)))
        return span

    def set_span(self, span: Span) -> Span:
        """Put a span back exactly as it was (undo of an edit): same range, label and note, a new update time."""
        self._check_label(span.label)
        text = self._checked_text(span.doc_id, span.start, span.end)
        return self._update_span(span.id, start=span.start, end=span.end, label=span.label, text=text,
                                 note=span.note, deleted=span.deleted)


def _span_row(s: Span) -> tuple:
    return (s.id, s.doc_id, s.start, s.end, s.label, s.text, s.annotator, s.note, s.created, s.updated, s.deleted)
