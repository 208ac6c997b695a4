"""Label Studio JSON: a list of tasks ``{"id", "data": {"text", ...}, "meta": {...}, "annotations": [{"result":
[{"id", "from_name": "label", "to_name": "text", "type": "labels", "value": {"start", "end", "text", "labels":
[...]}}]}]}``, one annotation per reviewer.

Offsets: Label Studio 1.23 stores and draws code points (a selection after an emoji is stored as Python counts),
while older versions counted UTF-16 units (its issues #539, #1347). We write code points and read either: each
span's ``value.text`` tells which count its offsets use.

Reviewers: Label Studio refuses an import whose ``completed_by`` names a user it does not have (400 "Unknown
annotator's email"), so we write none (the importing user becomes the annotator there) and keep our reviewers'
names in the task's ``meta``, Label Studio's place for free data, as ``{"annotator_reviewers": {NAME: [result
ids]}}``; on import a result's reviewer comes from there, else from ``completed_by`` (an e-mail as it is, a user id
as ``labelstudio-user-N``). Notes go in each result's ``meta.text``, Label Studio's own place for region notes.

Read too: Label Studio's JSON_MIN export (``[{"text", "label": [{"start", "end", "text", "labels"}], "annotator",
...}]``), tasks whose text is under another key than ``text`` (``data.ner``: any key the labeling config names),
a single task as an object (one file per task), flat ``{"text": ...}`` tasks, and ``predictions`` (imported as the
spans of a reviewer named after the model version). Relations and per-region values (span attributes) come in and
go out as labelstudio_links.py says; choices and text areas about the whole document are counted as not imported.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Iterable, Iterator

from ..core.errors import InputError
from ..core.model import DocumentRecord
from .common import FromUTF16, count_losses, exported_meta, from_utf16, json_array_items, make_record
from .labelstudio_links import LINKS, _count, join_links, link_results
from .links import attribute_types

NAME = "labelstudio"
DESCRIPTION = "Label Studio JSON: task list (or JSON_MIN, or one task), one annotation per reviewer, code points"
SUFFIXES = (".json",)
ORDER = "imported"  # documents in the order they came in, as the source file had them
LEGACY_DOMAIN = "@annotator"  # what our exports before Label Studio 1.23 appended to reviewer names
REVIEWERS = "annotator_reviewers"  # the key of task.meta that holds our reviewers' names


def sniff(path: Path) -> bool:
    """A ``.json`` file whose first item (or only object) is a Label Studio task, whatever its size."""
    if path.suffix.lower() not in SUFFIXES:
        return False
    try:
        with open(path, "rb") as fh:
            head = fh.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        return False
    if head.startswith(b"{"):
        try:
            return _looks_like_task(json.loads(path.read_bytes().decode("utf-8-sig")))
        except (ValueError, OSError):
            return False
    if not head.startswith(b"["):
        return False
    for item in json_array_items(path, chunk=1 << 16):
        return not isinstance(item, InputError) and _looks_like_task(item[1])
    return True  # an empty list


def _looks_like_task(obj) -> bool:
    if not isinstance(obj, dict):
        return False
    if isinstance(obj.get("data"), dict):
        return True
    # JSON_MIN and flat tasks: the data keys at the top, with a text, or JSON_MIN's own keys, or its regions
    if {"spans", "entities", "tokens"} & obj.keys():
        return False
    regions = any(isinstance(v, list) and v and all(isinstance(x, dict) and "start" in x for x in v)
                  for v in obj.values())
    return isinstance(obj.get("text"), str) or "annotation_id" in obj or regions


def read(path: Path | str, options=None) -> Iterator[DocumentRecord | InputError]:
    path = Path(path)
    default = (options.annotator if options else "") or "import"
    counts: dict[str, int] = {}
    types = attribute_types(options)
    if _single_object(path):
        try:
            task = json.loads(path.read_bytes().decode("utf-8-sig"))
        except (ValueError, UnicodeDecodeError) as exc:
            yield InputError(f"malformed JSON: {exc}", str(path))
            return
        items: Iterable = [(1, task)]
    else:
        # the export is one JSON array: read an item at a time (json.load of 100,000 tasks would take gigabytes)
        items = json_array_items(path, options.progress if options else None,
                                 expected="a Label Studio export: a JSON list of tasks")
    for i, item in enumerate(items, 1):
        if isinstance(item, InputError):
            yield item
            return
        line, task = item
        try:
            yield parse_task(task, default, i, counts, types)
        except InputError as exc:
            yield InputError(f"task {i}: {exc.reason}", str(path), line)
    if options is not None:
        for kind, n in sorted(counts.items()):
            options.report.lose(f"{kind} in {path.name} (not imported)", n)


def _single_object(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(64).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def _who(annotation: dict, result: dict, reviewers: dict, default: str) -> str:
    rid = result.get("id")
    if isinstance(rid, str) and rid in reviewers:
        return reviewers[rid]
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        who = who.get("email") or who.get("username") or who.get("id")
    if isinstance(who, bool) or who in (None, ""):
        return default
    if type(who) not in (str, int):
        raise InputError("'completed_by' must be a user id, an email or an object with one")
    if isinstance(who, int):
        return f"labelstudio-user-{who}"
    return who[: -len(LEGACY_DOMAIN)] if who.endswith(LEGACY_DOMAIN) else who


def _reviewers(task: dict) -> dict[str, str]:
    """result id -> reviewer name, from what our export keeps in task.meta."""
    kept = (task.get("meta") or {}).get(REVIEWERS) if isinstance(task.get("meta"), dict) else None
    out: dict[str, str] = {}
    if isinstance(kept, dict):
        for name, ids in kept.items():
            for rid in ids if isinstance(ids, list) else []:
                out[str(rid)] = str(name)
    return out


def _text_key(data: dict, results: list[dict]) -> str:
    """The data key holding the text: ``text`` if it is a string, else the string the spans' stated texts fit
    (the labeling config may name any key: ``$ner``, ``$content``), else the only or the longest string."""
    strings = {k: v for k, v in data.items() if isinstance(v, str)}
    if isinstance(data.get("text"), str) or not strings:
        return "text"
    for key, text in strings.items():
        values = [r["value"] for r in results]
        if values and all(_fits(text, v) for v in values):
            return key
    return max(strings, key=lambda k: len(strings[k]))


def _fits(text: str, value: dict) -> bool:
    start, end, stated = value.get("start"), value.get("end"), value.get("text")
    if not (isinstance(start, int) and isinstance(end, int) and isinstance(stated, str)):
        return False
    if text[start:end] == stated:
        return True
    moved = from_utf16(text, start, end)
    return bool(moved) and text[moved[0]:moved[1]] == stated


def _as_task(obj) -> dict:
    """A task in the full export's shape, from any of the shapes Label Studio writes or accepts."""
    if not isinstance(obj, dict):
        raise InputError("a task must be a JSON object")
    if isinstance(obj.get("data"), dict):
        return obj
    # JSON_MIN: data keys at the top, each control's regions as a list of value objects under its name
    data, result = {}, []
    meta_keys = {"id", "annotator", "annotation_id", "created_at", "updated_at", "lead_time", "meta"}
    for key, value in obj.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) and "start" in v for v in value):
            result += [{"from_name": key, "type": "labels", "value": v} for v in value]
        elif key not in meta_keys:
            data[key] = value
    annotation = {"result": result}
    if obj.get("annotator") is not None:
        annotation["completed_by"] = obj["annotator"]
    task = {"data": data, "annotations": [annotation] if result else []}
    if "id" in obj:
        task["id"] = obj["id"]
    return task


