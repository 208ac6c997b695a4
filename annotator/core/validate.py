"""Checks of spans against the text they point into (design.md section 2, offsets), and of whole records that
arrive from a teammate, before a merge lets them in."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from .errors import InputError


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


# -- records that arrive from elsewhere (a teammate's database or bundle) ---------------------------------------

# The one form of time we write (``store.now``): UTC, microseconds. In this form the later time is the greater
# string, which is how merges compare versions; any other form ("9999", "zzz") would compare wrongly forever.
_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00")

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


def check_record(rec, latest: str) -> None:
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
