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

The rows are staged in temp tables with the spans (store/bulk.py) and copied in the same short transaction;
a final join against the stored spans keeps out a relation whose ends the database has with another document or
annotator (a span id the database already had for something else): dropped and counted too.
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

try:  # the common case of the checks and the staging rows, compiled (core/_relations.c); else the Python below
    from ..core._relations import attribute_rows as _compiled_attribute_rows, relation_rows as _compiled_rows, \
        relations_storable as _storable
except ImportError:
    _compiled_rows = _storable = _compiled_attribute_rows = None

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


# -- staging rows -------------------------------------------------------------------------------------------

def relation_rows(relations: list, stamp: str, gold: bool) -> list[tuple]:
    if not gold and _compiled_rows is not None:
        rows = _compiled_rows(Relation, relations, stamp)
        if rows is not None:  # None: not all of them are Relations (a caller's subclass): the loop below
            return rows
    if gold:
        return [(r.id, r.doc_id, r.head, r.child, r.type, r.annotator, json.dumps(list(getattr(r, "sources", ()))),
                 r.created or stamp, r.updated or r.created or stamp, r.deleted) for r in relations]
    return [(r.id, r.doc_id, r.head, r.child, r.type, r.annotator, r.created or stamp,
             r.updated or r.created or stamp, r.deleted) for r in relations]


def attribute_rows(attributes: list, stamp: str) -> list[tuple]:
    if _compiled_attribute_rows is not None:
        rows = _compiled_attribute_rows(SpanAttribute, attributes, stamp)
        if rows is not None:  # None: a value of another type (a list from a caller): the loop below
            return rows
    return [(a.span_id, a.doc_id, a.name, json.dumps(a.value, ensure_ascii=False), a.annotator, int(a.proposed),
             a.updated or stamp, a.deleted) for a in attributes]


STAGE_SQL = {
    "relations": "INSERT OR IGNORE INTO temp.staged_relations (id, doc_id, head, child, type, annotator, created, "
                 "updated, deleted) VALUES (?,?,?,?,?,?,?,?,?)",
    "gold_relations": "INSERT OR IGNORE INTO temp.staged_gold_relations (id, doc_id, head, child, type, curator, "
                      "sources, created, updated, deleted) VALUES (?,?,?,?,?,?,?,?,?,?)",
    "span_attributes": "INSERT OR IGNORE INTO temp.staged_span_attributes (span_id, doc_id, name, value, "
                       "annotator, proposed, updated, deleted) VALUES (?,?,?,?,?,?,?,?)",
    "gold_span_attributes": "INSERT OR IGNORE INTO temp.staged_gold_span_attributes (span_id, doc_id, name, value, "
                            "curator, proposed, updated, deleted) VALUES (?,?,?,?,?,?,?,?)",
}


def stage(conn, batch: list[DocumentRecord], stamp: str, given: Counter) -> None:
    for table, rows in (
        ("relations", relation_rows([r for rec in batch for r in rec.relations], stamp, False)),
        ("gold_relations", relation_rows([r for rec in batch for r in rec.gold_relations], stamp, True)),
        ("span_attributes", attribute_rows([a for rec in batch for a in rec.attributes], stamp)),
        ("gold_span_attributes", attribute_rows([a for rec in batch for a in rec.gold_attributes], stamp)),
    ):
        if rows:
            conn.executemany(STAGE_SQL[table], rows)
            given[table] += len(rows)


# -- the copy, inside the import's transaction ---------------------------------------------------------------

