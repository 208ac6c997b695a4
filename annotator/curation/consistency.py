"""Consistency review: surface strings the corpus treats differently.

    for item in find(store):          # -> list[Inconsistency], most occurrences first
        item.surface, item.labels     # "UNODC", {"ORGANISATION": 12, "FIGURE": 1}
        item.tagged, item.untagged    # Occurrence(doc_id, start, end, label, annotator): where to jump to

Two kinds, often together: the same text tagged with different labels in different places, and the same text tagged
in some places and left untagged in others. Untagged occurrences are found by searching every document for every
tagged surface, case-sensitively and on word boundaries (a surface that begins or ends with a letter or digit must
not continue a word there: ``UN`` is not found in ``UNODC``, but is in ``UN’s``). An occurrence that some other span
overlaps (``UNODC`` inside a tagged ``UNODC office``) counts as tagged in its context, not as untagged.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Sequence

from ..core import surfaces
from ..formats import Cancelled
from ..store import Store
from ..store import curation_queries as queries

MAX_SEARCHED = 200  # longer surfaces are compared for their labels but not searched for


@dataclass(frozen=True)
class Occurrence:
    doc_id: str
    start: int
    end: int
    label: str | None = None  # None: untagged
    annotator: str | None = None


@dataclass
class Inconsistency:
    surface: str
    labels: dict[str, int]  # tagged places per label
    tagged: list[Occurrence] = field(default_factory=list)
    untagged: list[Occurrence] = field(default_factory=list)

    @property
    def kinds(self) -> list[str]:
        out = []
        if len(self.labels) > 1:
            out.append("labels")
        if self.untagged:
            out.append("untagged")
        return out

    @property
    def occurrences(self) -> int:
        return len({(o.doc_id, o.start) for o in self.tagged}) + len(self.untagged)

    def as_dict(self) -> dict:
        return {
            "surface": self.surface, "kinds": self.kinds, "labels": dict(self.labels),
            "untagged_count": len(self.untagged),
            "tagged": [o.__dict__ for o in self.tagged],
            "untagged": [{"doc_id": o.doc_id, "start": o.start, "end": o.end} for o in self.untagged],
        }


def find(
    store: Store,
    *,
    annotators: Sequence[str] = (),
    label: str | None = None,
    gold: bool = False,
    min_length: int = 2,
    untagged: bool = True,
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[Inconsistency]:
    """Surfaces labelled differently, or tagged in places and untagged in others, most occurrences first.

    ``annotators`` limits the spans looked at (one reviewer's consistency with themselves); ``gold`` looks at the
    gold layer instead of the reviewers' spans; ``label`` keeps the surfaces that carry that label somewhere.
    ``progress(documents_searched)`` is called now and then; ``cancelled()`` is polled as often, and
    ``formats.Cancelled`` raised when it returns True."""
    places: dict[str, dict[tuple[str, int, int], set]] = {}
    tagged: dict[str, list[Occurrence]] = {}
    for text, lab, doc_id, start, end, who in queries.tagged_spans(store, annotators, gold=gold):
        if len(text.strip()) < min_length:
            continue
        places.setdefault(text, {}).setdefault((doc_id, start, end), set()).add(lab)
        tagged.setdefault(text, []).append(Occurrence(doc_id, start, end, lab, who))

    missing: dict[str, list[Occurrence]] = {}
    if untagged and places:
        searched = [s for s in places if len(s) <= MAX_SEARCHED]
        for doc_id, surface, start, end in _search(store, searched, annotators, gold, progress, cancelled):
            if (doc_id, start, end) not in places[surface]:
                missing.setdefault(surface, []).append(Occurrence(doc_id, start, end))

    out = []
    for surface, where in places.items():
        counts: Counter = Counter()
        for labs in where.values():
            counts.update(labs)
        if label is not None and label not in counts:
            continue
        item = Inconsistency(surface, dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))),
                             sorted(tagged[surface], key=_place), sorted(missing.get(surface, []), key=_place))
        if item.kinds:
            out.append(item)
    out.sort(key=lambda i: (-i.occurrences, i.surface))
    return out


def _place(o: Occurrence):
    return o.doc_id, o.start, o.end, o.label or "", o.annotator or ""


# -- searching --------------------------------------------------------------------------------------------------

surface_pattern = surfaces.surface_pattern  # kept under its old name: the matching now lives in core/surfaces.py


def _search(store: Store, surface_list: list[str], annotators, gold: bool, progress, cancelled):
    """(doc_id, surface, start, end) of every occurrence no live span overlaps."""
    finder = surfaces.SurfaceFinder(surface_list)
    ranges = queries.live_ranges(store, annotators, gold=gold)
    head = next(ranges, None)
    for n, (doc_id, text) in enumerate(queries.document_texts(store), 1):
        while head is not None and head[0] < doc_id:
            head = next(ranges, None)
        covered = head[1] if head is not None and head[0] == doc_id else []
        for surface, start, end in finder.find(text):
            if not any(s < end and start < e for s, e in covered):
                yield doc_id, surface, start, end
        if n % 500 == 0:
            if progress:
                progress(n)
            if cancelled and cancelled():
                raise Cancelled("cancelled")
