"""The findings, computed in one pass over the corpus: documents in id order, each with its spans, statuses,
relations and attributes, then let go. Commitment and figure rows are handed to the caller as they are made
(a writer puts them in a file); only the per-organisation and per-period counts stay in memory, and they grow
with the number of organisations, not of documents.

Who made a commitment, with whom, and which figures it states: the reviewers' ACTOR, PARTNER and AMOUNT
relations when the commitment has them; otherwise the ORGANISATION and FIGURE spans in its sentence, marked
"inferred by proximity" wherever they are shown, since nearness is a guess a reader should weigh.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

from ..core.errors import AnnotatorError
from ..core.figures import propose_figure
from ..core.organisations import propose_entity, registry
from ..store import Store
from ..store import findings_queries as queries
from .dates import in_range, iso_date
from .model import (BY_PROXIMITY, BY_RELATION, COMMITMENT, FIGURE, NOT_FOUND, ORGANISATION, VALUE_GIVEN,
                    VALUE_PROPOSED, Commitment, Coverage, Figure, FigureRef, Filters, Organisation, Quote)

ALL = "(all organisations)"
NO_QUOTE = Quote("", "", "")  # for rows nobody will read (past ``keep``, no writer): quoting them is most of the cost
UNDATED = "undated"
QUOTE_CHARS = 90  # of text either side of a quoted span
CHECK_EVERY = 200  # documents between progress reports and cancel checks

# A sentence ends at . ! or ? (with a closing quote or bracket) and white space, or at a line break. Looked for
# from the span outwards, in a window that grows only when it holds no end: one expression run over every whole
# text was most of the time of the pass.
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]?\s|\n")
WINDOW = 400


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


_SPACES = re.compile(r"\s+")


def quote(text: str, start: int, end: int, chars: int = QUOTE_CHARS) -> Quote:
    """The span with up to ``chars`` characters either side, cut at words, white space made single spaces."""
    lo, hi = max(0, start - chars), min(len(text), end + chars)
    before, after = text[lo:start], text[end:hi]
    if lo > 0:
        cut = before.find(" ")  # the first word is likely cut: drop it
        before = "…" + (before[cut + 1:] if cut >= 0 else before)
    if hi < len(text):
        cut = after.rfind(" ")
        after = (after[:cut] if cut > 0 else after) + "…"
    return Quote(_squash(before), _squash(text[start:end]).strip(), _squash(after))


def _squash(s: str) -> str:
    # most quotations hold single spaces only: three scans in C are cheaper than a substitution that changes nothing
    return _SPACES.sub(" ", s) if ("  " in s or "\n" in s or "\t" in s or "\r" in s) else s


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the sentence (or sentences) holding text[start:end] begins and ends."""
    lo, window = -1, WINDOW
    while lo < 0:
        left = max(0, start - window)
        for m in _SENTENCE_END.finditer(text, left, start):
            lo = m.end()
        if left == 0:
            lo = max(lo, 0)
        window *= 4
    m = _SENTENCE_END.search(text, max(end - 1, 0))
    return lo, max(m.start() + 1 if m else len(text), end)


def _figure_ref(text: str, attrs: dict) -> FigureRef:
    """A FIGURE span's value, unit and approximation: its attributes, or (with no value among them) what its text
    says, marked as proposed."""
    value = attrs.get("value")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return _proposed_figure(text)
    return FigureRef(text, value, str(attrs.get("unit") or ""), bool(attrs.get("approximate")))


@lru_cache(maxsize=8192)  # figures repeat ("350 Pakistani nationals" in every report of the incident)
def _proposed_figure(text: str) -> FigureRef:
    read = propose_figure(text)
    if read is None:
        return FigureRef(text)
    return FigureRef(text, read.value, read.unit, read.approximate, proposed=True)


@lru_cache(maxsize=8192)  # organisations repeat far more: "IOM" thousands of times
def _proposed_entity(text: str) -> str:
    """The registry seed's organisation an unlinked ORGANISATION span names ("UN Office on Drugs and Crime" is
    UNODC), as the window proposes it; "" when it names none."""
    return propose_entity(text) or ""


def _seed_name(entity_id: str) -> str:
    found = registry().organisation(entity_id)
    return found.name if found else entity_id


