"""The relations and attribute values of a canonical JSONL line (formats/canonical.py says the shape): writing
them in a fixed order, and reading them with a one-line reason for anything malformed.

Reading checks what a line alone can say: a relation's ends are spans of the same line and layer, its reviewer is
theirs, times are ours; an attribute's value is a JSON scalar. What depends on the database (a type's labels, an
attribute's definition, a value's range, the entity registry) is checked where the line is stored
(store/bulk_links.py on import, the merge's checks on a merge).
"""
from __future__ import annotations

import math
import uuid
from operator import attrgetter

from ..core.entity_rules import check_entity_id, check_entity_text
from ..core.errors import InputError, InvariantError
from ..core.model import DocumentRecord, Entity, GoldRelation, Relation, SpanAttribute
from ..core.validate import is_our_time, time_problem

RELATION_KEYS = ("id", "head", "child", "type", "annotator", "created", "updated", "deleted")
GOLD_RELATION_KEYS = ("id", "head", "child", "type", "curator", "sources", "created", "updated", "deleted")
ATTRIBUTE_KEYS = ("value", "proposed", "updated", "deleted")
ENTITY_KEYS = ("id", "name", "kind", "country", "aliases", "created", "updated")
# A relation that arrives without an id gets the same one each time it is read.
_KEYSETS = {RELATION_KEYS: frozenset(RELATION_KEYS), GOLD_RELATION_KEYS: frozenset(GOLD_RELATION_KEYS)}
_ATTRIBUTE_KEYSET = frozenset(ATTRIBUTE_KEYS)
RELATION_NAMESPACE = uuid.UUID("3f0c7a4e-2d51-4c8e-9a7e-6b1d3c2e9f40")

try:  # the common case of reading and writing a line's relations, compiled (core/_relations.c: its head says what
    # each does); without a C compiler, the Python below, which it was checked against
    from ..core._relations import parse_relations as _compiled_parse, relations_json as _compiled_json
except ImportError:
    _compiled_parse = _compiled_json = None


# -- writing ----------------------------------------------------------------------------------------------------

def relation_order(r: Relation):
    return (r.created, r.id)


_by_time_and_id = attrgetter("created", "id")
_by_name = attrgetter("name")


def put_relations(out: dict, key: str, relations: list[Relation], spans: list, tombstones: bool) -> None:
    """``out[key]``: the relations whose ends are written too, in the store's order; nothing when there are none."""
    written = {s.id for s in spans if tombstones or not s.deleted}
    gold = key == "gold_relations"
    items = []
    for r in sorted(relations, key=_by_time_and_id):
        deleted = r.deleted
        if (deleted and not tombstones) or r.head not in written or r.child not in written:
            continue
        if gold:
            d = {"id": r.id, "head": r.head, "child": r.child, "type": r.type, "curator": r.annotator,
                 "sources": list(getattr(r, "sources", ())), "created": r.created, "updated": r.updated}
        else:
            d = {"id": r.id, "head": r.head, "child": r.child, "type": r.type, "annotator": r.annotator,
                 "created": r.created, "updated": r.updated}
        if deleted:
            d["deleted"] = deleted
        items.append(d)
    if items:
        out[key] = items


def relations_text(rec: DocumentRecord, tombstones: bool) -> str | None:
    """The JSON text of the line's ``relations`` (put_relations' list as json.dumps writes it; "" when none is
    written) from ``rec.relation_rows``, made without a Relation or a dict each (core/_relations.c): a corpus of
    100,000 articles has a million. None when there are no rows, or they are not the plain case: then
    record_dict makes Relations of them and writes those."""
    if rec.relations_json is not None:  # written by the store's export (store/export_links.py)
        return rec.relations_json
    rows = rec.relation_rows
    if not rows or _compiled_json is None:
        return None
    return _compiled_json(rows, {s.id for s in rec.spans if tombstones or not s.deleted}, tombstones)


