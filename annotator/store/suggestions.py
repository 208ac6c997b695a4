"""What the suggestion engine reads and writes: rejections, accepted suggestions, trained models, settings, and
the corpus queries the sources and training need (tables made by schema.m004_suggestions).

Suggestions are computed, never stored: a suggestion becomes data only when a reviewer accepts it (an ordinary
span, plus a row in ``accepted_suggestions`` saying which source proposed it) or rejects it (a row in
``rejected_suggestions`` keyed by document, range and label, so it is never proposed again). Exports, merges,
agreement and counts read ``spans`` only, so nothing here reaches them unless accepted.

Each write is one transaction; accepting and rejecting send ``Change("spans" | "suggestions", doc_id)``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterable, Iterator, Sequence

from ..core.errors import InvariantError
from ..core.model import REVIEW_STATUSES, Span, Suggestion
from .store import Change, Store, now

# -- rejections -------------------------------------------------------------------------------------------------


def rejected(store: Store, doc_id: str) -> set[tuple[int, int, str]]:
    """The (start, end, label) of every suggestion rejected in this document."""
    return {(s, e, lab) for s, e, lab in store.conn.execute(
        'SELECT start, "end", label FROM rejected_suggestions WHERE doc_id = ?', (doc_id,))}


def reject(store: Store, suggestion: Suggestion, annotator: str) -> None:
    """Remember that this range with this label is not wanted in this document (by anyone, from any source)."""
    if not annotator:
        raise InvariantError("a rejection needs an annotator")
    with store.transaction():
        store.conn.execute(
            'INSERT OR REPLACE INTO rejected_suggestions (doc_id, start, "end", label, source, annotator, rejected) '
            "VALUES (?,?,?,?,?,?,?)",
            (suggestion.doc_id, suggestion.start, suggestion.end, suggestion.label, suggestion.source, annotator, now()),
        )
    store._notify(Change("suggestions", suggestion.doc_id))


def unreject(store: Store, suggestion: Suggestion) -> None:
    """Forget a rejection (the undo of ``reject``)."""
    with store.transaction():
        store.conn.execute(
            'DELETE FROM rejected_suggestions WHERE doc_id = ? AND start = ? AND "end" = ? AND label = ?',
            (suggestion.doc_id, suggestion.start, suggestion.end, suggestion.label),
        )
    store._notify(Change("suggestions", suggestion.doc_id))


# -- accepting --------------------------------------------------------------------------------------------------


def accept(store: Store, suggestion: Suggestion, annotator: str, label: str | None = None) -> Span:
    """Make the suggestion an ordinary span of ``annotator`` (with ``label`` if the reviewer chose another one),
    recording which source suggested it, in one transaction. Undo is deleting the span, as for any span."""
    with store.transaction():
        span = store.add_span(suggestion.doc_id, suggestion.start, suggestion.end, label or suggestion.label,
                              annotator, text=suggestion.text)
        store.conn.execute(
            "INSERT INTO accepted_suggestions (span_id, source, score, reason, accepted) VALUES (?,?,?,?,?)",
            (span.id, suggestion.source, float(suggestion.score), suggestion.reason, span.created),
        )
    return span


def accept_many(store: Store, suggestions: Iterable[Suggestion], annotator: str) -> int:
    """Accept a batch (the command line's ``suggest --accept``) in one transaction; how many spans were made."""
    n = 0
    with store.transaction():
        for s in suggestions:
            accept(store, s, annotator)
            n += 1
    return n


@dataclass(frozen=True)
class Provenance:
    source: str
    score: float
    reason: str
    accepted: str


def provenance(store: Store, span_id: str) -> Provenance | None:
    """Which source suggested this span, if it was made by accepting a suggestion."""
    row = store.conn.execute(
        "SELECT source, score, reason, accepted FROM accepted_suggestions WHERE span_id = ?", (span_id,)).fetchone()
    return Provenance(*row) if row else None


def accepted_counts(store: Store) -> dict[str, int]:
    """Live spans made from suggestions, per source."""
    return dict(store.conn.execute(
        "SELECT a.source, count(*) FROM accepted_suggestions a JOIN spans s ON s.id = a.span_id "
        "WHERE s.deleted IS NULL GROUP BY a.source ORDER BY a.source"))


# -- settings ---------------------------------------------------------------------------------------------------

DEFAULT_SETTINGS: dict = {
    "sources": ["corpus", "patterns", "model"],   # switched on; "spacy:NAME" joins when a pipeline is set
    "spacy_pipeline": "",                          # a name (en_core_web_sm) or a folder
    "spacy_labels": {"ORG": "ORGANISATION", "MONEY": "FIGURE", "CARDINAL": "FIGURE", "QUANTITY": "FIGURE",
                     "PERCENT": "FIGURE"},
    "min_score": 0.3,                              # the window's accept-all threshold (Ctrl+Shift+A)
    "shown_min_score": 0.0,                        # the window shows no suggestion scored below this
    "retrain_after": 20,                           # newly done documents before the model is retrained
}


def settings(store: Store) -> dict:
    """The suggestion settings, defaults filled in."""
    out = json.loads(json.dumps(DEFAULT_SETTINGS))
    for name, value in store.conn.execute("SELECT name, value FROM suggestion_settings"):
        out[name] = json.loads(value)
    return out


def set_setting(store: Store, name: str, value) -> None:
    if name not in DEFAULT_SETTINGS:
        raise InvariantError(f"unknown suggestion setting {name!r}; known: {', '.join(DEFAULT_SETTINGS)}")
    with store.transaction():
        store.conn.execute("INSERT OR REPLACE INTO suggestion_settings (name, value) VALUES (?, ?)",
                           (name, json.dumps(value, ensure_ascii=False, sort_keys=True)))
    store._notify(Change("suggestions"))


# -- trained models ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModelRecord:
    id: int
    path: str
    trained: str
    labels: list[str]
    train_documents: int
    heldout_documents: int
    train_spans: int
    scores: dict  # {label: {"p": .., "r": .., "f": .., "support": n}}, and "ALL" for the micro average
    seconds: float
    info: dict


def record_model(store: Store, *, path: str, labels: Sequence[str], train_documents: int, heldout_documents: int,
                 train_spans: int, scores: dict, seconds: float, info: dict | None = None) -> ModelRecord:
    with store.transaction():
        cur = store.conn.execute(
            "INSERT INTO suggestion_models (path, trained, labels, train_documents, heldout_documents, train_spans, "
            "scores, seconds, info) VALUES (?,?,?,?,?,?,?,?,?)",
            (path, now(), json.dumps(list(labels)), train_documents, heldout_documents, train_spans,
             json.dumps(scores, sort_keys=True), seconds, json.dumps(info or {}, sort_keys=True)),
        )
        model_id = cur.lastrowid
    store._notify(Change("suggestions"))
    return models(store)[-1] if model_id else None


def models(store: Store) -> list[ModelRecord]:
    """Every trained model, oldest first (the last is the one the "model" source uses)."""
    rows = store.conn.execute(
        "SELECT id, path, trained, labels, train_documents, heldout_documents, train_spans, scores, seconds, info "
        "FROM suggestion_models ORDER BY id")
    return [ModelRecord(r[0], r[1], r[2], json.loads(r[3]), r[4], r[5], r[6], json.loads(r[7]), r[8], json.loads(r[9]))
            for r in rows]


def latest_model(store: Store) -> ModelRecord | None:
    found = models(store)
    return found[-1] if found else None


def done_since(store: Store, when: str) -> int:
    """Documents marked done (by anyone) after ``when``: what the retraining threshold counts."""
    return store.conn.execute(
        "SELECT count(DISTINCT doc_id) FROM reviews WHERE status = 'done' AND updated > ?", (when,)).fetchone()[0]


# -- what the sources and training read -------------------------------------------------------------------------


def tagged_surfaces(store: Store, labels: Sequence[str] = ()) -> Iterator[tuple[str, str, str, int, int]]:
    """(text, label, doc_id, start, end) of every live span of the reviewers and of the gold layer."""
    where, params = "deleted IS NULL", []
    if labels:
        where += f" AND label IN ({','.join('?' * len(labels))})"
        params = list(labels)
    return store.conn.execute(
        f'SELECT text, label, doc_id, start, "end" FROM spans WHERE {where} '
        f'UNION SELECT text, label, doc_id, start, "end" FROM gold_spans WHERE {where}', params * 2)


def taken_and_rejected(store: Store, doc_ids: Sequence[str]) -> tuple[dict, dict]:
    """For a batch of documents, two queries in all: {doc_id: [(start, end, label)]} of their live spans and gold
    spans (as ``taken_ranges``) and {doc_id: {(start, end, label)}} of their rejections (as ``rejected``)."""
    taken: dict = {d: [] for d in doc_ids}
    rejections: dict = {d: set() for d in doc_ids}
    for i in range(0, len(doc_ids), 400):   # under SQLite's bound-variable limit
        part = list(doc_ids[i:i + 400])
        marks = ",".join("?" * len(part))
        for doc_id, s, e, lab in store.conn.execute(
                f'SELECT doc_id, start, "end", label FROM spans WHERE doc_id IN ({marks}) AND deleted IS NULL '
                f'UNION SELECT doc_id, start, "end", label FROM gold_spans WHERE doc_id IN ({marks}) '
                "AND deleted IS NULL", part * 2):
            taken[doc_id].append((s, e, lab))
        for doc_id, s, e, lab in store.conn.execute(
                f'SELECT doc_id, start, "end", label FROM rejected_suggestions WHERE doc_id IN ({marks})', part):
            rejections[doc_id].add((s, e, lab))
    return taken, rejections


def tagged_surfaces_of(store: Store, doc_id: str) -> list[tuple[str, str, int, int]]:
    """(text, label, start, end) of one document's live spans and gold spans, each place and label once."""
    return store.conn.execute(
        'SELECT text, label, start, "end" FROM spans WHERE doc_id = ? AND deleted IS NULL '
        'UNION SELECT text, label, start, "end" FROM gold_spans WHERE doc_id = ? AND deleted IS NULL',
        (doc_id, doc_id)).fetchall()


def tagged_fingerprints(store: Store) -> dict[str, tuple]:
    """{doc_id: a fingerprint of its live spans and gold spans} for the documents that have any: what another
    connection changed shows as a document whose fingerprint changed (or appeared, or went). One scan of the
    span tables, no row kept: a few ms for 10,000 spans."""
    return {row[0]: row[1:] for row in store.conn.execute(
        'SELECT doc_id, count(*), total(start), total("end"), total(start * "end"), '
        "total(length(label) + 31 * unicode(label) + 977 * unicode(substr(label, -1)) + 7919 * length(text)) "
        'FROM (SELECT doc_id, start, "end", label, text FROM spans WHERE deleted IS NULL UNION ALL '
        'SELECT doc_id, start, "end", label, text FROM gold_spans WHERE deleted IS NULL) GROUP BY doc_id')}


def taken_ranges(store: Store, doc_id: str) -> list[tuple[int, int, str]]:
    """(start, end, label) of the document's live spans (anyone's) and gold spans: nothing is suggested there."""
    return store.conn.execute(
        'SELECT start, "end", label FROM spans WHERE doc_id = ? AND deleted IS NULL '
        'UNION SELECT start, "end", label FROM gold_spans WHERE doc_id = ? AND deleted IS NULL',
        (doc_id, doc_id)).fetchall()


def documents_to_suggest(store: Store, *, annotator: str | None = None, status: str | None = None
                         ) -> Iterator[tuple[str, str, str]]:
    """(id, text, title) of the documents, in list order, one row at a time (flat memory over any corpus); with
    ``status``, those whose status for ``annotator`` is that ("todo" counts a document never reviewed); with no
    annotator, "todo" is a document nobody marked done or skipped, and "done"/"skipped" one somebody did."""
    sql, params = _to_suggest(annotator, status)
    return store.conn.execute(f"SELECT d.id, d.text, d.title {sql}", params)


def count_documents_to_suggest(store: Store, *, annotator: str | None = None, status: str | None = None) -> int:
    sql, params = _to_suggest(annotator, status)
    return store.conn.execute(f"SELECT count(*) {sql}", params).fetchone()[0]


def _to_suggest(annotator: str | None, status: str | None) -> tuple[str, list]:
    if status is None:
        return "FROM documents d ORDER BY d.rowid", []
    if status not in REVIEW_STATUSES:
        raise InvariantError(f"unknown status {status!r}: choose one of {', '.join(REVIEW_STATUSES)}")
    if annotator:
        return ("FROM documents d WHERE coalesce((SELECT status FROM reviews r WHERE r.doc_id = d.id AND "
                "r.annotator = ?), 'todo') = ? ORDER BY d.rowid", [annotator, status])
    if status == "todo":
        return ("FROM documents d WHERE NOT EXISTS (SELECT 1 FROM reviews r WHERE r.doc_id = d.id AND "
                "r.status != 'todo') ORDER BY d.rowid", [])
    return ("FROM documents d WHERE EXISTS (SELECT 1 FROM reviews r WHERE r.doc_id = d.id AND r.status = ?) "
            "ORDER BY d.rowid", [status])


def reviewed_documents(store: Store, labels: Sequence[str] = ()) -> Iterator[tuple[str, str, list[tuple[int, int, str]]]]:
    """What a model learns from: (id, text, [(start, end, label)]) of every document someone marked done, in id
    order. Where the document has a gold layer, its gold spans; otherwise the live spans of the reviewers who
    marked it done (the same range and label once, however many of them tagged it)."""
    keep = set(labels)
    docs = store.conn.execute(
        "SELECT d.id, d.text FROM documents d WHERE d.id IN (SELECT doc_id FROM reviews WHERE status = 'done') "
        "ORDER BY d.id")
    for doc_id, text in docs:
        gold = store.conn.execute(
            'SELECT DISTINCT start, "end", label FROM gold_spans WHERE doc_id = ? AND deleted IS NULL', (doc_id,)
        ).fetchall()
        if gold:
            spans = gold
        else:
            spans = store.conn.execute(
                'SELECT DISTINCT start, "end", label FROM spans WHERE doc_id = ? AND deleted IS NULL AND annotator IN '
                "(SELECT annotator FROM reviews WHERE doc_id = ? AND status = 'done')", (doc_id, doc_id)).fetchall()
        yield doc_id, text, sorted((s, e, lab) for s, e, lab in spans if not keep or lab in keep)
