"""Relations and span attributes on the bulk paths (import and export), beside the spans they join.

Import checks each record's relations and attributes against its own spans before anything is staged:
- a relation or attribute whose span is not among the record's spans (a reader skipped it: a discontinuous brat
  span, a span another file format cannot hold) is dropped and counted, as is a relation between labels its type
  does not connect, or a live relation to a deleted span;
- one that is malformed (of another document, of a span of another annotator, a value its attribute does not take,
  an attribute the span's label does not have) makes the record invalid: refused with its file and line, like a bad
  span;
- a relation type the database does not have is created connecting any labels ("*"), and the report says so;
- an attribute the scheme lacks, found by a peer format's reader (brat's A lines, Label Studio's per-region
  values), is added to the scheme as the reader typed it (``DocumentRecord.new_attributes``), and said;
- an entity id the registry does not have is created as the file's line carries it (canonical JSONL's
  ``entities``: its name, kind, country and aliases), else named after the first span linked to it (the span's
  text, which is what the reviewer saw), and said. Refusing it instead would make every file from a teammate whose
  registry has grown unimportable, and the link is what the file means: the new entity can be renamed or merged
  into another afterwards (``annotator entities merge``).

The rows are staged in temp tables with the spans and copied in the same short transaction
(store/link_staging.py); a final join against the stored spans keeps out a relation whose ends the database has with
another document or annotator (a span id the database already had for something else): dropped and counted too.
"""
from __future__ import annotations

import json
import re
from collections import Counter

from ..core import relation_scheme
from ..core.errors import InputError, InvariantError
from ..core.model import AttributeDef, DocumentRecord, GoldRelation, Relation, SpanAttribute
from .entities import check_entity_id
from .relations import ANY_LABEL

try:  # the common case of the checks, compiled (core/_relations.c); else the Python below
    from ..core._relations import relations_storable as _storable
except ImportError:
    _storable = None

LINK_TABLES = ("relations", "gold_relations", "span_attributes", "gold_span_attributes")
_SURROGATE = re.compile("[\ud800-\udfff]")

DROPPED = {
    "missing": "relation(s) to a span that was not imported (skipped by the reader or invalid)",
    "labels": "relation(s) between labels their type does not connect",
    "deleted": "live relation(s) to a deleted span",
    "stored": "relation(s) whose spans the database already has with another document or reviewer",
    "attribute missing": "attribute value(s) of a span that was not imported",
    "attribute stored": "attribute value(s) of a span the database already has with another document or reviewer",
}


def _text(value, what: str, *, empty: bool = False) -> str:
    if type(value) is not str or (not empty and not value):
        raise InputError(f"{what} must be a{'' if empty else ' non-empty'} string, got {value!r:.40}")
    if _SURROGATE.search(value):
        raise InputError(f"{what} holds a lone surrogate: not text")
    return value


def _entity_name(text: str) -> str:
    """An entity's name from a span's text: one line, no space at its ends, at most 300 characters."""
    name = " ".join(text.split())[:300].strip()
    return "".join(c for c in name if ord(c) >= 32) or "(unnamed)"