def put_attributes(span_dicts: list[dict], attributes: list[SpanAttribute], tombstones: bool) -> None:
    """Each span's attribute values into its dict, under ``attributes``, keyed by name in sorted order."""
    by_span: dict[str, list[SpanAttribute]] = {}
    for a in attributes:
        if tombstones or not a.deleted:
            mine = by_span.get(a.span_id)
            if mine is None:
                by_span[a.span_id] = [a]
            else:
                mine.append(a)
    if not by_span:
        return
    for d in span_dicts:
        mine = by_span.get(d["id"])
        if not mine:
            continue
        if len(mine) > 1:
            mine.sort(key=_by_name)
        values = {}
        for a in mine:
            v = {"value": a.value, "proposed": a.proposed, "updated": a.updated}
            if a.deleted:
                v["deleted"] = a.deleted
            values[a.name] = v
        d["attributes"] = values


def put_attribute_values(span_dicts: list[dict], values: dict) -> None:
    """put_attributes for values already in the shape it writes (``DocumentRecord.attribute_values``)."""
    for d in span_dicts:
        mine = values.get(d["id"])
        if mine:
            d["attributes"] = mine


def put_entities(out: dict, rec: DocumentRecord, registry: dict | None, entity_names: set[str],
                 tombstones: bool) -> None:
    """``out["entities"]``: the registry's entities the line's values link to (``entity_names``: the attributes
    of type entity), by id, with their names and aliases: the database that reads the line gets the same entity."""
    carried = {e.id: e for e in rec.entities}
    if registry:
        linked = [a.value for a in (*rec.attributes, *rec.gold_attributes)
                  if a.name in entity_names and (tombstones or not a.deleted)]
        for values in (rec.attribute_values or {}).values():  # most spans have no entity value: one test each
            if not entity_names.isdisjoint(values):
                linked += [v["value"] for name, v in values.items() if name in entity_names]
        for value in linked:
            entity = registry.get(value) if type(value) is str else None
            if entity is not None:
                carried.setdefault(entity.id, entity)
    if carried:
        out["entities"] = entity_items(carried.values())


def entity_items(entities) -> list[dict]:
    """Entities as a line's ``entities`` holds them, by id."""
    return [{"id": e.id, "name": e.name, "kind": e.kind, "country": e.country, "aliases": sorted(e.aliases),
             "created": e.created, "updated": e.updated} for e in sorted(entities, key=lambda e: e.id)]


def linked_in(span_dicts: list[dict], registry: dict, entity_names) -> list:
    """The registry's entities that the attribute values of written spans (dicts) link to."""
    ids = {v.get("value") for d in span_dicts for name, v in (d.get("attributes") or {}).items()
           if name in entity_names}
    return [registry[i] for i in ids if type(i) is str and i in registry]


# -- reading ----------------------------------------------------------------------------------------------------

def parse_entities(items: list, latest: str) -> list[Entity]:
    """A line's ``entities``: each an object of ENTITY_KEYS, its id and names as the registry takes them."""
    out = []
    for i, d in enumerate(items, 1):
        what = f"entity {i}"
        if type(d) is not dict:
            raise InputError(f"{what} must be a JSON object")
        extra = [k for k in d if k not in ENTITY_KEYS]
        if extra:
            raise InputError(f"unknown key {extra[0]!r} in {what}; allowed keys are {', '.join(ENTITY_KEYS)}")
        aliases = d.get("aliases") or []
        try:
            entity_id = check_entity_id(d.get("id"))
            name = check_entity_text("name", d.get("name"))
            if type(aliases) is not list:
                raise InvariantError("'aliases' must be a list of names")
            aliases = tuple(check_entity_text("alias", a) for a in aliases)
        except InvariantError as exc:
            raise InputError(f"{what}: {exc}") from None
        kind, country = d.get("kind", "organisation"), d.get("country", "")
        if type(kind) is not str or not kind or type(country) is not str:
            raise InputError(f"{what}: 'kind' must be a non-empty string and 'country' a string")
        created = _time(d, "created", what, latest) or ""
        out.append(Entity(entity_id, name, kind, aliases, country, created,
                          _time(d, "updated", what, latest) or created))
    return out


