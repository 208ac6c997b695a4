"""What every foreign format's reader and writer needs: records from (text, spans), offsets in other units,
and the checks that make an import say exactly which file, line and span is wrong."""
from __future__ import annotations

import bisect
import hashlib
import re
import uuid
from typing import Iterable

from ..core.errors import InputError
from ..core.doc_tokens import KEY as TOKENS_KEY, keep_source_tokens
from ..core.labels import name_problem
from ..core.offsets import astral_starts
from ..core.model import Document, DocumentRecord, Span
from ..core.text import ID_LENGTH, first_line_title, normalise_with_offsets, sha256
from ..core.validate import check_span, check_text
from .json_reading import (  # noqa: F401  (the readers import them from here)
    DECODER, JSONRefused, first_json_line, json_array_items, json_failure, json_lines, loads,
)

# The same namespace as canonical JSONL, so a span without an id gets the same id whichever format brought it.
SPAN_NAMESPACE = uuid.UUID("9b1f3a52-4a0e-4e63-9a43-5d1b2f8f7c11")
_NAMESPACE_BYTES = SPAN_NAMESPACE.bytes


def make_record(
    text: str,
    spans: Iterable[tuple],
    *,
    meta: dict | None = None,
    title: str | None = None,
    source: str | None = None,
    annotator: str = "",
    line: int = 0,
    tokens: Iterable[tuple[int, int]] | None = None,
    utf8: bytes | None = None,
) -> DocumentRecord:
    """A record from a source text and its spans ``(start, end, label[, stated_text[, annotator[, note[, id]]]])``,
    offsets in code points of the source text; the text is normalised and the offsets follow it. ``tokens``: the
    source's own tokens as (start, end), kept with the document where they differ from ours (core.doc_tokens).
    ``utf8``: ``text`` in UTF-8, if the reader has made it (a long text is not encoded twice)."""
    text_n, remap = normalise_with_offsets(text)
    if text_n.isspace() or not text_n:  # not strip(): a copy of the whole text to learn one thing
        raise InputError("the document text is empty or only whitespace")
    digest = hashlib.sha256(utf8).hexdigest() if utf8 is not None and text_n is text else text_digest(text_n)
    doc_id = digest[:ID_LENGTH]
    meta = dict(meta or {})
    meta.pop(TOKENS_KEY, None)  # a stale copy from another tool's metadata never stands for this text's tokens
    if tokens is not None:
        bounds = [(remap(a), remap(b)) for a, b in tokens] if remap is not None else list(tokens)
        kept = keep_source_tokens(text_n, bounds)
        if kept is not None:
            meta[TOKENS_KEY] = kept
    title = title or meta.pop("title", None) or first_line_title(text_n)
    doc = Document(doc_id, text_n, str(title), source, digest, meta)
    spans = spans if type(spans) is list else list(spans)
    id_head = _NAMESPACE_BYTES + f"{doc_id}:".encode("ascii")  # doc_id: hex digits of the digest
    default_who = annotator or "import"
    if _make_spans is not None and remap is None and type(default_who) is str:
        labels = _good_labels(spans)
        made = _make_spans(Span, text_n, doc_id, id_head, spans, labels, default_who) if labels else None
        if made is not None:  # None: some span is not plainly good, and the loop below says which and why
            return DocumentRecord(doc, made, [], [], line)
    out = []
    # Per span only what differs between spans: a task of 1,000 spans has a handful of labels, checked once each;
    # offsets that are plainly in range skip check_span's calls (it runs to word the refusal); the id's hash of the
    # namespace and document is taken once (1,000 spans of one Label Studio task: 7 us a span before, issue 10)
    n = len(text_n)
    good_labels: set[str] = set()
    sha1, variant, append = hashlib.sha1, _VARIANT, out.append
    for i, item in enumerate(spans, 1):
        if len(item) == 6:  # what most readers give: no id
            start, end, label, stated, who, note = item
            span_id = None
        else:
            start, end, label, stated, who, note, span_id = (*item, None, None, None, None)[:7]
        who = who or default_who
        note = note or ""
        if type(label) is not str or label not in good_labels:
            if not isinstance(label, str) or not label.strip():
                raise InputError(f"span {i}: the label must be a non-empty string, got {label!r}")
            problem = name_problem(label)
            if problem:
                raise InputError(f"span {i}: {problem}")
            good_labels.add(label)
        # type(...) is int: True is an int to isinstance, and would be moved to 1 here and accepted as an offset
        if type(start) is int and type(end) is int:
            if remap is not None:
                start, end = remap(start), remap(end)
            covered = text_n[start:end] if 0 <= start < end <= n else None
        else:
            covered = None
        if stated is not None and (type(stated) is not str or "\r" in stated or stated[:1] == "\ufeff"):
            stated = normalise_with_offsets(str(stated))[0]
        if covered is None or (stated is not None and stated != covered):
            try:
                covered = check_span(text_n, start, end, stated)
            except InputError as exc:
                raise InputError(f"span {i}: {exc.reason}") from None
        if not span_id:
            try:
                x = sha1(id_head + f"{start}:{end}:{label}:{who}".encode("utf-8")).hexdigest()
            except UnicodeEncodeError:
                derived_span_id(doc_id, start, end, label, who, i)  # raises, naming the field
                raise
            span_id = f"{x[:8]}-{x[8:12]}-5{x[13:16]}-{variant[x[16]]}{x[17:20]}-{x[20:32]}"  # _as_uuid, inline
        append(Span(span_id, doc_id, start, end, label, covered, who, note))
    return DocumentRecord(doc, out, [], [], line)


