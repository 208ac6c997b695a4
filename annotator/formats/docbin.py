"""spaCy ``DocBin`` (``.spacy``): every span in ``doc.spans["sc"]`` (overlaps allowed) and, where they do not
overlap, in ``doc.ents``; the document's id, title, source, metadata and each span's id, annotator and note in
``doc.user_data``. Tokens are the source's own for a document imported with tokens (a ``.spacy`` file, CoNLL, spaCy
JSONL), else ours, with spaCy's whitespace tokens where the text has runs of spaces or line breaks, so ``doc.text``
is the stored text exactly. Documents go out in the order they came in.

spaCy is an optional extra: ``pip install 'annotator[spacy]'``.
"""
from __future__ import annotations

import tempfile
import zlib
from array import array
from pathlib import Path
from typing import Iterable, Iterator

from ..core.errors import AnnotatorError, InputError
from ..core.model import DocumentRecord
from ..core.doc_tokens import document_tokens
from ..core.tokenize import token_arrays
from ..core.validate import MAX_META_DEPTH
from .common import count_losses, exported_meta, make_record, overlapping
from .links import count_lost

NAME = "spacy"
DESCRIPTION = "spaCy DocBin (.spacy): spans in doc.spans['sc'], non-overlapping ones in doc.ents (needs spaCy)"
SUFFIXES = (".spacy",)
KEY = "annotator"
ORDER = "imported"


def _spacy():
    try:
        import spacy
        from spacy.tokens import Doc, DocBin, Span
        from spacy.util import filter_spans, get_words_and_spaces
        from spacy.vocab import Vocab
    except ImportError:
        raise AnnotatorError(
            "the .spacy format needs spaCy, which is not installed: pip install 'annotator[spacy]'"
        ) from None
    return spacy, Doc, DocBin, Span, Vocab, get_words_and_spaces, filter_spans