def _time(d: dict, key: str, what: str, latest: str, *, optional: bool = True) -> str | None:
    value = d.get(key)
    if value is None or value == "":
        return None if key == "deleted" else ""
    if not is_our_time(value, latest):
        raise InputError(f"{what}: {time_problem(key, value, latest)}")
    return value


def _short(value: str) -> str:
    return repr(value if len(value) <= 60 else value[:59] + "…")


def _string(d: dict, key: str, what: str, *, required: bool = True) -> str:
    value = d.get(key)
    if value is None and not required:
        return ""
    if type(value) is not str or not value:
        raise InputError(f"{what}: {key!r} must be a non-empty string, got {value!r:.40}")
    return value


def parse_relations(items: list, spans: list, doc_id: str, layer: str, latest: str) -> list[Relation]:
    gold = layer.startswith("gold")
    keys, who_key = (GOLD_RELATION_KEYS, "curator") if gold else (RELATION_KEYS, "annotator")
    keyset = _KEYSETS[keys]
    by_id = {s.id: s for s in spans}
    if not gold and _compiled_parse is not None and items:
        made = _compiled_parse(Relation, items, by_id, doc_id, latest)
        if made is not None:  # None: some relation is not plainly good, and the loop below says which and why
            return made
    out = []
    for i, d in enumerate(items, 1):
        # the hot loop of a large import: the common case checked inline, the walk that words a refusal apart
        if type(d) is dict and d.keys() <= keyset:
            get = d.get
            head_id, child_id = get("head"), get("child")
            # only a string may be looked up: a list or an object as an id is unhashable (worded by the walk below)
            head = by_id.get(head_id) if type(head_id) is str else None
            child = by_id.get(child_id) if type(child_id) is str else None
            type_name, who, rel_id = get("type"), get(who_key), get("id")
            if (head is not None and child is not None and head is not child and type(type_name) is str and type_name
                    and type(who) is str and head.annotator == who == child.annotator and type(rel_id) is str and rel_id
                    and not gold):
                created, updated, deleted = get("created") or "", get("updated"), get("deleted")
                if created and not is_our_time(created, latest):
                    _time(d, "created", f"{layer} {i}", latest)
                if updated is None or updated == created:
                    updated = created
                elif not is_our_time(updated, latest):
                    updated = _time(d, "updated", f"{layer} {i}", latest) or created
                if deleted is not None and deleted != updated:
                    deleted = _time(d, "deleted", f"{layer} {i}", latest)
                out.append(Relation(rel_id, doc_id, head.id, child.id, type_name, who, created, updated, deleted))
                continue
        out.append(_parse_relation(d, i, by_id, doc_id, layer, latest))
    return out




