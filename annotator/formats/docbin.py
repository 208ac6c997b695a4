"""spaCy ``DocBin`` (``.spacy``): every span in ``doc.spans["sc"]`` (overlaps allowed) and, where they do not
overlap, in ``doc.ents``; the document's id, title, source, metadata and each span's id, annotator and note in
``doc.user_data``. Tokens are ours, with spaCy's whitespace tokens where the text has runs of spaces or line
breaks, so ``doc.text`` is the stored text exactly.

spaCy is an optional extra: ``pip install 'annotator[spacy]'``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

from ..core.errors import AnnotatorError, InputError
from ..core.model import DocumentRecord
from ..core.tokenize import token_arrays
from .common import count_losses, make_record, overlapping

NAME = "spacy"
DESCRIPTION = "spaCy DocBin (.spacy): spans in doc.spans['sc'], non-overlapping ones in doc.ents (needs spaCy)"
SUFFIXES = (".spacy",)
KEY = "annotator"


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
    words, spaces = get_words_and_spaces(token_arrays(text).texts, text)
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
    doc.user_data[KEY] = {"id": d.id, "title": d.title, "source": d.source, "meta": d.meta, "spans": info}
    return doc


def write(records: Iterable[DocumentRecord], out, options=None) -> int:
    spacy, _, DocBin, _, Vocab, _, _ = _spacy()
    vocab = Vocab()
    db = DocBin(attrs=[], store_user_data=True)
    n = 0
    for rec in records:
        if options is not None:
            count_losses(rec, options.report, notes=False, annotators=False)
        db.add(to_doc(rec, vocab, options.report if options is not None else None))
        n += 1
    data = db.to_bytes()
    out.write(data)
    return n


WRITES_BINARY = True


def read(path: Path | str, options=None) -> Iterator[DocumentRecord | InputError]:
    spacy, _, DocBin, _, Vocab, _, _ = _spacy()
    path = Path(path)
    annotator = (options.annotator if options else "") or "import"
    try:
        docs = list(DocBin().from_bytes(path.read_bytes()).get_docs(Vocab()))
    except Exception as exc:  # spaCy raises several kinds for a file that is not a DocBin
        yield InputError(f"not a spaCy DocBin file ({exc.__class__.__name__}: {exc})", str(path))
        return
    for i, doc in enumerate(docs, 1):
        ours = doc.user_data.get(KEY) or {}
        if ours.get("spans") is not None:
            # our own file: exact offsets, ids, annotators and notes were kept beside spaCy's token spans
            spans = [(x["start"], x["end"], x["label"], None, x.get("annotator"), x.get("note"), x.get("id"))
                     for x in ours["spans"]]
        else:
            spans = [(sp.start_char, sp.end_char, sp.label_) for sp in (doc.spans["sc"] if "sc" in doc.spans else doc.ents)]
        try:
            yield make_record(doc.text, spans, meta=ours.get("meta") or {}, title=ours.get("title"),
                              source=ours.get("source"), annotator=annotator, line=i)
        except InputError as exc:
            yield InputError(f"document {i}: {exc.reason}", str(path))
