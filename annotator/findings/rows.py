"""Each findings row as the values of its table's columns (model.COLUMNS), for the CSV, JSONL and HTML writers:
lists stay lists (a CSV cell joins them with "; "), numbers stay numbers."""
from __future__ import annotations

from .model import Commitment, Coverage, Figure, Organisation


def commitment(c: Commitment) -> list:
    return [c.date, c.publisher, c.title, c.doc_id, c.span_id, c.start, c.end, c.text, c.kind, list(c.actors),
            list(c.partners), list(c.nearby), c.organisations_by, [f.shown() for f in c.figures], c.figures_by,
            c.reviewer, c.status, c.quote.before, c.quote.marked, c.quote.after]


def organisation(o: Organisation) -> list:
    return [o.name, o.entity, o.mentions, o.documents, o.as_actor, o.as_partner, o.nearby, o.first_date, o.last_date,
            [f"{name} ({n})" for name, n in o.with_most], o.quote_doc, o.quote.before, o.quote.marked, o.quote.after]


def figure(f: Figure) -> list:
    return [f.unit, f.value, f.approximate, f.value_by, f.text, f.date, f.publisher, f.title, f.doc_id, f.span_id, f.start, f.end,
            f.commitment, f.commitment_id, f.commitment_by, f.reviewer, f.quote.before, f.quote.marked, f.quote.after]


def coverage(c: Coverage) -> list[list]:
    """The coverage as (what, who, value) rows: the corpus first, then each reviewer, then each pair compared."""
    rows = [["documents in the corpus", "", c.documents],
            ["documents these findings cover (after the filters)", "", c.in_findings],
            ["documents marked done by a reviewer", "", c.reviewed],
            ["documents marked done by two or more", "", c.reviewed_by_several],
            ["documents with gold (curated) spans", "", c.curated]]
    for name, done, skipped, spans, commitments in c.reviewers:
        rows += [["documents done", name, done], ["documents skipped", name, skipped], ["spans", name, spans],
                 ["commitments", name, commitments]]
    for a, b, documents, f1 in c.agreement:
        rows += [["documents both marked done", f"{a} & {b}", documents],
                 ["agreement, span F1 (exact)", f"{a} & {b}", "" if f1 is None else round(f1, 3)]]
    return rows


def csv_cell(value) -> str | int | float:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    return value