def copy(conn, checker: LinkChecker, given: Counter, stamp: str, *, spans_as_given: bool = False,
         gold_as_given: bool = False) -> tuple[dict, list[str]]:
    """The staged relations and attributes into the database, after the spans (whose stored copies they are
    joined with). Returns how many of each were added and the report's notes.

    ``spans_as_given`` (``gold_as_given``): every span (gold span) of the file was added by this import, so each
    relation's and attribute's span is stored as the file gave it, and the checker has already seen that it is of
    the same document and reviewer (and live, for a live relation): the join with the stored spans, two random
    lookups a relation, is left out."""
    types_added = [name for name in checker.new_types
                   if not conn.execute("SELECT 1 FROM main.relation_types WHERE name = ?", (name,)).fetchone()]
    if types_added:
        position = conn.execute("SELECT coalesce(max(position) + 1, 0) FROM main.relation_types").fetchone()[0]
        conn.executemany("INSERT INTO main.relation_types (name, head_label, child_label, position) VALUES (?,?,?,?)",
                         [(name, ANY_LABEL, ANY_LABEL, position + n) for n, name in enumerate(types_added)])
    entities_added = [e for e in checker.new_entities
                      if not conn.execute("SELECT 1 FROM main.entities WHERE id = ?", (e,)).fetchone()]
    if entities_added:
        # as a line carries it (its name, kind, country, aliases and times), else named after its first span
        carried = checker.carried
        conn.executemany("INSERT INTO main.entities (id, name, kind, country, created, updated) VALUES (?,?,?,?,?,?)",
                         [(e, c.name, c.kind, c.country, c.created or stamp, c.updated or stamp) if (c := carried.get(e))
                          else (e, checker.new_entities[e], "organisation", "", stamp, stamp) for e in entities_added])
        conn.executemany("INSERT OR IGNORE INTO main.entity_aliases (entity_id, alias) VALUES (?,?)",
                         [(e, a) for e in entities_added for a in (carried[e].aliases if e in carried
                                                                    else (checker.new_entities[e],))])
    defs_added = [d for key, d in sorted(checker.defs_added.items()) if not conn.execute(
        "SELECT 1 FROM main.attribute_defs WHERE label = ? AND name = ?", key).fetchone()]
    if defs_added:  # after the label's own attributes
        conn.executemany("INSERT INTO main.attribute_defs (label, name, type, choices, position) VALUES (?,?,?,?,"
                         "(SELECT coalesce(max(position) + 1, 0) FROM main.attribute_defs WHERE label = ?))",
                         [(d.label, d.name, d.type, json.dumps(list(d.choices)), d.label) for d in defs_added])
    added: dict[str, int] = {}
    stored_drops: Counter = Counter()
    for table, spans, who, as_given in (("relations", "spans", "annotator", spans_as_given),
                                        ("gold_relations", "gold_spans", "curator", gold_as_given)):
        if not given[table]:
            continue
        # the ends as stored: same document, same reviewer (the stored span wins over the file's when both exist)
        join = "" if as_given else (
            f" JOIN main.{spans} h ON h.id = r.head JOIN main.{spans} c ON c.id = r.child "
            f"WHERE h.doc_id = r.doc_id AND c.doc_id = r.doc_id AND h.{who} = r.{who} AND c.{who} = r.{who} "
            f"AND (r.deleted IS NOT NULL OR (h.deleted IS NULL AND c.deleted IS NULL))")
        added[table] = insert_rows(conn, table, f"SELECT r.* FROM temp.staged_{table} r{join}", "r.rowid")
        if added[table] < given[table]:  # already here, or kept out by the join: those kept out are not here now
            stored_drops["stored"] += _count(conn, f"SELECT count(*) FROM temp.staged_{table} r WHERE r.id NOT IN "
                                                   f"(SELECT id FROM main.{table})")
    for table, spans, who, as_given in (("span_attributes", "spans", "annotator", spans_as_given),
                                        ("gold_span_attributes", "gold_spans", "curator", gold_as_given)):
        if not given[table]:
            continue
        join = "" if as_given else (
            f" JOIN main.{spans} s ON s.id = a.span_id WHERE s.doc_id = a.doc_id AND s.{who} = a.{who}")
        added[table] = insert_rows(conn, table, f"SELECT a.* FROM temp.staged_{table} a{join}", "a.rowid")
        if added[table] < given[table]:
            stored_drops["attribute stored"] += _count(
                conn, f"SELECT count(*) FROM temp.staged_{table} a WHERE NOT EXISTS (SELECT 1 FROM main.{table} m "
                      f"WHERE m.span_id = a.span_id AND m.name = a.name)")
    notes = checker.notes(types_added, entities_added, +stored_drops)
    if defs_added:
        notes.insert(0, "new attribute(s) added to the scheme, typed from the files' values (change them with "
                        "'annotator labels --scheme' and 'labels load'): " + ", ".join(
                            f"{d.label}.{d.name} ({d.type}" + (f": {', '.join(d.choices)}" if d.choices else "") + ")"
                            for d in defs_added))
    return added, notes


_INDEX_NAME = re.compile(r"^(CREATE\s+(?:UNIQUE\s+)?INDEX\s+)", re.I)


def insert_rows(conn, table: str, select: str, order: str) -> int:
    """``INSERT OR IGNORE`` the rows of ``select`` into ``main.table``, in the order they came (the first of a key
    given twice is kept, as a key would), within the caller's transaction; how many were added.

    Into an empty table (a new database's first import) the table's indexes other than its key are dropped first
    and built again after, in the same transaction: one sort each instead of a million inserts at random places of
    B-trees far larger than SQLite's page cache. A rollback brings them back with the rest. The rows stay in the
    file's order, which for our own export is the documents' order, the order an export reads them in.
    Measured with raw SQLite, 1,000,000 relations of 100,000 documents into an empty table: 32.6 s of CPU with the
    join and the indexes kept, 12.4 s without the join and with the indexes built after."""
    empty = conn.execute(f"SELECT 1 FROM main.{table} LIMIT 1").fetchone() is None
    indexes = conn.execute("SELECT name, sql FROM main.sqlite_master WHERE type = 'index' AND tbl_name = ? "
                           "AND sql IS NOT NULL", (table,)).fetchall() if empty else []
    for name, _ in indexes:
        conn.execute(f'DROP INDEX main."{name}"')
    before = conn.total_changes
    conn.execute(f"INSERT OR IGNORE INTO main.{table} {select} ORDER BY {order}")
    added = conn.total_changes - before
    for name, sql in indexes:
        conn.execute(_INDEX_NAME.sub(r"\1main.", sql, count=1))
    return added


def _count(conn, sql: str) -> int:
    return conn.execute(sql).fetchone()[0]


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