class _OrgTally:
    """The per-organisation counts, keyed by the registry's id (or the name, for mentions linked to none)."""

    def __init__(self):
        self.rows: dict[str, Organisation] = {}
        self.together: dict[str, Counter] = defaultdict(Counter)

    def row(self, key: str, name: str, entity: str) -> Organisation:
        row = self.rows.get(key)
        if row is None:
            row = self.rows[key] = Organisation(name, entity)
        return row

    def mention(self, key: str, name: str, entity: str, doc_id: str, date: str, text: str, start: int, end: int,
                new_doc: bool) -> None:
        row = self.row(key, name, entity)
        row.mentions += 1
        row.documents += new_doc
        if date and (not row.first_date or date < row.first_date):
            row.first_date = date
            row.quote, row.quote_doc = quote(text, start, end), doc_id
        elif not row.quote_doc:
            row.quote, row.quote_doc = quote(text, start, end), doc_id
        if date and date > row.last_date:
            row.last_date = date

    def finish(self) -> list[Organisation]:
        names = {k: r.name for k, r in self.rows.items()}
        for key, row in self.rows.items():
            row.with_most = [(names.get(k, k), n) for k, n in
                             sorted(self.together[key].items(), key=lambda kv: (-kv[1], names.get(kv[0], kv[0])))[:3]]
        return sorted(self.rows.values(), key=lambda r: (-r.mentions, r.name.casefold(), r.entity))


