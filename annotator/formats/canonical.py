"""Canonical JSONL, our own format (design.md section 2): one document a line, keys in a fixed order, documents
sorted by id, so two exports of the same database are byte-identical and a round trip is lossless.

    {"id", "text", "meta": {"sha256", "source", "title", ...},
     "spans": [{"id", "start", "end", "label", "text", "annotator", "note", "created", "updated"(, "deleted")
                (, "attributes": {NAME: {"value", "proposed", "updated"(, "deleted")}, ...})}],
     "reviews": [{"annotator", "status", "note", "updated"}]
     (, "relations": [{"id", "head", "child", "type", "annotator", "created", "updated"(, "deleted")}])
     (, "gold": [... as spans, with "curator" and "sources" ...])
     (, "gold_relations": [{"id", "head", "child", "type", "curator", "sources", "created", "updated"(, "deleted")}])
     (, "entities": [{"id", "name", "kind", "country", "aliases", "created", "updated"}])}

A relation's ``head`` and ``child`` are ids of spans of the same line (of ``spans`` for ``relations``, of ``gold``
for ``gold_relations``), in the order the store keeps them (created, id). A span's attribute values sit on the span
they describe, keyed by the attribute's name (sorted): a reader sees "US$7 billion" and its value and unit
together, and an attribute cannot point at a span that is not there. Their reviewer is the span's. The keys
``attributes``, ``relations`` and ``gold_relations`` are written only when there is something in them, so a corpus
without relations exports as it did before them. Tombstones (``deleted``) are written only by bundles and
``--include-deleted``. ``entities`` are the registry's entities the line's values link to (by id), so the
database that reads the line (an import, a merge of a bundle) gets the same entity, with its name and aliases,
instead of one named after the span; written only when the line links to one.

Reading accepts the same shape with everything but ``text`` optional, so a plain JSONL of documents
(``{"text": ..., "meta": {...}}`` a line) imports too.
"""
from __future__ import annotations

import json
import uuid
from dataclasses import fields
from pathlib import Path
from typing import IO, Iterable, Iterator

from ..core.errors import InputError
from ..core.model import REVIEW_STATUSES, Document, DocumentRecord, GoldSpan, Relation, Review, Span
from . import canonical_links
from ..core.text import ID_LENGTH, first_line_title, normalise_with_offsets
from ..core.validate import check_span, is_our_time, latest_time, time_problem
from .common import derived_span_id, json_lines, loads, text_digest

NAME = "jsonl"
DESCRIPTION = "canonical JSONL (ours): lossless, deterministic, spaCy-style spans with their text"
SUFFIXES = (".jsonl", ".ndjson")
RELATION_ROWS = True  # the store hands the relations as rows or JSON text, values as dicts (ExportFilter.relation_rows)

DOCUMENT_KEYS = ("id", "text", "meta", "spans", "reviews", "relations", "gold", "gold_relations", "entities")
SPAN_KEYS = ("id", "start", "end", "label", "text", "annotator", "note", "created", "updated", "deleted",
             "attributes")
GOLD_KEYS = ("id", "start", "end", "label", "text", "curator", "sources", "note", "created", "updated", "deleted",
             "attributes")
REVIEW_KEYS = ("annotator", "status", "note", "updated")
RESERVED_META = ("title", "source", "sha256")
_KEYSETS = {SPAN_KEYS: frozenset(SPAN_KEYS), GOLD_KEYS: frozenset(GOLD_KEYS)}

# A fixed namespace, so a span that arrives without an id gets the same id every time it is imported.
SPAN_NAMESPACE = uuid.UUID("9b1f3a52-4a0e-4e63-9a43-5d1b2f8f7c11")


# -- writing ----------------------------------------------------------------------------------------------------

def span_dict(s: Span, *, tombstones: bool = False) -> dict:
    d = {
        "id": s.id, "start": s.start, "end": s.end, "label": s.label, "text": s.text,
        "annotator": s.annotator, "note": s.note, "created": s.created, "updated": s.updated,
    }
    if tombstones and s.deleted:
        d["deleted"] = s.deleted
    return d


