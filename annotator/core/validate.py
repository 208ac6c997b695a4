"""Checks of spans against the text they point into (design.md section 2, offsets)."""
from __future__ import annotations

import math
import re

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


def check_record(record) -> None:
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
