"""Relations and span attributes as the peer formats carry them (brat R/A/N lines, doccano ``relations``, Label
Studio ``relation`` and per-region results, Prodigy ``relations``): the checks every reader makes of them, the
ids a relation that arrives without one gets, and what a writer may write.

A reader first makes its record's spans (common.make_record), then joins them here by the peer's own span ids:
a relation to an id the file does not define, to itself, or across two reviewers is refused with the reader's
one-line error naming where it is. A relation whose type the database does not know brings its type in (any label
to any label); an attribute value is typed by the database's scheme where it names the attribute (brat and Label
Studio write every value as text); an attribute the scheme does not have comes in too, typed from its first value
(a flag, a number, a choice or a text), and the import adds it to the scheme (``DocumentRecord.new_attributes``),
as it adds a label it does not have.
"""
from __future__ import annotations

import functools
import hashlib
import math
import re

from ..core import relation_scheme
from ..core.errors import InputError, InvariantError
from ..core.model import AttributeDef, DocumentRecord, Relation, Span, SpanAttribute
from .common import _NAMESPACE_BYTES, _as_uuid

UNTYPED = "RELATED"  # the type of a relation drawn without one (Label Studio lets a relation have no label)
ENTITY = "entity"  # the attribute an entity link (brat's N lines) is stored as
MAX_VALUE = 10 ** 18  # the largest number an attribute holds (core.relation_scheme)
_SURROGATE = re.compile("[\ud800-\udfff]")
# In the (label, name) -> type dict an import's records share: the keys of the attributes this import brings that
# the scheme lacked (a label is never "", so this is never a real key): each record that has one says so
NEW = ("", "")


def relation_id(doc_id: str, head: str, child: str, type_name: str) -> str:
    """The id of a relation that arrives without one: the same for the same two spans and type, whichever format
    brought it (so importing a file twice adds nothing)."""
    name = f"{doc_id}:relation:{head}:{child}:{type_name}".encode("utf-8", "surrogatepass")
    return _as_uuid(hashlib.sha1(_NAMESPACE_BYTES + name).hexdigest())