def parse_task(task, default: str, number: int = 0, counts: dict | None = None,
               types: dict | None = None) -> DocumentRecord:
    task = _as_task(task)
    data = task["data"]
    counts = counts if counts is not None else {}
    reviewers = _reviewers(task)
    groups = []
    for key, kind in (("annotations", None), ("completions", None), ("predictions", "prediction")):
        # completions: Label Studio before 1.0; predictions: a model's, kept as the spans of a reviewer named after it
        if not isinstance(task.get(key) or [], list):
            raise InputError(f"'{key}' must be a list of annotations, got {type(task[key]).__name__}")
        groups += [(a, kind) for a in task.get(key) or []]
    spans = _plain_spans(data, groups, reviewers, default) if _region_spans is not None else None
    regions = links = None
    if spans is None and _region_spans is not None:
        # relations and per-region values beside the regions: the regions by the compiled walk all the same
        spans, regions, links = _plain_spans_and_links(data, groups, reviewers, default)
    if spans is not None:
        meta = {k: v for k, v in data.items() if k != "text"}
        if "id" in task:
            meta.setdefault("labelstudio_id", task["id"])
        record = make_record(data["text"], spans, meta=meta, annotator=default, line=number)
        if links:
            join_links(record, regions, links, counts, types if types is not None else attribute_types(None))
        return record
    results = []
    links: list = []
    for j, (annotation, kind) in enumerate(groups, 1):
        if not isinstance(annotation, dict):
            raise InputError(f"annotation {j} must be an object, got {type(annotation).__name__}")
        if annotation.get("was_cancelled"):
            continue
        if not isinstance(annotation.get("result") or [], list):
            raise InputError(f"annotation {j}: 'result' must be a list")
        for k, result in enumerate(annotation.get("result") or [], 1):
            value = result.get("value") if isinstance(result, dict) else None
            link = value is not None and type(result.get("type")) is str and result["type"] in LINKS
            if isinstance(value, dict) and "start" in value and "end" in value and not link:
                results.append((annotation, kind, k, result))
            elif link or isinstance(result, dict) and result.get("type") == "relation":
                links.append((annotation, k, result))  # relations and per-region values: joined to the regions below
            elif isinstance(result, dict):
                _count(counts, result)
    key = _text_key(data, [r for _, _, _, r in results])
    text = data.get(key)
    if not isinstance(text, str):
        raise InputError("the task has no text: data.text is missing or not a string")
    spans = []
    convert = None  # UTF-16 to code points for this text, made once if a span needs it (linear in the text)
    last, last_who = None, ""  # the annotation of the previous result, and its reviewer: found once for all its results
    for annotation, kind, k, result in results:
        value = result["value"]
        rid = result.get("id") if reviewers and kind != "prediction" else None
        if type(rid) is str and rid in reviewers:
            who = reviewers[rid]
        elif annotation is last:
            who = last_who
        else:
            who = _reviewer(annotation, kind, default)
            last, last_who = annotation, who
        labels = value.get("labels") or value.get("hypertextlabels") or []
        if not labels:
            raise InputError(f"result {k} has no labels")
        if type(labels) is not list:
            raise InputError(f"result {k}: 'labels' must be a list of label names")
        start, end, stated = value["start"], value["end"], value.get("text")
        # not in range: a slice is cut at the end of the text, and may equal the stated text where UTF-16 runs past it
        if (type(stated) is str and type(start) is int and type(end) is int
                and (text[start:end] != stated or not 0 <= start <= end <= len(text))):
            convert = convert or FromUTF16(text)
            moved = convert.span(start, end)
            if moved and text[moved[0]:moved[1]] == stated:
                start, end = moved
        meta = result.get("meta")
        if meta:
            if type(meta) is not dict:
                raise InputError(f"result {k}: 'meta' must be an object")
            note = meta.get("text") or [""]
            note = note[0] if type(note) is list and note else note
            if type(note) is not str:
                raise InputError(f"result {k}: the note (meta.text) must be a string or a list of strings")
        else:
            note = ""
        for label in labels:
            spans.append((start, end, label, stated, who, note))
    meta = {k: v for k, v in data.items() if k != key}
    if "id" in task:
        meta.setdefault("labelstudio_id", task["id"])
    record = make_record(text, spans, meta=meta, annotator=default, line=number, utf8=convert.utf8 if convert else None)
    if links:
        join_links(record, [(a, r) for a, _, _, r in results], links, counts,
                   types if types is not None else attribute_types(None))
    return record


