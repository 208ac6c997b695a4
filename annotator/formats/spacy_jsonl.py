"""spaCy / Prodigy JSONL: ``text``, ``meta``, ``tokens`` (``text``, ``start``, ``end``, ``id``, ``ws``) and
``spans`` (``start``, ``end``, ``label``, ``token_start``, ``token_end`` inclusive, ``text``), ``answer: "accept"``.

The tokens rebuild the text exactly, as spaCy's ``Doc(words, spaces)`` does: one space after a token is its
``ws``, any other whitespace (a line break, a run of spaces) is a token of its own, as spaCy's tokenizer makes it;
``token_start``/``token_end`` index that list. The tokens are the source's own for a document imported with tokens
(this format, CoNLL, ``.spacy``), else our tokenizer's (core.doc_tokens). A span that does not start or end on a
token boundary keeps its exact characters; its token indexes then cover the tokens it touches, and the export
counts it as adjusted.
"""
from __future__ import annotations

import bisect
import json
from pathlib import Path
from typing import IO, Iterable, Iterator

from ..core.errors import InputError
from ..core.model import DocumentRecord
from ..core.doc_tokens import document_tokens, spacy_whitespace
from ..core.tokenize import WS_AFTER
from .common import count_losses, exported_meta, first_json_line, json_lines, make_record

NAME = "spacy-jsonl"
NAMES_REVIEWERS = False  # its spans get the importing reviewer (--annotator), and the report says so
DESCRIPTION = "spaCy / Prodigy JSONL: text, meta, tokens, spans with token_start/token_end"
SUFFIXES = (".jsonl",)
ORDER = "imported"  # documents in the order they came in, as the source file had them


def sniff(path: Path) -> bool:
    if path.suffix.lower() not in SUFFIXES:
        return False
    first = first_json_line(path)
    if not isinstance(first, dict):
        return False
    spans = first.get("spans") or []
    return "tokens" in first or "answer" in first or any(isinstance(s, dict) and "token_start" in s for s in spans)


def read(path: Path | str, options=None) -> Iterator[DocumentRecord | InputError]:
    path = Path(path)
    annotator = (options.annotator if options else "") or "import"
    rejected = blank = 0
    dropped: dict[str, int] = {}
    for number, obj in json_lines(path, options.progress if options else None):
        if isinstance(obj, InputError):
            yield obj
            continue
        try:
            if not isinstance(obj, dict):
                raise InputError(f"a record must be a JSON object, got {type(obj).__name__}")
            if obj.get("answer") in ("reject", "ignore"):
                rejected += 1
                continue
            text = obj.get("text")
            if not isinstance(text, str):
                raise InputError("the record has no 'text'")
            if not text.strip():
                blank += 1  # Prodigy never shows such a task: nothing was annotated in it
                continue
            for kind, n in _not_imported(obj).items():
                dropped[kind] = dropped.get(kind, 0) + n
            spans = []
            if not isinstance(obj.get("spans") or [], list):
                raise InputError("'spans' must be a list")
            for i, s in enumerate(obj.get("spans") or [], 1):
                if not isinstance(s, dict) or not {"start", "end", "label"} <= s.keys():
                    raise InputError(f"span {i} must be an object with start, end and label")
                spans.append((s["start"], s["end"], s["label"], s.get("text")))
            meta = obj.get("meta") or {}
            if not isinstance(meta, dict):
                raise InputError("'meta' must be a JSON object")
            yield make_record(text, spans, meta=meta, annotator=annotator, line=number, tokens=_tokens_of(obj))
        except InputError as exc:
            yield exc.at(str(path), number)
    if rejected and options is not None:
        options.report.notes.append(f"{rejected} record(s) with answer reject/ignore in {path} skipped")
    if blank and options is not None:
        options.report.notes.append(f"{blank} record(s) with an empty or whitespace-only text in {path} skipped")
    for kind, n in sorted(dropped.items()):
        if options is not None:
            options.report.lose(f"{kind} in {path.name} (not imported)", n)


def _not_imported(obj: dict) -> dict[str, int]:
    """What a Prodigy record holds that annotator does not import: relations (``rel.manual``), the entity-link
    ids of ``accept`` (``nel`` recipes: the choice options the annotator accepted)."""
    out = {}
    relations = obj.get("relations")
    if isinstance(relations, list) and relations:
        out["Prodigy relations"] = len(relations)
    accept = obj.get("accept")
    if isinstance(accept, list) and accept:
        out["Prodigy accepted choice or entity-link ids"] = len(accept)
    return out


def _tokens_of(obj: dict) -> list[tuple[int, int]] | None:
    """The record's own tokens as (start, end), if it has usable ones."""
    tokens = obj.get("tokens")
    if not isinstance(tokens, list) or not tokens:
        return None
    out = []
    for t in tokens:
        if not (isinstance(t, dict) and isinstance(t.get("start"), int) and isinstance(t.get("end"), int)):
            return None
        out.append((t["start"], t["end"]))
    return out


def _tokens_json_reference(text: str, starts: list[int], ends: list[int], flags: bytes) -> str:
    """The ``tokens`` array as json.dumps writes it: what _spacy_tokens.c must equal, and the fallback without it."""
    for i, start in enumerate(starts):
        if not 0 <= start <= ends[i] <= len(text):
            raise ValueError(f"token {i}: [{start}, {ends[i]}) is not within the text")
    return _dumps([{"text": text[start:ends[i]], "start": start, "end": ends[i], "id": i, "ws": bool(flags[i] & WS_AFTER)}
                   for i, start in enumerate(starts)])


try:
    from ._spacy_tokens import tokens_json
except ImportError:  # built without a C compiler
    tokens_json = _tokens_json_reference


def _dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def write(records: Iterable[DocumentRecord], out: IO[str], options=None) -> int:
    n = 0
    for rec in records:
        doc = rec.document
        starts, ends, flags = spacy_whitespace(doc.text, document_tokens(doc.text, doc.meta, with_texts=False))
        spans = []
        for s in rec.spans:
            if s.deleted:
                continue
            first = max(bisect.bisect_right(starts, s.start) - 1, 0)
            last = min(bisect.bisect_left(ends, s.end), len(starts) - 1)
            if options is not None and not (_at(starts, s.start) and _at(ends, s.end)):
                options.report.adjust("spans not on token boundaries (token_start/token_end widened, offsets exact)")
            spans.append({"start": s.start, "end": s.end, "label": s.label, "token_start": first,
                          "token_end": last, "text": s.text})
        if options is not None:
            count_losses(rec, options.report)
        meta = exported_meta(doc.meta)
        meta.update(id=doc.id, title=doc.title, source=doc.source)
        # the keys in spaCy's order: text, meta, tokens, spans, answer; the tokens array is made apart (see above)
        head = _dumps({"text": doc.text, "meta": {k: meta[k] for k in sorted(meta)}})
        out.write(f'{head[:-1]},"tokens":{tokens_json(doc.text, starts, ends, flags)},"spans":{_dumps(spans)},'
                  '"answer":"accept"}\n')
        n += 1
    return n


def _at(sorted_offsets: list[int], offset: int) -> bool:
    i = bisect.bisect_left(sorted_offsets, offset)
    return i < len(sorted_offsets) and sorted_offsets[i] == offset
