"""Reviewer files: ``reviewers/NAME.jsonl``, one reviewer's work, written by that reviewer's sync only.

Each line is a document the reviewer has work on, by id, without its text or metadata (those are in ``texts/``,
once): ``{"id", "spans", "reviews"(, "gold")}`` in canonical JSONL's shapes, deletions kept, documents by id. A
file holds its owner's own work (spans and reviews whose annotator, gold spans whose curator, is the owner) and two
kinds of other people's, which are *carried*:

- a newer version of a teammate's span (a relabel, a deletion) than the teammate's own file says: without it, an
  edit of a teammate's span would never travel. Only things the teammate's own file already has are carried, and
  relations drawn between spans it has (a relation is in the name of the spans' reviewer, whoever drew it);
- the work of a name that has no file in the shared place (the spans of an import made under another name).

What is refused, naming the file, the line and the reason: a file that claims, in the name of a reviewer who has
a file, something that reviewer's own file does not have (new work in someone else's name); anything a merge of
a bundle refuses (``store.merge``). A line whose document has not arrived yet (a synced folder still copying
``texts/``) is left for a later sync rather than refused.
"""
from __future__ import annotations

import hashlib
import json
from typing import Callable, Iterator

from ..core.errors import InputError
from ..core.model import Document, DocumentRecord
from ..core.validate import check_storable, latest_time
from ..formats import canonical, canonical_links
from ..formats.common import loads
from .layout import is_document_id

LINE_KEYS = ("id", "spans", "reviews", "relations", "gold", "gold_relations", "entities")
_WHO = {"spans": ("span", "annotator"), "reviews": ("review", "annotator"), "relations": ("relation", "annotator"),
        "gold": ("gold", "curator"), "gold_relations": ("gold relation", "curator")}
# a relation's ends are spans of the same line: (relations, the spans they join)
_ENDS = (("relations", "spans"), ("gold_relations", "gold"))