def gold_dict(s: Span, *, tombstones: bool = False) -> dict:
    d = {
        "id": s.id, "start": s.start, "end": s.end, "label": s.label, "text": s.text,
        "curator": s.annotator, "sources": list(getattr(s, "sources", ())),
        "note": s.note, "created": s.created, "updated": s.updated,
    }
    if tombstones and s.deleted:
        d["deleted"] = s.deleted
    return d


def record_dict(rec: DocumentRecord, *, tombstones: bool = False, registry: dict | None = None,
                entity_names: frozenset = frozenset(("entity",)), relations: bool = True) -> dict:
    """The line as a dict; without its reviewers' relations if not ``relations`` (dumps has their text)."""
    doc = rec.document
    meta = dict(doc.meta)
    meta["title"] = doc.title
    meta["source"] = doc.source
    meta["sha256"] = doc.sha256
    out = {
        "id": doc.id,
        "text": doc.text,
        "meta": {k: meta[k] for k in sorted(meta)},
        "spans": [span_dict(s, tombstones=tombstones) for s in rec.spans if tombstones or not s.deleted],
        "reviews": [
            {"annotator": r.annotator, "status": r.status, "note": r.note, "updated": r.updated} for r in rec.reviews
        ],
    }
    if relations and rec.relation_rows:  # rows a writer asked the store for: Relations here (dumps writes them)
        rec.relations, rec.relation_rows = [Relation(*row) for row in rec.relation_rows], None
    if relations and rec.relations:
        canonical_links.put_relations(out, "relations", rec.relations, rec.spans, tombstones)
    if rec.attributes:
        canonical_links.put_attributes(out["spans"], rec.attributes, tombstones)
    elif rec.attribute_values:  # the same, made by the store's export (store/export_links.py)
        canonical_links.put_attribute_values(out["spans"], rec.attribute_values)
    if rec.gold:
        out["gold"] = [gold_dict(s, tombstones=tombstones) for s in rec.gold if tombstones or not s.deleted]
        if rec.gold_relations:
            canonical_links.put_relations(out, "gold_relations", rec.gold_relations, rec.gold, tombstones)
        if rec.gold_attributes:
            canonical_links.put_attributes(out["gold"], rec.gold_attributes, tombstones)
    if rec.entities or (registry and (rec.attributes or rec.gold_attributes or rec.attribute_values)):
        canonical_links.put_entities(out, rec, registry, entity_names, tombstones)
    return out


def dumps(rec: DocumentRecord, *, tombstones: bool = False, registry: dict | None = None,
          entity_names: frozenset = frozenset(("entity",))) -> str:
    return "".join(_pieces(rec, tombstones, registry, entity_names))


def _pieces(rec: DocumentRecord, tombstones: bool, registry: dict | None, entity_names: frozenset) -> tuple:
    """The line's text in pieces that joined make it: a line's relations (a quarter of a million bytes in a
    thousand lines of 100,000) are written as they come, not copied into the line first."""
    encoded = canonical_links.relations_text(rec, tombstones)  # None: the relations are Relations, or none
    out = record_dict(rec, tombstones=tombstones, registry=registry, entity_names=entity_names,
                      relations=encoded is None)
    if not encoded:
        return (_dumps(out),)
    # the line's relations, already JSON, in their place after "reviews": a JSON object's text is its members'
    # joined by commas, so the members before and after them are encoded apart and joined around them
    after = {key: out.pop(key) for key in AFTER_RELATIONS if key in out}
    return _dumps(out)[:-1], ',"relations":', encoded, "," + _dumps(after)[1:] if after else "}"


AFTER_RELATIONS = DOCUMENT_KEYS[DOCUMENT_KEYS.index("relations") + 1:]


def _dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def write(records: Iterable[DocumentRecord], out: IO[str], options=None) -> int:
    tombstones = bool(options and options.include_deleted)
    registry = getattr(options, "entities", None)
    types = getattr(options, "attribute_types", None) or {}
    entity_names = frozenset(n for (_, n), t in types.items() if t == "entity") or frozenset(("entity",))
    n = 0
    for rec in records:
        for piece in _pieces(rec, tombstones, registry, entity_names):
            out.write(piece)
        out.write("\n")
        n += 1
    return n


