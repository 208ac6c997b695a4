"""Checks of spans against the text they point into (design.md section 2, offsets), of every record a reader hands
to the store, and of whole records that arrive from a teammate, before a merge lets them in.

The fields of a record from elsewhere (its times, its texts) are checked by from_elsewhere.py, its relations and
attribute values by link_checks.py; their names are imported here too, where the readers and the merge find them."""
from __future__ import annotations

import math

from .errors import InputError, InvariantError
from .from_elsewhere import (SURROGATE as _SURROGATE, is_our_time, is_text as _is_text, latest_time,  # noqa: F401
                             time_problem)
from .labels import check_name
from .link_checks import _attribute_problem, _relation_problem, check_merged_links  # noqa: F401


def check_span(text: str, start, end, stated_text: str | None = None) -> str:
    """Return ``text[start:end]`` after checking the offsets; raise InputError with the reason otherwise."""
    if isinstance(start, bool) or isinstance(end, bool) or not isinstance(start, int) or not isinstance(end, int):
        raise InputError(f"span offsets must be integers, got start={start!r} end={end!r}")
    if start < 0 or end > len(text):
        raise InputError(f"span {start}-{end} is out of range: the document has {len(text)} characters")
    if start >= end:
        raise InputError(f"span {start}-{end} is empty or reversed: start must be less than end")
    covered = text[start:end]
    if stated_text is not None and stated_text != covered:
        raise InputError(f"span {start}-{end} says its text is {_short(stated_text)} but the document has {_short(covered)} there")
    return covered


def _short(s: str, limit: int = 40) -> str:
    return repr(s if len(s) <= limit else s[: limit - 1] + "…")


# -- whole records, as every reader hands them to the store ----------------------------------------------------

MAX_META_DEPTH = 64  # a nesting deeper than any metadata needs, and shallow enough for every writer's recursion
INT64 = 1 << 63  # SQLite, msgpack (.spacy) and most JSON readers hold integers of 64 bits at most


def check_text(value, what: str, *, optional: bool = False) -> None:
    """A string a store can hold: UTF-8 encodable (no lone surrogate, which a JSON ``\\ud800`` escape can make)."""
    if value is None and optional:
        return
    if type(value) is not str:
        raise InputError(f"{what} must be a string, got {_type(value)}")
    bad = _SURROGATE.search(value)
    if bad:
        raise InputError(f"{what} holds a lone surrogate (\\u{ord(bad.group()):04x}, from a broken JSON escape or"
                         f" encoding) at character {bad.start()}: not text")


def check_label(label, what: str = "label") -> None:
    """A label arrives as the name it is stored under: one rule for imports, merges and ``labels add``."""
    check_text(label, what)
    try:
        check_name(label)
    except InvariantError as exc:
        raise InputError(f"{what}: {exc}") from None


def check_meta(meta, what: str = "meta") -> None:
    """Metadata the store keeps as JSON and every writer can write back: an object with string keys, strings
    without lone surrogates, finite numbers, integers of 64 bits, at most MAX_META_DEPTH levels deep."""
    if type(meta) is not dict:
        raise InputError(f"{what} must be a JSON object, got {_type(meta)}")
    stack = [(meta, what, 1)]
    while stack:
        value, where, depth = stack.pop()
        kind = type(value)
        if kind is str:
            check_text(value, where)
        elif kind is dict or kind is list:
            if depth > MAX_META_DEPTH:
                raise InputError(f"{what} is nested more than {MAX_META_DEPTH} levels deep")
            if kind is dict:
                for key, item in value.items():
                    if type(key) is not str:
                        raise InputError(f"{where} has a key that is not a string ({_type(key)})")
                    check_text(key, f"a key of {where}")
                    stack.append((item, f"{where}.{key}", depth + 1))
            else:
                stack.extend((item, f"{where}[{i}]", depth + 1) for i, item in enumerate(value))
        elif kind is int:
            if not -INT64 <= value < INT64:
                raise InputError(f"{where} is an integer of {len(str(abs(value)))} digits: beyond 64 bits, which"
                                 " the database and the other formats cannot hold")
        elif kind is float:
            if math.isnan(value) or math.isinf(value):
                raise InputError(f"{where} is {value}: not a number JSON can hold")
        elif value is not None and kind is not bool:
            raise InputError(f"{where} must be JSON (text, a number, true/false, null, a list or an object),"
                             f" got {_type(value)}")


def check_storable(record) -> None:
    """Everything a reader made is what the store can hold and every writer can write back: the check that keeps
    a new reader from bringing back a class of crash (lone surrogates, lists where text belongs, huge numbers,
    labels with spaces at their ends). The offsets were checked against the text where the spans were made.

    One pass over all the strings at once (a join and one search) for the common case; the field-by-field walk
    that names the culprit runs only when that pass finds something."""
    doc = record.document
    strings = [doc.title, doc.source or ""]  # not the text: a copy of a 50 MB article in a join would double it
    labels = set()
    for spans in (record.spans, record.gold):
        for s in spans:
            strings += (s.label, s.annotator, s.note, s.id, s.created, s.updated, s.deleted or "")
            labels.add(s.label)
            strings += getattr(s, "sources", ())
    for r in record.reviews:
        strings += (r.annotator, r.status, r.note, r.updated)
    try:
        clean = _SURROGATE.search(doc.text) is None and _SURROGATE.search("\x00".join(strings)) is None
        for label in labels:
            check_name(label)
    except (TypeError, InvariantError):
        clean = False
    if not clean:
        _find_culprit(record)
    if doc.meta:
        check_meta(doc.meta)
    elif type(doc.meta) is not dict:
        raise InputError(f"meta must be a JSON object, got {_type(doc.meta)}")