def _parse_relation(d, i: int, by_id: dict, doc_id: str, layer: str, latest: str) -> Relation:
    gold = layer.startswith("gold")
    keys, who_key = (GOLD_RELATION_KEYS, "curator") if gold else (RELATION_KEYS, "annotator")
    what = f"{layer} {i}"
    if type(d) is not dict:
        raise InputError(f"{what} must be a JSON object")
    extra = [k for k in d if k not in keys]
    if extra:
        raise InputError(f"unknown key {extra[0]!r} in {what}; allowed keys are {', '.join(keys)}")
    ends = []
    for role in ("head", "child"):
        span_id = _string(d, role, what)
        span = by_id.get(span_id)
        if span is None:
            raise InputError(f"{what}: its {role} {_short(span_id)} is not the id of a "
                             f"{'gold span' if gold else 'span'} of this document")
        ends.append(span)
    head, child = ends
    if head.id == child.id:
        raise InputError(f"{what} joins a span to itself")
    type_name = _string(d, "type", what)
    who = _string(d, who_key, what, required=False) or head.annotator
    if head.annotator != who or child.annotator != who:
        raise InputError(f"{what} is {who}'s but joins spans of "
                         f"{' and '.join(sorted({head.annotator, child.annotator}))}")
    rel_id = _string(d, "id", what, required=False) or str(
        uuid.uuid5(RELATION_NAMESPACE, f"{doc_id}:{head.id}:{child.id}:{type_name}:{who}"))
    created = _time(d, "created", what, latest)
    updated = _time(d, "updated", what, latest) or created
    deleted = _time(d, "deleted", what, latest)
    if gold:
        sources = d.get("sources") or []
        if type(sources) is not list or not all(type(x) is str and x for x in sources):
            raise InputError(f"{what}: 'sources' must be a list of relation ids")
        return GoldRelation(rel_id, doc_id, head.id, child.id, type_name, who, created, updated, deleted,
                            sources=tuple(sources))
    return Relation(rel_id, doc_id, head.id, child.id, type_name, who, created, updated, deleted)


def parse_attributes(rec: DocumentRecord, obj: dict, latest: str) -> None:
    """The ``attributes`` of the line's spans and gold spans into ``rec.attributes`` and ``rec.gold_attributes``."""
    for key, parsed, layer in (("spans", rec.spans, "span"), ("gold", rec.gold, "gold span")):
        raw = obj.get(key)
        found: list[SpanAttribute] = []
        if raw:
            for i, d in enumerate(raw):
                values = d.get("attributes")
                if values is not None:
                    _parse_values(values, parsed[i], i + 1, layer, latest, found)
        if layer == "span":
            rec.attributes = found
        else:
            rec.gold_attributes = found


def _parse_values(values, span, i: int, layer: str, latest: str, found: list) -> None:
    """One span's attribute values; the common case (a value of a JSON scalar type, proposed a bool, a time of
    ours, no other keys) checked inline, the walk that words a refusal only for the rest."""
    if type(values) is not dict:
        raise InputError(f"{layer} {i}: 'attributes' must be an object from attribute names to values")
    for name, v in values.items():
        if type(v) is dict and v.keys() <= _ATTRIBUTE_KEYSET:
            value, proposed, updated, deleted = v.get("value"), v.get("proposed", False), v.get("updated"), \
                v.get("deleted")
            kind = type(value)
            if ((kind is str or kind is int or kind is bool or (kind is float and math.isfinite(value)))
                    and type(proposed) is bool and deleted is None
                    and (updated is None or updated == "" or is_our_time(updated, latest))):
                found.append(SpanAttribute(span.id, span.doc_id, name, value, span.annotator, proposed,
                                           updated or "", None))
                continue
        found.append(_parse_value(name, v, span, i, layer, latest))


def _parse_value(name, v, span, i: int, layer: str, latest: str) -> SpanAttribute:
    what = f"{layer} {i}: attribute {name!r:.40}"
    if type(v) is not dict:
        raise InputError(f"{what} must be an object with its value, proposed and updated")
    extra = [k for k in v if k not in ATTRIBUTE_KEYS]
    if extra:
        raise InputError(f"unknown key {extra[0]!r} in {what}; allowed keys are {', '.join(ATTRIBUTE_KEYS)}")
    if "value" not in v:
        raise InputError(f"{what} has no 'value'")
    value = v["value"]
    if type(value) not in (str, int, float, bool) or (type(value) is float and not math.isfinite(value)):
        raise InputError(f"{what}: its value must be text, a number or true/false, got {value!r:.40}")
    proposed = v.get("proposed", False)
    if type(proposed) is not bool:
        raise InputError(f"{what}: 'proposed' must be true or false")
    return SpanAttribute(span.id, span.doc_id, name, value, span.annotator, proposed,
                         _time(v, "updated", what, latest), _time(v, "deleted", what, latest))
