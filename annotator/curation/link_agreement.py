"""Agreement on relations and attribute values, per pair of reviewers (issue 14), beside the span figures of
``agreement``.

Relations: a relation of A matches one of B when both its ends match exactly (same start, end and label) and
the type is equal; each relation matched at most once. Precision, recall and F1 as for spans (B the reference).

Attribute values: compared on the spans both reviewers tagged alike (same start, end and label) where at least
one of them gave the attribute: they agree when both gave the same value. A FIGURE's ``value`` and ``unit`` are
also compared together (``value+unit``: "US$7 billion" is 7,000,000,000 USD for both, or not), and an
ORGANISATION's ``entity`` says whether both linked it to the same organisation.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

FIGURE_PAIR = ("value", "unit")
PAIR_NAME = "value+unit"


@dataclass
class ValueCounts:
    """Spans both tagged alike where one gave the attribute (``compared``), and where both gave the same (``agreed``)."""

    compared: int = 0
    agreed: int = 0

    def add(self, other: "ValueCounts") -> None:
        self.compared += other.compared
        self.agreed += other.agreed

    @property
    def agreement(self) -> float | None:
        return self.agreed / self.compared if self.compared else None

    def as_dict(self) -> dict:
        return {"compared": self.compared, "agreed": self.agreed, "agreement": self.agreement}


def relation_keys(relations: list) -> Counter:
    return Counter((head, child, rtype) for _, head, child, rtype in relations)


def relation_matches(a: Counter, b: Counter) -> int:
    return sum(min(n, b[key]) for key, n in a.items() if key in b)


def _values_by_span(values: list) -> dict:
    out: dict = {}
    for _, span, name, value in values:
        out.setdefault(span, {})[name] = value
    return out


def _same(x, y) -> bool:
    # 7000000000 and 7e9 are the same number; True is not 1 (a flag is not a number)
    return type(x) is type(y) and x == y or (
        type(x) in (int, float) and type(y) in (int, float) and x == y)


def value_counts(a: list, b: list, shared: set) -> dict[str, ValueCounts]:
    """Per attribute name (and ``value+unit``), how the two reviewers' values compare on the spans they share."""
    mine, theirs = _values_by_span(a), _values_by_span(b)
    out: dict[str, ValueCounts] = {}
    for span in (mine.keys() | theirs.keys()) & shared:
        x, y = mine.get(span), theirs.get(span)
        if x is None and y is None:
            continue
        x, y = x or {}, y or {}
        for name in x.keys() | y.keys():
            c = out.setdefault(name, ValueCounts())
            c.compared += 1
            c.agreed += name in x and name in y and _same(x[name], y[name])
        if any(n in x or n in y for n in FIGURE_PAIR):
            c = out.setdefault(PAIR_NAME, ValueCounts())
            c.compared += 1
            c.agreed += all(n in x and n in y and _same(x[n], y[n]) for n in FIGURE_PAIR)
    return out


def shared_spans(a: list, b: list) -> set:
    """The spans (start, end, label) both reviewers tagged: the ones whose values can be compared."""
    return set(a) & set(b)