def _reviewer(annotation: dict, kind: str | None, default: str) -> str:
    """Who made an annotation's results (those that the task's meta does not name)."""
    if kind == "prediction":
        model = annotation.get("model_version")
        return f"prediction:{model}" if model not in (None, "") else "prediction"
    return _who(annotation, {}, {}, default)


def _plain_spans(data: dict, groups: list, reviewers: dict, default: str) -> list[tuple] | None:
    """parse_task's spans by the compiled walk (_labelstudio_regions.c) when the task is plainly regions over
    ``data.text``; None for anything else (a result that is not a region, a value of another type, an annotation
    with something wrong), and then parse_task's own walk runs from the start, counts, and says what is wrong."""
    if type(data.get("text")) is not str:
        return None
    plain = []
    for annotation, kind in groups:
        if type(annotation) is not dict:
            return None
        if annotation.get("was_cancelled"):
            continue
        results = annotation.get("result") or []
        if type(results) is not list:
            return None
        if not results:
            continue
        try:
            who = _reviewer(annotation, kind, default)
        except InputError:  # the walk below says so, if a result needs this reviewer, in its place among the others
            return None
        plain.append((results, reviewers if kind != "prediction" else None, who))
    return _region_spans(data["text"], plain)


def _plain_spans_and_links(data: dict, groups: list, reviewers: dict, default: str):
    """As _plain_spans for a task whose annotations also hold relations and per-region values: those set apart
    (with their place in their annotation, for messages), the regions walked by the compiled walk. Returns (spans,
    the region results in order as (annotation, result), the others as (annotation, k, result)), or Nones when
    there is nothing set apart or the regions are not plainly regions (parse_task's own walk then runs)."""
    if type(data.get("text")) is not str:
        return None, None, None
    split, links = [], []
    for annotation, kind in groups:
        if type(annotation) is not dict or type(annotation.get("result") or []) is not list:
            return None, None, None
        if annotation.get("was_cancelled") or not annotation.get("result"):
            continue
        regions = []
        for k, r in enumerate(annotation["result"], 1):
            t = r.get("type") if type(r) is dict else None
            if type(t) is str and t in LINKS and (t == "relation" or r.get("value") is not None):
                links.append((annotation, k, r))
            else:
                regions.append(r)
        split.append((annotation, kind, regions))
    if not links:
        return None, None, None
    plain = []
    for annotation, kind, regions in split:
        if not regions:
            continue
        try:
            who = _reviewer(annotation, kind, default)
        except InputError:
            return None, None, None
        plain.append((regions, reviewers if kind != "prediction" else None, who))
    spans = _region_spans(data["text"], plain)
    if spans is None:
        return None, None, None
    return spans, [(annotation, r) for annotation, _, regions in split for r in regions], links


