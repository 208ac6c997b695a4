"""doccano JSONL, sequence labelling: ``{"text": ..., "label": [[start, end, "LABEL"], ...]}`` (doccano 1.5 and
later), ``{"text": ..., "entities": [{"id", "label", "start_offset", "end_offset"}], "relations": [...]}`` (the
relation-extraction project shape), ``"entities": [[start, end, "LABEL"]]`` (intent detection and slot filling),
or doccano 1.0-1.4's ``"annotations": [{"label", "start_offset", "end_offset", "user"}]``. Offsets are characters
of the text (doccano's backend is Python).

Other keys of a record are kept as the document's metadata. doccano has no place for span notes, reviewer
names or review statuses: export counts them as lost. Relations come in by the entities' ids; a document with
relations is written in the relation-extraction shape (``entities`` with ids, ``relations``), the others in the
sequence-labelling one (``label``). doccano has no place for span attributes or entity links: counted as lost.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Iterable, Iterator

from ..core.errors import InputError
from ..core.model import DocumentRecord
from ..core.tokenize import token_bounds
from .common import (count_losses, exported_meta, first_json_line, from_utf16, has_astral, json_lines, make_record,
                     utf16_offsets)
from .links import Links, live

NAME = "doccano"
DESCRIPTION = "doccano JSONL (label: [[start, end, LABEL]], or entities/relations)"
SUFFIXES = (".jsonl",)
TEXT_KEYS = ("text", "data")
ORDER = "imported"  # documents in the order they came in, as the source file had them


def sniff(path: Path) -> bool:
    if path.suffix.lower() not in SUFFIXES:
        return False
    first = first_json_line(path)
    doccano_1 = isinstance(first, dict) and isinstance(first.get("annotations"), list) and all(
        isinstance(a, dict) and "start_offset" in a for a in first["annotations"])
    return isinstance(first, dict) and ("entities" in first or isinstance(first.get("label"), list) or doccano_1
                                        or isinstance(first.get("labels"), list)) and "spans" not in first


def read(path: Path | str, options=None) -> Iterator[DocumentRecord | InputError]:
    path = Path(path)
    annotator = (options.annotator if options else "") or "import"
    offsets = getattr(options, "offsets", "auto") if options is not None else "auto"
    utf16_documents: list[int] = []  # lines read with UTF-16 offsets
    for number, obj in json_lines(path, options.progress if options else None):
        if isinstance(obj, InputError):
            yield obj
            continue
        try:
            record, _ = parse(obj, annotator, number, offsets, utf16_documents)
            yield record
        except InputError as exc:
            yield exc.at(str(path), number)
    if utf16_documents and options is not None:
        lines = ", ".join(map(str, utf16_documents[:10])) + (" ..." if len(utf16_documents) > 10 else "")
        options.report.notes.append(
            f"{path.name}: spans read as UTF-16 offsets (made in doccano's page) in {len(utf16_documents)} "
            f"document(s), line(s) {lines}; --offsets code-points or utf-16 decides it for every span")


def _reading(text: str, spans: list[tuple], offsets: str) -> tuple[list[tuple], bool]:
    """The spans with code-point offsets. doccano's files count code points, but its page stores the spans made in
    it in UTF-16 units, and its export does not say which is which nor carry the spans' text. Where the text has
    characters beyond U+FFFF the two differ: each span takes the reading that puts it on token boundaries, and
    where both or neither do, the reading most of the document's spans took (code points if none decided).
    ``offsets`` ("code-points" or "utf-16") decides it for every span instead. Returns the spans and whether
    any was read as UTF-16."""
    if offsets == "code-points" or not has_astral(text) or not spans:
        return spans, False
    if offsets == "utf-16":
        moved = [(*(from_utf16(text, s[0], s[1]) or (-1, -1)), *s[2:]) for s in spans]
        return moved, True
    starts, ends = token_bounds(text)
    starts, ends = set(starts), set(ends)
    choice = []
    for s in spans:
        as_cp = isinstance(s[0], int) and isinstance(s[1], int) and s[0] in starts and s[1] in ends
        moved = from_utf16(text, s[0], s[1]) if isinstance(s[0], int) and isinstance(s[1], int) else None
        as_u16 = moved is not None and moved[0] in starts and moved[1] in ends
        choice.append("cp" if as_cp and not as_u16 else "u16" if as_u16 and not as_cp else None)
    majority = "u16" if choice.count("u16") > choice.count("cp") else "cp"
    out, any_u16 = [], False
    for s, c in zip(spans, choice):
        if (c or majority) == "u16" and from_utf16(text, s[0], s[1]) is not None:
            out.append((*from_utf16(text, s[0], s[1]), *s[2:]))
            any_u16 = True
        else:
            out.append(s)
    return out, any_u16


def parse(obj, annotator: str, line: int = 0, offsets: str = "auto",
          utf16_documents: list | None = None) -> tuple[DocumentRecord, int]:
    if not isinstance(obj, dict):
        raise InputError(f"a record must be a JSON object, got {type(obj).__name__}")
    text = next((obj[k] for k in TEXT_KEYS if isinstance(obj.get(k), str)), None)
    if text is None:
        raise InputError("the record has no 'text'")
    spans: list[tuple] = []
    entity_ids: dict = {}  # an entity's id in the file -> its index in spans, for the relations
    if "entities" in obj or isinstance(obj.get("annotations"), list):
        key = "entities" if "entities" in obj else "annotations"
        entities = obj[key]
        if not isinstance(entities, list):
            raise InputError(f"'{key}' must be a list")
        for i, e in enumerate(entities, 1):
            if isinstance(e, list) and len(e) == 3:  # intent detection and slot filling: [start, end, "LABEL"]
                spans.append((e[0], e[1], e[2]))
                continue
            if not isinstance(e, dict) or not {"start_offset", "end_offset", "label"} <= e.keys():
                raise InputError(f"entity {i} must be [start, end, \"LABEL\"] or an object with start_offset, "
                                 "end_offset and label")
            # doccano 1.0-1.4 gives the label and the user by id, with their names in later versions of it
            label = e.get("label_name") or e["label"]
            if isinstance(label, int) and not isinstance(label, bool):
                label = f"doccano-label-{label}"
            who = e.get("user_name") or (f"doccano-user-{e['user']}" if isinstance(e.get("user"), int) else None)
            if "id" in e:
                if type(e["id"]) not in (int, str) or e["id"] in entity_ids:
                    raise InputError(f"entity {i}: its id must be a number or a text no other entity of the record "
                                     f"has, got {json.dumps(e['id'])[:40]}")
                entity_ids[e["id"]] = len(spans)
            spans.append((e["start_offset"], e["end_offset"], label, None, who))
        if not isinstance(obj.get("relations") or [], list):
            raise InputError("'relations' must be a list")
    else:
        labels = obj.get("label", obj.get("labels", []))
        if not isinstance(labels, list):
            raise InputError("'label' must be a list of [start, end, label]")
        for i, item in enumerate(labels, 1):
            if not (isinstance(item, list) and len(item) == 3):
                raise InputError(f"label {i} must be [start, end, \"LABEL\"], got {json.dumps(item)[:60]}")
            spans.append((item[0], item[1], item[2]))
    meta = {k: v for k, v in obj.items()
            if k not in ("text", "data", "label", "labels", "entities", "relations", "id", "annotations")}
    if "id" in obj:
        meta["doccano_id"] = obj["id"]
    spans, utf16 = _reading(text, spans, offsets)
    if utf16 and utf16_documents is not None:
        utf16_documents.append(line)
    record = make_record(text, spans, meta=meta, annotator=annotator, line=line)
    if obj.get("relations"):
        _relations(record, obj["relations"], entity_ids)
    return record, 0


def _relations(record: DocumentRecord, relations: list, entity_ids: dict) -> None:
    """doccano's relations ``{"id", "from_id", "to_id", "type"}`` on the record's spans, by the entities' ids."""
    links = Links(record)
    for i, r in enumerate(relations, 1):
        what = f"relation {i}"
        if not isinstance(r, dict) or not {"from_id", "to_id", "type"} <= r.keys():
            raise InputError(f"{what} must be an object with from_id, to_id and type")
        ends = []
        for key in ("from_id", "to_id"):
            ref = r[key]
            if type(ref) not in (int, str) or ref not in entity_ids:
                raise InputError(f"{what}: its {key} {json.dumps(ref)[:40]} is not the id of an entity of the record")
            ends.append(record.spans[entity_ids[ref]])
        kind = r["type"]
        if type(kind) is int:  # doccano 1.x before names: the relation type's id
            kind = f"doccano-relation-{kind}"
        links.relation(ends[0], ends[1], kind, what)