class LinkChecker:
    """The checks of one import: the database's relation types, attributes and entities read once."""

    def __init__(self, store):
        self.types = {t.name: t for t in store.relation_types(include_retired=True)}
        self.defs = {(d.label, d.name): d for d in store.attribute_defs()}
        self.entities = {r[0] for r in store.conn.execute("SELECT id FROM entities")}
        self.new_types: dict[str, None] = {}
        self.new_entities: dict[str, str] = {}
        self.carried: dict = {}  # entity id -> Entity, as the files' lines carry them (canonical "entities")
        self.defs_added: dict = {}  # (label, name) -> AttributeDef the import adds to the scheme
        self.dropped: Counter = Counter()

    def check(self, rec: DocumentRecord) -> None:
        """Keep the record's relations and attributes that can be stored (dropping the rest, counted), or raise
        InputError naming the first malformed one."""
        for e in rec.entities:
            self.carried.setdefault(e.id, e)
        for key, d in rec.new_attributes.items():  # attributes the reader found that the scheme lacks
            have = self.defs.get(key)
            if have is None or key in self.defs_added:
                if have is not None and have.type == d.type == "choice":
                    d = AttributeDef(d.label, d.name, d.type, tuple(sorted({*have.choices, *d.choices})))
                self.defs[key] = self.defs_added[key] = d if have is None or have.type == d.type else have
        if rec.relations or rec.attributes:
            spans = {s.id: s for s in rec.spans}
            rec.relations = self._relations(rec, rec.relations, spans, "relation")
            rec.attributes = self._attributes(rec, rec.attributes, spans, "attribute")
        if rec.gold_relations or rec.gold_attributes:
            gold = {s.id: s for s in rec.gold}
            rec.gold_relations = self._relations(rec, rec.gold_relations, gold, "gold relation")
            rec.gold_attributes = self._attributes(rec, rec.gold_attributes, gold, "gold attribute")

    def _relations(self, rec, relations: list[Relation], spans: dict, layer: str) -> list[Relation]:
        if not relations:
            return relations
        kept = []
        doc_id = rec.document.id
        types, dropped = self.types, self.dropped
        gold = layer != "relation"
        if not gold and _storable is not None and _storable(Relation, relations, spans, types, doc_id, ANY_LABEL):
            return relations  # every one kept as it is, nothing to count (core/_relations.c checks as below)
        strings = []
        for i, r in enumerate(relations, 1):
            # only strings are looked up: a list or an object as an id is unhashable (worded by the walk below)
            head_id, child_id, type_name, who, deleted = r.head, r.child, r.type, r.annotator, r.deleted
            head = spans.get(head_id) if type(head_id) is str else None
            child = spans.get(child_id) if type(child_id) is str else None
            t = types.get(type_name) if type(type_name) is str else None
            # the common case in one test; anything else takes the walk that names what is wrong
            if not (t is not None and head is not None and child is not None and r.doc_id == doc_id
                    and head is not child and type(who) is str and head.annotator == who == child.annotator
                    and type(r.id) is str and r.id and type(r.created) is str and type(r.updated) is str
                    and (deleted is None or type(deleted) is str)
                    and (not gold or type(getattr(r, "sources", ())) is tuple)):
                if not self._unusual_relation(r, i, doc_id, head, child, layer):
                    continue
                t = types.get(r.type)
            if t is not None and ((t.head_label != ANY_LABEL and t.head_label != head.label)
                                  or (t.child_label != ANY_LABEL and t.child_label != child.label)):
                dropped["labels"] += 1
                continue
            if deleted is None and (head.deleted or child.deleted):
                dropped["deleted"] += 1
                continue
            # the reviewer is the spans' (checked with them by core.validate.check_storable), the type a known one
            # or one the walk above checked
            strings += (r.id, r.created, r.updated, deleted or "")
            if gold:
                strings += getattr(r, "sources", ())
            kept.append(r)
        if _SURROGATE.search("\x00".join(strings)):
            for i, r in enumerate(kept, 1):
                self._unusual_relation(r, i, doc_id, spans[r.head], spans[r.child], layer)
        return kept

    def _unusual_relation(self, r, i: int, doc_id: str, head, child, layer: str) -> bool:
        """A relation off the common path: InputError if it is malformed, False to drop it (counted), True to keep
        it (a new type, noted)."""
        what = f"{layer} {i}"
        _text(r.id, f"{what}: its id")
        _text(r.annotator, f"{what}: its {'curator' if layer.startswith('gold') else 'annotator'}")
        for key in ("created", "updated"):
            _text(getattr(r, key), f"{what}: {key!r}", empty=True)
        if r.deleted is not None:
            _text(r.deleted, f"{what}: 'deleted'")
        sources = getattr(r, "sources", ())
        if type(sources) is not tuple:
            raise InputError(f"{what}: its sources must be relation ids")
        for source in sources:
            _text(source, f"{what}: a source relation id")
        try:
            relation_scheme.check_relation_name(_text(r.type, f"{what}: its type"))
        except InvariantError as exc:
            raise InputError(f"{what}: {exc}") from None
        if r.doc_id != doc_id:
            raise InputError(f"{what} is of document {r.doc_id!r}, not of this one")
        for role in ("head", "child"):
            _text(getattr(r, role), f"{what}: its {role}")
        if r.head == r.child:
            raise InputError(f"{what} joins a span to itself")
        if head is None or child is None:
            self.dropped["missing"] += 1
            return False
        if head.annotator != r.annotator or child.annotator != r.annotator:
            raise InputError(f"{what} is {r.annotator}'s but joins spans of "
                             f"{' and '.join(sorted({head.annotator, child.annotator}))}")
        if r.type not in self.types:
            self.new_types.setdefault(r.type, None)
        return True

    def _attributes(self, rec, attributes: list[SpanAttribute], spans: dict, layer: str) -> list[SpanAttribute]:
        if not attributes:
            return attributes
        kept = []
        doc_id = rec.document.id
        defs, entities = self.defs, self.entities
        strings = []
        for i, a in enumerate(attributes, 1):
            span = spans.get(a.span_id) if type(a.span_id) is str else None
            definition = defs.get((span.label, a.name)) if span is not None and type(a.name) is str else None
            value = a.value
            kind = type(value)
            # the common case: a value of the attribute's type, an entity the registry has
            if not (definition is not None and a.doc_id == doc_id and span.annotator == a.annotator
                    and type(a.updated) is str and (a.deleted is None or type(a.deleted) is str)
                    and type(a.proposed) is bool and (
                        (definition.type == "text" and kind is str and value.strip() and len(value) <= 1000
                         and "\x00" not in value)
                        or (definition.type == "entity" and kind is str and value in entities)
                        or (definition.type == "choice" and kind is str and value in definition.choices)
                        or (definition.type == "bool" and kind is bool))):
                if not self._unusual_attribute(a, i, doc_id, span, layer):
                    continue
            elif kind is str:
                strings.append(value)
            strings += (a.name, a.annotator, a.updated, a.deleted or "")
            kept.append(a)
        if _SURROGATE.search("\x00".join(strings)):
            for i, a in enumerate(kept, 1):
                self._unusual_attribute(a, i, doc_id, spans[a.span_id], layer)
        return kept

    def _unusual_attribute(self, a, i: int, doc_id: str, span, layer: str) -> bool:
        """An attribute value off the common path: InputError if it is malformed, False to drop it (counted), True
        to keep it (a number, or an entity the registry will have)."""
        what = f"{layer} {i}"
        _text(a.name, f"{what}: its name")
        _text(a.annotator, f"{what}: its {'curator' if layer.startswith('gold') else 'annotator'}")
        _text(a.updated, f"{what}: 'updated'", empty=True)
        if a.deleted is not None:
            _text(a.deleted, f"{what}: 'deleted'")
        if type(a.proposed) is not bool:
            raise InputError(f"{what}: 'proposed' is true or false")
        if a.doc_id != doc_id:
            raise InputError(f"{what} is of document {a.doc_id!r}, not of this one")
        _text(a.span_id, f"{what}: its span")
        if span is None:
            self.dropped["attribute missing"] += 1
            return False
        if span.annotator != a.annotator:
            raise InputError(f"{what} is {a.annotator}'s but its span is {span.annotator}'s")
        definition = self.defs.get((span.label, a.name))
        if definition is None:
            if any(n == a.name for (_, n) in self.defs):
                return True  # an attribute of another label: its span was relabelled after it was given; kept
            known = ", ".join(n for (label, n) in self.defs if label == span.label) or "none"
            raise InputError(f"{what}: {span.label} has no attribute {a.name!r} (its attributes: {known})")
        try:
            relation_scheme.check_attribute_value(definition, a.value)
        except InvariantError as exc:
            raise InputError(f"{what}: {exc}") from None
        if type(a.value) is str:
            _text(a.value, f"{what}: its value")
        if definition.type == "entity" and a.value not in self.entities:
            try:
                check_entity_id(a.value)
            except InvariantError as exc:
                raise InputError(f"{what}: {exc}") from None
            self.new_entities.setdefault(a.value, _entity_name(span.text))
        return True

    def notes(self, types_added: list[str], entities_added: list[str], stored_drops: Counter) -> list[str]:
        out = []
        if types_added:
            out.append(f"new relation type(s) added, connecting any labels (narrow them with 'annotator relations'): "
                       f"{', '.join(types_added)}")
        for ids, how in (([e for e in entities_added if e in self.carried], "as the file names them"),
                         ([e for e in entities_added if e not in self.carried], "named after the span linked to it")):
            if ids:
                shown = ", ".join(ids[:10]) + (f" and {len(ids) - 10} more" if len(ids) > 10 else "")
                out.append(f"{len(ids)} new entit{'y' if len(ids) == 1 else 'ies'} added to the registry, {how} "
                           f"(rename or merge with 'annotator entities'): {shown}")
        for reason, n in (self.dropped + stored_drops).items():
            out.append(f"{n} {DROPPED[reason]}: not imported")
        return out


# -- export ---------------------------------------------------------------------------------------------------

def relation_from_row(row, gold: bool) -> Relation:
    if gold:
        *head, sources, created, updated, deleted = row
        return GoldRelation(*head, created, updated, deleted, sources=tuple(json.loads(sources)))
    return Relation(*row)


def attribute_from_row(row) -> SpanAttribute:
    span_id, doc_id, name, value, who, proposed, updated, deleted = row
    return SpanAttribute(span_id, doc_id, name, json_value(value), who, bool(proposed), updated, deleted)


def json_value(stored: str):
    """An attribute's stored JSON value. Most are plain strings ("USD", "IOM"): a string whose JSON has no escape,
    no other quote and no control character is its text between the quotes, read without the JSON decoder (a
    third of the time)."""
    if (stored[:1] == '"' and stored[-1:] == '"' and len(stored) > 1 and stored.count('"') == 2
            and "\\" not in stored and stored.isprintable()):
        return stored[1:-1]
    return json.loads(stored)


def only_between(relations: list, span_ids: set) -> list:
    """The relations both of whose ends are exported (a label or reviewer filter may have left one out)."""
    return [r for r in relations if r.head in span_ids and r.child in span_ids]
