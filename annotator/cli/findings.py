"""``findings``: what the corpus says, as tables (CSV, JSONL) or one self-contained HTML report."""
from __future__ import annotations

import click

from ..core.errors import AnnotatorError
from ..core.model import REVIEW_STATUSES
from . import fail, main


@main.command("findings")
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl", "html"]), default="csv", show_default=True,
              help="csv or jsonl: one file a table in the folder -o; html: one self-contained report file.")
@click.option("-o", "--output", required=True, type=click.Path(),
              help="The folder for the tables (csv, jsonl), or the report's file name (html).")
@click.option("--since", default="", help="Only documents dated on or after this (YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--until", default="", help="Only documents dated on or before this (a year or month takes all of it).")
@click.option("--publisher", default="", help="Only documents of this publisher (as their metadata names it).")
@click.option("--organisation", default="", help="Only commitments involving this organisation (name or registry id).")
@click.option("--kind", default="", help="Only commitments of this kind (pledge, agreement, call, plan, action).")
@click.option("--reviewer", default=None,
              help="Only this reviewer's spans [default: the gold layer where a document has one, else every "
                   "reviewer's, a span several tagged once].")
@click.option("--gold", is_flag=True, help="Only the gold (curated) layer.")
@click.option("--status", type=click.Choice(REVIEW_STATUSES), default=None,
              help="Only documents the reviewer has given this status.")
@click.option("--by-month", is_flag=True, help="Count commitments over time per month instead of per year.")
@click.option("--limit", default=2000, show_default=True, type=click.IntRange(min=1),
              help="html: rows of the long tables shown in the report (the csv/jsonl tables hold every row).")
@click.pass_obj
def findings(obj, fmt, output, since, until, publisher, organisation, kind, reviewer, gold, status, by_month, limit):
    """Who committed to what, with whom, with which figures: tables of commitments, organisations, figures, over
    time and coverage, from the gold layer where a document has one and the reviewers' spans elsewhere (a span
    several reviewers tagged is one row naming them all), or from one reviewer's or the gold layer only.

    A commitment's organisations and figures are its ACTOR, PARTNER and AMOUNT relations; where it has none, the
    ORGANISATION and FIGURE spans in its sentence, marked "inferred by proximity". Nothing is written if anything
    fails: the files appear complete or not at all.

    \b
    Example:
        annotator findings --format csv -o findings/
        annotator findings --format html -o report.html --since 2010 --publisher UNODC
    """
    from ..curation.agreement import pairwise_f1
    from ..findings import Filters, files, report

    filters = Filters(since, until, publisher.strip(), organisation.strip(), kind.strip(), reviewer, gold, status,
                      by_month)
    try:
        filters.checked()
    except ValueError as exc:
        fail(str(exc))
    store = obj.store
    if reviewer:
        from .documents import _check_annotators

        _check_annotators(store, [reviewer])  # an unknown name would give empty tables, not an answer
    try:
        agreement = pairwise_f1(store)
        if fmt == "html":
            found = report.write(store, output, filters, agreement=agreement, limit=limit)
            click.echo(f"{output}: {found.commitment_count} commitment(s), {len(found.organisations)} organisation(s), "
                       f"{found.figure_count} figure(s)")
        else:
            found, written = files.write(store, output, fmt, filters, agreement=agreement)
            click.echo(f"{len(written)} table(s) written to {output}: {found.commitment_count} commitment(s), "
                       f"{len(found.organisations)} organisation(s), {found.figure_count} figure(s)")
    except AnnotatorError as exc:
        fail(str(exc))
