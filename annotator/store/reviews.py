"""Reviewers' statuses of documents (to do, done, skipped, with a note), their progress, and the database's counts.
A part of the Store (its connection, transactions and change notices), like the label set."""
from __future__ import annotations

from ..core.errors import InvariantError, NotFound
from ..core.model import REVIEW_STATUSES, Review
from .changes import Change, now


class Reviews:
    def review(self, doc_id: str, annotator: str) -> Review:
        row = self.conn.execute(
            "SELECT status, note, updated FROM reviews WHERE doc_id = ? AND annotator = ?", (doc_id, annotator)
        ).fetchone()
        if row is None:
            return Review(doc_id, annotator)
        return Review(doc_id, annotator, row[0], row[1], row[2])

    def set_review(self, doc_id: str, annotator: str, *, status: str | None = None, note: str | None = None) -> Review:
        if status is not None and status not in REVIEW_STATUSES:
            raise InvariantError(f"unknown status {status!r}: choose one of {', '.join(REVIEW_STATUSES)}")
        if not self.has_document(doc_id):
            raise NotFound(f"no document with id {doc_id}")
        old = self.review(doc_id, annotator)
        new = Review(doc_id, annotator, status or old.status, old.note if note is None else note, now())
        with self.transaction():
            self.conn.execute(
                "INSERT INTO reviews (doc_id, annotator, status, note, updated) VALUES (?,?,?,?,?) "
                "ON CONFLICT (doc_id, annotator) DO UPDATE SET status = excluded.status, note = excluded.note, "
                "updated = excluded.updated",
                (new.doc_id, new.annotator, new.status, new.note, new.updated),
            )
        self._notify(Change("review", doc_id))
        return new

    def progress(self, annotator: str) -> tuple[int, int]:
        """(documents this annotator marked done, all documents)."""
        done = self.conn.execute(
            "SELECT count(*) FROM reviews WHERE annotator = ? AND status = 'done'", (annotator,)
        ).fetchone()[0]
        return done, self.document_count()

    def stats(self) -> dict:
        q = self.conn.execute
        by_label = dict(q("SELECT label, count(*) FROM spans WHERE deleted IS NULL GROUP BY label ORDER BY label"))
        for label in self.labels():
            by_label.setdefault(label.name, 0)
        return {
            "documents": self.document_count(),
            "spans": q("SELECT count(*) FROM spans WHERE deleted IS NULL").fetchone()[0],
            "deleted_spans": q("SELECT count(*) FROM spans WHERE deleted IS NOT NULL").fetchone()[0],
            "spans_per_label": dict(sorted(by_label.items())),
            "spans_per_annotator": dict(
                q("SELECT annotator, count(*) FROM spans WHERE deleted IS NULL GROUP BY annotator ORDER BY annotator")
            ),
            "reviews": _review_counts(
                q("SELECT annotator, status, count(*) FROM reviews GROUP BY annotator, status"), self.document_count()
            ),
            "gold_spans": q("SELECT count(*) FROM gold_spans WHERE deleted IS NULL").fetchone()[0],
        }


def _review_counts(rows, documents: int) -> dict:
    """Per annotator, documents done, skipped and to do (a document nobody touched is to do)."""
    out: dict[str, dict[str, int]] = {}
    for annotator, status, n in rows:
        out.setdefault(annotator, {s: 0 for s in REVIEW_STATUSES})[status] = n
    for counts in out.values():
        counts["todo"] = documents - counts["done"] - counts["skipped"]
    return out
