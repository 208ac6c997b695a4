"""Merging relations and attribute values (reviewers' and gold): the same rules as spans (store/merge.py).

A relation is keyed by its id, an attribute value by its span and name. The version with the newer ``updated``
wins; on a tie, the greater canonical JSON. Tombstones are versions too. Which versions win does not depend on
the order of the merges, and a second merge of the same work changes nothing.

A relation never changes its document or its ends: a version that does is forged and refuses the merge. After the
spans of a batch are written, the relations written are joined with the stored spans: an end that is here a span
of another reviewer or another document refuses the merge too, naming the relation's file and line (or table).

Relation types the database lacks are created connecting any labels ("*"), as an import does. An attribute the
scheme does not give the span's label, or a value it does not take, refuses the merge: the teammate's scheme must
be loaded first (``annotator labels load``), so that nobody's values are dropped without a word. An entity the
registry lacks is created as the bundle's line carries it (its ``entities``: name, kind, country, aliases), or, from
a bundle of a version that did not carry them, named after the span, as an import does; a teammate's database
brings its registry first (store/merge_entities.py).

A live relation whose end a newer version deleted stays live in its table, like a relation whose span was
deleted and brought back: it is shown and exported only while both its ends are live.
"""
from __future__ import annotations

import json
from collections import Counter

from ..core import relation_scheme
from ..core.errors import InvariantError
from ..core.model import AttributeDef, GoldRelation, Relation, SpanAttribute
from .bulk_links import _entity_name
from .entities import check_entity_id
from .relations import ANY_LABEL

RELATION_TABLES = (
    # table, spans table, who column, record attribute, report prefix
    ("relations", "spans", "annotator", "relations", "relations"),
    ("gold_relations", "gold_spans", "curator", "gold_relations", "gold_links"),
)
ATTRIBUTE_TABLES = (
    ("span_attributes", "spans", "annotator", "attributes", "attributes"),
    ("gold_span_attributes", "gold_spans", "curator", "gold_attributes", "gold_links"),
)


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def relation_version(r: Relation) -> list:
    out = [r.doc_id, r.head, r.child, r.type, r.annotator, r.created, r.updated, r.deleted]
    if isinstance(r, GoldRelation):
        out.append(list(r.sources))
    return out


def attribute_version(a: SpanAttribute) -> list:
    return [a.doc_id, a.span_id, a.name, a.value, a.annotator, a.proposed, a.updated, a.deleted]


def _newer(incoming, existing, version) -> bool:
    if incoming.updated != existing.updated:
        return incoming.updated > existing.updated
    a, b = version(incoming), version(existing)
    return a != b and _dumps(a) > _dumps(b)


def _best(items, key, version) -> dict:
    out: dict = {}
    for item in items:
        k = key(item)
        have = out.get(k)
        if have is None or _newer(item, have, version):
            out[k] = item
    return out


def _where(batch, attr: str, item):
    """The record a relation or attribute came from, for the refusal's file and line."""
    return next(rec for rec in batch if any(x is item for x in getattr(rec, attr)))


def merge_links(store, batch, report, refuse, written: dict) -> None:
    """Merge the batch's relations and attribute values, after its spans. ``refuse(rec, table, key, reason)``
    returns the MergeAborted to raise; ``written``: per spans table, the ids of the batch's spans whose version was
    written, with their document and reviewer, so that only relations with another end are joined with the
    stored spans."""
    conn = store.conn
    for table, spans, who, attr, prefix in RELATION_TABLES:
        incoming = _best((r for rec in batch for r in getattr(rec, attr)), lambda r: r.id, relation_version)
        if incoming:
            _merge_relations(store, table, spans, who, attr, prefix, incoming, batch, report, refuse,
                             written[spans])
    for table, spans, who, attr, prefix in ATTRIBUTE_TABLES:
        incoming = _best((a for rec in batch for a in getattr(rec, attr)), lambda a: (a.span_id, a.name),
                         attribute_version)
        if incoming:
            _merge_attributes(conn, table, spans, who, attr, prefix, incoming, batch, report, refuse)


def _add_counts(report, prefix: str, counts) -> None:
    for what, n in counts.items():
        setattr(report, f"{prefix}_{what}", getattr(report, f"{prefix}_{what}") + n)


