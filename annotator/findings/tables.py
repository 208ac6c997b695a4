"""The findings, computed in one pass over the corpus: documents in id order, each with its spans, statuses,
relations and attributes, then let go. Commitment and figure rows are handed to the caller as they are made, as
the values of their table's columns (a writer puts them in a file); only the first ``keep`` become objects, and
only the per-organisation and per-period counts stay in memory: they grow with the number of organisations, not
of documents.

Who made a commitment, with whom, and which figures it states: the reviewers' ACTOR, PARTNER and AMOUNT
relations when the commitment has them; otherwise the ORGANISATION and FIGURE spans in its sentence, marked
"inferred by proximity" wherever they are shown, since nearness is a guess a reader should weigh. Which spans are
read, and how the same span tagged by several reviewers is taken once: ``layers``.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

from ..core.errors import AnnotatorError
from ..core.figures import propose_figure
from ..core.organisations import propose_entity, registry
from ..store import Store
from ..store import findings_queries as queries
from . import layers
from .dates import in_range, iso_date
from .model import (BY_PROXIMITY, BY_RELATION, COMMITMENT, FIGURE, NOT_FOUND, ORGANISATION, VALUE_GIVEN,
                    VALUE_PROPOSED, Commitment, Coverage, Figure, FigureRef, Filters, Organisation, Quote)
from .counts import ALL, UNDATED, OrgTally, finished, merge
from .quotes import QUOTE_CAP, quote, quote_in, sentence_around

__all__ = ["ALL", "Cancelled", "Findings", "QUOTE_CAP", "compute", "finished", "merge", "quote", "sentence_around"]

NO_QUOTE = ("", "", "")  # for rows nobody will read (past ``keep``, no writer): quoting them costs
CURATED = "curated"
CHECK_EVERY = 200  # documents between progress reports and cancel checks


class Cancelled(AnnotatorError):
    """The caller asked to stop: nothing was written."""


@dataclass
class Findings:
    filters: Filters
    coverage: Coverage
    organisations: list[Organisation] = field(default_factory=list)
    over_time: list[tuple[str, str, int]] = field(default_factory=list)  # period, organisation (or ALL), commitments
    commitments: list[Commitment] = field(default_factory=list)  # the first ``keep`` of them
    figures: list[Figure] = field(default_factory=list)
    commitment_count: int = 0
    figure_count: int = 0
    with_relations: int = 0  # commitments whose organisations come from relations
    by_proximity: int = 0
    # the counts as the pass keeps them, until ``finish`` makes the tables of them (``merge`` adds another part's)
    tally: OrgTally | None = None
    period_counts: Counter = field(default_factory=Counter)
    processes: int = 1  # how many made it (files.write gives a large corpus's second half to a second process)


def _figure_ref(text: str, attrs: dict | None) -> tuple[FigureRef, str]:
    """A FIGURE span's value, unit and approximation (and how it is shown): its attributes, or (with no value among
    them) what its text says, marked as proposed."""
    value = attrs.get("value") if attrs else None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return _proposed_figure(text)
    return _given_figure(text, value, str(attrs.get("unit") or ""), bool(attrs.get("approximate")))


@lru_cache(maxsize=8192)  # figures repeat ("350 Pakistani nationals" in every report of the incident)
def _given_figure(text: str, value, unit: str, approximate: bool) -> tuple[FigureRef, str]:
    ref = FigureRef(text, value, unit, approximate)
    return ref, ref.shown()


@lru_cache(maxsize=8192)
def _proposed_figure(text: str) -> tuple[FigureRef, str]:
    read = propose_figure(text)
    ref = FigureRef(text) if read is None else FigureRef(text, read.value, read.unit, read.approximate, proposed=True)
    return ref, ref.shown()


@lru_cache(maxsize=8192)  # organisations repeat far more: "IOM" thousands of times
def _proposed_entity(text: str) -> str:
    """The registry seed's organisation an unlinked ORGANISATION span names ("UN Office on Drugs and Crime" is
    UNODC), as the window proposes it; "" when it names none."""
    return propose_entity(text) or ""


def _seed_name(entity_id: str) -> str:
    found = registry().organisation(entity_id)
    return found.name if found else entity_id


def compute(
    store: Store,
    filters: Filters | None = None,
    *,
    on_commitment: Callable[[list], None] | None = None,
    on_figure: Callable[[list], None] | None = None,
    keep: int = 1000,
    agreement: list[tuple[str, str, int, float | None]] | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    part: queries.Part | None = None,
    finish: bool = True,
) -> Findings:
    """The findings of the documents and layer ``filters`` choose (of the range of documents ``part``, if given:
    its counts are left unfinished with ``finish=False``, for ``merge`` to add to another part's). Every commitment and figure row goes to
    ``on_commitment`` / ``on_figure`` as the values of its table's columns (model.COLUMNS; lists as lists), in
    document-id order, then reading order; the first ``keep`` of each are also kept in the result as objects.
    ``agreement`` (pairs of reviewers, documents, F1) is passed through to the coverage, computed by the caller
    (curation is a sibling layer). ``progress(done, total)`` is called every few hundred documents;
    ``cancelled()`` is polled as often and raises Cancelled."""
    flt = (filters or Filters()).checked()
    counts = queries.corpus_counts(store)
    coverage = Coverage(counts["documents"], 0, counts["reviewed"], counts["reviewed_by_several"], counts["curated"],
                        queries.coverage(store), list(agreement or []))
    out = Findings(flt, coverage)
    wanted_publisher = flt.publisher.casefold()
    total = counts["documents"]
    # the reviewers' layer unless the gold one is asked for; the gold layer where a document has one, unless one
    # reviewer or a reviewer's status is asked for (the gold layer has neither)
    reviewers = not flt.gold
    curated = flt.gold or (flt.reviewer is None and not flt.status)
    with queries.snapshot(store):
        one = _Pass(out, queries.entity_names(store), keep, on_commitment, on_figure)
        spans = queries.layer_spans(store, gold=False, annotator=flt.reviewer, part=part) if reviewers else None
        statuses = queries.reviews(store, part) if reviewers else None
        relations = queries.relations(store, gold=False, part=part) if reviewers else None
        attributes = queries.attributes(store, gold=False, part=part) if reviewers else None
        gold_spans = queries.layer_spans(store, gold=True, annotator=None, part=part) if curated else None
        gold_relations = queries.relations(store, gold=True, part=part) if curated else None
        gold_attributes = queries.attributes(store, gold=True, part=part) if curated else None
        by_month = flt.by_month
        for n, (doc_id, title, raw_date, raw_publisher, text) in enumerate(queries.documents(store, part), 1):
            if n % CHECK_EVERY == 0:
                if cancelled and cancelled():
                    raise Cancelled("cancelled: nothing was written")
                if progress:
                    progress(n, total)
            date = iso_date(raw_date)
            publisher = "" if raw_publisher is None else str(raw_publisher)
            if (flt.since or flt.until) and not in_range(date, flt.since, flt.until):
                continue
            if wanted_publisher and publisher.casefold() != wanted_publisher:
                continue
            coverage.in_findings += 1
            rows = gold_spans.take(doc_id) if gold_spans is not None else None
            if rows:
                alias: dict = {}
                status_of = None
                attrs = layers.attributes_of(gold_attributes.take(doc_id) if gold_attributes else (), alias)
                children = layers.children_of(gold_relations.take(doc_id) if gold_relations else (), alias)
            else:
                rows = spans.take(doc_id) if spans is not None else None
                if not rows:
                    continue
                status_of = {r[1]: r[2] for r in statuses.take(doc_id)}
                if flt.status:
                    rows = [r for r in rows if status_of.get(r[6], "todo") == flt.status]
                alias = {}
                if len({r[6] for r in rows}) > 1:
                    rows, status_of, alias = layers.merged(rows, status_of)
                attrs = layers.attributes_of(attributes.take(doc_id) if attributes else (), alias)
                children = layers.children_of(relations.take(doc_id) if relations else (), alias)
            if rows:
                one.document(_Doc(doc_id, _one_line(title), date, publisher, text, attrs, children,
                                  (date[:7] if by_month else date[:4]) or UNDATED), rows, status_of)
    if progress and part is None:
        progress(total, total)
    out.tally, out.period_counts = one.tally, one.over_time
    return finished(out) if finish else out


@dataclass(slots=True)
class _Doc:
    """One document while the pass is at it."""

    id: str
    title: str
    date: str
    publisher: str
    text: str
    attrs: dict
    children: dict
    period: str


class _Pass:
    def __init__(self, out: Findings, names: dict[str, tuple[str, str]], keep: int, on_commitment, on_figure):
        self.out, self.names, self.keep = out, names, keep
        self.on_commitment, self.on_figure = on_commitment, on_figure
        self.tally = OrgTally()
        self.over_time: Counter = Counter()
        self.wanted_org = out.filters.organisation.casefold()
        self.wanted_kind = out.filters.kind.casefold()
        self.org_of: dict[tuple[str, str], tuple[str, str, str, str]] = {}  # (link, text) -> key, name, entity, folded

    def organisation(self, linked: str, span_text: str) -> tuple[str, str, str, str]:
        """An ORGANISATION span's (key, shown name, entity id, its text casefolded): the entity it is linked to, or
        the registry seed's organisation its text names, or its text as written."""
        found = self.org_of.get((linked, span_text))
        if found is None:
            link = linked or _proposed_entity(span_text)
            if link:  # the database's registry names it; a proposal not in it yet, the seed does
                entity, name = self.names.get(link) or (link, _seed_name(link))
            else:
                entity, name = "", " ".join(span_text.split())
            if len(self.org_of) > 100_000:  # different texts are few; this keeps memory flat if they are not
                self.org_of.clear()
            found = self.org_of[(linked, span_text)] = (entity or name.casefold(), name, entity, span_text.casefold())
        return found

    def document(self, doc: _Doc, layer: list, statuses: dict | None) -> None:
        """The spans of one document's layer: its commitments, figures and mentions. ``statuses`` by reviewer (or
        by the names of a merged span's reviewers); None for the gold layer."""
        out, tally, over_time, keep = self.out, self.tally, self.over_time, self.keep
        wanted_org, wanted_kind = self.wanted_org, self.wanted_kind
        doc_id, title, date, publisher, text = doc.id, doc.title, doc.date, doc.publisher, doc.text
        attrs, children, period = doc.attrs, doc.children, doc.period
        on_commitment, on_figure = self.on_commitment, self.on_figure
        # span id -> start, end, key, shown name, entity, the text as written (casefolded, for the filter)
        orgs: dict[str, tuple[int, int, str, str, str, str]] = {}
        figures: dict[str, tuple[int, int, FigureRef, str, str]] = {}  # ..., how it is shown, who
        commitments = []
        seen = set()  # organisations already counted in this document
        rows = tally.rows
        for _, span_id, start, end, label, span_text, who in layer:
            if label == ORGANISATION:
                a = attrs.get(span_id)
                key, name, entity, folded = self.organisation(str(a.get("entity") or "") if a else "", span_text)
                orgs[span_id] = (start, end, key, name, entity, folded)
                row = rows.get(key) or tally.row(key, name, entity)
                row.mentions += 1
                if key not in seen:
                    seen.add(key)
                    row.documents += 1
                if date and (not row.first_date or date < row.first_date):
                    row.first_date = date
                    row.quote, row.quote_doc = quote(text, start, end), doc_id
                elif not row.quote_doc:
                    row.quote, row.quote_doc = quote(text, start, end), doc_id
                if date > row.last_date:
                    row.last_date = date
            elif label == FIGURE:
                figures[span_id] = (start, end, *_figure_ref(span_text, attrs.get(span_id)), who)
            elif label == COMMITMENT:
                commitments.append((span_id, start, end, span_text, who))
        owner: dict[str, tuple[str, str, str]] = {}  # figure span id -> commitment id, its text, how it was found
        selecting = bool(wanted_org or wanted_kind)
        for span_id, start, end, span_text, who in commitments:
            linked = children.get(span_id)
            if linked:
                actors = [orgs[c] for t, c in linked if t == "ACTOR" and c in orgs]
                partners = [orgs[c] for t, c in linked if t == "PARTNER" and c in orgs]
                amounts = [(c, figures[c]) for t, c in linked if t == "AMOUNT" and c in figures]
            else:
                actors, partners, amounts = [], [], []
            lo = hi = None
            nearby = []
            if actors or partners:
                orgs_by = BY_RELATION
            else:
                lo, hi = sentence_around(text, start, end)
                nearby = [o for o in orgs.values() if o[0] < hi and lo < o[1]]
                orgs_by = BY_PROXIMITY if nearby else NOT_FOUND
            if amounts:
                figs_by = BY_RELATION
            else:
                if lo is None:
                    lo, hi = sentence_around(text, start, end)
                amounts = [(fid, f) for fid, f in figures.items() if f[0] < hi and lo < f[1]]
                figs_by = BY_PROXIMITY if amounts else NOT_FOUND
            a = attrs.get(span_id)
            kind = str(a.get("kind") or "") if a else ""
            named = actors + partners + nearby
            if wanted_org and not any(wanted_org in (o[2].casefold(), o[3].casefold(), o[5]) for o in named):
                continue
            if wanted_kind and kind.casefold() != wanted_kind:
                continue
            status = CURATED if statuses is None else statuses.get(who, "todo")
            ctext = _one_line(span_text)
            kept = len(out.commitments) < keep
            if on_commitment or kept:
                if lo is None:
                    lo, hi = sentence_around(text, start, end)
                q = quote_in(text, lo, hi, start, end)
            else:
                q = NO_QUOTE
            actor_names = _names(actors)
            partner_names = _names(partners)
            nearby_names = _names(nearby)
            if kept:
                out.commitments.append(Commitment(
                    doc_id, title, date, publisher, span_id, start, end, ctext, who, status, kind, tuple(actor_names),
                    tuple(partner_names), tuple(nearby_names), orgs_by, tuple(f[2] for _, f in amounts), figs_by,
                    Quote(*q)))
            if on_commitment:
                on_commitment([date, publisher, title, doc_id, span_id, start, end, ctext, kind, actor_names,
                               partner_names, nearby_names, orgs_by, [f[3] for _, f in amounts], figs_by, who, status,
                               *q])
            out.commitment_count += 1
            if orgs_by == BY_RELATION:
                out.with_relations += 1
            elif orgs_by == BY_PROXIMITY:
                out.by_proximity += 1
            for fid, _ in amounts:
                if fid not in owner:
                    owner[fid] = (span_id, ctext, figs_by)
            if len(named) == 1:  # most commitments name one organisation: no pairs, nothing to make unique
                key, name, entity = named[0][2:5]
                o = rows[key]
                if orgs_by == BY_RELATION:
                    if actors:
                        o.as_actor += 1
                    else:
                        o.as_partner += 1
                else:
                    o.nearby += 1
                over_time[(period, name)] += 1
            elif named:
                involved = list(dict.fromkeys((o[2], o[3]) for o in named))
                for key, name in involved:
                    o = rows[key]
                    if orgs_by == BY_RELATION:
                        o.as_actor += any(x[2] == key for x in actors)
                        o.as_partner += any(x[2] == key for x in partners)
                    else:
                        o.nearby += 1
                    over_time[(period, name)] += 1
                    if len(involved) > 1:
                        together = tally.together[key]
                        for other, _ in involved:
                            if other != key:
                                together[other] += 1
            over_time[(period, ALL)] += 1
        for fid, (start, end, ref, shown, who) in figures.items():
            cid, ctext, by = owner.get(fid, ("", "", NOT_FOUND))
            if selecting and not cid:
                continue  # an organisation or kind was asked for: only the figures of the commitments chosen
            value_by = "" if ref.value is None else VALUE_PROPOSED if ref.proposed else VALUE_GIVEN
            kept = len(out.figures) < keep
            q = quote_in(text, *sentence_around(text, start, end), start, end) if on_figure or kept else NO_QUOTE
            ftext = _one_line(ref.text)
            if kept:
                out.figures.append(Figure(ref.unit, ref.value, ref.approximate, value_by, ftext, doc_id, title, date,
                                          publisher, fid, start, end, who, cid, ctext, by, Quote(*q)))
            if on_figure:
                on_figure([ref.unit, ref.value, ref.approximate, value_by, ftext, date, publisher, title, doc_id, fid,
                           start, end, ctext, cid, by, who, *q])
            out.figure_count += 1


def _names(orgs: list) -> list[str]:
    """The shown names of organisations, each once, in order."""
    if len(orgs) < 2:
        return [orgs[0][3]] if orgs else []
    return list(dict.fromkeys(o[3] for o in orgs))


def _one_line(s: str) -> str:
    # most texts are on one line already: four scans in C are cheaper than splitting and joining them
    return " ".join(s.split()) if ("  " in s or "\n" in s or "\t" in s or "\r" in s or s[:1].isspace()
                                   or s[-1:].isspace()) else s
