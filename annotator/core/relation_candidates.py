"""Which spans a relation may join to a given span, nearest first, and which relation types fit a pair.

A type fits a pair of spans in either order: with a COMMITMENT selected the candidates are the ORGANISATIONs and
FIGUREs its types reach; with an ORGANISATION selected, the COMMITMENTs that may have it as actor or partner.
The head is always the span whose label is the type's head label. "*" (types a peer's file brought) fits any label,
after the types that name the labels.
"""
from __future__ import annotations

from dataclasses import dataclass

from .model import RelationType, Span

ANY = "*"


@dataclass(frozen=True)
class Fit:
    type: RelationType
    head: Span
    child: Span


def _matches(want: str, label: str) -> bool:
    return want == ANY or want == label


def fits(types: list[RelationType], a: Span, b: Span) -> list[Fit]:
    """The relation types that can join ``a`` and ``b`` (either may be the head), the exact ones first, each in the
    scheme's order. The first is the default for the pair (Enter)."""
    exact, loose = [], []
    for t in types:
        if t.retired:
            continue
        for head, child in ((a, b), (b, a)):
            if _matches(t.head_label, head.label) and _matches(t.child_label, child.label):
                (loose if ANY in (t.head_label, t.child_label) else exact).append(Fit(t, head, child))
                break
    return exact + loose


def gap(a: Span, b: Span) -> int:
    """Characters between two spans (0 when they touch or overlap)."""
    return max(0, b.start - a.end, a.start - b.end)


def candidates(source: Span, spans: list[Span], types: list[RelationType]) -> list[Span]:
    """The spans of the same annotator that some type joins to ``source``, nearest first (ties: reading order)."""
    out = [s for s in spans
           if s.id != source.id and s.annotator == source.annotator and not s.deleted and fits(types, source, s)]
    out.sort(key=lambda s: (gap(source, s), s.start, s.end))
    return out


def fit_for_key(fitting: list[Fit], key: str) -> Fit | None:
    """The fitting type whose hotkey is ``key`` (case does not matter)."""
    key = key.lower()
    return next((f for f in fitting if f.type.hotkey and f.type.hotkey.lower() == key), None)
