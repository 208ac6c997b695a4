"""Normalisation in the database: the registry's organisations seeded into a new database, and proposed values
written on ORGANISATION, FIGURE and COMMITMENT spans for reviewers to confirm or correct.

Which spans get what follows the database's scheme, not the label names: a label with an attribute of type
``entity`` gets an entity link proposed from the registry (core/organisations.py, over this database's entities,
grown by reviewers); a label with a number attribute named ``value`` gets value, and ``unit`` and
``approximate`` where the scheme has them, proposed from the span's text (core/figures.py); a label with a choice
attribute named ``kind`` gets the kind its wording names, if it is one of the choices (core/commitment_kinds.py, as
the window's attributes panel proposes it).

A proposal is written with ``proposed`` set. It never replaces a value a reviewer confirmed, nor brings back one
a reviewer cleared (its tombstone stays): the write itself says so (an upsert that only updates a row still
proposed and live), so a reviewer confirming in the window while a proposal pass runs keeps their value.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..core import relation_scheme
from ..core.errors import InvariantError, NotFound
from ..core.commitment_kinds import propose_kind
from ..core.figures import propose_figure
from ..core.organisations import Matcher, registry
from .changes import Change, now

SEED_TIME = "2026-01-01T00:00:00.000000+00:00"  # the registry seed's created/updated, older than any edit
_CHUNK = 500  # ids per IN (...) list, well under SQLite's limit of bound parameters
# A ministry made when first named takes the seed's time too: teammates who each made VN-MFA have equal rows.
SEED_STAMP = SEED_TIME


def seed_entities(store) -> int:
    """Give a database with no entities the registry's organisations (resources/organisations.json); how many.
    Ministries are not seeded: each is made when a span first names it (``VN-MFA`` when a Vietnamese article's
    "Ministry of Foreign Affairs" is proposed)."""
    if store.conn.execute("SELECT 1 FROM entities LIMIT 1").fetchone():
        return 0
    # One fixed time for every database: two teammates' seeded registries are then the same rows, so a merge or
    # a sync sees nothing to carry, and a canonical export does not depend on when a database was made.
    stamp = SEED_TIME
    organisations = registry().organisations
    with store.transaction():
        store.conn.executemany(
            "INSERT INTO entities (id, name, kind, country, created, updated) VALUES (?,?,?,?,?,?)",
            [(o.id, o.name, o.kind, o.country, stamp, stamp) for o in organisations])
        store.conn.executemany("INSERT OR IGNORE INTO entity_aliases (entity_id, alias) VALUES (?,?)",
                               [(o.id, a) for o in organisations for a in o.aliases])
    return len(organisations)


@dataclass(frozen=True)
class Proposal:
    span_id: str
    doc_id: str
    label: str
    text: str        # the span's text
    name: str        # the attribute
    value: Any
    annotator: str


@dataclass
class ProposalReport:
    spans: int = 0                                           # spans looked at
    links: int = 0                                           # entity links written (new, or a changed proposal)
    figures: int = 0                                         # figure spans given a value, a unit or approximate
    kinds: int = 0                                           # commitment kinds written
    proposed: list[Proposal] = field(default_factory=list)   # the values written, when asked to keep them
    unchanged: int = 0                                       # values already proposed as they are
    kept: int = 0                                            # values a reviewer confirmed or cleared: left alone
    unread: Counter = field(default_factory=Counter)         # (label, span text) nothing was proposed for
    entities_added: list[str] = field(default_factory=list)  # ministries made on first mention
    dry_run: bool = False

    def lines(self) -> list[str]:
        verb = "would propose" if self.dry_run else "proposed"
        out = [f"{self.spans} span(s) looked at: {verb} {self.links} entity link(s), values for "
               f"{self.figures} figure(s) and {self.kinds} commitment kind(s)"]
        if self.unchanged:
            out.append(f"{self.unchanged} value(s) already proposed as they are")
        if self.kept:
            out.append(f"{self.kept} value(s) a reviewer confirmed or cleared: left as they are")
        if self.entities_added:
            out.append(f"{'would add' if self.dry_run else 'added'} {len(self.entities_added)} ministry "
                       f"entit{'y' if len(self.entities_added) == 1 else 'ies'}: {', '.join(self.entities_added)}")
        if self.unread:
            shown = ", ".join(f"{text!r} ({n})" for (_, text), n in self.unread.most_common(10))
            out.append(f"{sum(self.unread.values())} span(s) named nothing the registry or the figure reader knows, "
                       f"most often: {shown}")
        return out


_BATCH = 5000       # values written a transaction at a time: a long pass never holds the write lock for long
_UNREAD_KINDS = 50_000  # distinct unread texts counted; past it, only the texts already seen are counted


def propose(store, *, doc_ids: Iterable[str] | None = None, span_ids: Iterable[str] | None = None,
            annotators: Iterable[str] | None = None, what: Iterable[str] = ("entities", "figures", "kinds"),
            dry_run: bool = False, keep: bool = True) -> ProposalReport:
    """Propose entity links, figure values and commitment kinds for the live spans of ``doc_ids`` / ``span_ids`` / ``annotators``
    (all, when not given). Written a few thousand values a transaction (an interrupted pass leaves proposals
    that a second pass completes); with ``dry_run`` nothing is written and the report says what would be.
    ``keep``: list each value in the report (an import only counts them, to keep its memory flat)."""
    what = set(what)
    plan = _Plan(store, "entities" in what, "figures" in what, "kinds" in what)
    report = ProposalReport(dry_run=dry_run)
    if not plan.labels:
        return report
    entity_names = plan.entity_names()
    batch: list[Proposal] = []

    def flush() -> None:
        written = {(p.span_id, p.name) for p in batch} if dry_run else _write(store, batch, plan)
        done = [p for p in batch if (p.span_id, p.name) in written]
        report.links += sum(p.name in entity_names for p in done)
        kinds = [p for p in done if (p.label, p.name) in plan.kind_attrs]
        report.kinds += len(kinds)
        report.figures += len({p.span_id for p in done if p.name not in entity_names} - {p.span_id for p in kinds})
        if keep:
            report.proposed += done
        batch.clear()

    for doc_id, spans, existing in _spans_by_document(store, plan.labels, doc_ids, span_ids, annotators):
        existing = _stale(existing)
        text_of = lru_cache(maxsize=1)(lambda d=doc_id: store.document(d).text)
        for span_id, label, text, annotator in spans:
            report.spans += 1
            values = plan.values(label, text, text_of)
            if not values and (len(report.unread) < _UNREAD_KINDS or (label, text) in report.unread):
                report.unread[(label, text)] += 1
            for name, value in values.items():
                old = existing.get((span_id, name))
                if old is not None and (not old[1] or old[2]):  # confirmed, or cleared by a reviewer
                    report.kept += 1
                elif old is not None and old[0] == value and type(old[0]) is type(value):
                    report.unchanged += 1
                else:
                    batch.append(Proposal(span_id, doc_id, label, text, name, value, annotator))
        if len(batch) >= _BATCH:
            flush()
    flush()
    report.entities_added = sorted(plan.new_entities)
    return report


def _stale(existing):
    return existing  # the rows as read; a test replaces it to play a reviewer confirming after the read


def propose_for_span(store, span_id: str) -> list[Proposal]:
    """Propose the values of one span (the window calls it when a reviewer makes an ORGANISATION or FIGURE span);
    the values written."""
    return propose(store, span_ids=[span_id]).proposed


class _Plan:
    """What to propose for which label, from the database's scheme and entities."""

    def __init__(self, store, entities: bool, figures: bool, kinds: bool = False):
        self.store = store
        self.kind_attrs: dict[tuple[str, str], tuple[str, ...]] = {}  # (label, "kind") -> its choices
        self.entity_attrs: dict[str, list[str]] = {}
        self.figure_attrs: dict[str, dict[str, str]] = {}
        self.defs = {(d.label, d.name): d for d in store.attribute_defs()}
        for d in self.defs.values():
            if entities and d.type == "entity":
                self.entity_attrs.setdefault(d.label, []).append(d.name)
            if figures and (d.name, d.type) in (("value", "number"), ("unit", "text"), ("approximate", "bool")):
                self.figure_attrs.setdefault(d.label, {})[d.name] = d.type
            if kinds and d.name == "kind" and d.type == "choice":
                self.kind_attrs[(d.label, d.name)] = d.choices
        self.figure_attrs = {label: names for label, names in self.figure_attrs.items() if "value" in names}
        self.labels = sorted(set(self.entity_attrs) | set(self.figure_attrs) | {l for l, _ in self.kind_attrs})
        self._matcher: Matcher | None = None
        self.new_entities: dict[str, Any] = {}  # id -> Organisation, for ministries not yet in the database
        self.made: set[str] = set()             # those of them written
        self._live_ids: dict[str, str | None] = {}  # proposed id -> the database's (one look-up a pass)

    def entity_names(self) -> set[str]:
        return {n for names in self.entity_attrs.values() for n in names}

    @property
    def matcher(self) -> Matcher:
        if self._matcher is None:
            self._matcher = Matcher(self.store.entities(), registry().ministries)
        return self._matcher

    def values(self, label: str, text: str, document_text) -> dict[str, Any]:
        values: dict[str, Any] = {}
        if label in self.entity_attrs:
            entity_id = self.matcher.propose(text, document_text)
            entity_id = entity_id and self._live(entity_id)
            if entity_id:
                values.update((name, entity_id) for name in self.entity_attrs[label])
        if label in self.figure_attrs:
            figure = propose_figure(text)
            if figure is not None:
                values.update((k, v) for k, v in figure.attributes().items()
                              if k in self.figure_attrs[label] and v != "")
        choices = self.kind_attrs.get((label, "kind"))
        if choices is not None:
            kind = propose_kind(text, choices)
            if kind is not None:
                values["kind"] = kind
        # as the store checks every value ("1e30 people" is past what a number attribute holds): one that fails is
        # not proposed
        return {k: v for k, v in values.items() if _fits(self.defs[(label, k)], v)}

    def _live(self, entity_id: str) -> str | None:
        """The database's entity for a proposed id (following a merge), or a ministry to make."""
        if entity_id not in self._live_ids:
            self._live_ids[entity_id] = self._look_up(entity_id)
        return self._live_ids[entity_id]

    def _look_up(self, entity_id: str) -> str | None:
        try:
            return self.store.entity(entity_id).id
        except NotFound:
            organisation = registry().organisation(entity_id)
            if organisation is None:
                return None
            self.new_entities[entity_id] = organisation
            return entity_id


