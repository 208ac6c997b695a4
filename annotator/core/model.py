"""The objects every layer passes around: documents, spans, labels, reviews.

Plain frozen dataclasses: the store builds them from rows, formats build them from files, the UI shows them.
Offsets are code-point indexes into ``Document.text`` (design.md section 2).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

REVIEW_STATUSES = ("todo", "done", "skipped")


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    text: str
    title: str = ""
    source: str | None = None
    sha256: str = ""
    meta: dict[str, Any] = field(default_factory=dict)


# Spans are values: never assign to their fields, make a changed copy with ``evolve``. They are not frozen
# because a frozen dataclass takes seven times longer to build, and a document may hold 10,000 of them.
@dataclass(slots=True, unsafe_hash=True)
class Span:
    id: str
    doc_id: str
    start: int
    end: int
    label: str
    text: str
    annotator: str
    note: str = ""
    created: str = ""
    updated: str = ""
    # A tombstone: the time the span was deleted. Kept so that merging reviewers' work can replay deletions.
    deleted: str | None = None

    def evolve(self, **changes: Any) -> "Span":
        return replace(self, **changes)

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(slots=True, unsafe_hash=True)
class GoldSpan(Span):
    """A span of the curated gold layer: ``annotator`` is the curator, ``sources`` the reviewers' span ids."""

    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Label:
    name: str
    color: str
    hotkey: str = ""
    guideline: str = ""
    retired: bool = False
    position: int = 0


@dataclass(frozen=True, slots=True)
class Review:
    """One reviewer's status of one document, with their document-level note."""

    doc_id: str
    annotator: str
    status: str = "todo"
    note: str = ""
    updated: str = ""


# -- relations, span attributes and canonical entities (issue 14) ------------------------------------------------

ATTRIBUTE_TYPES = ("entity", "number", "text", "bool", "choice")


@dataclass(slots=True, unsafe_hash=True)
class Relation:
    """A typed, directed link between two live spans of one document and one annotator (``head`` -> ``child``,
    span ids; the head is the COMMITMENT for the default types). Tombstoned like a span."""

    id: str
    doc_id: str
    head: str
    child: str
    type: str
    annotator: str
    created: str = ""
    updated: str = ""
    deleted: str | None = None

    def evolve(self, **changes: Any) -> "Relation":
        return replace(self, **changes)


@dataclass(slots=True, unsafe_hash=True)
class GoldRelation(Relation):
    """A relation of the gold layer: ``annotator`` is the curator, ``sources`` the reviewers' relation ids."""

    sources: tuple[str, ...] = ()


@dataclass(slots=True)
class SpanAttribute:
    """One attribute value of one span: at most one per (span, name). ``value`` is a JSON value of the
    attribute's type (an entity id or text as str, a number as int or float, a flag as bool). ``proposed``: the tool
    proposed it (from the registry or the span's text) and no reviewer has confirmed it yet."""

    span_id: str
    doc_id: str
    name: str
    value: Any
    annotator: str
    proposed: bool = False
    updated: str = ""
    deleted: str | None = None

    def evolve(self, **changes: Any) -> "SpanAttribute":
        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class RelationType:
    """A relation type of the scheme: which label it goes from (head) and to (child)."""

    name: str
    head_label: str
    child_label: str
    hotkey: str = ""
    guideline: str = ""
    retired: bool = False
    position: int = 0


@dataclass(frozen=True, slots=True)
class AttributeDef:
    """An attribute the scheme gives spans of ``label``: its ``type`` (one of ATTRIBUTE_TYPES) and, for a choice,
    the ``choices``."""

    label: str
    name: str
    type: str
    choices: tuple[str, ...] = ()
    position: int = 0


@dataclass(frozen=True, slots=True)
class Entity:
    """A canonical organisation (or other entity) an ORGANISATION span links to through its ``entity``
    attribute. ``id`` is a short stable key (``IOM``, ``UNODC``, ``BALI-PROCESS``)."""

    id: str
    name: str
    kind: str = "organisation"
    aliases: tuple[str, ...] = ()
    country: str = ""
    created: str = ""
    updated: str = ""
    deleted: str | None = None
    merged_into: str | None = None


@dataclass(slots=True)
class DocumentRecord:
    """A document with its annotations, as formats read and write it. ``line`` is where it was read (1-based),
    ``file`` the file (a bundle, or a database: then ``line`` is 0), where a merge must name it."""

    document: Document
    spans: list[Span] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    gold: list[Span] = field(default_factory=list)
    line: int = 0
    file: str = ""
    # relations and attributes of the spans above (issue 14); after line and file, which callers give by place
    relations: list[Relation] = field(default_factory=list)
    attributes: list[SpanAttribute] = field(default_factory=list)
    gold_relations: list[Relation] = field(default_factory=list)
    gold_attributes: list[SpanAttribute] = field(default_factory=list)
    # the registry's entities the line's attribute values link to (canonical JSONL's "entities"), so the database
    # that reads the line gets the same entity, not one named after the span
    entities: list[Entity] = field(default_factory=list)
    # attributes its values have that the database's scheme does not, typed by the reader: (label, name) -> def
    new_attributes: dict = field(default_factory=dict)
    # the relations as the store's export reads them when a writer asks for rows (store.bulk.ExportFilter): tuples
    # in Relation's field order, sorted by (created, id), in place of ``relations``; None: see ``relations``
    relation_rows: list | None = None
    # the same written already (store/export_links.py): the JSON text of canonical JSONL's "relations" between the
    # spans above ("" when none), and the attribute values as its spans hold them, {span id: {name: {"value",
    # "proposed", "updated"}}} (no tombstones); None: see ``relations`` and ``attributes``
    relations_json: str | None = None
    attribute_values: dict | None = None


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A span someone might tag, proposed by a source; never a span until a reviewer accepts it.

    ``source`` is ``"corpus"``, ``"patterns"``, ``"model"`` or ``"spacy:NAME"``; ``score`` is in [0, 1] (how sure
    the source is); ``reason`` says why in words a reviewer reads ("tagged ORGANISATION 12 times in 5 documents",
    "also tagged FIGURE 1 time"). Offsets are code points into the document's text, as for spans."""

    doc_id: str
    start: int
    end: int
    label: str
    text: str
    source: str
    score: float
    reason: str = ""

    @property
    def key(self) -> tuple[int, int, str]:
        """What a rejection is remembered by: the range and the label (within the document)."""
        return self.start, self.end, self.label
