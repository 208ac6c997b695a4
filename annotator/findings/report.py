"""The findings as one self-contained HTML page an analyst can hand on: the filters used, the coverage, the charts
(inline SVG), and the tables, each row with a quotation of its source where the span is marked.

Self-contained means nothing is fetched: styles are inline, charts are inline SVG, and a Content-Security-Policy
forbids every load, so even a hostile string that got through could reach nothing. Every string from the corpus
(titles, texts, publishers, reviewers' names) goes through ``html.escape``: markup in them shows as text.
"""
from __future__ import annotations

import html
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from ..core.errors import InputError
from ..store import Store
from . import charts, rows
from .model import BY_PROXIMITY, COLUMNS, Filters, Quote
from .tables import Findings, compute

LIMIT = 2000  # rows of each long table shown in the page; the CSV holds them all

STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1200px;padding:0 1em;color:#222}
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5em 0;font-size:13px;width:100%}
th,td{border:1px solid #ddd;padding:3px 6px;vertical-align:top;text-align:left}
th{background:#f3f3f3;position:sticky;top:0}td.n{text-align:right}
mark{background:#ffe08a;padding:0 1px}q{quotes:none;color:#444}
.proximity{color:#8a5a00;font-style:italic}.note{color:#555}figure{margin:1em 0}
"""


def _e(s) -> str:
    return html.escape("" if s is None else str(s), quote=True)


def _quote(q: Quote) -> str:
    if not q.marked:
        return ""
    return f"<q>{_e(q.before)}<mark>{_e(q.marked)}</mark>{_e(q.after)}</q>"


def _names(names, by: str = "") -> str:
    shown = "; ".join(_e(n) for n in names)
    if shown and by == BY_PROXIMITY:
        return f'{shown} <span class="proximity">(inferred by proximity)</span>'
    return shown


def _table(head: list[str], body: list[str], caption: str = "", name: str = "") -> str:
    cap = f"<caption class=note>{caption}</caption>" if caption else ""
    return (f"<table{f' id={name}-table' if name else ''}>{cap}<thead><tr>{''.join(f'<th>{_e(h)}</th>' for h in head)}</tr></thead><tbody>"
            + "".join(body) + "</tbody></table>")


def _cell(value, numeric: bool = False) -> str:
    return f"<td class=n>{_e(value)}</td>" if numeric else f"<td>{_e(value)}</td>"


def _shown(kept: int, total: int, what: str) -> str:
    if kept >= total:
        return f"{total} {what}."
    return f"The first {kept} of {total} {what} (taken in document-id order); the CSV or JSONL tables hold them all."


def render(f: Findings, database: str = "") -> str:
    flt = f.filters
    parts = [
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>",
        "<meta http-equiv=Content-Security-Policy content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        "<meta name=viewport content=\"width=device-width, initial-scale=1\">",
        f"<title>Findings{_e(' — ' + Path(database).name) if database else ''}</title><style>{STYLE}</style></head><body>",
        "<h1>Findings: who committed to what, with whom, with which figures</h1>",
        f"<p class=note>Made by annotator on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC"
        f"{' from ' + _e(Path(database).name) if database else ''}. Each row quotes its source with the span marked."
        " Organisations and figures come from the reviewers' relations (ACTOR, PARTNER, AMOUNT) where a commitment"
        " has them; otherwise from the spans in the commitment's sentence, marked <span class=proximity>inferred by"
        " proximity</span>.</p>",
        "<h2 id=filters>Filters used</h2>",
        _table(["Filter", "Value"], [f"<tr><td>{_e(k)}</td><td>{_e(v)}</td></tr>" for k, v in flt.described()]),
        "<h2 id=coverage>Coverage</h2>",
        "<p class=note>How much of the corpus these tables rest on: read them with it in mind.</p>",
        _table(["What", "Who", "Value"],
               [f"<tr>{_cell(a)}{_cell(b)}{_cell(c, True)}</tr>" for a, b, c in rows.coverage(f.coverage)]),
        f"<p>{f.commitment_count} commitment(s): {f.with_relations} with organisations from relations, "
        f"{f.by_proximity} inferred by proximity, {f.commitment_count - f.with_relations - f.by_proximity} with"
        " none found.</p>",
        "<h2 id=charts>Charts</h2>",
    ]
    drawn = [svg for svg in (charts.over_time(f.over_time, flt.by_month), charts.organisations(f.organisations)) if svg]
    parts += [f"<figure>{svg}</figure>" for svg in drawn] or ["<p>Nothing to draw: no commitments matched.</p>"]
    parts += [
        "<h2 id=commitments>Commitments</h2>",
        _table(["Date", "Publisher", "Kind", "Actors", "Partners", "Organisations nearby", "Figures", "Reviewer",
                "Status", "Quotation (the commitment marked)"],
               [f"<tr>{_cell(c.date)}{_cell(c.publisher)}{_cell(c.kind)}<td>{_names(c.actors)}</td>"
                f"<td>{_names(c.partners)}</td><td>{_names(c.nearby, c.organisations_by)}</td>"
                f"<td>{_names([x.shown() for x in c.figures], c.figures_by)}</td>{_cell(c.reviewer)}{_cell(c.status)}"
                f"<td>{_quote(c.quote)}<br><span class=note>{_e(c.title)}</span></td></tr>"
                for c in sorted(f.commitments, key=lambda c: (c.date or "~", c.publisher, c.doc_id, c.start))],
               _shown(len(f.commitments), f.commitment_count, "commitments") + " By date.", "commitments"),
        "<h2 id=organisations>Organisations</h2>",
        _table(["Organisation", "Mentions", "Documents", "As actor", "As partner", "Nearby", "First seen", "Last seen",
                "Commits with most", "First mention"],
               [f"<tr>{_cell(o.name)}{_cell(o.mentions, True)}{_cell(o.documents, True)}{_cell(o.as_actor, True)}"
                f"{_cell(o.as_partner, True)}{_cell(o.nearby, True)}{_cell(o.first_date)}{_cell(o.last_date)}"
                f"<td>{_names(f'{n} ({k})' for n, k in o.with_most)}</td><td>{_quote(o.quote)}</td></tr>"
                for o in f.organisations[:LIMIT]],
               _shown(min(len(f.organisations), LIMIT), len(f.organisations), "organisations"), "organisations"),
        "<h2 id=figures>Figures</h2>",
        _table(["Unit", "Value", "Approximate", "Date", "Commitment", "Reviewer", "Quotation (the figure marked)"],
               [f"<tr>{_cell(x.unit)}{_cell('' if x.value is None else x.value, True)}"
                f"{_cell('approximate' if x.approximate else '')}{_cell(x.date)}"
                f"<td>{_e(x.commitment)}{' <span class=proximity>(inferred by proximity)</span>' if x.commitment and x.commitment_by == BY_PROXIMITY else ''}</td>"
                f"{_cell(x.reviewer)}<td>{_quote(x.quote)}</td></tr>"
                for x in sorted(f.figures, key=lambda x: (x.unit.casefold(), x.date, x.doc_id, x.start))],
               _shown(len(f.figures), f.figure_count, "figures") + " Grouped by unit.", "figures"),
        "<h2 id=over-time>Over time</h2>",
        _table(COLUMNS["over_time"], [f"<tr>{_cell(p)}{_cell(o)}{_cell(n, True)}</tr>" for p, o, n in f.over_time],
               name="over-time"),
        "</body></html>\n",
    ]
    return "\n".join(parts)


def write(
    store: Store,
    path: str | Path,
    filters: Filters | None = None,
    *,
    agreement=None,
    limit: int = LIMIT,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Findings:
    """Compute the findings and write the report to ``path`` (under a temporary name, renamed when complete)."""
    path = Path(path)
    if path.is_dir():
        raise InputError("is a folder: the report is one file; give a file name such as report.html", str(path))
    findings = compute(store, filters, keep=limit, agreement=agreement, progress=progress, cancelled=cancelled)
    page = render(findings, store.path if store.path != ":memory:" else "")
    temporary = path.with_name(f".{path.name}.part")
    try:
        temporary.write_text(page, encoding="utf-8")
        os.replace(temporary, path)
    except OSError as exc:
        if temporary.exists():
            temporary.unlink()
        raise InputError(f"cannot write the report: {exc.strerror or exc}", str(path)) from None
    return findings
