"""Relations between spans, the relation types of the scheme, and attribute values on spans.

A part of the Store (its connection, transactions and change notices), like the label set. Every write checks
the rules a relation must keep: it joins two live spans of the same document and the same annotator, its type is
known and not retired, and the spans carry the labels the type connects ("*" connects any label: the types an
import of a peer's file brings in). Attribute values are checked against the scheme's attribute of the span's
label. A span's deletion tombstones its relations with the same time stamp, so that undoing it brings them back.
"""
from __future__ import annotations

import json
import uuid

from ..core import relation_scheme
from ..core.errors import InvariantError, NotFound
from ..core.model import AttributeDef, Relation, RelationType, SpanAttribute
from .changes import Change, now

RELATION_COLUMNS = "id, doc_id, head, child, type, annotator, created, updated, deleted"
ATTRIBUTE_COLUMNS = "span_id, doc_id, name, value, annotator, proposed, updated, deleted"
ANY_LABEL = "*"
# The rows of a span's relations (params: doc_id, span_id, doc_id, span_id): found in the index (doc_id, head, child)
# alone, head and child read there; only those rows are then read. "doc_id = ? AND (head = ? OR child = ?)" on the
# table read every relation of the document first (5,000: 0.5 ms a query)
OF_SPAN = ("rowid IN (SELECT rowid FROM relations WHERE doc_id = ? AND head = ? UNION ALL "
           "SELECT rowid FROM relations WHERE doc_id = ? AND child = ?)")


def relation_from_row(row) -> Relation:
    return Relation(*row)


def attribute_from_row(row) -> SpanAttribute:
    span_id, doc_id, name, value, annotator, proposed, updated, deleted = row
    return SpanAttribute(span_id, doc_id, name, json.loads(value), annotator, bool(proposed), updated, deleted)


