"""The figures of agreement, from counts: span matches (exact and overlapping), precision, recall and F1, Cohen's
kappa and Krippendorff's alpha. Plain arithmetic over what ``agreement.compute`` counted; no database here.

Span level, per pair (A, B), with B as the reference: precision = matches / |A|, recall = matches / |B|,
F1 = 2 x matches / (|A| + |B|) (symmetric). Exact matching: same start, end and label. Overlap matching: same label
and overlapping ranges, each span matched at most once (a maximum matching: the greedy sweep by end offset is
optimal for intervals). Over all reviewers, the pairs' counts are added up (micro average).

Token level: each token of our tokenizer gets each reviewer's category (see ``tokens``). Cohen's kappa per pair,
Krippendorff's alpha (nominal) over all reviewers; per label, the categories are "has the label" or not.
A figure that is undefined (every token in one category, so chance agreement is 1) is None.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Iterable, Sequence


# -- span matching ----------------------------------------------------------------------------------------------

def exact_matches(a: Iterable[tuple[int, int, str]], b: Iterable[tuple[int, int, str]]) -> int:
    """Spans of ``a`` and ``b`` with the same (start, end, label), each matched at most once."""
    ca, cb = Counter(a), Counter(b)
    return sum(min(n, cb[key]) for key, n in ca.items() if key in cb)


def overlap_matches(a: Sequence[tuple[int, int, str]], b: Sequence[tuple[int, int, str]]) -> int:
    """Pairs of spans with the same label and overlapping ranges, each span matched at most once: the largest such
    matching. Per label, A's spans in order of their end take the overlapping B span that ends first (an exchange
    argument shows no matching is larger)."""
    by_label: dict[str, list] = defaultdict(list)
    for s, e, label in b:
        by_label[label].append((s, e))
    n = 0
    for label, mine in _group(a).items():
        theirs = sorted(by_label.get(label, ()), key=lambda r: (r[1], r[0]))
        if not theirs:
            continue
        used = [False] * len(theirs)
        for s, e in sorted(mine, key=lambda r: (r[1], r[0])):
            for j, (ts, te) in enumerate(theirs):
                if not used[j] and ts < e and s < te:
                    used[j] = True
                    n += 1
                    break
    return n


def _group(spans) -> dict[str, list]:
    out: dict[str, list] = defaultdict(list)
    for s, e, label in spans:
        out[label].append((s, e))
    return out


# -- figures ----------------------------------------------------------------------------------------------------

@dataclass
class Counts:
    """Span counts of a pair: ``a`` spans of the first reviewer, ``b`` of the second, ``matches`` in common."""

    matches: int = 0
    a: int = 0
    b: int = 0

    def add(self, matches: int, a: int, b: int) -> None:
        self.matches += matches
        self.a += a
        self.b += b

    @property
    def precision(self) -> float | None:
        return self.matches / self.a if self.a else None

    @property
    def recall(self) -> float | None:
        return self.matches / self.b if self.b else None

    @property
    def f1(self) -> float | None:
        return 2 * self.matches / (self.a + self.b) if self.a + self.b else None

    def as_dict(self) -> dict:
        return {"matches": self.matches, "a": self.a, "b": self.b, "precision": self.precision,
                "recall": self.recall, "f1": self.f1}


def cohen_kappa(pairs: Counter) -> float | None:
    """Cohen's kappa from counts of (category of A, category of B)."""
    n = sum(pairs.values())
    if not n:
        return None
    observed = sum(c for (x, y), c in pairs.items() if x == y) / n
    ma, mb = Counter(), Counter()
    for (x, y), c in pairs.items():
        ma[x] += c
        mb[y] += c
    expected = sum(ma[k] * mb[k] for k in ma) / (n * n)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def krippendorff_alpha_nominal(units: Counter) -> float | None:
    """Krippendorff's alpha (nominal) from counts of units, each unit a tuple of the values its coders gave
    (None for a coder who gave none). Units with fewer than two values are not pairable and are left out."""
    o: Counter = Counter()  # the coincidence matrix
    for values, count in units.items():
        vals = [v for v in values if v is not None]
        m = len(vals)
        if m < 2:
            continue
        seen = Counter(vals)
        for c, nc in seen.items():
            for k, nk in seen.items():
                pairs = nc * (nk - 1) if c == k else nc * nk
                if pairs:
                    o[(c, k)] += count * pairs / (m - 1)
    totals: Counter = Counter()
    for (c, _), v in o.items():
        totals[c] += v
    n = sum(totals.values())
    if n <= 1:
        return None
    observed = sum(v for (c, k), v in o.items() if c != k)
    expected = sum(totals[c] * totals[k] for c in totals for k in totals if c != k) / (n - 1)
    if expected == 0:
        return None
    return 1 - observed / expected


def binary(profiles: Counter, label: str) -> Counter:
    """The profiles seen through one label: each category becomes True (has the label) or False."""
    out: Counter = Counter()
    for values, n in profiles.items():
        out[tuple(label in v if v is not None else None for v in values)] += n
    return out


def pair_counts(profiles: Counter, i: int, j: int) -> Counter:
    out: Counter = Counter()
    for values, n in profiles.items():
        out[(values[i], values[j])] += n
    return out