def _merge_relations(store, table, spans, who, attr, prefix, incoming, batch, report, refuse, written) -> None:
    conn = store.conn
    gold = table == "gold_relations"
    columns = f"id, doc_id, head, child, type, {who}, " + ("sources, " if gold else "") + "created, updated, deleted"
    existing = {}
    for row in conn.execute(f"SELECT {columns} FROM {table} WHERE id IN (SELECT value FROM json_each(?))",
                            (json.dumps(list(incoming)),)):
        if gold:
            existing[row[0]] = GoldRelation(*row[:6], *row[7:], sources=tuple(json.loads(row[6])))
        else:
            existing[row[0]] = Relation(*row)
    winners = []
    counts: Counter = Counter()
    for rel_id, r in incoming.items():
        have = existing.get(rel_id)
        if have is not None and (have.doc_id, have.head, have.child) != (r.doc_id, r.head, r.child):
            raise refuse(_where(batch, attr, r), table, rel_id,
                         f"its id is the id of a relation between other spans (of document {have.doc_id!r}); a "
                         f"relation never changes its ends")
        if have is None:
            # a tombstone of a relation this database never had is kept too, so an old copy cannot come back
            counts["deleted" if r.deleted else "added"] += 1
        elif not _newer(r, have, relation_version):
            counts["ignored"] += 1
            continue
        elif r.deleted and not have.deleted:
            counts["deleted"] += 1
        else:
            counts["updated"] += 1
        winners.append(r)
    _add_counts(report, prefix, counts)
    _ensure_types(store, {r.type for r in winners}, report)

    def values(r):
        sources = (json.dumps(list(getattr(r, "sources", ()))),) if gold else ()
        return (r.id, r.doc_id, r.head, r.child, r.type, r.annotator, *sources, r.created, r.updated, r.deleted)

    marks = ",".join("?" * (10 if gold else 9))
    conn.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})",
                     [values(r) for r in winners if r.id not in existing])
    updates = ", ".join(f"{c.strip()} = ?" for c in columns.split(",")[4:])
    conn.executemany(f"UPDATE {table} SET {updates} WHERE id = ?",
                     [(*values(r)[4:], r.id) for r in winners if r.id in existing])
    # the ends as stored now: of this document and this reviewer. An end whose version this batch just wrote is
    # known to be; a relation with another end (a span whose stored version won) is joined with the stored spans.
    others = [r.id for r in winners
              if written.get(r.head) != (r.doc_id, r.annotator) or written.get(r.child) != (r.doc_id, r.annotator)]
    if not others:
        return
    bad = conn.execute(
        f"SELECT r.id, h.id IS NULL OR c.id IS NULL, h.doc_id, c.doc_id, h.{who}, c.{who} FROM {table} r "
        f"LEFT JOIN {spans} h ON h.id = r.head LEFT JOIN {spans} c ON c.id = r.child "
        f"WHERE r.id IN (SELECT value FROM json_each(?)) AND (h.id IS NULL OR c.id IS NULL OR h.doc_id != r.doc_id "
        f"OR c.doc_id != r.doc_id OR h.{who} != r.{who} OR c.{who} != r.{who}) LIMIT 1",
        (json.dumps(others),)).fetchone()
    if bad:
        r = incoming[bad[0]]
        reason = ("an end of it is not a span here" if bad[1] else
                  f"its ends are here spans of {', '.join(sorted({bad[4], bad[5]}))} in document(s) "
                  f"{', '.join(sorted({bad[2], bad[3]}))}, not {r.annotator}'s in {r.doc_id}")
        raise refuse(_where(batch, attr, r), table, r.id, reason)


def _ensure_types(store, names: set, report) -> None:
    known = {r[0] for r in store.conn.execute("SELECT name FROM relation_types")}
    new = sorted(names - known)
    if not new:
        return
    position = store.conn.execute("SELECT coalesce(max(position) + 1, 0) FROM relation_types").fetchone()[0]
    store.conn.executemany("INSERT INTO relation_types (name, head_label, child_label, position) VALUES (?,?,?,?)",
                           [(n, ANY_LABEL, ANY_LABEL, position + i) for i, n in enumerate(new)])
    report.relation_types_added += new


