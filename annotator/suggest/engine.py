"""The Suggester: the switched-on sources over one document, minus what is already tagged or was rejected."""
from __future__ import annotations

import weakref
from bisect import bisect_left
from itertools import accumulate
from typing import Iterable, Iterator, Sequence

from ..core.errors import InputError
from ..core.model import Suggestion
from ..store import Change, Store
from ..store import suggestions as queries

SOURCES = ("corpus", "patterns", "model")  # and "spacy:NAME" (an installed pipeline by name or folder)
DEFAULT_SOURCES = ("corpus", "patterns", "model")


def parse_sources(text: str | Sequence[str]) -> tuple[str, ...]:
    """``"corpus,patterns,spacy:en_core_web_sm"`` -> a tuple of source names; an unknown one is refused."""
    names = [s.strip() for s in (text.split(",") if isinstance(text, str) else text) if s.strip()]
    for name in names:
        if name not in SOURCES and not (name.startswith("spacy:") and len(name) > 6):
            raise InputError(f"unknown suggestion source {name!r}: choose from corpus, patterns, model, spacy:NAME")
    if not names:
        raise InputError("no suggestion source given: choose from corpus, patterns, model, spacy:NAME")
    return tuple(dict.fromkeys(names))


def _make_source(store: Store, name: str):
    if name == "corpus":
        from .corpus import CorpusSource

        return CorpusSource(store)
    if name == "patterns":
        from .patterns import PatternSource

        return PatternSource(store=store)
    if name == "model":
        from .model import ModelSource

        return ModelSource.latest(store)  # None while no model has been trained
    from .installed import InstalledSource

    return InstalledSource(name[len("spacy:"):], queries.settings(store)["spacy_labels"])