def sniff(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES


def to_doc(rec: DocumentRecord, vocab, report=None):
    _, Doc, _, Span, _, get_words_and_spaces, filter_spans = _spacy()
    text = rec.document.text
    tokens = document_tokens(text, rec.document.meta, with_texts=False)  # the source's, where it kept them
    words, spaces = words_and_spaces(text, tokens.starts, tokens.ends)
    doc = Doc(vocab, words=words, spaces=spaces)
    spans, info = [], []
    for s in rec.spans:
        if s.deleted:
            continue
        span = doc.char_span(s.start, s.end, label=s.label, alignment_mode="strict")
        if span is None:
            span = doc.char_span(s.start, s.end, label=s.label, alignment_mode="expand")
            if report is not None:
                report.adjust("spans widened to whole spaCy tokens (exact offsets kept in user_data)")
        spans.append(span)
        info.append({"id": s.id, "start": s.start, "end": s.end, "label": s.label, "annotator": s.annotator,
                     "note": s.note})
    doc.spans["sc"] = spans
    kept, dropped = overlapping(rec.spans)
    doc.ents = filter_spans([doc.char_span(s.start, s.end, label=s.label, alignment_mode="expand") for s in kept])
    if report is not None and dropped:
        report.notes.append(f"{len(dropped)} overlapping span(s) left out of doc.ents (all are in doc.spans['sc'])")
    d = rec.document
    doc.user_data[KEY] = {"id": d.id, "title": d.title, "source": d.source, "meta": exported_meta(d.meta),
                            "spans": info}
    return doc


def words_and_spaces(text: str, starts, ends) -> tuple[list[str], list[bool]]:
    """What ``spacy.util.get_words_and_spaces(words, text)`` makes of our tokens (a test holds them equal), from
    their offsets: spaCy's looks each word up in ``text[pos:]``, a copy of the rest of the text per word, which
    took 267 s for one 8 MB article. A single space after a word is its ``whitespace_``; any other run between
    words is a token of its own, as spaCy makes it."""
    words: list[str] = []
    spaces: list[bool] = []
    pos, n = 0, len(text)
    for start, end in zip(starts, ends):
        word = text[start:end]
        if word.isspace():
            continue  # spaCy remakes whitespace tokens from the gaps
        if start > pos:
            words.append(text[pos:start])
            spaces.append(False)
        words.append(word)
        pos = end
        space = pos < n and text[pos] == " "
        spaces.append(space)
        pos += space
    if pos < n:
        words.append(text[pos:])
        spaces.append(False)
    return words, spaces


# Entities are kept in the tokens' ENT_IOB and ENT_TYPE; spaCy writes ORTH and SPACY whatever is asked.
ATTRS = ["ENT_IOB", "ENT_TYPE"]


def write(records: Iterable[DocumentRecord], out, options=None) -> int:
    """One ``.spacy`` file, written with flat memory.

    spaCy's ``DocBin`` keeps every document's arrays until ``to_bytes`` (417 MB at 10,000 articles). Its file is
    zlib over one msgpack map whose values are the documents' parts laid end to end (tokens, spaces, cats, flags,
    span groups, user data), each preceded by its total length. So each document goes through a ``DocBin`` of its
    own, exactly as spaCy adds it, its parts are appended to temporary files, and the map is written at the end
    from those files, in spaCy's key order: the same bytes as ``DocBin.to_bytes`` before compression (a test
    compares them). What stays in memory: the strings (one per distinct token, as in spaCy's own) and 4 bytes a
    document for the lengths."""
    spacy, _, DocBin, _, Vocab, _, _ = _spacy()
    import srsly.msgpack

    # srsly.msgpack_dumps makes a Packer per call, and each looks its encoders up in the installed packages'
    # entry points (half a millisecond); one Packer with the same options writes the same bytes
    pack = srsly.msgpack.Packer(use_bin_type=True).pack
    vocab = Vocab()
    one = DocBin(attrs=ATTRS, store_user_data=False)  # user_data is packed below, with the one Packer
    strings: set[str] = set()
    lengths = array("i")
    parts = {key: tempfile.TemporaryFile() for key in ("tokens", "spaces", "cats", "flags", "span_groups", "user_data")}
    try:
        for rec in records:
            if options is not None:
                count_losses(rec, options.report, notes=False, annotators=False)
                if rec.relations or rec.attributes:
                    count_lost(rec, options.report, fmt="spaCy DocBin")
            doc = to_doc(rec, vocab, options.report if options is not None else None)
            one.add(doc)
            lengths.append(len(one.tokens[0]))
            parts["tokens"].write(one.tokens[0].tobytes("C"))
            parts["spaces"].write(one.spaces[0].tobytes("C"))
            parts["cats"].write(pack(one.cats[0]))
            parts["flags"].write(pack(one.flags[0]))
            parts["span_groups"].write(pack(one.span_groups[0]))
            parts["user_data"].write(pack(pack(doc.user_data)))  # as spaCy: the list holds each one packed
            strings |= one.strings
            for kept in (one.tokens, one.spaces, one.cats, one.flags, one.span_groups, one.user_data, one.strings):
                kept.clear()
        n = len(lengths)
        z = zlib.compressobj()

        def put(data: bytes) -> None:
            out.write(z.compress(data))

        def put_part(key: str, header: bytes) -> None:
            put(_str(key) + header)
            fh = parts[key]
            fh.seek(0)
            while chunk := fh.read(1 << 16):
                put(chunk)

        put(b"\x8a" + _str("version") + pack(one.version) + _str("attrs") + pack(one.attrs))
        put_part("tokens", _bin_header(parts["tokens"].tell()))
        put_part("spaces", _bin_header(parts["spaces"].tell()))
        put(_str("lengths") + _bin_header(4 * n) + lengths.tobytes())
        put(_str("strings") + _array_header(len(strings)) + b"".join(pack(x) for x in sorted(strings)))
        for key in ("cats", "flags", "span_groups", "user_data"):
            put_part(key, _array_header(n))
        out.write(z.flush())
    finally:
        for fh in parts.values():
            fh.close()
    return n


def _str(key: str) -> bytes:
    return bytes([0xA0 | len(key)]) + key.encode("ascii")  # msgpack fixstr: the map's keys are short


def _bin_header(size: int) -> bytes:
    if size < 1 << 8:
        return b"\xc4" + size.to_bytes(1, "big")
    if size < 1 << 16:
        return b"\xc5" + size.to_bytes(2, "big")
    return b"\xc6" + size.to_bytes(4, "big")


def _array_header(count: int) -> bytes:
    if count < 16:
        return bytes([0x90 | count])
    if count < 1 << 16:
        return b"\xdc" + count.to_bytes(2, "big")
    return b"\xdd" + count.to_bytes(4, "big")


WRITES_BINARY = True


def read(path: Path | str, options=None) -> Iterator[DocumentRecord | InputError]:
    spacy, _, DocBin, _, Vocab, _, _ = _spacy()
    from .docbin_stream import iter_docs

    path = Path(path)
    annotator = (options.annotator if options else "") or "import"
    docs = iter_docs(path, Vocab())  # a document at a time, with flat memory (see docbin_stream)
    i = 0
    while True:
        try:
            doc = next(docs, None)
        except Exception as exc:  # spaCy and the stream reader raise several kinds for what is not a DocBin
            what = "not a spaCy DocBin file" if i == 0 else f"document {i + 1} cannot be read"
            yield InputError(f"{what} ({exc.__class__.__name__}: {exc})", str(path))
            return
        if doc is None:
            return
        i += 1
        if options is not None:
            for attr, what in (("TAG", "spaCy fine-grained tags"), ("POS", "spaCy part-of-speech tags"),
                               ("LEMMA", "spaCy lemmas"), ("DEP", "spaCy dependency parses"),
                               ("SENT_START", "spaCy sentence starts")):
                if doc.has_annotation(attr):
                    options.report.lose(f"{what} in {path.name} (documents; not imported)")
        try:
            yield _record(doc, annotator, i)
        except InputError as exc:
            yield InputError(f"document {i}: {exc.reason}", str(path))


def _record(doc, annotator: str, i: int) -> DocumentRecord:
    """A record from a Doc of any ``.spacy`` file: ours carry exact offsets and the rest in ``user_data``, which a
    crafted file may fill with anything msgpack holds, and spaCy's own parts may name strings the file lacks."""
    ours = doc.user_data.get(KEY)
    if ours is None:
        ours = {}
    if not isinstance(ours, dict):
        raise InputError(f"user_data[{KEY!r}] must be a map, got {type(ours).__name__}")
    if ours.get("spans") is not None:
        # our own file: exact offsets, ids, annotators and notes were kept beside spaCy's token spans
        if not isinstance(ours["spans"], (list, tuple)):
            raise InputError(f"user_data[{KEY!r}]['spans'] must be a list")
        spans = []
        for k, x in enumerate(ours["spans"], 1):
            if not isinstance(x, dict) or not {"start", "end", "label"} <= x.keys():
                raise InputError(f"span {k} in user_data must be a map with start, end and label")
            spans.append((x["start"], x["end"], x["label"], None, x.get("annotator"), x.get("note"), x.get("id")))
    else:
        spans = None
    try:
        text = doc.text
        if spans is None:
            spans = [(sp.start_char, sp.end_char, sp.label_)
                     for sp in (doc.spans["sc"] if "sc" in doc.spans else doc.ents)]
    except (KeyError, ValueError, IndexError) as exc:  # spaCy's E018, E084...: labels or tokens the file lacks
        why = str(exc.args[0] if exc.args else exc)  # a KeyError's str() is its message in quotes
        raise InputError(f"spaCy cannot read its spans ({why.split('. ')[0]})") from None
    meta = _plain(ours.get("meta") or {})
    if not isinstance(meta, dict):
        raise InputError(f"user_data[{KEY!r}]['meta'] must be a map")
    for key in ("title", "source"):
        if ours.get(key) is not None and not isinstance(ours[key], str):
            raise InputError(f"user_data[{KEY!r}][{key!r}] must be a string")
    return make_record(text, spans, meta=meta, title=ours.get("title"), source=ours.get("source"),
                       annotator=annotator, line=i, tokens=_source_tokens(doc, text))


def _source_tokens(doc, text: str):
    """The Doc's tokens as (start, end), or None where they are our tokenizer's (our own files: nothing to keep).
    From spaCy's arrays, not by walking the Doc: a Token object per token made reading an 8 MB article take ten
    times spaCy's own reading of the file.

    Our tokens cover every character that is not whitespace, and a Doc's tokens cover its whole text without
    overlapping: so if each of ours is one of the Doc's, the Doc's others are whitespace (which core.doc_tokens
    does not keep), and the Doc's tokens are ours."""
    import numpy
    from spacy.attrs import IDX, LENGTH

    table = doc.to_array([IDX, LENGTH]).astype("int64").reshape((-1, 2))
    starts, ends = table[:, 0], table[:, 0] + table[:, 1]
    if "\r" not in text and not text.startswith("\ufeff"):  # else make_record moves them with the text
        ours = token_arrays(text, with_texts=False)
        our_starts = numpy.frombuffer(ours.starts, dtype="int64")
        at = numpy.searchsorted(starts, our_starts)
        if len(our_starts) and at[-1] < len(starts) and numpy.array_equal(starts[at], our_starts) and \
                numpy.array_equal(ends[at], numpy.frombuffer(ours.ends, dtype="int64")):
            return None
    return list(zip(starts.tolist(), ends.tolist()))


def _plain(value, depth: int = 0):
    """msgpack's tuples as JSON's lists (spaCy unpacks user_data with use_list=False), as deep as metadata may be."""
    if depth > MAX_META_DEPTH:
        raise InputError(f"user_data[{KEY!r}]['meta'] is nested more than {MAX_META_DEPTH} levels deep")
    if isinstance(value, (list, tuple)):
        return [_plain(v, depth + 1) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v, depth + 1) for k, v in value.items()}
    return value