def _short(value, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_type_name(name, what: str) -> str:
    if type(name) is not str:
        raise InputError(f"{what}: the relation type must be a string, got {_short(name)}")
    try:
        return relation_scheme.check_relation_name(name)
    except InvariantError as exc:
        raise InputError(f"{what}: {exc}") from None
    except UnicodeError:  # pragma: no cover - the regular expression takes any str
        raise InputError(f"{what}: the relation type is not text") from None


class Links:
    """The relations and attributes of one record, added as a reader finds them, each checked."""

    def __init__(self, record: DocumentRecord, types: dict | None = None, lost: dict | None = None,
                 what: str = "attributes"):
        """``types``: the scheme's (label, name) -> type; an attribute it does not name is given a type here (and
        added to ``types``, and to the record's ``new_attributes`` for the import to add to the scheme)."""
        self.record = record
        self.types = types
        self.lost = lost
        self.what = what
        self._relations: set[str] = {r.id for r in record.relations}
        self._attributes: set[tuple[str, str]] = {(a.span_id, a.name) for a in record.attributes}
        self._names: set = set()  # relation type and attribute names checked already (a file repeats a handful)

    def relation(self, head: Span, child: Span, type_name, what: str) -> Relation | None:
        """Add ``head -> child``; None when the record has it already (a file may state it twice)."""
        if type(type_name) is not str or type_name not in self._names:
            self._names.add(check_type_name(type_name, what))
        if head.id == child.id:
            raise InputError(f"{what} goes from a span to itself ({_short(head.text)}); a relation joins two "
                             "different spans")
        if head.annotator != child.annotator:
            raise InputError(f"{what} joins spans of two reviewers ({head.annotator!r} and "
                             f"{child.annotator!r}); a relation joins one reviewer's spans")
        rid = relation_id(self.record.document.id, head.id, child.id, type_name)
        if rid in self._relations:
            return None
        self._relations.add(rid)
        rel = Relation(rid, self.record.document.id, head.id, child.id, type_name, head.annotator)
        self.record.relations.append(rel)
        return rel

    def attribute(self, span: Span, name, value, what: str, hint: str | None = None) -> SpanAttribute | None:
        """``hint``: what the file's own form says a value it does not type is ("choice" for brat's valued
        attributes and Label Studio's choices, "text" for a text area, "number")."""
        if type(name) is not str or ("a", name) not in self._names:
            self._names.add(("a", check_attribute_name(name, what)))
        value = check_value(value, f"{what}: {name}")
        if self.types is not None and ((span.label, name) not in self.types
                                       or (span.label, name) in self.types.get(NEW, ())):
            value = self._new_attribute(span.label, name, value, hint)
        if (span.id, name) in self._attributes:
            raise InputError(f"{what} gives the span {_short(span.text)} a second value of {name!r}; a span has one")
        self._attributes.add((span.id, name))
        attr = SpanAttribute(span.id, span.doc_id, name, value, span.annotator)
        self.record.attributes.append(attr)
        return attr

    def _new_attribute(self, label: str, name: str, value, hint: str | None):
        """An attribute the database's scheme does not have (as a label it does not have, it comes in: the import
        adds it to the scheme, typed from its first value, and says so). Its type goes into ``types``, which every
        record of the import shares, so the values after it are read as that type; a choice gathers its values."""
        key = (label, name)
        kind = self.types.get(key)
        if kind is None:
            if type(value) is bool:
                kind = "bool"
            elif type(value) in (int, float) or hint == "number":
                kind = "number"
            elif hint == "choice" and value in ("true", "false"):
                kind, value = "bool", value == "true"  # a flag as Label Studio's choices write it (ours do too)
            else:
                kind = "choice" if hint == "choice" else "text"
            self.types[key] = kind
            self.types.setdefault(NEW, set()).add(key)
        if kind == "bool" and type(value) is str:
            value = typed(value, kind, f"attribute {name}")
        elif kind == "number" and type(value) is str:
            value = number(value, f"attribute {name}")
        elif kind in ("text", "choice") and type(value) is not str:
            value = written(value)
        old = self.record.new_attributes.get(key)
        choices = tuple(sorted({*(old.choices if old else ()), value})) if kind == "choice" else ()
        self.record.new_attributes[key] = AttributeDef(label, name, kind, choices)
        return value


def check_attribute_name(name, what: str) -> str:
    if type(name) is not str or not name or len(name) > 64 or any(c.isspace() or c < " " for c in name):
        raise InputError(f"{what}: an attribute name is 1 to 64 characters without spaces, got {_short(name)}")
    if _SURROGATE.search(name):
        raise InputError(f"{what}: the attribute name holds a lone surrogate: not text")
    return name


def check_value(value, what: str):
    """A value the store can hold: text (non-empty, at most 1,000 characters), true/false, or a finite number."""
    kind = type(value)
    if kind is bool:
        return value
    if kind is int:
        if abs(value) > MAX_VALUE:
            raise InputError(f"{what}: the number {_short(value)} is beyond what an attribute holds (10^18)")
        return value
    if kind is float:
        if not math.isfinite(value) or abs(value) > MAX_VALUE:
            raise InputError(f"{what}: {_short(value)} is not a number an attribute holds")
        return value
    if kind is str:
        if not value.strip() or len(value) > 1000 or "\x00" in value:
            raise InputError(f"{what}: a value is a non-empty text of at most 1,000 characters, got {_short(value)}")
        if _SURROGATE.search(value):
            raise InputError(f"{what}: the value holds a lone surrogate: not text")
        return value
    raise InputError(f"{what}: a value is text, a number or true/false, got {_short(value)}")


# -- the scheme's types of attributes, for the formats that write every value as text ---------------------------

def attribute_types(options) -> dict[tuple[str, str], str]:
    """(label, attribute name) -> type, from the database (``options.attribute_types``, filled by the import and
    export) or else the default scheme."""
    given = getattr(options, "attribute_types", None)
    if given is not None:
        return given
    return dict(_default_types())


@functools.lru_cache(maxsize=1)
def _default_types() -> tuple:
    """The default scheme's, read once (reading resources/scheme.json takes 0.2 ms: a brat folder reads it a file)."""
    return tuple(((d.label, d.name), d.type) for d in relation_scheme.default_attribute_defs())


def typed(raw: str | None, kind: str | None, what: str):
    """A value written as text (or, for a flag, written as nothing) as the scheme types it."""
    if raw is None or raw == "":
        if kind in (None, "bool"):
            return True  # brat's binary attribute: present means true
        raise InputError(f"{what}: the attribute has no value")
    if kind == "bool":
        if raw.lower() in ("true", "yes", "1"):
            return True
        if raw.lower() in ("false", "no", "0"):
            return False
        raise InputError(f"{what}: a flag is true or false, got {_short(raw)}")
    if kind == "number":
        return number(raw, what)
    return raw


def number(raw, what: str):
    if type(raw) in (int, float):
        return raw
    if type(raw) is not str or len(raw) > 40:
        raise InputError(f"{what}: a number is expected, got {_short(raw)}")
    try:
        value = int(raw)
    except ValueError:
        try:
            value = float(raw)
        except ValueError:
            raise InputError(f"{what}: a number is expected, got {_short(raw)}") from None
    return check_value(value, what)


def written(value) -> str:
    """A value as text (brat, Label Studio's choices): JSON's words for flags, numbers as Python writes them."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


# -- what a writer writes ----------------------------------------------------------------------------------------

def live(record: DocumentRecord, written_ids: set[str] | None = None, report=None
         ) -> tuple[list[Relation], list[SpanAttribute]]:
    """The record's live relations and attributes whose spans are written (``written_ids``: the ids of the spans
    the writer writes; all live spans when None). Those left out because an export filter left out a span they
    touch are counted in ``report``."""
    if written_ids is None:
        written_ids = {s.id for s in record.spans if not s.deleted}
    relations, attributes, dropped = [], [], 0
    for r in record.relations:
        if r.deleted:
            continue
        if r.head in written_ids and r.child in written_ids:
            relations.append(r)
        else:
            dropped += 1
    for a in record.attributes:
        if a.deleted:
            continue
        if a.span_id in written_ids:
            attributes.append(a)
    if dropped and report is not None:
        report.lose("relations to spans not exported", dropped)
    return relations, attributes


def count_lost(record: DocumentRecord, report, *, relations: bool = True, attributes: bool = True,
               fmt: str = "") -> None:
    """Count what a format without a place for relations (DocBin, CoNLL, plain text) or attributes drops."""
    if report is None:
        return
    rels, attrs = live(record)
    where = f" ({fmt} has no place for them)" if fmt else ""
    if relations and rels:
        report.lose(f"relations{where}", len(rels))
    if attributes and attrs:
        report.lose(f"span attributes and entity links{where}", len(attrs))


def count_proposed(attributes: list[SpanAttribute], report) -> None:
    """A peer format has no mark for a value the tool proposed and no reviewer confirmed: it goes as a value."""
    n = sum(1 for a in attributes if a.proposed)
    if n and report is not None:
        report.lose("'proposed' marks of attribute values (written as values)", n)
