"""Adjudication: settling the reviewers' spans into the gold layer, as undoable command objects.

    state = document(store, doc_id)                  # candidates: each distinct (start, end, label) of the reviewers
    stack.push(TakeCandidate(state.candidates[0], "carol"))
    stack.push(TakeAgreed(doc_id, "carol"))          # every candidate all compared reviewers share
    stack.push(RejectCandidate(candidate, "carol"))  # not gold (and out of the gold layer if it was there)
    stack.push(EditGold(gold_span, "carol", label="FIGURE"))
    stack.push(RemoveGold(gold_span))
    stack.undo()

Commands follow ``annotator.core.commands`` (``do(store)``, ``undo(store)``, ``text``), so the window's undo stack
takes them as they are. Which reviewers a document compares: those given, else those who marked it done, else (if
fewer than two did) everyone with a span in it. A candidate is agreed when every compared reviewer (two at least)
has that exact span. It is decided when a live gold span has its range and label, when it is rejected, or when a
gold row was taken from one of its spans (and perhaps edited since).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Sequence

from ..core.errors import InvariantError
from ..core.model import GoldSpan, Span
from ..store import Store
from ..store import gold as gold_store
from ..store.curation_queries import done_by_document, reviewers_done


@dataclass
class Candidate:
    doc_id: str
    start: int
    end: int
    label: str
    text: str
    span_ids: tuple[str, ...]
    annotators: tuple[str, ...]  # the reviewers who have exactly this span
    agreed: bool = False
    decision: str | None = None  # "taken", "rejected" or None
    gold_id: str | None = None   # the gold span it was taken into, or its rejection

    @property
    def key(self) -> tuple[int, int, str]:
        return self.start, self.end, self.label


@dataclass
class DocumentCuration:
    doc_id: str
    title: str
    annotators: list[str]  # the compared reviewers
    candidates: list[Candidate] = field(default_factory=list)
    gold: list[GoldSpan] = field(default_factory=list)  # live gold spans
    rejections: list[GoldSpan] = field(default_factory=list)

    @property
    def decided(self) -> int:
        return sum(1 for c in self.candidates if c.decision)

    @property
    def agreed(self) -> int:
        return sum(1 for c in self.candidates if c.agreed)

    @property
    def done(self) -> bool:
        return self.decided == len(self.candidates)

    def progress(self) -> "DocumentProgress":
        return DocumentProgress(self.doc_id, self.title, len(self.candidates), self.decided, self.agreed, len(self.gold))


@dataclass
class DocumentProgress:
    doc_id: str
    title: str
    candidates: int
    decided: int
    agreed: int
    gold: int

    @property
    def done(self) -> bool:
        return self.decided == self.candidates

    @property
    def fraction(self) -> float:
        return self.decided / self.candidates if self.candidates else 1.0


def _compared(spans: list[Span], reviewers_done: Sequence[str], annotators: Sequence[str] | None) -> list[str]:
    if annotators:
        return list(annotators)
    if len(reviewers_done) >= 2:
        return list(reviewers_done)
    return sorted({s.annotator for s in spans})


def build(doc_id: str, title: str, spans: list[Span], rows: list[GoldSpan], compared: list[str]) -> DocumentCuration:
    """The curation state of one document from its reviewers' live spans and its gold rows (pure)."""
    state = DocumentCuration(doc_id, title, compared)
    state.gold = sorted((g for g in rows if not g.deleted), key=lambda s: (s.start, -s.end, s.label, s.id))
    state.rejections = [g for g in rows if gold_store.is_rejection(g)]
    wanted = set(compared)
    groups: dict[tuple, list[Span]] = {}
    for s in spans:
        if s.annotator in wanted:
            groups.setdefault((s.start, s.end, s.label), []).append(s)
    taken = {(g.start, g.end, g.label): g.id for g in state.gold}
    rejected = {(g.start, g.end, g.label): g.id for g in state.rejections}
    by_source: dict[str, tuple[str, str]] = {}
    for g in state.rejections:
        for sid in g.sources:
            by_source[sid] = ("rejected", g.id)
    for g in state.gold:
        for sid in g.sources:
            by_source[sid] = ("taken", g.id)
    for key in sorted(groups, key=lambda k: (k[0], -k[1], k[2])):
        members = sorted(groups[key], key=lambda s: (s.annotator, s.id))
        who = tuple(sorted({s.annotator for s in members}))
        c = Candidate(doc_id, key[0], key[1], key[2], members[0].text, tuple(s.id for s in members), who,
                      agreed=len(wanted) >= 2 and set(who) >= wanted)
        if key in taken:
            c.decision, c.gold_id = "taken", taken[key]
        elif key in rejected:
            c.decision, c.gold_id = "rejected", rejected[key]
        else:
            hits = [by_source[sid] for sid in c.span_ids if sid in by_source]
            if hits:
                c.decision, c.gold_id = min(hits, key=lambda h: h[0] != "taken")
        state.candidates.append(c)
    return state


def document(store: Store, doc_id: str, annotators: Sequence[str] | None = None) -> DocumentCuration:
    """The curation state of one document: what a curation view shows."""
    for d, title, spans, rows in gold_store.curation_input(store, doc_ids=[doc_id]):
        done = reviewers_done(store, d)
        return build(d, title, spans, rows, _compared(spans, done, annotators))
    store.document(doc_id)  # raises NotFound
    raise AssertionError("unreachable")


