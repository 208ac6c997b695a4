"""The relations and attribute values of the gold layer: what a span taken into gold brings with it.

Taking a span into gold takes, from the reviewers' spans it was taken from (its sources):
- their attribute values the gold span does not have yet: the value most of them gave (a tie: the newest), as a
  confirmed value of the curator;
- their relations whose other end is in gold too (a live gold span taken from that end): a gold relation between
  the two gold spans, of the same type, with the reviewers' relation ids as its sources. Whichever end is taken
  second makes the relation, so the order the curator works in does not matter.
Taking a span out of gold (or undoing its taking) deletes its gold relations with it (tombstones, so a merge
replays them); its values stay with the row, as they stay with a deleted reviewer's span.
"""
from __future__ import annotations

import json
import uuid
from collections import Counter

from ..core.model import GoldRelation, Relation, SpanAttribute
from .changes import now

NAMESPACE = uuid.UUID("0b8f3c8e-5a7d-4f5e-8d51-2f6f1a9b7c33")


def gold_relation_id(doc_id: str, head: str, child: str, type_name: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{doc_id}:{head}:{child}:{type_name}"))


def take_links(store, gold_span, curator: str) -> tuple[int, int]:
    """Within the caller's transaction: the sources' attribute values and relations into gold (see the module
    docstring); how many gold relations and values were made."""
    sources = tuple(gold_span.sources)
    if not sources:
        return 0, 0
    conn = store.conn
    stamp = now()
    marks = ",".join("?" * len(sources))
    have = {r[0] for r in conn.execute("SELECT name FROM gold_span_attributes WHERE span_id = ? AND deleted IS NULL",
                                       (gold_span.id,))}
    given: dict[str, list] = {}
    for name, value, updated in conn.execute(
            f"SELECT name, value, updated FROM span_attributes WHERE span_id IN ({marks}) AND deleted IS NULL "
            f"ORDER BY updated", sources):
        if name not in have:
            given.setdefault(name, []).append((value, updated))
    for name, values in given.items():
        counts = Counter(v for v, _ in values)
        best = max(counts.values())
        value = [v for v, _ in values if counts[v] == best][-1]  # the most given; of those, the newest
        conn.execute("INSERT OR REPLACE INTO gold_span_attributes (span_id, doc_id, name, value, curator, proposed, "
                     "updated, deleted) VALUES (?,?,?,?,?,0,?,NULL)",
                     (gold_span.id, gold_span.doc_id, name, value, curator, stamp))
    made = 0
    # the reviewers' live relations touching a source, and the live gold span taken from their other end
    rows = conn.execute(
        f"SELECT r.id, r.type, r.head IN ({marks}), CASE WHEN r.head IN ({marks}) THEN r.child ELSE r.head END "
        f"FROM relations r WHERE r.doc_id = ? AND r.deleted IS NULL AND (r.head IN ({marks}) OR r.child IN "
        f"({marks})) ORDER BY r.created, r.id", (*sources, *sources, gold_span.doc_id, *sources, *sources)).fetchall()
    for rel_id, type_name, is_head, other in rows:
        other_gold = conn.execute(
            "SELECT g.id FROM gold_spans g, json_each(g.sources) j WHERE g.doc_id = ? AND g.deleted IS NULL "
            "AND j.value = ? AND g.id != ? ORDER BY g.id LIMIT 1", (gold_span.doc_id, other, gold_span.id)).fetchone()
        if other_gold is None:
            continue
        head, child = (gold_span.id, other_gold[0]) if is_head else (other_gold[0], gold_span.id)
        made += _put_gold_relation(conn, gold_span.doc_id, head, child, type_name, curator, rel_id, stamp)
    return made, len(given)


def _put_gold_relation(conn, doc_id, head, child, type_name, curator, source, stamp) -> int:
    same = conn.execute("SELECT id, sources FROM gold_relations WHERE head = ? AND child = ? AND type = ? AND "
                        "deleted IS NULL", (head, child, type_name)).fetchone()
    if same:
        sources = sorted(set(json.loads(same[1])) | {source})
        conn.execute("UPDATE gold_relations SET sources = ?, updated = ? WHERE id = ?",
                     (json.dumps(sources), stamp, same[0]))
        return 0
    rid = gold_relation_id(doc_id, head, child, type_name)
    conn.execute("INSERT INTO gold_relations (id, doc_id, head, child, type, curator, sources, created, updated, "
                 "deleted) VALUES (?,?,?,?,?,?,?,?,?,NULL) ON CONFLICT (id) DO UPDATE SET deleted = NULL, "
                 "curator = excluded.curator, sources = excluded.sources, updated = excluded.updated",
                 (rid, doc_id, head, child, type_name, curator, json.dumps([source]), stamp, stamp))
    return 1


def drop_links(store, gold_id: str, stamp: str) -> int:
    """Within the caller's transaction: tombstone the live gold relations of a gold span taken out of gold."""
    return store.conn.execute("UPDATE gold_relations SET deleted = ?, updated = ? WHERE (head = ? OR child = ?) AND "
                              "deleted IS NULL", (stamp, stamp, gold_id, gold_id)).rowcount


def relations(store, doc_id: str) -> list[GoldRelation]:
    """A document's live gold relations whose ends are live gold spans."""
    rows = store.conn.execute(
        "SELECT id, doc_id, head, child, type, curator, created, updated, deleted, sources FROM gold_relations r "
        "WHERE doc_id = ? AND deleted IS NULL AND NOT EXISTS (SELECT 1 FROM gold_spans g WHERE g.id IN (head, child) "
        "AND g.deleted IS NOT NULL) ORDER BY created, id", (doc_id,))
    return [GoldRelation(*r[:9], sources=tuple(json.loads(r[9]))) for r in rows]


def attributes(store, doc_id: str) -> list[SpanAttribute]:
    rows = store.conn.execute(
        "SELECT span_id, doc_id, name, value, curator, proposed, updated, deleted FROM gold_span_attributes "
        "WHERE doc_id = ? AND deleted IS NULL ORDER BY span_id, name", (doc_id,))
    return [SpanAttribute(r[0], r[1], r[2], json.loads(r[3]), r[4], bool(r[5]), r[6], r[7]) for r in rows]


def as_reviewer_links(store, doc_id: str, span_ids: set) -> tuple[list[Relation], list[SpanAttribute]]:
    """The gold relations and values of the exported gold spans, shaped as a reviewer's (the curator as annotator),
    for the gold export."""
    rels = [Relation(r.id, r.doc_id, r.head, r.child, r.type, r.annotator, r.created, r.updated, None)
            for r in relations(store, doc_id) if r.head in span_ids and r.child in span_ids]
    return rels, [a for a in attributes(store, doc_id) if a.span_id in span_ids]