def _fits(definition, value) -> bool:
    try:
        relation_scheme.check_attribute_value(definition, value)
    except InvariantError:
        return False
    return True


def _spans_by_document(store, labels, doc_ids, span_ids, annotators):
    """(doc_id, [(span_id, label, text, annotator), ...], existing) for the live spans asked for, a document at a
    time, read a few hundred documents at a time; ``existing`` maps (span, name) to (value, proposed, cleared)
    for the document's attribute rows, tombstones included."""
    where = [f"s.deleted IS NULL AND s.label IN ({','.join('?' * len(labels))})"]
    params: list = list(labels)
    if annotators is not None:
        annotators = list(annotators)
        where.append(f"s.annotator IN ({','.join('?' * len(annotators))})")
        params += annotators
    if span_ids is not None:
        span_ids = list(span_ids)
        doc_ids = sorted({r[0] for i in range(0, len(span_ids), _CHUNK) for r in store.conn.execute(
            f"SELECT doc_id FROM spans WHERE id IN ({','.join('?' * len(span_ids[i:i + _CHUNK]))})",
            span_ids[i:i + _CHUNK])})
    elif doc_ids is None:
        doc_ids = [r[0] for r in store.conn.execute(
            f"SELECT DISTINCT doc_id FROM spans s WHERE {' AND '.join(where)} ORDER BY doc_id", params)]
    else:
        doc_ids = sorted(set(doc_ids))
    wanted = set(span_ids) if span_ids is not None else None
    for i in range(0, len(doc_ids), _CHUNK):
        chunk = doc_ids[i:i + _CHUNK]
        marks = ",".join("?" * len(chunk))
        existing: dict[str, dict] = {}
        for d, sp, n, v, p, gone in store.conn.execute(
                f"SELECT doc_id, span_id, name, value, proposed, deleted FROM span_attributes WHERE doc_id IN ({marks})",
                chunk):
            existing.setdefault(d, {})[(sp, n)] = (json.loads(v), bool(p), gone is not None)
        groups: dict[str, list] = {}
        for doc_id, span_id, label, text, annotator in store.conn.execute(
                f"SELECT s.doc_id, s.id, s.label, s.text, s.annotator FROM spans s WHERE {' AND '.join(where)} "
                f"AND s.doc_id IN ({marks}) ORDER BY s.doc_id, s.start, s.\"end\", s.id", params + chunk):
            if wanted is None or span_id in wanted:
                groups.setdefault(doc_id, []).append((span_id, label, text, annotator))
        for doc_id, spans in groups.items():
            yield doc_id, spans, existing.get(doc_id, {})

