"""Checks of spans against the text they point into (design.md section 2, offsets), and of whole records that
arrive from a teammate, before a merge lets them in."""
from __future__ import annotations

import math
import re
from datetime import datetime, timedelta, timezone

from .errors import InputError, InvariantError
from .labels import check_name


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

_SURROGATE = re.compile("[\ud800-\udfff]")
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

# The one form of time we write (``store.now``): UTC, microseconds. In this form the later time is the greater
# string, which is how merges compare versions; any other form ("9999", "zzz") would compare wrongly forever.
# ASCII digits only ([0-9], not \d: datetime refuses other digits anyway, and \d's Unicode classes made this test
# three times as long, and an import tests a time for every span and relation).
_STAMP = re.compile(r"[0-9]{4}-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.[0-9]{6}\+00:00")

# How far ahead of our clock a teammate's time may be: a clock set wrong by a time zone is up to 14 hours off.
# Further ahead, an edit would beat every later real edit until then: refused.
FUTURE_TOLERANCE = timedelta(hours=24)


class RecordError(InputError):
    """A record that fails a check; ``table`` and ``key`` say which row it is (a review's key is its document and
    reviewer), so the merge can name it in a bundle's line or a database's table."""

    def __init__(self, table: str, key, reason: str):
        super().__init__(reason)
        self.table = table
        self.key = key


def latest_time(now: datetime | None = None) -> str:
    """The latest time accepted from elsewhere, in our form (so that it compares as a string)."""
    now = now or datetime.now(timezone.utc)
    return (now + FUTURE_TOLERANCE).isoformat(timespec="microseconds")


_is_stamp = _STAMP.fullmatch
_parse_time = datetime.fromisoformat


def is_our_time(value, latest: str) -> bool:
    """The quick test of a time (an import checks a million): ours, real, and not after ``latest``."""
    if type(value) is str and value <= latest and _is_stamp(value):
        try:
            _parse_time(value)
            return True
        except ValueError:
            return False
    return False