def _good_labels(spans: list) -> set[str] | None:
    """The spans' labels if every one is a good label name (checked once each), else None."""
    try:
        names = {item[2] for item in spans}
    except (TypeError, IndexError, KeyError):  # an unhashable label, a short item: the loop names it
        return None
    return names if all(type(n) is str and name_problem(n) is None for n in names) else None


try:  # make_record's loop, compiled for the common case (_span_records.c); without a C compiler, the loop itself
    from ._span_records import make_spans as _make_spans
except ImportError:
    _make_spans = None


def text_digest(text: str) -> str:
    """The text's SHA-256; a text that is not encodable (a lone surrogate from a JSON escape) is an InputError."""
    try:
        return sha256(text)
    except UnicodeEncodeError:
        check_text(text, "the text")
        raise


def derived_span_id(doc_id: str, start: int, end: int, label: str, who: str, i: int) -> str:
    """The id of a span that arrives without one, the same whichever format brought it."""
    try:
        name = f"{doc_id}:{start}:{end}:{label}:{who}".encode("utf-8")
    except UnicodeEncodeError:  # only here on the way to the message that names the field
        check_text(label, f"span {i}: the label")
        check_text(who, f"span {i}: the annotator")
        raise
    return _as_uuid(hashlib.sha1(_NAMESPACE_BYTES + name).hexdigest())


def _as_uuid(x: str) -> str:
    """``str(uuid.uuid5(SPAN_NAMESPACE, name))`` from the hex SHA-1 of namespace + name, without building a UUID
    object (that was most of the time of reading a Label Studio task of 1,000 spans; a test holds the two equal):
    the version digit is 5, the variant digit keeps its two low bits under the RFC 4122 bits."""
    return f"{x[:8]}-{x[8:12]}-5{x[13:16]}-{_VARIANT[x[16]]}{x[17:20]}-{x[20:32]}"


_VARIANT = {c: "89ab"[int(c, 16) & 3] for c in "0123456789abcdef"}


# -- file names from data --------------------------------------------------------------------------------------

# Separators, control characters, and what Windows refuses in a name (a shared drive may be one).
_UNSAFE_IN_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')
_NAME_BYTES = 255  # the longest file name of the common file systems


def safe_file_name(name: str, suffix: str = "") -> str:
    """A file name built from data (a document id, a title) that cannot leave its folder: no separator, no ``..``,
    no hidden name, at most 255 bytes with ``suffix``. A name that needs no change is kept as it is; a changed one
    ends with eight hex digits of the original's hash, so two names changed alike ("a/b", "a:b") stay apart."""
    name = str(name)
    cleaned = _UNSAFE_IN_NAME.sub("_", name).strip(". ")
    room = _NAME_BYTES - len(suffix.encode("utf-8"))
    if cleaned == name and name and len(name.encode("utf-8")) <= room:
        return name + suffix
    tag = "-" + sha256(name)[:8]
    cleaned = cleaned or "document"
    while len(cleaned.encode("utf-8")) > room - len(tag):
        cleaned = cleaned[:-1]
    return cleaned + tag + suffix


