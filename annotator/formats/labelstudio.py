"""Label Studio JSON: a list of tasks ``{"id", "data": {"text", ...}, "annotations": [{"completed_by",
"result": [{"id", "from_name": "label", "to_name": "text", "type": "labels", "value": {"start", "end", "text",
"labels": [...]}}]}]}``, one annotation per reviewer.

Label Studio's editor runs in the browser and counts offsets in UTF-16 units (Label Studio issues #539, #1347:
emoji shift later spans). We write UTF-16 offsets when a text holds characters beyond U+FFFF and read either:
each span's ``value.text`` tells which count its offsets use. Reviewers travel as ``completed_by.email``
(``NAME@annotator``); notes go in each result's ``meta.text``, Label Studio's own place for region notes.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Iterable, Iterator

from ..core.errors import InputError
from ..core.model import DocumentRecord
from .common import FromUTF16, count_losses, from_utf16, has_astral, json_array_items, make_record, utf16_offsets

NAME = "labelstudio"
DESCRIPTION = "Label Studio JSON: task list, one annotation per reviewer, UTF-16 offsets as the browser counts"
SUFFIXES = (".json",)
EMAIL_DOMAIN = "@annotator"


def sniff(path: Path) -> bool:
    if path.suffix.lower() not in SUFFIXES:
        return False
    with open(path, "rb") as fh:
        head = fh.read(4096).lstrip()
    return head.startswith(b"[") and (b'"data"' in head or head.strip() == b"[]")


def read(path: Path | str, options=None) -> Iterator[DocumentRecord | InputError]:
    path = Path(path)
    default = (options.annotator if options else "") or "import"
    # the export is one JSON array: read an item at a time (json.load of 100,000 tasks would take gigabytes)
    items = json_array_items(path, options.progress if options else None,
                             expected="a Label Studio export: a JSON list of tasks")
    for i, item in enumerate(items, 1):
        if isinstance(item, InputError):
            yield item
            return
        line, task = item
        try:
            yield parse_task(task, default, i)
        except InputError as exc:
            yield InputError(f"task {i}: {exc.reason}", str(path), line)


def _who(annotation: dict, default: str) -> str:
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        who = who.get("email") or who.get("username") or who.get("id")
    if who is not None and type(who) not in (str, int):
        raise InputError("'completed_by' must be a user id, an email or an object with one")
    if isinstance(who, str) and who.endswith(EMAIL_DOMAIN):
        who = who[: -len(EMAIL_DOMAIN)]
    return str(who) if who not in (None, "") else default


def parse_task(task, default: str, number: int = 0) -> DocumentRecord:
    if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
        raise InputError("a task must be an object with a 'data' object")
    data = task["data"]
    text = data.get("text")
    if not isinstance(text, str):
        raise InputError("data.text is missing or not a string")
    spans = []
    annotations = []
    for key in ("annotations", "completions"):  # completions: Label Studio before 1.0
        if not isinstance(task.get(key) or [], list):
            raise InputError(f"'{key}' must be a list of annotations, got {type(task[key]).__name__}")
        annotations += task.get(key) or []
    convert = None  # UTF-16 to code points for this text, made once if a span needs it
    for j, annotation in enumerate(annotations, 1):
        if not isinstance(annotation, dict):
            raise InputError(f"annotation {j} must be an object, got {type(annotation).__name__}")
        if annotation.get("was_cancelled"):
            continue
        who = _who(annotation, default)
        if not isinstance(annotation.get("result") or [], list):
            raise InputError(f"annotation {j}: 'result' must be a list")
        for k, result in enumerate(annotation.get("result") or [], 1):
            value = result.get("value") if isinstance(result, dict) else None
            if not isinstance(value, dict) or "start" not in value or "end" not in value:
                continue  # not a text span (a choice, a relation ...)
            labels = value.get("labels") or value.get("hypertextlabels") or []
            if not labels:
                raise InputError(f"result {k} has no labels")
            if not isinstance(labels, list):
                raise InputError(f"result {k}: 'labels' must be a list of label names")
            start, end, stated = value["start"], value["end"], value.get("text")
            if isinstance(stated, str) and type(start) is int and type(end) is int and text[start:end] != stated:
                convert = convert or FromUTF16(text)
                moved = from_utf16(text, start, end, convert)
                if moved and text[moved[0]:moved[1]] == stated:
                    start, end = moved
            meta = result.get("meta") or {}
            if not isinstance(meta, dict):
                raise InputError(f"result {k}: 'meta' must be an object")
            note = meta.get("text") or [""]
            note = note[0] if isinstance(note, list) and note else note
            if not isinstance(note, str):
                raise InputError(f"result {k}: the note (meta.text) must be a string or a list of strings")
            for label in labels:
                spans.append((start, end, label, stated, who, note))
    meta = {k: v for k, v in data.items() if k != "text"}
    if "id" in task:
        meta.setdefault("labelstudio_id", task["id"])
    return make_record(text, spans, meta=meta, annotator=default, line=number)


def write(records: Iterable[DocumentRecord], out: IO[str], options=None) -> int:
    out.write("[\n")
    n = 0
    for rec in records:
        if options is not None:
            count_losses(rec, options.report, notes=False, annotators=False)
        doc = rec.document
        table = utf16_offsets(doc.text) if has_astral(doc.text) else None
        by_who: dict[str, list] = {}
        for s in rec.spans:
            if s.deleted:
                continue
            start, end = (table[s.start], table[s.end]) if table else (s.start, s.end)
            result = {"id": s.id[:10], "from_name": "label", "to_name": "text", "type": "labels", "origin": "manual",
                      "value": {"start": start, "end": end, "text": s.text, "labels": [s.label]}}
            if s.note:
                result["meta"] = {"text": [s.note]}
            by_who.setdefault(s.annotator, []).append(result)
        data = {"text": doc.text, **{k: v for k, v in sorted(doc.meta.items()) if k != "text"},
                "title": doc.title, "doc_id": doc.id}
        task = {"id": n + 1, "data": data, "annotations": [
            {"completed_by": {"email": who + EMAIL_DOMAIN}, "result": results} for who, results in sorted(by_who.items())
        ]}
        out.write(("," if n else "") + json.dumps(task, ensure_ascii=False, separators=(",", ":")) + "\n")
        n += 1
    out.write("]\n")
    return n
