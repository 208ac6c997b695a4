"""Relations and attribute values as undoable commands, like the span commands of ``commands.py``.

Each command keeps what it needs to put things back: the relation it made or changed, the attribute value that was
there before. ``span`` is the span the reviewer had selected when acting, so undo and redo select it again.
"""
from __future__ import annotations

import re
import unicodedata

from .errors import NotFound
from .model import Relation, Span, SpanAttribute


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class AddRelation:
    def __init__(self, head: Span, child: Span, type_name: str, span: Span | None = None):
        self.doc_id = head.doc_id
        self.head, self.child, self.type = head, child, type_name
        self.span = span or head
        self.relation: Relation | None = None
        self.text = f"relate {type_name} “{_short(child.text)}”"

    def do(self, store) -> None:
        if self.relation is None:
            self.relation = store.add_relation(self.doc_id, self.head.id, self.child.id, self.type, self.head.annotator)
        else:  # redo brings back the same relation, same id
            self.relation = store.restore_relation(self.relation.id)

    def undo(self, store) -> None:
        store.delete_relation(self.relation.id)


class DeleteRelation:
    def __init__(self, relation: Relation, span: Span | None = None):
        self.doc_id = relation.doc_id
        self.relation = relation
        self.span = span
        self.text = f"delete relation {relation.type}"

    def do(self, store) -> None:
        store.delete_relation(self.relation.id)

    def undo(self, store) -> None:
        store.restore_relation(self.relation.id)


class RetypeRelation:
    def __init__(self, relation: Relation, type_name: str, span: Span | None = None):
        self.doc_id = relation.doc_id
        self.before = relation
        self.type = type_name
        self.span = span
        self.text = f"retype {relation.type} as {type_name}"

    def do(self, store) -> None:
        store.retype_relation(self.before.id, self.type)

    def undo(self, store) -> None:
        store.set_relation(self.before)


class SetAttribute:
    """Give the span's attribute a value (None clears it). ``proposed``: the tool's guess, not yet confirmed."""

    def __init__(self, span: Span, name: str, value, proposed: bool = False, text: str = ""):
        self.doc_id = span.doc_id
        self.span = span
        self.name, self.value, self.proposed = name, value, proposed
        self.before: SpanAttribute | None = None
        self._first = True
        self.text = text or (f"clear {name}" if value is None else f"set {name}")

    def do(self, store) -> None:
        if self._first:  # the value before this command, read once (a redo must not read its own value)
            self.before = store.attribute(self.span.id, self.name)
            self._first = False
        _put(store, self.span.id, self.name, self.value, self.proposed)

    def undo(self, store) -> None:
        if self.before is None:
            store.clear_attribute(self.span.id, self.name)
        else:
            _put(store, self.span.id, self.name, self.before.value, self.before.proposed)


def _put(store, span_id: str, name: str, value, proposed: bool) -> None:
    if value is None:
        store.clear_attribute(span_id, name)
    else:
        store.set_attribute(span_id, name, value, proposed=proposed)


class NewEntity:
    """A new entity in the registry (named after the span, or one of the seed's the database does not hold yet),
    and the span linked to it. Undo removes the link; the entity stays in the registry (entities are never deleted,
    only merged), and redo links it again."""

    def __init__(self, span: Span, entity_id: str, name: str, aliases: tuple[str, ...] = (),
                 kind: str = "organisation", country: str = "", text: str = ""):
        self.doc_id = span.doc_id
        self.span = span
        self.entity_id, self.name, self.aliases, self.kind, self.country = entity_id, name, aliases, kind, country
        self.link = SetAttribute(span, "entity", entity_id)
        self.text = text or f"new entity {entity_id}"

    def do(self, store) -> None:
        try:
            store.entity(self.entity_id)
        except NotFound:  # the first time (a redo finds it there)
            store.add_entity(self.entity_id, self.name, aliases=self.aliases, kind=self.kind, country=self.country)
        self.link.do(store)

    def undo(self, store) -> None:
        self.link.undo(store)


class Together:
    """Several commands as one step (confirming every proposed value of a span)."""

    def __init__(self, text: str, commands: list, span: Span | None = None):
        self.text = text
        self.commands = commands
        self.span = span
        self.doc_id = span.doc_id if span is not None else None

    def do(self, store) -> None:
        done = []
        try:
            for c in self.commands:
                c.do(store)
                done.append(c)
        except Exception:
            for c in reversed(done):  # all or nothing, as one step should be
                c.undo(store)
            raise

    def undo(self, store) -> None:
        for c in reversed(self.commands):
            c.undo(store)


def entity_id_from_text(text: str, taken) -> str:
    """A registry key for a new entity named ``text``: an acronym as it is (``IOM``), a name in capitals joined by
    hyphens (``BALI-PROCESS``), letters without accents; ``-2``, ``-3`` … when ``taken(key)`` says it is used."""
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[A-Za-z0-9]+", ascii_)
    base = ""
    for w in words:  # whole words, up to 60 characters (ids are at most 64: room for "-2")
        if len(base) + len(w) + 1 > 60:
            break
        base = f"{base}-{w.upper()}" if base else w.upper()
    base = base or (words[0].upper()[:60] if words else "ENTITY")
    key, n = base, 1
    while taken(key):
        n += 1
        key = f"{base}-{n}"
    return key