# -- reading ----------------------------------------------------------------------------------------------------

def sniff(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES


def read(path: Path | str, options=None) -> Iterator[DocumentRecord | InputError]:
    path = Path(path)
    default_annotator = (options.annotator if options else "") or "import"
    latest = latest_time()
    for number, obj in json_lines(path, options.progress if options else None):
        if isinstance(obj, InputError):
            yield obj
            continue
        try:
            rec = parse_record(obj, default_annotator, number, latest)
            rec.file = str(path)
            yield rec
        except InputError as exc:
            yield exc.at(str(path), number)


def parse_line(raw: bytes | str, default_annotator: str, line: int = 0) -> DocumentRecord:
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"not valid UTF-8 at byte {exc.start} of the line") from None
    obj = loads(raw)
    return parse_record(obj, default_annotator, line)


def _unknown(obj: dict, allowed: tuple, what: str) -> None:
    extra = [k for k in obj if k not in allowed]
    if extra:
        raise InputError(f"unknown key {extra[0]!r} in {what}; allowed keys are {', '.join(allowed)}")


def _str(obj: dict, key: str, what: str, default: str = "") -> str:
    value = obj.get(key, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise InputError(f"{what} {key!r} must be a string, got {type(value).__name__}")
    return value


def parse_record(obj, default_annotator: str, line: int = 0, latest: str | None = None) -> DocumentRecord:
    """A record from a parsed line. ``latest``: the latest time accepted (``core.validate.latest_time``), once
    per file rather than once per line."""
    if not isinstance(obj, dict):
        raise InputError(f"a record must be a JSON object, got {type(obj).__name__}")
    _unknown(obj, DOCUMENT_KEYS, "the document")
    if "text" not in obj:
        raise InputError("the record has no 'text'")
    if not isinstance(obj["text"], str):
        raise InputError("'text' must be a string")
    text, remap = normalise_with_offsets(obj["text"])
    if not text.strip():
        raise InputError("the document text is empty or only whitespace")
    digest = text_digest(text)
    doc_id = digest[:ID_LENGTH]
    if "id" in obj and obj["id"] != doc_id:
        raise InputError(f"id {obj['id']!r} does not match its text (the text's id is {doc_id!r})")
    meta = obj.get("meta") or {}
    if not isinstance(meta, dict):
        raise InputError("'meta' must be a JSON object")
    meta = dict(meta)
    if meta.get("sha256") not in (None, digest):
        raise InputError("meta.sha256 does not match the text")
    title = meta.pop("title", None)
    source = meta.pop("source", None)
    meta.pop("sha256", None)
    if title is not None and not isinstance(title, str):
        raise InputError("meta.title must be a string")
    if source is not None and not isinstance(source, str):
        # stored as text, a number would differ from its copy on every merge: the file the text came from is text
        raise InputError(f"meta.source must be a string (the file the text came from) or null, got {type(source).__name__}")
    doc = Document(doc_id, text, title or first_line_title(text), source, digest, meta)

    latest = latest or latest_time()
    spans = [
        _parse_span(s, i, doc, remap, default_annotator, SPAN_KEYS, "annotator", latest)
        for i, s in enumerate(_list(obj, "spans"), 1)
    ]
    gold = [
        _parse_span(s, i, doc, remap, default_annotator, GOLD_KEYS, "curator", latest)
        for i, s in enumerate(_list(obj, "gold"), 1)
    ]
    reviews = [_parse_review(r, i, doc_id, latest) for i, r in enumerate(_list(obj, "reviews"), 1)]
    rec = DocumentRecord(doc, spans, reviews, gold, line)
    if "relations" in obj or "gold_relations" in obj:
        rec.relations = canonical_links.parse_relations(_list(obj, "relations"), spans, doc_id, "relation", latest)
        rec.gold_relations = canonical_links.parse_relations(_list(obj, "gold_relations"), gold, doc_id,
                                                             "gold relation", latest)
    canonical_links.parse_attributes(rec, obj, latest)
    if "entities" in obj:
        rec.entities = canonical_links.parse_entities(_list(obj, "entities"), latest)
    return rec


def _list(obj: dict, key: str) -> list:
    value = obj.get(key) or []
    if not isinstance(value, list):
        raise InputError(f"'{key}' must be a list")
    return value


def _parse_span(s, i: int, doc: Document, remap, default_annotator: str, keys: tuple, who_key: str,
                latest: str) -> Span:
    # The hot loop of a large import: checks inline, a helper call only on the way to an error.
    what = f"span {i}" if who_key == "annotator" else f"gold span {i}"
    if type(s) is not dict:
        raise InputError(f"{what} must be a JSON object")
    if not s.keys() <= _KEYSETS[keys]:
        _unknown(s, keys, what)
    get = s.get
    start, end, label = get("start"), get("end"), get("label")
    for key, value in (("start", start), ("end", end), ("label", label)):
        if value is None:
            raise InputError(f"{what} has no {key!r}")
    if type(label) is not str or not label.strip():
        raise InputError(f"{what}: 'label' must be a non-empty string")
    if remap is not None and type(start) is int and type(end) is int:
        start, end = remap(start), remap(end)
    text = doc.text
    stated = get("text")
    if type(start) is int and type(end) is int and 0 <= start < end <= len(text) and (
        stated is None or stated == text[start:end]
    ):
        covered = text[start:end]
    else:
        if stated is not None:
            if not isinstance(stated, str):
                raise InputError(f"{what}: 'text' must be a string")
            stated = normalise_with_offsets(stated)[0]
        try:
            covered = check_span(text, start, end, stated)
        except InputError as exc:
            raise InputError(f"{what}: {exc.reason}") from None
    for key in (who_key, "created", "updated", "id", "note"):
        value = get(key)
        if value is not None and type(value) is not str:
            raise InputError(f"{what}: {key!r} must be a string, got {type(value).__name__}")
    who = get(who_key) or default_annotator
    created = get("created") or ""
    updated = get("updated") or created
    span_id = get("id") or derived_span_id(doc.id, start, end, label, who, i)
    deleted = get("deleted")
    if deleted is not None and type(deleted) is not str:
        raise InputError(f"{what}: 'deleted' must be a time stamp string or null")
    # Times are what merges compare: only ours (a missing one is filled in by the import), none in the future
    # (each distinct time once: most spans have updated == created and no deletion)
    if created and not is_our_time(created, latest):
        raise InputError(f"{what}: {time_problem('created', created, latest)}")
    if updated != created and not is_our_time(updated, latest):
        raise InputError(f"{what}: {time_problem('updated', updated, latest)}")
    if deleted and deleted != updated and not is_our_time(deleted, latest):
        raise InputError(f"{what}: {time_problem('deleted', deleted, latest)}")
    span = Span(span_id, doc.id, start, end, label, covered, who, get("note") or "", created, updated, deleted)
    if who_key == "curator":
        sources = get("sources") or []
        if not isinstance(sources, list) or not all(isinstance(x, str) for x in sources):
            raise InputError(f"{what}: 'sources' must be a list of span ids")
        span = GoldSpan(*_span_fields(span), sources=tuple(sources))
    return span


def _span_fields(span: Span) -> list:
    return [getattr(span, f.name) for f in fields(Span)]


def _parse_review(r, i: int, doc_id: str, latest: str) -> Review:
    what = f"review {i}"
    if not isinstance(r, dict):
        raise InputError(f"{what} must be a JSON object")
    _unknown(r, REVIEW_KEYS, what)
    annotator = _str(r, "annotator", what)
    if not annotator:
        raise InputError(f"{what} has no 'annotator'")
    status = _str(r, "status", what, "todo")
    if status not in REVIEW_STATUSES:
        raise InputError(f"{what}: status {status!r} is not one of {', '.join(REVIEW_STATUSES)}")
    updated = _str(r, "updated", what)
    problem = updated and time_problem("updated", updated, latest)
    if problem:
        raise InputError(f"{what}: {problem}")
    return Review(doc_id, annotator, status, _str(r, "note", what), updated)