def _write(store, rows: list[Proposal], plan: _Plan) -> set[tuple[str, str]]:
    """Write proposals in one transaction (and the ministries they name, the first time); the (span, name) pairs
    written. A row a reviewer confirmed or cleared since it was read, or a span deleted since, is left as it is."""
    if not rows:
        return set()
    stamp = now()
    written: set[tuple[str, str]] = set()
    named = {p.value for p in rows if isinstance(p.value, str)}
    new = [(i, o) for i, o in plan.new_entities.items() if i not in plan.made and i in named]
    with store.transaction():
        for entity_id, o in new:
            store.conn.execute("INSERT OR IGNORE INTO entities (id, name, kind, country, created, updated) "
                               "VALUES (?,?,?,?,?,?)", (entity_id, o.name, o.kind, o.country, SEED_STAMP, SEED_STAMP))
        for p in rows:
            cursor = store.conn.execute(
                "INSERT INTO span_attributes (span_id, doc_id, name, value, annotator, proposed, updated, deleted) "
                "SELECT ?,?,?,?,?,1,?,NULL WHERE EXISTS (SELECT 1 FROM spans WHERE id = ? AND deleted IS NULL) "
                "ON CONFLICT (span_id, name) DO UPDATE SET value = excluded.value, updated = excluded.updated "
                "WHERE span_attributes.proposed = 1 AND span_attributes.deleted IS NULL",
                (p.span_id, p.doc_id, p.name, json.dumps(p.value, ensure_ascii=False), p.annotator, stamp, p.span_id))
            if cursor.rowcount:
                written.add((p.span_id, p.name))
    plan.made.update(i for i, _ in new)
    if new:
        store._notify(Change("entities"))
    by_document: dict[str, set[str]] = {}
    for p in rows:
        by_document.setdefault(p.doc_id, set()).add(p.span_id)
    for doc_id, span_ids in sorted(by_document.items()):
        store._notify(Change("attributes", doc_id, tuple(sorted(span_ids))))
    return written


def linked_texts(store, entity_id: str) -> list[tuple[str, int, int]]:
    """The texts of the live spans linked to an entity: (text, spans, of which proposed), most frequent first."""
    names = sorted({d.name for d in store.attribute_defs() if d.type == "entity"}) or ["entity"]
    return [(t, n, p or 0) for t, n, p in store.conn.execute(
        f"SELECT s.text, count(*), sum(a.proposed) FROM span_attributes a JOIN spans s ON s.id = a.span_id "
        f"WHERE a.name IN ({','.join('?' * len(names))}) AND a.value = ? AND a.deleted IS NULL AND s.deleted IS NULL "
        f"GROUP BY s.text ORDER BY count(*) DESC, s.text", [*names, json.dumps(entity_id)])]
