"""spaCy / Prodigy JSONL: ``text``, ``meta``, ``tokens`` (``text``, ``start``, ``end``, ``id``, ``ws``) and
``spans`` (``start``, ``end``, ``label``, ``token_start``, ``token_end`` inclusive, ``text``), ``answer: "accept"``.

Tokens come from our tokenizer, so character offsets and token indexes agree. A span that does not start or end
on a token boundary keeps its exact characters; its token indexes then cover the tokens it touches, and the export
counts it as adjusted.
"""
from __future__ import annotations

import bisect
import json
from pathlib import Path
from typing import IO, Iterable, Iterator

from ..core.errors import InputError
from ..core.model import DocumentRecord
from ..core.tokenize import tokenize
from .common import count_losses, first_json_line, json_lines, make_record

NAME = "spacy-jsonl"
DESCRIPTION = "spaCy / Prodigy JSONL: text, meta, tokens, spans with token_start/token_end"
SUFFIXES = (".jsonl",)


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
    rejected = 0
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
            spans = []
            for i, s in enumerate(obj.get("spans") or [], 1):
                if not isinstance(s, dict) or not {"start", "end", "label"} <= s.keys():
                    raise InputError(f"span {i} must be an object with start, end and label")
                spans.append((s["start"], s["end"], s["label"], s.get("text")))
            meta = obj.get("meta") or {}
            if not isinstance(meta, dict):
                raise InputError("'meta' must be a JSON object")
            yield make_record(text, spans, meta=meta, annotator=annotator, line=number)
        except InputError as exc:
            yield exc.at(str(path), number)
    if rejected and options is not None:
        options.report.notes.append(f"{rejected} record(s) with answer reject/ignore in {path} skipped")


def write(records: Iterable[DocumentRecord], out: IO[str], options=None) -> int:
    n = 0
    for rec in records:
        doc = rec.document
        tokens = tokenize(doc.text)
        starts = [t.start for t in tokens]
        ends = [t.end for t in tokens]
        on_start, on_end = set(starts), set(ends)
        spans = []
        for s in rec.spans:
            if s.deleted:
                continue
            first = bisect.bisect_right(starts, s.start) - 1
            last = bisect.bisect_left(ends, s.end)
            first, last = max(first, 0), min(last, len(tokens) - 1)
            if options is not None and not (s.start in on_start and s.end in on_end):
                options.report.adjust("spans not on token boundaries (token_start/token_end widened, offsets exact)")
            spans.append({"start": s.start, "end": s.end, "label": s.label, "token_start": first,
                          "token_end": last, "text": s.text})
        if options is not None:
            count_losses(rec, options.report)
        meta = dict(doc.meta)
        meta.update(id=doc.id, title=doc.title, source=doc.source)
        obj = {
            "text": doc.text,
            "meta": {k: meta[k] for k in sorted(meta)},
            "tokens": [{"text": t.text, "start": t.start, "end": t.end, "id": i, "ws": t.ws} for i, t in enumerate(tokens)],
            "spans": spans,
            "answer": "accept",
        }
        out.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n")
        n += 1
    return n