class Suggester:
    """Suggestions for documents of one store, from the given sources.

    Build one per store connection and thread (spaCy pipelines are loaded once, in the constructor, and the
    corpus source reads the tagged texts once); it reads the tagged texts again by itself when spans changed,
    in this process (the store's change notices) or in another (SQLite's data_version)."""

    def __init__(self, store: Store, sources: Sequence[str] = DEFAULT_SOURCES, *, min_score: float = 0.0):
        self.store = store
        self.names = parse_sources(sources)
        self.min_score = min_score
        # read before the sources: a commit by another connection while they load (spaCy takes seconds) must
        # make the first call read the tagged texts again, not be taken as already seen
        self._version = store.data_version()
        self.sources = [s for s in (_make_source(store, n) for n in self.names) if s is not None]
        # "model" before any model is trained: looked for again at each refresh, so that one trained later is used
        self._model_missing = "model" in self.names and not any(s.name == "model" for s in self.sources)
        # documents whose spans changed in this process since the last call; None: anything may have (another
        # connection's commit, a new model, new settings, the registry)
        self._pending: set[str] | None = set()
        ref = weakref.ref(self)
        self._unsubscribe = store.subscribe(lambda change: (s := ref()) is not None and s._changed(change))

    def _changed(self, change: Change) -> None:
        # a rejection (a "suggestions" change of one document) is read afresh by every call: nothing to rebuild;
        # spans of one document: that document's places only; a new model, settings or registry: everything
        if change.kind in ("spans", "gold") and change.doc_id is not None:
            if self._pending is not None:
                self._pending.add(change.doc_id)
        elif change.kind in ("spans", "gold", "documents", "entities") or (
                change.kind == "suggestions" and change.doc_id is None):
            self._pending = None

    def close(self) -> None:
        self._unsubscribe()

    def told(self, documents: Iterable[str] | None) -> None:
        """Another connection says what it changed since it last said: the spans of ``documents``, and nothing
        else (or None: anything). Its commits then need not be found by comparing every document's fingerprint
        (the window's suggestion process is told by the window; a third connection's commit is noticed by the
        window, which then says None)."""
        if documents is None:
            self._pending = None
            return
        if self._pending is not None:
            self._pending.update(documents)
        self._version = self.store.data_version()

    def _refresh_if_needed(self) -> None:
        version = self.store.data_version()
        if self._pending is None or self._pending or version != self._version:
            changed = None if version != self._version else self._pending
            self._pending, self._version = set(), version
            for source in self.sources:
                source.refresh(changed)
            if self._model_missing:
                model = _make_source(self.store, "model")
                if model is not None:
                    self.sources.append(model)
                    self._model_missing = False

    def for_document(self, doc_id: str, text: str | None = None) -> list[Suggestion]:
        """The document's suggestions in reading order, one per range and label (the surest source's, with the
        others named in its reason); none where the range is tagged, where a span of the same label overlaps,
        or where it was rejected."""
        self._refresh_if_needed()
        if text is None:
            text = self.store.document_text(doc_id)
        found = [s for source in self.sources for s in source.suggest(doc_id, text)]
        return self._finish(doc_id, found)

    def for_documents(self, items: Iterable[tuple], batch: int = 64) -> Iterator[tuple[tuple, list[Suggestion]]]:
        """For items that begin (doc_id, text, ...), each item with its document's suggestions, in order; the
        pipelines see the texts in batches. Reads ``items`` lazily: memory stays flat over any corpus."""
        self._refresh_if_needed()
        chunk: list[tuple] = []
        for item in items:
            chunk.append(item)
            if len(chunk) == batch:
                yield from self._batch(chunk)
                chunk = []
        if chunk:
            yield from self._batch(chunk)

    def _batch(self, chunk: list[tuple]) -> Iterator[tuple[tuple, list[Suggestion]]]:
        pairs = [(item[0], item[1]) for item in chunk]
        per_source = []
        for source in self.sources:
            many = getattr(source, "suggest_many", None)
            per_source.append(list(many(pairs)) if many else [source.suggest(d, t) for d, t in pairs])
        # what is tagged and rejected, read for the whole batch (two queries, not two a document)
        taken, rejected = queries.taken_and_rejected(self.store, [d for d, _ in pairs])
        for i, item in enumerate(chunk):
            found = [s for found in per_source for s in found[i]]
            yield item, self._finish(item[0], found, taken[item[0]], rejected[item[0]])

    def _finish(self, doc_id: str, found: list[Suggestion], taken: list | None = None,
                rejected: set | None = None) -> list[Suggestion]:
        if not found:
            return []
        if taken is None:
            taken = queries.taken_ranges(self.store, doc_id)
            rejected = queries.rejected(self.store, doc_id)
        ranges = {(s, e) for s, e, _ in taken}
        by_label: dict[str, list[tuple[int, int]]] = {}
        for s, e, label in taken:
            by_label.setdefault(label, []).append((s, e))
        # per label, the tagged spans by start and the furthest end among the first i: a suggestion overlaps one
        # when a span starting before its end reaches past its start (a walk through every span of the label for
        # every suggestion took minutes on an article with 10,000 spans)
        reach: dict[str, tuple[list[int], list[int]]] = {}
        for label, spans in by_label.items():
            spans.sort()
            reach[label] = ([a for a, _ in spans], list(accumulate((b for _, b in spans), max)))
        min_score = self.min_score
        best: dict[tuple[int, int, str], Suggestion] = {}
        also: dict[tuple[int, int, str], list[str]] = {}
        for s in found:
            key = (s.start, s.end, s.label)
            if s.score < min_score or key in rejected or key[:2] in ranges:
                continue
            tagged = reach.get(s.label)
            if tagged is not None:
                before_end = bisect_left(tagged[0], s.end)  # the spans that start before the suggestion ends
                if before_end and tagged[1][before_end - 1] > s.start:
                    continue
            kept = best.get(key)
            if kept is None:
                best[key] = s
            elif (s.score, s.source) > (kept.score, kept.source):
                also.setdefault(key, []).append(kept.source)
                best[key] = s
            else:
                also.setdefault(key, []).append(s.source)
        out = []
        for key, s in best.items():
            if key in also:
                others = ", ".join(sorted(set(also[key]) - {s.source}))
                if others:
                    s = Suggestion(s.doc_id, s.start, s.end, s.label, s.text, s.source, s.score,
                                   f"{s.reason} (also suggested by {others})")
            out.append(s)
        out.sort(key=lambda s: (s.start, -s.end, s.label, -s.score))
        return out


def suggestions_for(store: Store, doc_id: str, sources: Sequence[str] = DEFAULT_SOURCES, *,
                    min_score: float = 0.0) -> list[Suggestion]:
    """One document's suggestions (see ``Suggester.for_document``), with a Suggester kept on the store per
    sources and threshold, so that the second call costs only the matching."""
    per_store = store.__dict__.setdefault("_suggesters", {})
    key = (parse_sources(sources), min_score)
    suggester = per_store.get(key)
    if suggester is None:
        suggester = per_store[key] = Suggester(store, key[0], min_score=min_score)
    return suggester.for_document(doc_id)
