"""Inter-annotator agreement: how far reviewers agree, per label and overall, per pair and over all of them.

    report = compute(store, ["alice", "bob"], label=None)   # -> Report (dataclasses, .as_dict() for JSON)

Which documents: by default those that every compared reviewer marked done (a document someone has not finished
would count their missing spans as disagreements); ``all_documents=True`` takes every document that one of them
marked done or annotated. How each figure is reckoned: agreement_figures.py.
"""
from __future__ import annotations

import heapq
import itertools
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from typing import Callable, Sequence

from ..core.errors import InputError
from ..formats import Cancelled
from ..store import Store
from ..store import curation_queries as queries
from .agreement_figures import (Counts, binary, cohen_kappa, exact_matches, krippendorff_alpha_nominal,  # noqa: F401
                                overlap_matches, pair_counts)
from .link_agreement import ValueCounts, relation_keys, relation_matches, shared_spans, value_counts
from .tokens import category_name, document_profiles

ALL = "(all labels)"


@dataclass
class PairReport:
    a: str
    b: str
    exact: dict[str, Counts] = field(default_factory=dict)    # per label and ALL
    overlap: dict[str, Counts] = field(default_factory=dict)
    kappa: dict[str, float | None] = field(default_factory=dict)  # per label (binary) and ALL (combined categories)
    relations: Counts = field(default_factory=Counts)  # both ends matching exactly and the same type
    attributes: dict[str, ValueCounts] = field(default_factory=dict)  # per attribute name, and value+unit

    def as_dict(self) -> dict:
        return {
            "a": self.a, "b": self.b,
            "exact": {k: v.as_dict() for k, v in self.exact.items()},
            "overlap": {k: v.as_dict() for k, v in self.overlap.items()},
            "kappa": dict(self.kappa),
            "relations": self.relations.as_dict(),
            "attributes": {k: v.as_dict() for k, v in sorted(self.attributes.items())},
        }


@dataclass
class DocumentAgreement:
    doc_id: str
    title: str
    f1_exact: float  # mean over the pairs; 1.0 where neither reviewer of a pair has a span
    f1_overlap: float
    disagreements: int  # spans without an exact match, over all pairs
    spans: dict[str, int] = field(default_factory=dict)  # per reviewer

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Report:
    annotators: list[str]
    label: str | None
    basis: str  # "done by all" or "all documents"
    documents: int = 0
    tokens: int = 0
    labels: list[str] = field(default_factory=list)
    pairs: list[PairReport] = field(default_factory=list)
    exact: dict[str, Counts] = field(default_factory=dict)    # over all pairs
    overlap: dict[str, Counts] = field(default_factory=dict)
    alpha: dict[str, float | None] = field(default_factory=dict)
    categories: dict[str, int] = field(default_factory=dict)  # token categories seen, over all reviewers
    lowest: list[DocumentAgreement] = field(default_factory=list)
    relations: Counts = field(default_factory=Counts)  # over all pairs
    attributes: dict[str, ValueCounts] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "annotators": self.annotators, "label": self.label, "basis": self.basis, "documents": self.documents,
            "tokens": self.tokens, "labels": self.labels,
            "overall": {
                "exact": {k: v.as_dict() for k, v in self.exact.items()},
                "overlap": {k: v.as_dict() for k, v in self.overlap.items()},
                "alpha": dict(self.alpha),
                "relations": self.relations.as_dict(),
                "attributes": {k: v.as_dict() for k, v in sorted(self.attributes.items())},
            },
            "pairs": [p.as_dict() for p in self.pairs],
            "categories": dict(self.categories),
            "lowest": [d.as_dict() for d in self.lowest],
        }


