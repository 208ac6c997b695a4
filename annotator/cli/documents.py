"""``import``, ``export`` and ``stats``: documents and their annotations in and out of the database."""
from __future__ import annotations

import getpass
import json
import sys

import click

from .. import formats
from ..core.errors import AnnotatorError
from ..core.model import REVIEW_STATUSES
from . import main

def default_annotator() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment (some containers)
        return "annotator"


class _Progress:
    """A progress bar over the bytes to read, shown only on a terminal."""

    def __init__(self, total: int):
        self.bar = None
        if sys.stderr.isatty() and total > 1 << 20:
            self.bar = click.progressbar(length=total, label="Importing", file=sys.stderr)

    def __enter__(self):
        if self.bar:
            self.bar.__enter__()
        return self

    def __call__(self, n: int) -> None:
        if self.bar:
            self.bar.update(n)

    def __exit__(self, *exc):
        if self.bar:
            self.bar.__exit__(*exc)


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", default="auto", show_default=True,
              type=click.Choice(["auto", *formats.names()], case_sensitive=False),
              help="Format of the files; auto goes by file name and content.")
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of text files (e.g. cp1252, latin-1).")
@click.option("--skip-invalid", is_flag=True, help="Import the valid records, skip the invalid ones and say how many.")
@click.option("--annotator", default=None, help="Annotator for imported spans that name none [default: your user name].")
@click.option("--strict", is_flag=True,
              help="Refuse the import if the files hold what annotator does not import (relations, choices ...).")
@click.option("--offsets", type=click.Choice(["auto", "code-points", "utf-16"]), default="auto", show_default=True,
              help="doccano files: how span offsets count (its page stores UTF-16 units); auto decides per span.")
@click.option("--propose", is_flag=True,
              help="Propose entity links and figure values for the imported ORGANISATION and FIGURE spans (as "
                   "'annotator normalise' does). Off by default, so that an import stores exactly what the files hold.")
@click.pass_obj
def import_(obj, paths, fmt, encoding, skip_invalid, annotator, strict, offsets, propose):
    """Import documents (and their annotations) from files and folders.

    Text files (.txt) are one document each; JSONL files hold one document a line ({"text": ..., "meta": {...},
    "spans": [...]}). Folders are searched recursively. The whole import is one transaction: a bad record
    stops it and leaves the database as it was, unless --skip-invalid is given. Importing a text that is
    already in the database is reported and changes nothing.

    \b
    Example:
        annotator import documents/ extra/article.txt corpus.jsonl
    """
    from ..transfer import import_paths, import_size

    store = obj.store  # opened first, so that the import knows not to touch its files
    try:
        with _Progress(import_size(paths, fmt)) as progress:
            report = import_paths(store, paths, fmt=fmt, encoding=encoding, skip_invalid=skip_invalid,
                                  annotator=annotator or default_annotator(), progress=progress, strict=strict,
                                  offsets=offsets, propose=propose)
    except AnnotatorError as exc:
        raise click.ClickException(str(exc))
    for line in report.lines():
        click.echo(line)


@main.command("export")
@click.option("-o", "--output", default="-", show_default=True,
              help="File to write (a folder for formats that write folders); - for standard output.")
@click.option("--format", "fmt", default="jsonl", show_default=True,
              type=click.Choice(formats.names(), case_sensitive=False),
              help="Format to write.")
@click.option("--annotator", "annotators", multiple=True, help="Only spans (and statuses) of this annotator; repeatable.")
@click.option("--label", "labels", multiple=True, help="Only spans with this label; repeatable.")
@click.option("--status", type=click.Choice(REVIEW_STATUSES),
              help="Only documents with this review status (for the --annotator given, else for anyone).")
@click.option("--strict", is_flag=True, help="Refuse to write anything if the format would lose or adjust something.")
@click.option("--bundle", is_flag=True,
              help="A bundle for 'annotator merge': canonical JSONL with deletions, statuses, notes and gold spans.")
@click.option("--gold", is_flag=True, help="The gold layer as the spans (canonical JSONL), for curated documents.")
@click.option("--offsets", type=click.Choice(["code-points", "utf-16"]), default="code-points", show_default=True,
              help="doccano: utf-16 writes the offsets doccano's page draws right for texts with emoji.")
@click.option("--suggestions", is_flag=True,
              help="Write suggestions instead of spans, as pre-annotations: --format jsonl (Prodigy-style, with source "
                   "and score) or labelstudio (predictions).")
@click.option("--source", default=None, help="With --suggestions: comma-separated sources (corpus, patterns, model, "
                                              "spacy:NAME) [default: the settings'].")