def _merge_attributes(conn, table, spans, who, attr, prefix, incoming, batch, report, refuse) -> None:
    span_ids = json.dumps(sorted({k[0] for k in incoming}))
    existing = {}
    for row in conn.execute(f"SELECT span_id, doc_id, name, value, {who}, proposed, updated, deleted FROM {table} "
                            f"WHERE span_id IN (SELECT value FROM json_each(?))", (span_ids,)):
        existing[(row[0], row[2])] = SpanAttribute(row[0], row[1], row[2], json.loads(row[3]), row[4],
                                                   bool(row[5]), row[6], row[7])
    stored_spans = {row[0]: row[1:] for row in conn.execute(
        f"SELECT id, label, text, doc_id, {who} FROM {spans} WHERE id IN (SELECT value FROM json_each(?))",
        (span_ids,))}
    defs = {(d[0], d[1]): d for d in conn.execute("SELECT label, name, type, choices FROM attribute_defs")}
    entities = None
    winners = []
    counts: Counter = Counter()
    for key, a in incoming.items():
        have = existing.get(key)
        if have is not None and have.doc_id != a.doc_id:
            raise refuse(_where(batch, attr, a), table, key, f"its span is here of document {have.doc_id!r}")
        if have is not None and not _newer(a, have, attribute_version):
            counts["ignored"] += 1
            continue
        label, text, doc_id, owner = stored_spans.get(a.span_id, (None, "", None, None))
        if doc_id != a.doc_id or owner != a.annotator:
            raise refuse(_where(batch, attr, a), table, key, "its span is here of another document or reviewer")
        d = defs.get((label, a.name))
        if d is None and a.deleted is None and not any(n == a.name for (_, n) in defs):
            names = ", ".join(n for (lbl, n) in defs if lbl == label) or "none"
            raise refuse(_where(batch, attr, a), table, key,
                         f"{label} has no attribute {a.name!r} in this database (its attributes: {names}); load "
                         f"the scheme that has it first (annotator labels load)")
        # a value of an attribute of another label stays as it is: its span was relabelled after it was given
        if a.deleted is None and d is not None:
            definition = AttributeDef(d[0], d[1], d[2], tuple(json.loads(d[3])))
            try:
                relation_scheme.check_attribute_value(definition, a.value)
                if definition.type == "entity":
                    check_entity_id(a.value)
            except InvariantError as exc:
                raise refuse(_where(batch, attr, a), table, key, str(exc)) from None
            if definition.type == "entity":
                if entities is None:
                    entities = {r[0] for r in conn.execute("SELECT id FROM entities")}
                if a.value not in entities:
                    carried = next((e for rec in batch for e in rec.entities if e.id == a.value), None)
                    _add_entity(conn, a.value, _entity_name(text), a.updated, carried)
                    entities.add(a.value)
                    report.entities_added += 1
        counts["added" if have is None else ("deleted" if a.deleted and not have.deleted else "updated")] += 1
        winners.append(a)
    _add_counts(report, prefix, counts)
    conn.executemany(
        f"INSERT INTO {table} (span_id, doc_id, name, value, {who}, proposed, updated, deleted) "
        f"VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (span_id, name) DO UPDATE SET value = excluded.value, "
        f"{who} = excluded.{who}, proposed = excluded.proposed, updated = excluded.updated, "
        f"deleted = excluded.deleted",
        [(a.span_id, a.doc_id, a.name, json.dumps(a.value, ensure_ascii=False), a.annotator, int(a.proposed),
          a.updated, a.deleted) for a in winners])


def _add_entity(conn, entity_id: str, name: str, stamp: str, carried=None) -> None:
    """A linked entity this registry lacks: as the bundle's line carries it (name, kind, country, aliases, times),
    else named after the span."""
    if carried is not None:
        conn.execute("INSERT INTO entities (id, name, kind, country, created, updated) VALUES (?,?,?,?,?,?)",
                     (entity_id, carried.name, carried.kind, carried.country, carried.created or stamp,
                      carried.updated or stamp))
        conn.executemany("INSERT OR IGNORE INTO entity_aliases (entity_id, alias, updated) VALUES (?,?,?)",
                         [(entity_id, alias, carried.updated or stamp) for alias in carried.aliases])
        return
    conn.execute("INSERT INTO entities (id, name, created, updated) VALUES (?,?,?,?)", (entity_id, name, stamp, stamp))
    conn.execute("INSERT OR IGNORE INTO entity_aliases (entity_id, alias) VALUES (?,?)", (entity_id, name))
