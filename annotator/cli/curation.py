"""``merge``, ``agreement`` and ``consistency``: curating one corpus as a team, without a server."""
from __future__ import annotations

import json
import sys

import click

from ..core.errors import AnnotatorError
from . import main


def _fail(exc: Exception):
    raise click.ClickException(str(exc))


def _names(value: str | None) -> list[str] | None:
    if not value:
        return None
    return [v.strip() for v in value.split(",") if v.strip()]


def _fmt(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


# -- merge ------------------------------------------------------------------------------------------------------

@main.command("merge")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON, for scripts.")
@click.pass_obj
def merge(obj, paths, as_json):
    """Merge reviewers' work: bundles (from export --bundle) or other annotator databases.

    Documents are matched by their content: the same article imported by two reviewers is one document, and a
    document this database lacks is brought in. Of two versions of a span (or of a review status and note),
    the newer edit wins, a tie broken the same way every time; deletions are replayed. Merging is idempotent
    and the order of the files does not matter. All the files are merged in one transaction. Every row that
    comes in is checked as an import checks it (document id = hash of its text, offsets and span text,
    label names, times in the UTC form we write and at most 24 hours ahead, span ids that stay in their
    document): one bad row refuses the whole merge, naming the file and the line (a bundle) or the table and
    row (a database), and the database is left as it was. Other databases are read without writing.

    \b
    Example:
        annotator --db team.db merge alice.jsonl bob.jsonl carol.db
    """
    from ..curation.merge import merge_paths

    bar = None
    last = [0.0]
    if sys.stderr.isatty() and not as_json:
        bar = click.progressbar(length=1000, label="Merging", file=sys.stderr)
        bar.__enter__()

    def progress(fraction: float, message: str) -> None:
        if bar is not None:
            step = int(fraction * 1000) - int(last[0] * 1000)
            if step > 0:
                bar.update(step)
                last[0] = fraction

    try:
        report = merge_paths(obj.store, paths, progress=progress)
    except AnnotatorError as exc:
        _fail(exc)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
        return
    for line in report.lines():
        click.echo(line)


# -- agreement --------------------------------------------------------------------------------------------------

@main.command("agreement")
@click.option("--annotators", help="Comma-separated reviewers to compare [default: everyone who marked a document done].")
@click.option("--label", help="Only this label.")
@click.option("--all-documents", is_flag=True,
              help="Compare every document one of them marked done or annotated, not only those all marked done.")
@click.option("--worst", default=10, show_default=True, type=click.IntRange(min=0), help="How many lowest-agreement documents to list.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON, for scripts.")
@click.pass_obj
def agreement(obj, annotators, label, all_documents, worst, as_json):
    """How far reviewers agree, per label and overall, per pair and over all of them.

    By default on the documents every compared reviewer marked done. Span level: precision, recall and F1
    with exact matching (same start, end, label) and overlap matching (same label, overlapping, each span
    matched once); F1 = 2 x matches / (|A| + |B|). Token level: Cohen's kappa per pair and Krippendorff's
    alpha (nominal) over all, each token getting the label(s) of the spans covering it (O if none).
    Relations: precision, recall and F1, a relation matching when both its ends match exactly and its type is
    the same. Attribute values: on the spans both tagged alike, how often both gave the same value (entity,
    value, unit, value+unit together, kind, approximate). Then the documents with the lowest agreement, to look
    at first.

    \b
    Example:
        annotator agreement --annotators alice,bob --label FIGURE
    """
    from ..curation import agreement as ag

    try:
        report = ag.compute(obj.store, _names(annotators), label, all_documents=all_documents, worst=worst)
    except AnnotatorError as exc:
        _fail(exc)
    if as_json:
        click.echo(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
        return
    _print_agreement(report, ag.ALL)


def _print_agreement(r, ALL) -> None:
    echo = click.echo
    basis = "documents all of them marked done" if r.basis == "done by all" else "documents any of them marked done or annotated"
    echo(f"reviewers: {', '.join(r.annotators)}" + (f"   label: {r.label}" if r.label else ""))
    echo(f"{r.documents} {basis}, {r.tokens} tokens")
    if not r.documents:
        echo("nothing to compare: no document is marked done by all of them (try --all-documents)")
        return
    rows = [*r.labels, ALL]
    width = max(len(x) for x in rows) + 2
    for p in r.pairs:
        echo("")
        echo(f"{p.a} vs {p.b}   (precision of {p.a} against {p.b})")
        echo(f"  {'label':<{width}} {'exact P':>8} {'R':>6} {'F1':>6}  {'overlap P':>9} {'R':>6} {'F1':>6}  {'kappa':>6}  spans")
        for lab in rows:
            e, o = p.exact[lab], p.overlap[lab]
            echo(f"  {lab:<{width}} {_fmt(e.precision):>8} {_fmt(e.recall):>6} {_fmt(e.f1):>6}  "
                 f"{_fmt(o.precision):>9} {_fmt(o.recall):>6} {_fmt(o.f1):>6}  {_fmt(p.kappa.get(lab)):>6}  {e.a}/{e.b}")
        _print_links(p.relations, p.attributes)
    echo("")
    echo(f"over all {len(r.annotators)} reviewers")
    echo(f"  {'label':<{width}} {'exact F1':>8}  {'overlap F1':>10}  {'alpha':>6}")
    for lab in rows:
        echo(f"  {lab:<{width}} {_fmt(r.exact[lab].f1):>8}  {_fmt(r.overlap[lab].f1):>10}  {_fmt(r.alpha.get(lab)):>6}")
    _print_links(r.relations, r.attributes)
    if r.lowest:
        echo("")
        echo("lowest agreement (mean pairwise exact F1, overlap F1, spans without an exact match):")
        for d in r.lowest:
            who = ", ".join(f"{a} {n}" for a, n in d.spans.items())
            echo(f"  {d.doc_id}  {d.f1_exact:.2f}  {d.f1_overlap:.2f}  {d.disagreements:>3}  {d.title[:50]}  ({who})")


def _print_links(relations, attributes) -> None:
    """Relation F1 (both ends matching exactly, the same type) and attribute agreement on the spans tagged alike."""
    if relations.a or relations.b:
        click.echo(f"  relations: precision {_fmt(relations.precision)}, recall {_fmt(relations.recall)}, "
                   f"F1 {_fmt(relations.f1)}  ({relations.matches} matching of {relations.a}/{relations.b})")
    if attributes:
        shown = ", ".join(f"{name} {c.agreed}/{c.compared} ({_fmt(c.agreement)})" for name, c in
                          sorted(attributes.items()))
        click.echo(f"  attribute values the same on spans tagged alike: {shown}")


# -- consistency ------------------------------------------------------------------------------------------------

@main.command("consistency")
@click.option("--annotator", "annotators", multiple=True, help="Only this reviewer's spans; repeatable.")
@click.option("--label", help="Only surfaces that carry this label somewhere.")
@click.option("--gold", is_flag=True, help="Check the gold layer instead of the reviewers' spans.")
@click.option("--min-length", default=2, show_default=True, type=click.IntRange(min=0), help="Leave out surfaces shorter than this.")
@click.option("--no-untagged", is_flag=True, help="Only surfaces labelled differently; do not search for untagged ones.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(min=0), help="How many surfaces to list (0: all).")
@click.option("--places", default=5, show_default=True, type=click.IntRange(min=0), help="How many places to list per surface and kind.")
@click.option("--json", "as_json", is_flag=True, help="Every surface with every place, as JSON.")
@click.pass_obj
def consistency(obj, annotators, label, gold, min_length, no_untagged, limit, places, as_json):
    """List surface strings the corpus treats differently: tagged with different labels in different places,
    or tagged in some places and untagged in others.

    Untagged places are found by searching every document for every tagged surface, case-sensitively and on
    word boundaries. Each place is printed as DOC_ID:START-END (code-point offsets) so you can go to it.

    \b
    Example:
        annotator consistency --label ORGANISATION --limit 20
    """
    from ..curation import consistency as cons

    try:
        if label is not None:
            obj.store.label(label)
        items = cons.find(obj.store, annotators=annotators, label=label, gold=gold, min_length=min_length,
                          untagged=not no_untagged)
    except AnnotatorError as exc:
        _fail(exc)
    if limit:
        shown = items[:limit]
    else:
        shown = items
    if as_json:
        click.echo(json.dumps({"count": len(items), "surfaces": [i.as_dict() for i in shown]}, indent=2,
                              ensure_ascii=False))
        return
    if not items:
        click.echo("no inconsistencies: every tagged surface has one label and no untagged occurrences")
        return
    click.echo(f"{len(items)} surface(s) treated differently" + (f"; the first {len(shown)}:" if len(shown) < len(items) else ":"))
    for item in shown:
        labels = ", ".join(f"{k} {v}" for k, v in item.labels.items())
        extra = f", untagged {len(item.untagged)}" if item.untagged else ""
        click.echo(f"\n“{item.surface}”  {labels}{extra}")
        by_label: dict[str, list] = {}
        for o in item.tagged:
            by_label.setdefault(o.label, []).append(o)
        for lab, occ in by_label.items():
            if len(item.labels) > 1 or not item.untagged:
                click.echo(f"  {lab:<14} " + _places(occ, places))
        if item.untagged:
            click.echo(f"  {'untagged':<14} " + _places(item.untagged, places))


def _places(occurrences, n: int) -> str:
    text = "  ".join(f"{o.doc_id}:{o.start}-{o.end}" for o in occurrences[:n])
    if len(occurrences) > n:
        text += f"  (+{len(occurrences) - n} more)"
    return text