@click.option("--min-score", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="With --suggestions: leave out suggestions scoring less.")
@click.pass_obj
def export(obj, output, fmt, annotators, labels, status, strict, bundle, gold, offsets, suggestions, source, min_score):
    """Export the corpus with its annotations.

    The canonical JSONL (the default) has one document a line, documents sorted by id and keys in a fixed
    order: two exports of an unchanged database are byte-identical, and importing the file into an empty
    database gives the same database back. Every span carries its text.

    \b
    Example:
        annotator export -o corpus.jsonl --status done --label ORGANISATION
        annotator export --bundle --annotator alice -o alice.jsonl
        annotator export --gold -o gold.jsonl
        annotator export --suggestions --format labelstudio -o tasks.json --status todo
    """
    from ..store.bulk import ExportFilter
    from ..transfer import export_to

    known = {l.name for l in obj.store.labels(include_retired=True)}
    for label in labels:
        if label not in known:
            raise click.ClickException(f"unknown label {label!r}; known labels: {', '.join(sorted(known))}")
    _check_annotators(obj.store, annotators)
    if suggestions:
        from .suggest import write_suggestions

        if bundle or gold or labels or strict or len(annotators) > 1:
            raise click.ClickException("--suggestions writes suggestions of every label: leave out --bundle, --gold, "
                                       "--label and --strict (and give one --annotator at most, for --status)")
        write_suggestions(obj.store, output, fmt, source, status, annotators[0] if annotators else None, min_score)
        return
    if source or min_score:
        raise click.ClickException("--source and --min-score go with --suggestions")
    if bundle or gold:
        _export_curation(obj.store, output, fmt, annotators, labels, status, strict, bundle, gold)
        return
    flt = ExportFilter(annotators=tuple(annotators), labels=tuple(labels), status=status)
    try:
        result = export_to(obj.store, output, fmt=fmt, flt=flt, strict=strict, offsets=offsets)
    except AnnotatorError as exc:
        raise click.ClickException(str(exc))
    target = "standard output" if output == "-" else output
    click.echo(f"{result.documents} document(s) written to {target} as {fmt}", err=True)
    for line in result.report.lines():
        click.echo(f"warning: {line}", err=True)


def _check_annotators(store, annotators) -> None:
    """An --annotator nobody in the database has heard of would export documents with no spans: refused, as an
    unknown --label is, with the names there are (and the likely one, for a name typed in another case)."""
    if not annotators:
        return
    present = store.annotators()
    for who in annotators:
        if who in present:
            continue
        alike = [p for p in present if p.casefold() == who.casefold()]
        hint = f"; did you mean {alike[0]!r}?" if alike else ""
        names = ", ".join(repr(p) for p in present[:20]) or "none yet"
        raise click.ClickException(f"unknown annotator {who!r}{hint} (annotators in the database: {names})")


def _export_curation(store, output, fmt, annotators, labels, status, strict, bundle, gold) -> None:
    from ..curation.bundle import export_bundle, export_gold

    if bundle and gold:
        raise click.ClickException("--bundle already holds the gold layer: give --bundle or --gold, not both")
    if fmt != "jsonl" or status or strict or (gold and annotators):
        raise click.ClickException("--bundle and --gold write canonical JSONL of every document"
                                   + (" (and --gold has no --annotator)" if gold and annotators else "")
                                   + ": leave out --format, --status and --strict")
    try:
        if bundle:
            n = export_bundle(store, output, annotators=annotators, labels=labels)
        else:
            n = export_gold(store, output, labels=labels)
    except AnnotatorError as exc:
        raise click.ClickException(str(exc))
    target = "standard output" if output == "-" else output
    click.echo(f"{n} document(s) written to {target} as a {'bundle' if bundle else 'gold layer'}", err=True)


@main.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON, for scripts.")
@click.pass_obj
def stats(obj, as_json):
    """Print what the database holds: documents, spans per label and per annotator, review status counts.

    \b
    Example:
        annotator --db corpus.db stats --json
    """
    figures = obj.store.stats()
    if as_json:
        click.echo(json.dumps(figures, indent=2, ensure_ascii=False))
        return
    click.echo(f"database: {obj.store.path}")
    click.echo(f"documents: {figures['documents']}")
    click.echo(f"spans: {figures['spans']} (and {figures['deleted_spans']} deleted, kept as tombstones)")
    click.echo("spans per label:")
    for label, n in figures["spans_per_label"].items():
        click.echo(f"  {label:<20} {n}")
    if figures["spans_per_annotator"]:
        click.echo("spans per annotator:")
        for who, n in figures["spans_per_annotator"].items():
            click.echo(f"  {who:<20} {n}")
    if figures["reviews"]:
        click.echo("review status (done / skipped / to do):")
        for who, counts in figures["reviews"].items():
            click.echo(f"  {who:<20} {counts['done']} / {counts['skipped']} / {counts['todo']}")
    if figures.get("gold_spans"):
        click.echo(f"gold spans: {figures['gold_spans']}")