def write(records: Iterable[DocumentRecord], out: IO[str], options=None) -> int:
    """doccano reads a file's offsets as code points but draws them in its page as UTF-16 units: for texts with
    characters beyond U+FFFF, ``options.offsets == "utf-16"`` writes the offsets its page will draw right (and
    which its own export will then give back as they were)."""
    utf16 = getattr(options, "offsets", "auto") == "utf-16"
    report = options.report if options is not None else None
    n = 0
    for rec in records:
        if options is not None:
            count_losses(rec, options.report)
        doc = rec.document
        table = utf16_offsets(doc.text) if utf16 and has_astral(doc.text) else None
        spans = [s for s in rec.spans if not s.deleted]
        relations, attributes = live(rec, {s.id for s in spans}, report) if rec.relations or rec.attributes else ((), ())
        if attributes and report is not None:
            report.lose("span attributes and entity links (doccano has no place for them)", len(attributes))
        if relations:  # the relation-extraction shape: entities with ids, and the relations between them
            ids: dict[str, int] = {}
            entities = []
            for s in spans:
                ids.setdefault(s.id, len(entities) + 1)
                entities.append({"id": len(entities) + 1, "label": s.label,
                                 "start_offset": table[s.start] if table else s.start,
                                 "end_offset": table[s.end] if table else s.end})
            obj = {"id": doc.id, "text": doc.text, "entities": entities,
                   "relations": [{"id": n, "from_id": ids[r.head], "to_id": ids[r.child], "type": r.type}
                                 for n, r in enumerate(relations, 1)]}
        else:
            obj = {"id": doc.id, "text": doc.text,
                   "label": [[table[s.start], table[s.end], s.label] if table else [s.start, s.end, s.label]
                             for s in spans]}
        for key, value in sorted(exported_meta(doc.meta).items()):
            obj.setdefault(key, value)
        obj.setdefault("title", doc.title)
        out.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n")
        n += 1
    return n