# -- UTF-16 offsets (JavaScript tools count them) ---------------------------------------------------------------

def utf16_offsets(text: str) -> list[int]:
    """``table[i]`` is the UTF-16 offset of code point ``i`` (and ``table[len(text)]`` the length)."""
    table = [0] * (len(text) + 1)
    n = 0
    for i, ch in enumerate(text):
        table[i] = n
        n += 2 if ord(ch) > 0xFFFF else 1
    table[len(text)] = n
    return table


class FromUTF16:
    """UTF-16 offsets into one text to code points, each in O(log n) after one pass over the text: a task of 1,000
    spans over a 400 KB text must not rebuild a table of the whole text per span (that took minutes).

    The astral characters (two UTF-16 units each) are the only ones where the two counts part: code point ``i`` is
    UTF-16 offset ``i + (astral characters before i)``."""

    def __init__(self, text: str):
        self.length = len(text)
        try:  # kept for make_record, which hashes the same bytes for the document's id
            self.utf8: bytes | None = text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: refused by make_record, naming it
            self.utf8 = None
        starts = astral_starts(text, self.utf8)
        self.units = [i + k for k, i in enumerate(starts)]  # the UTF-16 offset of each astral character

    def __call__(self, offset: int) -> int | None:
        """The code point at UTF-16 ``offset``; None inside a surrogate pair or outside the text."""
        k = bisect.bisect_left(self.units, offset)  # astral characters that start before ``offset``
        if k and self.units[k - 1] + 1 == offset:
            return None  # between the two halves of a pair
        i = offset - k
        return i if 0 <= i <= self.length else None


    def span(self, start: int, end: int) -> tuple[int, int] | None:
        """Both ends of a span at once (one call a span: a Label Studio task may hold thousands), or None if
        either falls inside a surrogate pair or outside the text."""
        units, length = self.units, self.length
        k = bisect.bisect_left(units, start)
        if k and units[k - 1] + 1 == start:
            return None
        a = start - k
        k = bisect.bisect_left(units, end, k if end >= start else 0)
        if k and units[k - 1] + 1 == end:
            return None
        b = end - k
        return (a, b) if 0 <= a <= length and 0 <= b <= length else None


def from_utf16(text: str, start: int, end: int, convert: FromUTF16 | None = None) -> tuple[int, int] | None:
    """UTF-16 offsets to code points, or None if either falls inside a surrogate pair or outside the text.
    Pass ``convert`` (a FromUTF16 of ``text``) when converting many spans of one text."""
    return (convert or FromUTF16(text)).span(start, end)


def has_astral(text: str) -> bool:
    return bool(astral_starts(text))


# -- reading helpers --------------------------------------------------------------------------------------------

def exported_meta(meta: dict) -> dict:
    """A document's metadata as foreign formats write it: without the source's tokens, which token formats write
    as their tokens and the others have no use for."""
    return {k: v for k, v in meta.items() if k != TOKENS_KEY}


def annotators_of(spans: list[Span]) -> set[str]:
    return {s.annotator for s in spans}


def count_losses(record: DocumentRecord, report, *, notes: bool = True, reviews: bool = True,
                 annotators: bool = True) -> None:
    """Count what a format without a place for them drops: span notes, review statuses, annotator names. (Span ids
    need no count: an import makes them again from document, offsets, label and annotator.)"""
    if notes:
        n = sum(1 for s in record.spans if s.note)
        if n:
            report.lose("span notes", n)
    if reviews and record.reviews:
        report.lose("review statuses and document notes", len(record.reviews))
    if annotators and len(annotators_of(record.spans)) > 1:
        report.lose("annotator names (spans of several annotators merged into one document)", 1)


def overlapping(spans: list[Span]) -> tuple[list[Span], list[Span]]:
    """Split spans (reading order) into a non-overlapping set (earliest and longest first) and the rest."""
    kept, dropped = [], []
    end = -1
    for s in sorted(spans, key=lambda s: (s.start, -s.end, s.label, s.id)):
        if s.start >= end:
            kept.append(s)
            end = s.end
        else:
            dropped.append(s)
    return kept, dropped
