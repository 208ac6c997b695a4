"""The per-organisation and per-period counts of the findings pass, made into the organisations and over-time
tables once the pass is over; and the counts of two parts of a corpus (two processes' halves) added up as one pass
over both would have made them."""
from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from .model import Organisation

if TYPE_CHECKING:
    from .tables import Findings

ALL = "(all organisations)"
UNDATED = "undated"


class OrgTally:
    """The per-organisation counts, keyed by the registry's id (or the name, for mentions linked to none)."""

    def __init__(self):
        self.rows: dict[str, Organisation] = {}
        self.together: dict[str, Counter] = {}

    def row(self, key: str, name: str, entity: str) -> Organisation:
        row = self.rows.get(key)
        if row is None:
            row = self.rows[key] = Organisation(name, entity)
            self.together[key] = Counter()
        return row

    def finish(self) -> list[Organisation]:
        names = {k: r.name for k, r in self.rows.items()}
        for key, row in self.rows.items():
            row.with_most = [(names.get(k, k), n) for k, n in
                             sorted(self.together[key].items(), key=lambda kv: (-kv[1], names.get(kv[0], kv[0])))[:3]]
        return sorted(self.rows.values(), key=lambda r: (-r.mentions, r.name.casefold(), r.entity))


def finished(out: Findings) -> Findings:
    """The organisations and over-time tables made of the counts."""
    out.organisations = out.tally.finish()
    out.over_time = sorted(((p, o, k) for (p, o), k in out.period_counts.items()),
                           key=lambda t: (t[0] == UNDATED, t[0], t[1] != ALL, -t[2], t[1].casefold()))
    return out


def merge(first: Findings, then: Findings) -> Findings:
    """The unfinished counts of two parts of the corpus, ``first`` the documents before ``then``'s, as one pass over
    both would have made them (into ``first``)."""
    for name in ("commitment_count", "figure_count", "with_relations", "by_proximity"):
        setattr(first, name, getattr(first, name) + getattr(then, name))
    first.coverage.in_findings += then.coverage.in_findings
    first.period_counts.update(then.period_counts)
    rows, together = first.tally.rows, first.tally.together
    for key, other in then.tally.rows.items():
        row = rows.get(key)
        if row is None:
            rows[key], together[key] = other, then.tally.together[key]
            continue
        together[key].update(then.tally.together[key])
        row.mentions += other.mentions
        row.documents += other.documents  # the parts hold different documents
        row.as_actor += other.as_actor
        row.as_partner += other.as_partner
        row.nearby += other.nearby
        if other.first_date and (not row.first_date or other.first_date < row.first_date):
            row.first_date, row.quote, row.quote_doc = other.first_date, other.quote, other.quote_doc
        elif not row.quote_doc:
            row.quote, row.quote_doc = other.quote, other.quote_doc
        row.last_date = max(row.last_date, other.last_date)
    return first