try:  # the walk over a task's results compiled for the common case; without a C compiler, parse_task's own walk
    from ._labelstudio_regions import region_spans as _region_spans
except ImportError:
    _region_spans = None


def write(records: Iterable[DocumentRecord], out: IO[str], options=None) -> int:
    types = attribute_types(options)
    out.write("[\n")
    n = 0
    for rec in records:
        if options is not None:
            count_losses(rec, options.report, notes=False, annotators=False)
        doc = rec.document
        by_who: dict[str, list] = {}
        for s in rec.spans:
            if s.deleted:
                continue
            result = {"id": s.id[:10], "from_name": "label", "to_name": "text", "type": "labels", "origin": "manual",
                      "value": {"start": s.start, "end": s.end, "text": s.text, "labels": [s.label]}}
            if s.note:
                result["meta"] = {"text": [s.note]}
            by_who.setdefault(s.annotator, []).append(result)
        data = {"text": doc.text, **{k: v for k, v in sorted(exported_meta(doc.meta).items()) if k != "text"},
                "title": doc.title, "doc_id": doc.id}
        extra = {}
        if rec.relations or rec.attributes:
            ids = {s.id: s.id[:10] for s in rec.spans if not s.deleted}
            extra = link_results(rec, ids, types, options.report if options is not None else None)
        task = {"id": n + 1, "data": data,
                "meta": {REVIEWERS: {who: [r["id"] for r in results] for who, results in sorted(by_who.items())}},
                "annotations": [{"result": results + extra.get(who, [])} for who, results in sorted(by_who.items())]}
        out.write(("," if n else "") + json.dumps(task, ensure_ascii=False, separators=(",", ":")) + "\n")
        n += 1
    out.write("]\n")
    return n