def time_problem(name: str, value, latest: str, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if value is None or value == "":
        return f"it has no {name} time"
    if type(value) is not str or not _STAMP.fullmatch(value):
        return f"{name} {value!r} is not a time in the form we write (UTC, like 2026-05-05T10:00:00.000000+00:00)"
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return f"{name} {value!r} is not a time in the form we write (not a real date)"
    if value > latest:
        return f"{name} {value!r} is more than {FUTURE_TOLERANCE.total_seconds() / 3600:g} hours in the future"
    return None


def _is_text(value, empty: bool = True) -> bool:
    return type(value) is str and (empty or bool(value))


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
        _check_merged_links(rec, latest, bad)


def _check_merged_links(rec, latest: str, bad) -> None:
    """A relation joins two spans of this record's layer (reviewers' or gold), of its own reviewer; an attribute
    value is of a span of the record and of its reviewer; times are ours. What depends on the scheme (a type's
    labels, an attribute's values) is checked by the store as it merges them."""
    doc_id = rec.document.id
    for table, relations, spans in (("relations", rec.relations, rec.spans),
                                    ("gold_relations", rec.gold_relations, rec.gold)):
        if not relations:
            continue
        by_id = {s.id: s for s in spans}
        strings = []
        for r in relations:
            # the common case in one test (a teammate's database holds hundreds of thousands); anything else takes
            # the walk that words the reason
            head = by_id.get(r.head) if type(r.head) is str else None  # a list is unhashable: worded below
            child = by_id.get(r.child) if type(r.child) is str else None
            who = r.annotator
            if (type(r.type) is str and head is not None and child is not None and head is not child and r.doc_id == doc_id
                    and type(r.id) is str and r.id and type(who) is str and head.annotator == who == child.annotator
                    and r.type in _GOOD_TYPES and type(getattr(r, "sources", ())) is tuple
                    and is_our_time(r.created, latest) and (r.updated == r.created or is_our_time(r.updated, latest))
                    and (r.deleted is None or r.deleted == r.updated or is_our_time(r.deleted, latest))):
                strings += (r.id, *getattr(r, "sources", ()))
                continue
            reason = _relation_problem(r, doc_id, by_id, latest, "gold" if table == "gold_relations" else "")
            if reason:
                bad(reason, table, r.id if _is_text(r.id, False) else repr(r.id))
            _GOOD_TYPES.add(r.type)  # a string: _relation_problem checked its name
        if strings and _SURROGATE.search("\x00".join(strings)):
            for r in relations:
                reason = _relation_problem(r, doc_id, by_id, latest, "gold" if table == "gold_relations" else "")
                if reason:
                    bad(reason, table, r.id if _is_text(r.id, False) else repr(r.id))
    for table, attributes, spans in (("span_attributes", rec.attributes, rec.spans),
                                     ("gold_span_attributes", rec.gold_attributes, rec.gold)):
        if not attributes:
            continue
        by_id = {s.id: s for s in spans}
        for a in attributes:
            reason = _attribute_problem(a, doc_id, by_id, latest)
            if reason:
                bad(reason, table, (a.span_id, a.name))


# relation type names seen to pass the checks: a merge checks each name once, not once a relation
_GOOD_TYPES: set = set()


def _relation_problem(r, doc_id: str, spans: dict, latest: str, gold: str) -> str | None:
    from .relation_scheme import check_relation_name

    if not _is_text(r.id, False) or _SURROGATE.search(r.id):
        return "it has no id"
    if r.doc_id != doc_id:
        return f"it is of document {r.doc_id!r}, not of this one"
    layer = "gold span" if gold else "span"
    ends = []
    for role in ("head", "child"):
        span_id = getattr(r, role)
        span = spans.get(span_id) if _is_text(span_id, False) else None
        if span is None:
            return f"its {role} {span_id!r:.60} is not a {layer} of this document"
        ends.append(span)
    if r.head == r.child:
        return "it joins a span to itself"
    try:
        check_relation_name(r.type)
    except InvariantError as exc:
        return str(exc)
    if _SURROGATE.search(r.type):
        return "its type holds a lone surrogate"
    if not _is_text(r.annotator, False) or _SURROGATE.search(r.annotator):
        return f"it has no {'curator' if gold else 'annotator'}"
    if ends[0].annotator != r.annotator or ends[1].annotator != r.annotator:
        return (f"it is {r.annotator}'s but joins {layer}s of "
                f"{' and '.join(sorted({ends[0].annotator, ends[1].annotator}))}")
    sources = getattr(r, "sources", ())
    if not isinstance(sources, tuple) or not all(_is_text(x, False) and not _SURROGATE.search(x) for x in sources):
        return "its sources must be relation ids"
    return (time_problem("created", r.created, latest) or time_problem("updated", r.updated, latest)
            or time_problem("deleted", r.deleted, latest, optional=True))


def _attribute_problem(a, doc_id: str, spans: dict, latest: str) -> str | None:
    if a.doc_id != doc_id:
        return f"it is of document {a.doc_id!r}, not of this one"
    span = spans.get(a.span_id) if _is_text(a.span_id, False) else None
    if span is None:
        return f"its span {a.span_id!r:.60} is not a span of this document"
    if not _is_text(a.name, False) or _SURROGATE.search(a.name):
        return "it has no name"
    if a.annotator != span.annotator:
        return f"it is {a.annotator!r}'s but its span is {span.annotator!r}'s"
    value = a.value
    if type(value) not in (str, int, float, bool) or (type(value) is float and not math.isfinite(value)) or (
            type(value) is str and _SURROGATE.search(value)):
        return f"its value must be text, a number or true/false, got {value!r:.40}"
    if type(a.proposed) is not bool:
        return "'proposed' must be true or false"
    if is_our_time(a.updated, latest) and (a.deleted is None or a.deleted == a.updated):
        return None
    return time_problem("updated", a.updated, latest) or time_problem("deleted", a.deleted, latest, optional=True)


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