def compute(
    store: Store,
    annotators: Sequence[str] | None = None,
    label: str | None = None,
    *,
    all_documents: bool = False,
    worst: int = 10,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Report:
    """Agreement of ``annotators`` (default: everyone who marked a document done, or with ``all_documents``
    everyone with a span) on the documents they all marked done. ``label`` restricts everything to one label.
    ``progress(done, total)`` is called every few hundred documents; ``cancelled()`` is polled as often, and
    ``formats.Cancelled`` raised when it returns True."""
    if annotators is None:
        annotators = queries.span_annotators(store) if all_documents else queries.reviewers(store)
    annotators = list(dict.fromkeys(annotators))
    if len(annotators) < 2:
        found = ", ".join(annotators) or "none"
        raise InputError(
            "agreement needs at least two reviewers"
            + (" who marked documents done" if not all_documents else " with spans")
            + f" (found: {found}); name them with --annotators A,B"
            + ("" if all_documents else ", or count every document with --all-documents")
        )
    if label is not None:
        store.label(label)  # NotFound names the known labels
    k = len(annotators)
    index = {a: i for i, a in enumerate(annotators)}
    pairs = list(itertools.combinations(range(k), 2))
    report = Report(annotators, label, "all documents" if all_documents else "done by all")
    exact = [defaultdict(Counts) for _ in pairs]
    overlap = [defaultdict(Counts) for _ in pairs]
    profiles: Counter = Counter()
    labels_seen: set[str] = set()
    lowest: list = []  # a heap of the worst documents (negated keys)
    total = queries.count_compared_documents(store, annotators, all_documents) if progress else 0

    relation_counts = [Counts() for _ in pairs]
    value_figures: list[dict[str, ValueCounts]] = [{} for _ in pairs]
    links = queries.LinkInput(store, annotators, label, all_documents)
    for n_doc, (doc_id, title, text, rows) in enumerate(queries.agreement_input(store, annotators, label, all_documents), 1):
        spans: list[list[tuple[int, int, str]]] = [[] for _ in range(k)]
        for who, s, e, lab in rows:
            spans[index[who]].append((s, e, lab))
            labels_seen.add(lab)
        document_profiles(text, spans, profiles)
        relation_rows, value_rows = links.take(doc_id)
        if relation_rows or value_rows:
            _compare_links(relation_rows, value_rows, spans, index, pairs, relation_counts, value_figures)
        f1s, f1o, disagreements = [], [], 0
        for p, (i, j) in enumerate(pairs):
            a, b = spans[i], spans[j]
            m_exact = m_overlap = 0
            for lab, (sa, sb) in _by_label(a, b).items():
                me, mo = exact_matches(sa, sb), overlap_matches(sa, sb)
                exact[p][lab].add(me, len(sa), len(sb))
                overlap[p][lab].add(mo, len(sa), len(sb))
                m_exact += me
                m_overlap += mo
            size = len(a) + len(b)
            f1s.append(2 * m_exact / size if size else 1.0)
            f1o.append(2 * m_overlap / size if size else 1.0)
            disagreements += size - 2 * m_exact
        if worst:
            key = (sum(f1s) / len(f1s), sum(f1o) / len(f1o), -disagreements)
            item = (tuple(-x for x in key), _Rev(doc_id), title, spans)
            if len(lowest) < worst:
                heapq.heappush(lowest, item)
            elif item > lowest[0]:
                heapq.heapreplace(lowest, item)
        report.documents += 1
        if n_doc % 500 == 0:
            if progress:
                progress(n_doc, total)
            if cancelled and cancelled():
                raise Cancelled("cancelled")

    report.labels = sorted(labels_seen)
    report.tokens = sum(profiles.values())
    for p, (i, j) in enumerate(pairs):
        pr = PairReport(annotators[i], annotators[j])
        for name, source, target in (("exact", exact[p], pr.exact), ("overlap", overlap[p], pr.overlap)):
            overall = Counts()
            for lab in report.labels:
                c = source.get(lab, Counts())
                target[lab] = c
                overall.add(c.matches, c.a, c.b)
            target[ALL] = overall
        pr.relations = relation_counts[p]
        pr.attributes = value_figures[p]
        report.relations.add(pr.relations.matches, pr.relations.a, pr.relations.b)
        for name, c in pr.attributes.items():
            report.attributes.setdefault(name, ValueCounts()).add(c)
        pc = pair_counts(profiles, i, j)
        pr.kappa[ALL] = cohen_kappa(pc)
        for lab in report.labels:
            pr.kappa[lab] = cohen_kappa(binary(pc, lab))
        report.pairs.append(pr)
    for name in ("exact", "overlap"):
        target = getattr(report, name)
        for lab in [*report.labels, ALL]:
            c = Counts()
            for pr in report.pairs:
                x = getattr(pr, name)[lab]
                c.add(x.matches, x.a, x.b)
            target[lab] = c
    report.alpha[ALL] = krippendorff_alpha_nominal(profiles)
    for lab in report.labels:
        report.alpha[lab] = krippendorff_alpha_nominal(binary(profiles, lab))
    categories: Counter = Counter()
    for values, n in profiles.items():
        for v in values:
            categories[category_name(v)] += n
    report.categories = dict(sorted(categories.items(), key=lambda kv: (-kv[1], kv[0])))
    for neg, rev, title, spans in sorted(lowest, reverse=True):
        f1e, f1o_, negd = (-x for x in neg)
        report.lowest.append(DocumentAgreement(
            rev.value, title, f1e, f1o_, -negd, {annotators[i]: len(spans[i]) for i in range(k)}
        ))
    return report


def _compare_links(relation_rows, value_rows, spans, index, pairs, relation_counts, value_figures) -> None:
    """One document's relations and attribute values, into each pair's figures."""
    relations = [[] for _ in spans]
    values = [[] for _ in spans]
    for row in relation_rows:
        relations[index[row[0]]].append(row)
    for row in value_rows:
        values[index[row[0]]].append(row)
    keys = [relation_keys(r) for r in relations]
    for p, (i, j) in enumerate(pairs):
        relation_counts[p].add(relation_matches(keys[i], keys[j]), len(relations[i]), len(relations[j]))
        if values[i] or values[j]:
            for name, c in value_counts(values[i], values[j], shared_spans(spans[i], spans[j])).items():
                value_figures[p].setdefault(name, ValueCounts()).add(c)


class _Rev:
    """Orders document ids backwards, so that among equally bad documents the heap keeps the first ids."""

    __slots__ = ("value",)

    def __init__(self, value: str):
        self.value = value

    def __lt__(self, other: "_Rev") -> bool:
        return self.value > other.value

    def __gt__(self, other: "_Rev") -> bool:
        return self.value < other.value

    def __eq__(self, other) -> bool:
        return self.value == other.value


def _by_label(a, b) -> dict[str, tuple[list, list]]:
    out: dict[str, tuple[list, list]] = {}
    for s in a:
        out.setdefault(s[2], ([], []))[0].append(s)
    for s in b:
        out.setdefault(s[2], ([], []))[1].append(s)
    return out


def pairwise_f1(store: Store, cancelled: Callable[[], bool] | None = None) -> list[tuple[str, str, int, float | None]]:
    """For the findings' coverage: each pair of reviewers who both marked documents done, how many documents that
    is and their exact span F1 over them (all labels)."""
    out = []
    for a, b in itertools.combinations(queries.reviewers(store), 2):
        if queries.count_compared_documents(store, [a, b]):
            report = compute(store, [a, b], worst=0, cancelled=cancelled)
            out.append((a, b, report.documents, report.exact[ALL].f1))
    return out