def progress(store: Store, annotators: Sequence[str] | None = None, doc_ids: Sequence[str] | None = None
             ) -> Iterator[DocumentProgress]:
    """Curation progress per document (id order), for every document with a candidate or a gold span."""
    done = done_by_document(store)
    for doc_id, title, spans, rows in gold_store.curation_input(store, doc_ids=doc_ids):
        if not spans and not rows:
            continue
        state = build(doc_id, title, spans, rows, _compared(spans, done.get(doc_id, []), annotators))
        yield state.progress()


# -- commands ---------------------------------------------------------------------------------------------------

class TakeSpan:
    """Put (start, end, label) into the gold layer, recording the reviewers' span ids it came from."""

    def __init__(self, doc_id: str, start: int, end: int, label: str, curator: str, sources: Sequence[str] = ()):
        self.args = (doc_id, start, end, label, curator, tuple(sources))
        self.text = f"take {label} into gold"
        self.span: GoldSpan | None = None
        self.before: GoldSpan | None = None
        self.created = False

    def do(self, store) -> None:
        doc_id, start, end, label, curator, sources = self.args
        self.before = None
        existing = [g for g in gold_store.spans(store, doc_id) if (g.start, g.end, g.label) == (start, end, label)]
        if existing:
            self.before = existing[0]
        self.span, self.created = gold_store.take(store, doc_id, start, end, label, curator, sources)

    def undo(self, store) -> None:
        if self.created:
            gold_store.delete(store, self.span.id)
        elif self.before is not None and self.before != self.span:
            gold_store.put(store, self.before)


class TakeCandidate(TakeSpan):
    def __init__(self, candidate: Candidate, curator: str):
        super().__init__(candidate.doc_id, candidate.start, candidate.end, candidate.label, curator, candidate.span_ids)
        self.text = f"take {candidate.label} “{_short(candidate.text)}” into gold"


class TakeAgreed:
    """Take every agreed candidate of a document not decided yet."""

    def __init__(self, doc_id: str, curator: str, annotators: Sequence[str] | None = None):
        self.doc_id, self.curator, self.annotators = doc_id, curator, annotators
        self.done: list[TakeSpan] = []
        self.text = "take the agreed spans into gold"

    def do(self, store) -> None:
        state = document(store, self.doc_id, self.annotators)
        self.done = []
        for c in state.candidates:
            if c.agreed and not c.decision:
                command = TakeCandidate(c, self.curator)
                command.do(store)
                self.done.append(command)

    def undo(self, store) -> None:
        for command in reversed(self.done):
            command.undo(store)

    @property
    def count(self) -> int:
        return len(self.done)


class RejectCandidate:
    """Decide that a candidate is not gold; if the gold layer has it, it leaves."""

    def __init__(self, candidate: Candidate, curator: str):
        self.candidate, self.curator = candidate, curator
        self.text = f"reject {candidate.label} “{_short(candidate.text)}”"
        self.row: GoldSpan | None = None
        self.before: GoldSpan | None = None
        self.removed: list[GoldSpan] = []

    def do(self, store) -> None:
        c = self.candidate
        self.removed = [g for g in gold_store.spans(store, c.doc_id) if (g.start, g.end, g.label) == c.key]
        for g in self.removed:
            gold_store.delete(store, g.id)
        self.row, self.before = gold_store.reject(store, c.doc_id, c.start, c.end, c.label, self.curator, c.span_ids)

    def undo(self, store) -> None:
        if self.before is None:
            gold_store.unreject(store, self.row.id)
        elif self.before is not self.row:
            gold_store.put(store, self.before)
        for g in reversed(self.removed):
            gold_store.put(store, g)


class RemoveGold:
    """Take a span out of the gold layer."""

    def __init__(self, span: GoldSpan):
        self.span = span
        self.text = f"remove gold {span.label} “{_short(span.text)}”"

    def do(self, store) -> None:
        gold_store.delete(store, self.span.id)

    def undo(self, store) -> None:
        gold_store.put(store, self.span)


class EditGold:
    """Change a gold span's range or label."""

    def __init__(self, span: GoldSpan, curator: str, *, start: int | None = None, end: int | None = None,
                 label: str | None = None):
        if span.deleted:
            raise InvariantError("the gold span has been deleted")
        self.before, self.curator = span, curator
        self.changes = {"start": start, "end": end, "label": label}
        what = "relabel" if label is not None and start is None and end is None else "edit"
        self.text = f"{what} gold {span.label}" + (f" as {label}" if what == "relabel" else "")
        self.after: GoldSpan | None = None

    def do(self, store) -> None:
        self.after = gold_store.update(store, self.before.id, curator=self.curator, **self.changes)

    def undo(self, store) -> None:
        gold_store.put(store, self.before)


def candidate_of(store: Store, span_id: str, annotators: Sequence[str] | None = None) -> Candidate:
    """The candidate a reviewer's span belongs to (what ``gold take SPAN_ID`` and ``gold reject SPAN_ID`` act on)."""
    span = store.span(span_id)
    if span.deleted:
        raise InvariantError(f"span {span_id} has been deleted")
    state = document(store, span.doc_id, annotators)
    for c in state.candidates:
        if span_id in c.span_ids:
            return c
    # the span's reviewer is not among the compared ones: a candidate of its own
    return Candidate(span.doc_id, span.start, span.end, span.label, span.text, (span.id,), (span.annotator,))


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
