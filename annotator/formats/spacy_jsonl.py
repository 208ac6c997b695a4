"""spaCy / Prodigy JSONL: ``text``, ``meta``, ``tokens`` (``text``, ``start``, ``end``, ``id``, ``ws``) and
``spans`` (``start``, ``end``, ``label``, ``token_start``, ``token_end`` inclusive, ``text``), ``relations`` as
Prodigy's ``rel.manual`` writes them (``head``, ``child``: the last token of each span; ``head_span``,
``child_span``; ``label``), ``answer: "accept"``. It has no place for span attributes: export counts them as lost.

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
from .links import Links, live

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
            record = make_record(text, spans, meta=meta, annotator=annotator, line=number, tokens=_tokens_of(obj))
            if obj.get("relations"):
                tokenless = _relations(record, obj["relations"], obj.get("spans") or [])
                if tokenless:
                    dropped[_TOKENLESS] = dropped.get(_TOKENLESS, 0) + tokenless
            yield record
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
    """What a Prodigy record holds that annotator does not import: the entity-link ids of ``accept`` (``nel``
    recipes: the choice options the annotator accepted)."""
    out = {}
    accept = obj.get("accept")
    if isinstance(accept, list) and accept:
        out["Prodigy accepted choice or entity-link ids"] = len(accept)
    return out


_TOKENLESS = "Prodigy relations of tokens that are not spans"


def _relations(record: DocumentRecord, relations, spans: list) -> int:
    """Prodigy's relations (``rel.manual``) on the record's spans: each end found by its ``head_span`` /
    ``child_span`` (start, end, label), else by its token (``head``/``child``: the last token of a span, as
    rel.manual writes them). rel.manual also relates single tokens that are in no span (their ``*_span`` has no
    label): those are counted, returned. Anything else that names no span of the record is refused."""
    if not isinstance(relations, list):
        raise InputError("'relations' must be a list")
    by_offsets = {}
    by_token = {}
    for k, s in enumerate(spans):
        by_offsets.setdefault((s["start"], s["end"], s["label"]) if _hashable(s) else None, k)
        if type(s.get("token_end")) is int:
            by_token.setdefault(s["token_end"], k)
    links = Links(record)
    tokenless = 0
    for i, r in enumerate(relations, 1):
        what = f"relation {i}"
        if not isinstance(r, dict) or "label" not in r:
            raise InputError(f"{what} must be an object with head, child (or head_span, child_span) and label")
        ends = []
        for role in ("head", "child"):
            given = r.get(f"{role}_span")
            if given is not None and not isinstance(given, dict):
                raise InputError(f"{what}: '{role}_span' must be an object with start, end and label")
            if given and given.get("label") is None and {"start", "end"} <= given.keys():
                ends.append(None)  # a token in no span
                continue
            k = by_offsets.get((given.get("start"), given.get("end"), given.get("label"))) if given and _hashable(
                given) else None
            if k is None and given is None:
                token = r.get(role)
                k = by_token.get(token) if type(token) is int else None
            if k is None:
                shown = json.dumps(given if given is not None else r.get(role), ensure_ascii=False)[:60]
                raise InputError(f"{what}: its {role} {shown} is not a span of the record")
            ends.append(record.spans[k])
        if None in ends:
            tokenless += 1
            continue
        links.relation(ends[0], ends[1], r["label"], what)
    return tokenless


def _hashable(s: dict) -> bool:
    return all(type(s.get(k)) in (int, str) for k in ("start", "end", "label"))


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
        written: dict[str, dict] = {}  # span id -> its entry, for the relations
        for s in rec.spans:
            if s.deleted:
                continue
            first = max(bisect.bisect_right(starts, s.start) - 1, 0)
            last = min(bisect.bisect_left(ends, s.end), len(starts) - 1)
            if options is not None and not (_at(starts, s.start) and _at(ends, s.end)):
                options.report.adjust("spans not on token boundaries (token_start/token_end widened, offsets exact)")
            spans.append({"start": s.start, "end": s.end, "label": s.label, "token_start": first,
                          "token_end": last, "text": s.text})
            written.setdefault(s.id, spans[-1])
        if options is not None:
            count_losses(rec, options.report)
        relations = _written_relations(rec, written, options) if rec.relations or rec.attributes else None
        meta = exported_meta(doc.meta)
        meta.update(id=doc.id, title=doc.title, source=doc.source)
        # the keys in spaCy's order: text, meta, tokens, spans, answer; the tokens array is made apart (see above)
        head = _dumps({"text": doc.text, "meta": {k: meta[k] for k in sorted(meta)}})
        rels = f',"relations":{_dumps(relations)}' if relations else ""
        out.write(f'{head[:-1]},"tokens":{tokens_json(doc.text, starts, ends, flags)},"spans":{_dumps(spans)}{rels},'
                  '"answer":"accept"}\n')
        n += 1
    return n


def _written_relations(rec: DocumentRecord, written: dict[str, dict], options) -> list[dict]:
    """The relations as rel.manual writes them: ``head``/``child`` the last token of each span, the spans in full."""
    report = options.report if options is not None else None
    relations, attributes = live(rec, set(written), report)
    if attributes and report is not None:
        report.lose("span attributes and entity links (spaCy/Prodigy JSONL has no place for them)", len(attributes))
    out = []
    for r in relations:
        head, child = written[r.head], written[r.child]
        out.append({"head": head["token_end"], "child": child["token_end"],
                    "head_span": {k: head[k] for k in _SPAN_KEYS}, "child_span": {k: child[k] for k in _SPAN_KEYS},
                    "label": r.type})
    return out


_SPAN_KEYS = ("start", "end", "token_start", "token_end", "label")


def _at(sorted_offsets: list[int], offset: int) -> bool:
    i = bisect.bisect_left(sorted_offsets, offset)
    return i < len(sorted_offsets) and sorted_offsets[i] == offset