def _dumps(item: dict) -> str:
    return json.dumps(item, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _version(item: dict) -> str:
    return hashlib.sha256(_dumps(item).encode("utf-8")).hexdigest()[:16]


def item_key(part: str, item: dict, doc_id: str) -> str:
    """What a version is of: a span or gold span by its id, a review by its document and reviewer."""
    kind = _WHO[part][0]
    return f"review {doc_id} {item.get('annotator')}" if kind == "review" else f"{kind} {item.get('id')}"


def _parts(rec: DocumentRecord) -> dict[str, list[dict]]:
    """A record's work as canonical JSONL writes it (a span's attribute values inside the span's dict, so that a
    new value is a new version of the span)."""
    d = canonical.record_dict(rec, tombstones=True)
    return {part: d.get(part, []) for part in _WHO}


def versions_of(work) -> dict[str, str]:
    """item key -> version of everything in ``work`` (see ``reviewer_lines``): this database's versions."""
    out = {}
    for rec in work:
        for part, items in _parts(rec).items():
            for item in items:
                out[item_key(part, item, rec.document.id)] = _version(item)
    return out


# -- writing ----------------------------------------------------------------------------------------------------

def reviewer_lines(work, me: str, claims: dict[str, dict[str, str]], registry: dict | None = None,
                   entity_names=frozenset(("entity",))) -> Iterator[tuple[str, str]]:
    """(document id, line) of ``me``'s file, from ``work`` (records, see ``store.sync_state.work_by_document``).
    ``claims`` maps each reviewer who has a file in the shared place to what their file says of their own work
    (item key -> version). ``registry``: entity id -> Entity; a line carries the entities its values link to, as
    a bundle's does (formats/canonical.py), so a teammate's database gets the same entity."""
    for rec in work:
        doc_id = rec.document.id
        parts = _parts(rec)
        kept = {part: [i for i in items if _carry(part, item_key(part, i, doc_id), i, me, claims)]
                for part, items in parts.items()}
        for links, ends in _ENDS:  # a relation goes with its two spans, as they are here
            have = {s["id"] for s in kept[ends]}
            needed = {i[k] for i in kept[links] for k in ("head", "child")} - have
            if needed:
                kept[ends] = [s for s in parts[ends] if s["id"] in needed or s["id"] in have]
        if not any(kept.values()):
            continue
        line = {"id": doc_id, "spans": kept["spans"], "reviews": kept["reviews"]}
        line.update({part: kept[part] for part in ("relations", "gold", "gold_relations") if kept[part]})
        linked = canonical_links.linked_in(kept["spans"] + kept["gold"], registry, entity_names) if registry else []
        if linked:
            line["entities"] = canonical_links.entity_items(linked)
        yield doc_id, json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n"


def _carry(part: str, key: str, item: dict, me: str, claims: dict) -> bool:
    owner = item[_WHO[part][1]]
    if owner == me:
        return True
    said = claims.get(owner)
    if said is None:  # a name with no file of its own: its work travels with whoever has it
        return True
    if key not in said:  # a relation between a teammate's spans is theirs (the store gives it their name)
        return _joins_theirs(part, item, said)
    # a version of something the owner's file has, newer than what it says (the merge kept the newest)
    return said[key] != _version(item)


def _joins_theirs(part: str, item: dict, said: dict) -> bool:
    """A relation (anyone may draw one) between two spans that their owner's own file has."""
    ends = dict(_ENDS).get(part)
    if ends is None:
        return False
    kind = _WHO[ends][0]
    return f"{kind} {item.get('head')}" in said and f"{kind} {item.get('child')}" in said


# -- what a file says -------------------------------------------------------------------------------------------

def lines_of(data: bytes, name: str) -> Iterator[tuple[int, dict | InputError]]:
    """(line number, parsed object or the InputError naming the line) of a reviewer file's bytes."""
    for number, raw in enumerate(data.split(b"\n"), 1):
        if not raw.strip():
            continue
        try:
            obj = loads(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            yield number, InputError(f"not valid UTF-8 at byte {exc.start} of the line", name, number)
            continue
        except InputError as exc:
            yield number, exc.at(name, number)
            continue
        if not isinstance(obj, dict):
            yield number, InputError(f"a line must be a JSON object, got {type(obj).__name__}", name, number)
            continue
        yield number, obj


def items_of(data: bytes, owner: str) -> dict[str, tuple[str, bool]]:
    """What a file says: item key -> (version, whether it is the owner's own work). Lines that do not parse say
    nothing."""
    out: dict[str, tuple[str, bool]] = {}
    for _, obj in lines_of(data, ""):
        if isinstance(obj, InputError):
            continue
        doc_id = obj.get("id")
        for part, (_, who_key) in _WHO.items():
            items = obj.get(part)
            for item in items if isinstance(items, list) else ():
                if isinstance(item, dict):
                    out[item_key(part, item, doc_id)] = (_version(item), item.get(who_key) == owner)
    return out


def own_work(items: dict[str, tuple[str, bool]]) -> dict[str, str]:
    """Of what a file says, its owner's own work: item key -> version."""
    return {k: v for k, (v, own) in items.items() if own}


# -- reading ----------------------------------------------------------------------------------------------------

def read_reviewer_file(name: str, data: bytes, owner: str, document: Callable[[str], Document | None],
                       claims: dict[str, dict[str, str]], refused_texts: dict[str, str],
                       waiting: list[str]) -> Iterator[DocumentRecord | InputError]:
    """The records of a reviewer file's bytes, each checked as a merged bundle is; a bad line is an InputError
    naming the file and the line (the merge then refuses the whole file). ``document(id)`` gives a document of
    this database or None; the ids of lines whose document is not there yet go to ``waiting``."""
    latest = latest_time()
    for number, obj in lines_of(data, name):
        if isinstance(obj, InputError):
            yield obj
            continue
        extra = [k for k in obj if k not in LINE_KEYS]
        if extra:
            why = ("a reviewer file holds no texts or metadata (they are in texts/, once each)"
                   if extra[0] in ("text", "meta") else
                   f"unknown key {extra[0]!r} (allowed: {', '.join(LINE_KEYS)}; a file of a newer annotator?)")
            yield InputError(why, name, number)
            continue
        doc_id = obj.get("id")
        if not is_document_id(doc_id):
            yield InputError(f"'id' must be a document id (16 hexadecimal digits), got {doc_id!r}", name, number)
            continue
        if doc_id in refused_texts:
            yield InputError(f"document {doc_id}: {refused_texts[doc_id]}", name, number)
            continue
        claim = _foreign_claim(obj, doc_id, owner, claims)
        if claim:
            yield InputError(claim, name, number)
            continue
        doc = document(doc_id)
        if doc is None:
            waiting.append(doc_id)
            continue
        try:
            rec = canonical.parse_record({**obj, "text": doc.text}, "import", number, latest)
            rec.document = doc  # this database's copy: a reviewer file says nothing of the metadata
            rec.file = name
            check_storable(rec)
        except InputError as exc:
            yield exc.at(name, number)
            continue
        yield rec


def _foreign_claim(obj: dict, doc_id: str, owner: str, claims: dict) -> str | None:
    """Why the line claims work of another reviewer that is not theirs to give, or None."""
    for part, (kind, who_key) in _WHO.items():
        items = obj.get(part)
        for i, item in enumerate(items if isinstance(items, list) else (), 1):
            if not isinstance(item, dict):
                continue  # the merge's checks name it
            who = item.get(who_key)
            if who == owner or not isinstance(who, str) or who not in claims:
                continue
            if item_key(part, item, doc_id) not in claims[who] and not _joins_theirs(part, item, claims[who]):
                what = f"the review of document {doc_id}" if kind == "review" else f"{kind} {i} ({item.get('id')!r})"
                return (f"{what} is in the name of {who!r}, whose own file does not have it: a reviewer's file "
                        f"holds their own work and newer versions of what teammates' files have (if {who}'s "
                        "file is still arriving, a later sync takes this one)")
    return None