def _find_culprit(record) -> None:
    doc = record.document
    check_text(doc.text, "the text")
    check_text(doc.title, "the title")
    check_text(doc.source, "meta.source", optional=True)
    for layer, who_key, spans in (("span", "annotator", record.spans), ("gold span", "curator", record.gold)):
        for i, s in enumerate(spans, 1):
            what = f"{layer} {i}"
            check_label(s.label, f"{what}: the label")
            for key, value in ((who_key, s.annotator), ("note", s.note), ("id", s.id), ("created", s.created),
                               ("updated", s.updated)):
                check_text(value, f"{what}: {key!r}")
            check_text(s.deleted, f"{what}: 'deleted'", optional=True)
            for source in getattr(s, "sources", ()):
                check_text(source, f"{what}: a source span id")
    for i, r in enumerate(record.reviews, 1):
        for key in ("annotator", "status", "note", "updated"):
            check_text(getattr(r, key), f"review {i}: {key!r}")


def _type(value) -> str:
    return {str: "a string", int: "an integer", float: "a number", bool: "true/false", list: "a list",
            dict: "an object", type(None): "null"}.get(type(value), type(value).__name__)


# -- records that arrive from elsewhere (a teammate's database or bundle) ---------------------------------------

class RecordError(InputError):
    """A record that fails a check; ``table`` and ``key`` say which row it is (a review's key is its document and
    reviewer), so the merge can name it in a bundle's line or a database's table."""

    def __init__(self, table: str, key, reason: str):
        super().__init__(reason)
        self.table = table
        self.key = key


def check_merged_record(rec, latest: str) -> None:
    """Check a record from elsewhere as an import checks its rows; raise RecordError naming the row and reason.

    The document id is the hash of its text (its stored form), each span's offsets fall in the text and its
    stated text is the text there, labels are valid names, times are ours and not in the future."""
    from .labels import name_problem
    from .model import REVIEW_STATUSES
    from .text import ID_LENGTH, normalise, sha256

    doc = rec.document
    text = doc.text

    def bad(reason: str, table: str = "documents", key=doc.id):
        raise RecordError(table, key, reason)

    if not _is_text(text):
        bad("its text is not text")
    if not text.strip():
        bad("its text is empty or only whitespace")
    digest = sha256(text)
    if doc.id != digest[:ID_LENGTH] or normalise(text) != text:
        stored = normalise(text)
        bad(f"its id is not the id of its text (which is {sha256(stored)[:ID_LENGTH]!r}"
            + (", once its line breaks are \\n" if stored != text else "") + ")")
    if doc.sha256 != digest:
        bad("its sha256 does not match its text")
    if not _is_text(doc.title):
        bad(f"its title must be text, got {type(doc.title).__name__}")
    if doc.source is not None and not _is_text(doc.source):
        bad(f"its meta.source must be a string or null, got {type(doc.source).__name__}")
    if type(doc.meta) is not dict:
        bad("its meta is not a JSON object")
    try:
        check_meta(doc.meta)  # as an import checks it: finite numbers, 64-bit integers, not too deep
    except InputError as exc:
        bad(exc.reason)
    for table, spans in (("spans", rec.spans), ("gold_spans", rec.gold)):
        for s in spans:
            reason = _span_problem(s, doc.id, text, latest, name_problem)
            if reason is None and table == "gold_spans":
                sources = getattr(s, "sources", ())
                if not all(_is_text(x, False) for x in sources):
                    reason = "its sources must be span ids"
            if reason:
                bad(reason, table, s.id)
    for r in rec.reviews:
        reason = None
        if r.doc_id != doc.id:
            reason = f"it is of document {r.doc_id!r}, not of this one"
        elif not _is_text(r.annotator, False):
            reason = "it has no annotator"
        elif r.status not in REVIEW_STATUSES:
            reason = f"status {r.status!r} is not one of {', '.join(REVIEW_STATUSES)}"
        elif not _is_text(r.note):
            reason = "its note must be text"
        else:
            reason = time_problem("updated", r.updated, latest)
        if reason:
            bad(reason, "reviews", (r.doc_id, r.annotator))
    if rec.relations or rec.gold_relations or rec.attributes or rec.gold_attributes:
        check_merged_links(rec, latest, bad)


def _span_problem(s, doc_id: str, text: str, latest: str, name_problem) -> str | None:
    if not _is_text(s.id, False):
        return "it has no id"
    if s.doc_id != doc_id:
        return f"it is of document {s.doc_id!r}, not of this one"
    for key in ("start", "end"):
        value = getattr(s, key)
        if type(value) is not int:
            return f"{key} must be an integer, got {value!r}"
    stated = s.text if type(s.text) is str else repr(s.text)
    try:
        check_span(text, s.start, s.end, stated)
    except InputError as exc:
        return exc.reason
    problem = name_problem(s.label)
    if problem:
        return problem
    if not _is_text(s.annotator, False):
        return "it has no annotator"
    if not _is_text(s.note):
        return "its note must be text"
    return (time_problem("created", s.created, latest) or time_problem("updated", s.updated, latest)
            or time_problem("deleted", s.deleted, latest, optional=True))