def compute(
    store: Store,
    filters: Filters | None = None,
    *,
    on_commitment: Callable[[Commitment], None] | None = None,
    on_figure: Callable[[Figure], None] | None = None,
    keep: int = 1000,
    agreement: list[tuple[str, str, int, float | None]] | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Findings:
    """The findings of the documents and layer ``filters`` choose. Every commitment and figure row goes to
    ``on_commitment`` / ``on_figure`` in document-id order, then reading order; the first ``keep`` of each are
    also kept in the result. ``agreement`` (pairs of reviewers, documents, F1) is passed through to the coverage,
    computed by the caller (curation is a sibling layer). ``progress(done, total)`` is called every few hundred
    documents; ``cancelled()`` is polled as often and raises Cancelled."""
    flt = (filters or Filters()).checked()
    counts = queries.corpus_counts(store)
    coverage = Coverage(counts["documents"], 0, counts["reviewed"], counts["reviewed_by_several"], counts["curated"],
                        queries.coverage(store), list(agreement or []))
    out = Findings(flt, coverage)
    wanted_publisher = flt.publisher.casefold()
    total = counts["documents"]
    with queries.snapshot(store):
        one = _Pass(out, queries.entity_names(store), keep, on_commitment, on_figure)
        spans = queries.layer_spans(store, gold=flt.gold, annotator=flt.reviewer)
        reviews = None if flt.gold else queries.reviews(store)
        relations = queries.relations(store, gold=flt.gold)
        attributes = queries.attributes(store, gold=flt.gold)
        for n, (doc_id, title, raw_date, raw_publisher, text) in enumerate(queries.documents(store), 1):
            if n % CHECK_EVERY == 0:
                if cancelled and cancelled():
                    raise Cancelled("cancelled: nothing was written")
                if progress:
                    progress(n, total)
            date = iso_date(raw_date)
            publisher = "" if raw_publisher is None else str(raw_publisher)
            if not in_range(date, flt.since, flt.until) or (wanted_publisher and publisher.casefold() != wanted_publisher):
                continue
            coverage.in_findings += 1
            rows = spans.take(doc_id)
            if not rows:
                continue
            statuses = {r[1]: r[2] for r in reviews.take(doc_id)} if reviews is not None else {}
            attrs: dict[str, dict] = defaultdict(dict)
            for _, span_id, name, value in (attributes.take(doc_id) if attributes else ()):
                attrs[span_id][name] = value
            children: dict[str, list[tuple[str, str]]] = defaultdict(list)
            for _, head, child, rtype in (relations.take(doc_id) if relations else ()):
                children[head].append((rtype, child))
            doc = _Doc(doc_id, _one_line(title), date, publisher, text, attrs, children,
                       (date[:7] if flt.by_month else date[:4]) or UNDATED)
            layers: dict[str, list] = defaultdict(list)
            for r in rows:
                layers[r[6]].append(r)
            for who, layer in layers.items():
                status = "curated" if flt.gold else statuses.get(who, "todo")
                if flt.status and status != flt.status:
                    continue
                one.layer(doc, who, status, layer)
    if progress:
        progress(total, total)
    out.organisations = one.tally.finish()
    out.over_time = sorted(((p, o, k) for (p, o), k in one.over_time.items()),
                           key=lambda t: (t[0] == UNDATED, t[0], t[1] != ALL, -t[2], t[1].casefold()))
    return out


@dataclass
class _Doc:
    """One document while the pass is at it: what its layers share."""

    id: str
    title: str
    date: str
    publisher: str
    text: str
    attrs: dict
    children: dict
    period: str
    seen: set = field(default_factory=set)  # organisations already counted in this document


class _Pass:
    def __init__(self, out: Findings, names: dict[str, tuple[str, str]], keep: int, on_commitment, on_figure):
        self.out, self.names, self.keep = out, names, keep
        self.on_commitment, self.on_figure = on_commitment, on_figure
        self.tally = _OrgTally()
        self.over_time: Counter = Counter()
        self.wanted_org = out.filters.organisation.casefold()
        self.wanted_kind = out.filters.kind.casefold()

    def layer(self, doc: _Doc, who: str, status: str, layer: list) -> None:
        """One reviewer's (or the gold layer's) spans of one document: its commitments, figures and mentions."""
        out, tally, over_time, keep = self.out, self.tally, self.over_time, self.keep
        wanted_org, wanted_kind, names = self.wanted_org, self.wanted_kind, self.names
        doc_id, title, date, publisher, text = doc.id, doc.title, doc.date, doc.publisher, doc.text
        attrs, children, period = doc.attrs, doc.children, doc.period
        on_commitment, on_figure = self.on_commitment, self.on_figure
        # span id -> start, end, key, shown name, entity, the text as written (casefolded, for the filter)
        orgs: dict[str, tuple[int, int, str, str, str, str]] = {}
        figures: dict[str, tuple[int, int, FigureRef]] = {}
        commitments = []
        for _, span_id, start, end, label, span_text, _who in layer:
            if label == ORGANISATION:
                linked = str(attrs.get(span_id, {}).get("entity") or "") or _proposed_entity(span_text)
                if linked:  # the database's registry names it; a proposal not in it yet, the seed does
                    entity, name = names.get(linked) or (linked, _seed_name(linked))
                else:
                    entity, name = "", " ".join(span_text.split())
                key = entity or name.casefold()
                orgs[span_id] = (start, end, key, name, entity, span_text.casefold())
                new_doc = key not in doc.seen
                doc.seen.add(key)
                tally.mention(key, name, entity, doc_id, date, text, start, end, new_doc)
            elif label == FIGURE:
                figures[span_id] = (start, end, _figure_ref(span_text, attrs.get(span_id, {})))
            elif label == COMMITMENT:
                commitments.append((span_id, start, end, span_text))
        owner: dict[str, tuple[str, str, str]] = {}  # figure span id -> commitment id, its text, how it was found
        selecting = bool(wanted_org or wanted_kind)
        for span_id, start, end, span_text in commitments:
            linked = children.get(span_id, ())
            actors = [orgs[c] for t, c in linked if t == "ACTOR" and c in orgs]
            partners = [orgs[c] for t, c in linked if t == "PARTNER" and c in orgs]
            amounts = [(c, figures[c]) for t, c in linked if t == "AMOUNT" and c in figures]
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
            kind = str(attrs.get(span_id, {}).get("kind") or "")
            involved = list(dict.fromkeys((o[2], o[3], o[4]) for o in actors + partners + nearby))
            if wanted_org and not any(wanted_org in (o[2].casefold(), o[3].casefold(), o[5])
                                       for o in actors + partners + nearby):
                continue
            if wanted_kind and kind.casefold() != wanted_kind:
                continue
            row = Commitment(doc_id, title, date, publisher, span_id, start, end, _one_line(span_text), who, status,
                             kind, tuple(dict.fromkeys(o[3] for o in actors)), tuple(dict.fromkeys(o[3] for o in partners)),
                             tuple(dict.fromkeys(o[3] for o in nearby)), orgs_by, tuple(f[2] for _, f in amounts), figs_by,
                             quote(text, start, end) if on_commitment or len(out.commitments) < keep else NO_QUOTE)
            out.commitment_count += 1
            out.with_relations += orgs_by == BY_RELATION
            out.by_proximity += orgs_by == BY_PROXIMITY
            if len(out.commitments) < keep:
                out.commitments.append(row)
            if on_commitment:
                on_commitment(row)
            for fid, _ in amounts:
                owner.setdefault(fid, (span_id, row.text, figs_by))
            for key, name, entity in involved:
                o = tally.row(key, name, entity)
                if orgs_by == BY_RELATION:
                    o.as_actor += any(a[2] == key for a in actors)
                    o.as_partner += any(p[2] == key for p in partners)
                else:
                    o.nearby += 1
                over_time[(period, name)] += 1
                for other, _, _ in involved:
                    if other != key:
                        tally.together[key][other] += 1
            over_time[(period, ALL)] += 1
        for fid, (start, end, ref) in figures.items():
            cid, ctext, by = owner.get(fid, ("", "", NOT_FOUND))
            if selecting and not cid:
                continue  # an organisation or kind was asked for: only the figures of the commitments chosen
            value_by = "" if ref.value is None else VALUE_PROPOSED if ref.proposed else VALUE_GIVEN
            row = Figure(ref.unit, ref.value, ref.approximate, value_by, _one_line(ref.text), doc_id, title, date,
                         publisher, fid, start, end, who, cid, ctext, by,
                         quote(text, start, end) if on_figure or len(out.figures) < keep else NO_QUOTE)
            out.figure_count += 1
            if len(out.figures) < keep:
                out.figures.append(row)
            if on_figure:
                on_figure(row)


def _one_line(s: str) -> str:
    return " ".join(s.split())