class RelationSet:
    # -- the scheme: relation types and attribute definitions -------------------------------------------------

    def _create_default_relation_scheme(self) -> None:
        with self.transaction():
            for t in relation_scheme.default_relation_types():
                self._insert_relation_type(t)
            self._insert_attribute_defs(relation_scheme.default_attribute_defs())

    def _insert_relation_type(self, t: RelationType) -> None:
        self.conn.execute(
            "INSERT INTO relation_types (name, head_label, child_label, hotkey, guideline, retired, position) "
            "VALUES (?,?,?,?,?,?,?)",
            (t.name, t.head_label, t.child_label, t.hotkey, t.guideline, int(t.retired), t.position))

    def _insert_attribute_defs(self, defs: list[AttributeDef]) -> None:
        self.conn.executemany(
            "INSERT INTO attribute_defs (label, name, type, choices, position) VALUES (?,?,?,?,?)",
            [(d.label, d.name, d.type, json.dumps(list(d.choices)), d.position) for d in defs])

    def relation_types(self, include_retired: bool = False) -> list[RelationType]:
        rows = self.conn.execute(
            "SELECT name, head_label, child_label, hotkey, guideline, retired, position FROM relation_types "
            + ("" if include_retired else "WHERE retired = 0 ") + "ORDER BY position, name").fetchall()
        return [RelationType(r[0], r[1], r[2], r[3], r[4], bool(r[5]), r[6]) for r in rows]

    def relation_type(self, name: str) -> RelationType:
        for t in self.relation_types(include_retired=True):
            if t.name == name:
                return t
        known = ", ".join(t.name for t in self.relation_types()) or "none"
        raise NotFound(f"no relation type named {name!r}; known relation types: {known}")

    def add_relation_type(self, name: str, head_label: str = ANY_LABEL, child_label: str = ANY_LABEL,
                          hotkey: str = "", guideline: str = "") -> RelationType:
        """A new relation type, or a retired one brought back with the labels given."""
        relation_scheme.check_relation_name(name)
        self._check_ends(head_label, child_label)
        types = self.relation_types(include_retired=True)
        old = next((t for t in types if t.name == name), None)
        if old and not old.retired:
            raise InvariantError(f"there is already a relation type named {name!r}")
        self._check_relation_hotkey(hotkey, name)
        new = RelationType(name, head_label, child_label, hotkey, guideline, False,
                           old.position if old else len(types))
        with self.transaction():
            if old:  # an update, not a delete: the relations of the type made before it was retired point at it
                self.conn.execute("UPDATE relation_types SET head_label = ?, child_label = ?, hotkey = ?, "
                                  "guideline = ?, retired = 0 WHERE name = ?",
                                  (head_label, child_label, hotkey, guideline, name))
            else:
                self._insert_relation_type(new)
        self._notify(Change("relation_types"))
        return new

    def _check_ends(self, head_label: str, child_label: str) -> None:
        for label in (head_label, child_label):
            if label != ANY_LABEL:
                self.label(label)  # NotFound names the known labels

    def _check_relation_hotkey(self, hotkey: str, name: str) -> None:
        if hotkey and (len(hotkey) != 1 or not hotkey.isalnum()):
            raise InvariantError(f"a relation hotkey is one letter or digit (got {hotkey!r})")
        if hotkey and self.conn.execute("SELECT 1 FROM relation_types WHERE hotkey = ? AND retired = 0 AND name <> ?",
                                        (hotkey, name)).fetchone():
            raise InvariantError(f"the relation hotkey {hotkey!r} is taken")

    def update_relation_type(self, name: str, *, head: str | None = None, child: str | None = None,
                             hotkey: str | None = None, guideline: str | None = None) -> RelationType:
        """Set a live type's head or child label, its hotkey ("" for none) or its guideline (None: as it is).
        New ends are refused while relations of the type join labels they would not connect."""
        t = self.relation_type(name)
        if t.retired:
            raise InvariantError(f"relation type {name!r} is retired; 'relations add' brings it back")
        head = t.head_label if head is None else head
        child = t.child_label if child is None else child
        hotkey = t.hotkey if hotkey is None else hotkey
        self._check_ends(head, child)
        self._check_relation_hotkey(hotkey, name)
        if (head, child) != (t.head_label, t.child_label):
            misfits = self.conn.execute(
                "SELECT count(*) FROM relations r JOIN spans h ON h.id = r.head JOIN spans c ON c.id = r.child "
                "WHERE r.type = ? AND r.deleted IS NULL AND ((? <> '*' AND h.label <> ?) OR (? <> '*' AND c.label <> ?))",
                (name, head, head, child, child)).fetchone()[0]
            if misfits:
                raise InvariantError(f"{misfits} {name} relation(s) join labels that {head} -> {child} would not "
                                     f"connect: retype or delete them first")
        with self.transaction():
            self.conn.execute("UPDATE relation_types SET head_label = ?, child_label = ?, hotkey = ?, guideline = ? "
                              "WHERE name = ?", (head, child, hotkey, t.guideline if guideline is None else guideline,
                                                 name))
        self._notify(Change("relation_types"))
        return self.relation_type(name)

    def rename_relation_type(self, old: str, new: str) -> RelationType:
        """Rename a type; its relations follow (ON UPDATE CASCADE), with a new update time so a merge carries it."""
        t = self.relation_type(old)
        relation_scheme.check_relation_name(new)
        if new != old and any(x.name == new for x in self.relation_types(include_retired=True)):
            raise InvariantError(f"there is already a relation type named {new!r}")
        stamp = now()
        with self.transaction():
            self.conn.execute("UPDATE relation_types SET name = ? WHERE name = ?", (new, old))
            for table in ("relations", "gold_relations"):
                self.conn.execute(f"UPDATE {table} SET updated = ? WHERE type = ?", (stamp, new))
        self._notify(Change("relation_types"))
        return RelationType(new, t.head_label, t.child_label, t.hotkey, t.guideline, t.retired, t.position)

    def retire_relation_type(self, name: str) -> RelationType:
        """No new relation of this type; the ones made are kept (and exported)."""
        if self.relation_type(name).retired:
            raise InvariantError(f"relation type {name!r} is retired already")
        with self.transaction():
            self.conn.execute("UPDATE relation_types SET retired = 1, hotkey = '' WHERE name = ?", (name,))
        self._notify(Change("relation_types"))
        return self.relation_type(name)

    def relation_usage(self, name: str) -> int:
        return self.conn.execute("SELECT count(*) FROM relations WHERE type = ? AND deleted IS NULL",
                                 (name,)).fetchone()[0]

    def attribute_defs(self, label: str | None = None) -> list[AttributeDef]:
        sql = "SELECT label, name, type, choices, position FROM attribute_defs"
        params: tuple = ()
        if label is not None:
            sql += " WHERE label = ?"
            params = (label,)
        rows = self.conn.execute(sql + " ORDER BY label, position, name", params).fetchall()
        return [AttributeDef(r[0], r[1], r[2], tuple(json.loads(r[3])), r[4]) for r in rows]

    def attribute_def(self, label: str, name: str) -> AttributeDef:
        for d in self.attribute_defs(label):
            if d.name == name:
                return d
        known = ", ".join(d.name for d in self.attribute_defs(label)) or "none"
        raise NotFound(f"{label} has no attribute named {name!r}; its attributes: {known}")

    def set_attribute_defs(self, defs: list[AttributeDef]) -> None:
        """Replace the scheme's attribute definitions (a scheme file applied). Values already stored are kept."""
        with self.transaction():
            self.conn.execute("DELETE FROM attribute_defs")
            self._insert_attribute_defs(defs)
        self._notify(Change("relation_types"))

    # -- relations ------------------------------------------------------------------------------------------

    def _check_relation(self, doc_id: str, head: str, child: str, type_name: str,
                        annotator: str | None = None) -> tuple:
        t = self.relation_type(type_name)
        if t.retired:
            raise InvariantError(f"relation type {type_name!r} is retired")
        if head == child:
            raise InvariantError("a relation joins two different spans")
        ends = []
        for role, span_id, want in (("head", head, t.head_label), ("child", child, t.child_label)):
            span = self.span(span_id)  # NotFound when there is none
            if span.deleted:
                raise InvariantError(f"the relation's {role} span has been deleted")
            if span.doc_id != doc_id:
                raise InvariantError(f"the relation's {role} span is in another document")
            if want != ANY_LABEL and span.label != want:
                raise InvariantError(f"{type_name} goes from {t.head_label} to {t.child_label}; the {role} is "
                                     f"{span.label}")
            ends.append(span)
        if ends[0].annotator != ends[1].annotator:
            raise InvariantError("a relation joins two spans of the same annotator")
        if annotator is not None and ends[0].annotator != annotator:
            raise InvariantError(f"the spans are {ends[0].annotator}'s, not {annotator}'s")
        return t, ends

    def add_relation(self, doc_id: str, head: str, child: str, type: str, annotator: str | None = None, *,
                     relation_id: str | None = None) -> Relation:
        """A new relation ``head -> child`` of ``type`` between two live spans of ``doc_id`` (the annotator is
        the spans'; given, it must be theirs). The same live relation twice is refused."""
        _, (head_span, _) = self._check_relation(doc_id, head, child, type, annotator)
        if self.conn.execute("SELECT 1 FROM relations WHERE doc_id = ? AND head = ? AND child = ? AND type = ? AND "
                             "deleted IS NULL", (doc_id, head, child, type)).fetchone():
            raise InvariantError(f"these spans are already related by {type}")
        stamp = now()
        rel = Relation(relation_id or str(uuid.uuid4()), doc_id, head, child, type, head_span.annotator, stamp,
                       stamp, None)
        with self.transaction():
            self.conn.execute(f"INSERT INTO relations ({RELATION_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)",
                              _relation_row(rel))
        self._notify(Change("relations", doc_id, (head, child)))
        return rel

    def relation(self, relation_id: str) -> Relation:
        row = self.conn.execute(f"SELECT {RELATION_COLUMNS} FROM relations WHERE id = ?", (relation_id,)).fetchone()
        if row is None:
            raise NotFound(f"no relation with id {relation_id}")
        return relation_from_row(row)

    def relations(self, doc_id: str, *, annotator: str | None = None, span_id: str | None = None,
                  include_deleted: bool = False) -> list[Relation]:
        """A document's relations (those touching ``span_id`` when given), in a stable order."""
        sql = f"SELECT {RELATION_COLUMNS} FROM relations WHERE " + (OF_SPAN if span_id is not None else "doc_id = ?")
        params: list = [doc_id, span_id, doc_id, span_id] if span_id is not None else [doc_id]
        if annotator is not None:
            sql += " AND annotator = ?"
            params.append(annotator)
        if not include_deleted:
            # and both ends live: a merge can bring a teammate's newer edit of a relation whose span another
            # teammate deleted later still; it shows again if the span is brought back (store/merge_links.py)
            sql += (" AND deleted IS NULL AND NOT EXISTS (SELECT 1 FROM spans s WHERE s.id IN (head, child) AND "
                    "s.deleted IS NOT NULL)")
        return [relation_from_row(r) for r in self.conn.execute(sql + " ORDER BY created, id", params)]

    def _update_relation(self, relation_id: str, **changes) -> Relation:
        old = self.relation(relation_id)
        if old.deleted and "deleted" not in changes:
            raise InvariantError("the relation has been deleted")
        new = old.evolve(updated=now(), **changes)
        with self.transaction():
            self.conn.execute("UPDATE relations SET type = ?, updated = ?, deleted = ? WHERE id = ?",
                              (new.type, new.updated, new.deleted, relation_id))
        self._notify(Change("relations", new.doc_id, (new.head, new.child)))
        return new

    def retype_relation(self, relation_id: str, type: str) -> Relation:
        old = self.relation(relation_id)
        self._check_relation(old.doc_id, old.head, old.child, type)
        return self._update_relation(relation_id, type=type)

    def delete_relation(self, relation_id: str) -> Relation:
        old = self.relation(relation_id)
        return old if old.deleted else self._update_relation(relation_id, deleted=now())

    def restore_relation(self, relation_id: str) -> Relation:
        """Bring back a deleted relation (undo); refused if an end is gone or the type was retired."""
        old = self.relation(relation_id)
        self._check_relation(old.doc_id, old.head, old.child, old.type)
        return self._update_relation(relation_id, deleted=None)

    def set_relation(self, rel: Relation) -> Relation:
        """Put a relation back as it was (undo of a retype or delete): its type and tombstone, a new update time."""
        if rel.deleted is None:
            self._check_relation(rel.doc_id, rel.head, rel.child, rel.type)
        return self._update_relation(rel.id, type=rel.type, deleted=rel.deleted)

    def _tombstone_relations_of(self, doc_id: str, span_id: str, stamp: str) -> tuple[str, ...]:
        """Within the caller's transaction: delete the live relations touching a span being deleted (of
        ``doc_id``), with the span's own time stamp so restore_span knows which to bring back."""
        ids = tuple(r[0] for r in self.conn.execute(
            f"SELECT id FROM relations WHERE {OF_SPAN} AND deleted IS NULL", (doc_id, span_id, doc_id, span_id)))
        self.conn.executemany("UPDATE relations SET deleted = ?, updated = ? WHERE id = ?",
                              [(stamp, stamp, i) for i in ids])
        return ids

    def _restore_relations_of(self, doc_id: str, span_id: str, stamp: str) -> tuple[str, ...]:
        """Within the caller's transaction: bring back the relations deleted with a span (of ``doc_id``, same
        stamp) whose other end is live again."""
        ids = tuple(r[0] for r in self.conn.execute(
            f"SELECT r.id FROM relations r JOIN spans h ON h.id = r.head JOIN spans c ON c.id = r.child "
            f"WHERE r.{OF_SPAN} AND r.deleted = ? AND h.deleted IS NULL AND c.deleted IS NULL",
            (doc_id, span_id, doc_id, span_id, stamp)))
        self.conn.executemany("UPDATE relations SET deleted = NULL, updated = ? WHERE id = ?",
                              [(now(), i) for i in ids])
        return ids

    # -- attribute values -----------------------------------------------------------------------------------

    def attribute(self, span_id: str, name: str) -> SpanAttribute | None:
        row = self.conn.execute(f"SELECT {ATTRIBUTE_COLUMNS} FROM span_attributes WHERE span_id = ? AND name = ? "
                                f"AND deleted IS NULL", (span_id, name)).fetchone()
        return attribute_from_row(row) if row else None

    def attributes(self, doc_id: str | None = None, *, span_id: str | None = None,
                   include_deleted: bool = False) -> list[SpanAttribute]:
        clauses, params = [], []
        if doc_id is not None:
            clauses.append("doc_id = ?")
            params.append(doc_id)
        if span_id is not None:
            clauses.append("span_id = ?")
            params.append(span_id)
        if not include_deleted:
            clauses.append("deleted IS NULL")
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        return [attribute_from_row(r) for r in self.conn.execute(
            f"SELECT {ATTRIBUTE_COLUMNS} FROM span_attributes{where} ORDER BY doc_id, span_id, name", params)]

    def set_attribute(self, span_id: str, name: str, value, *, proposed: bool = False) -> SpanAttribute:
        """Give a live span an attribute value of its label's scheme (the span's annotator owns it). An entity
        must be in the registry. ``proposed``: the tool's guess, shown as such until confirmed."""
        span = self.span(span_id)
        if span.deleted:
            raise InvariantError("the span has been deleted")
        definition = self.attribute_def(span.label, name)
        value = relation_scheme.check_attribute_value(definition, value)
        if definition.type == "entity":
            self.entity(value)  # NotFound names it
        attr = SpanAttribute(span_id, span.doc_id, name, value, span.annotator, proposed, now(), None)
        with self.transaction():
            self.conn.execute(
                f"INSERT OR REPLACE INTO span_attributes ({ATTRIBUTE_COLUMNS}) VALUES (?,?,?,?,?,?,?,?)",
                _attribute_row(attr))
        self._notify(Change("attributes", span.doc_id, (span_id,)))
        return attr

    def confirm_attribute(self, span_id: str, name: str) -> SpanAttribute:
        """A reviewer accepts a proposed value as it is."""
        attr = self.attribute(span_id, name)
        if attr is None:
            raise NotFound(f"the span has no {name}")
        return self.set_attribute(span_id, name, attr.value, proposed=False)

    def clear_attribute(self, span_id: str, name: str) -> SpanAttribute | None:
        """Remove a value (a tombstone, so a merge replays the removal); the old value, for undo."""
        attr = self.attribute(span_id, name)
        if attr is None:
            return None
        stamp = now()
        with self.transaction():
            self.conn.execute("UPDATE span_attributes SET deleted = ?, updated = ? WHERE span_id = ? AND name = ?",
                              (stamp, stamp, span_id, name))
        self._notify(Change("attributes", attr.doc_id, (span_id,)))
        return attr


def _relation_row(r: Relation) -> tuple:
    return (r.id, r.doc_id, r.head, r.child, r.type, r.annotator, r.created, r.updated, r.deleted)


def _attribute_row(a: SpanAttribute) -> tuple:
    return (a.span_id, a.doc_id, a.name, json.dumps(a.value, ensure_ascii=False), a.annotator, int(a.proposed),
            a.updated, a.deleted)
