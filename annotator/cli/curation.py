"""``merge``, ``agreement``, ``consistency`` and ``gold``: curating one corpus as a team, without a server."""
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


# -- gold -------------------------------------------------------------------------------------------------------

@main.group("gold")
@click.option("--curator", default=None, help="Who curates [default: your user name].")
@click.pass_context
def gold(ctx, curator):
    """Adjudicate: settle the reviewers' spans into the gold layer (export it with export --gold).

    A candidate is a distinct (start, end, label) among the reviewers' spans of a document; it is agreed when
    every compared reviewer has it (by default, those who marked the document done). Each candidate is taken
    into gold or rejected; edit or remove gold spans afterwards.

    \b
    Example:
        annotator gold take-agreed
        annotator gold show 3f2a9c0d1e4b5a6c
        annotator gold take SPAN_ID
        annotator --db team.db gold --curator carol reject SPAN_ID
    """
    from .documents import default_annotator

    ctx.obj.curator = curator or default_annotator()


def _push(store, command):
    from ..core.commands import UndoStack

    try:
        UndoStack(store).push(command)
    except AnnotatorError as exc:
        _fail(exc)
    return command


@gold.command("status")
@click.option("--annotators", help="Comma-separated reviewers to compare [default: those who marked each document done].")
@click.option("--pending", is_flag=True, help="Only documents with undecided candidates.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(min=0), help="How many documents to list (0: all).")
@click.option("--json", "as_json", is_flag=True, help="Every document's figures as JSON.")
@click.pass_obj
def gold_status(obj, annotators, pending, limit, as_json):
    """Curation progress per document: candidates decided, agreed, gold spans.

    \b
    Example:
        annotator gold status --pending
    """
    from ..curation import adjudication as adj

    rows = list(adj.progress(obj.store, _names(annotators)))
    total = sum(r.candidates for r in rows)
    decided = sum(r.decided for r in rows)
    finished = sum(1 for r in rows if r.done)
    if pending:
        rows = [r for r in rows if not r.done]
    if as_json:
        click.echo(json.dumps({
            "documents": len(rows), "finished": finished, "candidates": total, "decided": decided,
            "per_document": [{**r.__dict__, "done": r.done} for r in rows],
        }, indent=2, ensure_ascii=False))
        return
    click.echo(f"{decided} of {total} candidates decided; {finished} document(s) fully curated")
    for r in rows[: limit or None]:
        mark = "done" if r.done else f"{r.decided}/{r.candidates}"
        click.echo(f"  {r.doc_id}  {mark:>9}  agreed {r.agreed:>3}  gold {r.gold:>3}  {r.title[:50]}")
    if limit and len(rows) > limit:
        click.echo(f"  ... and {len(rows) - limit} more (--limit 0 lists all)")


@gold.command("show")
@click.argument("doc_id")
@click.option("--annotators", help="Comma-separated reviewers to compare.")
@click.pass_obj
def gold_show(obj, doc_id, annotators):
    """A document's candidates (who has them, agreed or not, decided or not) and its gold spans.

    \b
    Example:
        annotator gold show 3f2a9c0d1e4b5a6c
    """
    from ..curation import adjudication as adj

    try:
        state = adj.document(obj.store, doc_id, _names(annotators))
    except AnnotatorError as exc:
        _fail(exc)
    click.echo(f"{state.doc_id}  {state.title}")
    click.echo(f"reviewers compared: {', '.join(state.annotators) or 'none'}; "
               f"{state.decided} of {len(state.candidates)} candidates decided")
    for c in state.candidates:
        flag = "agreed" if c.agreed else "      "
        decision = c.decision or "-"
        click.echo(f"  {c.start:>6}-{c.end:<6} {c.label:<14} {flag} {decision:<8} “{c.text[:40]}”  "
                   f"{', '.join(c.annotators)}  span {c.span_ids[0]}")
    if state.gold:
        click.echo("gold:")
        for g in state.gold:
            click.echo(f"  {g.start:>6}-{g.end:<6} {g.label:<14} “{g.text[:40]}”  by {g.annotator}  id {g.id}")


@gold.command("take-agreed")
@click.argument("doc_ids", nargs=-1)
@click.option("--annotators", help="Comma-separated reviewers who must all have a span [default: those who marked the document done].")
@click.pass_obj
def gold_take_agreed(obj, doc_ids, annotators):
    """Take every agreed, undecided candidate into gold: of the documents given, or of every document.

    \b
    Example:
        annotator gold take-agreed --annotators alice,bob
    """
    from ..curation import adjudication as adj

    names = _names(annotators)
    if not doc_ids:
        doc_ids = [p.doc_id for p in adj.progress(obj.store, names) if p.agreed and not p.done]
    taken = documents = 0
    for doc_id in doc_ids:
        command = _push(obj.store, adj.TakeAgreed(doc_id, obj.curator, names))
        taken += command.count
        documents += bool(command.count)
    click.echo(f"{taken} agreed span(s) taken into gold in {documents} document(s)")


@gold.command("take")
@click.argument("span_ids", nargs=-1, required=True)
@click.pass_obj
def gold_take(obj, span_ids):
    """Take reviewers' spans (by span id) into gold, with the same span of the other reviewers as sources.

    \b
    Example:
        annotator gold take 0b7e0c1c-5f5e-4a36-9d7b-1f0c8e2d4a11
    """
    from ..curation import adjudication as adj

    for span_id in span_ids:
        try:
            candidate = adj.candidate_of(obj.store, span_id)
        except AnnotatorError as exc:
            _fail(exc)
        command = _push(obj.store, adj.TakeCandidate(candidate, obj.curator))
        click.echo(f"{'taken' if command.created else 'already gold'}: {candidate.label} “{candidate.text}” "
                   f"({command.span.id})")


@gold.command("add")
@click.argument("doc_id")
@click.argument("start", type=int)
@click.argument("end", type=int)
@click.argument("label")
@click.option("--exact", is_flag=True, help="Keep START and END as given instead of snapping them to whole words.")
@click.pass_obj
def gold_add(obj, doc_id, start, end, label, exact):
    """Add a gold span of the curator's own (code-point offsets START to END, END exclusive).

    As in the window, the range snaps to whole words (hyphenated names, brackets and quotes kept whole) and drops
    the spaces around it, and says so; --exact keeps it as given. A range of only spaces is refused.

    \b
    Example:
        annotator gold add 3f2a9c0d1e4b5a6c 120 131 ORGANISATION
    """
    from ..core.words import snap_to_words
    from ..curation import adjudication as adj

    text = obj.store.document_text(doc_id) if obj.store.has_document(doc_id) else None
    if text is not None and 0 <= start < end <= len(text):
        if not text[start:end].strip():
            raise click.ClickException(f"{start}-{end} holds only spaces or line breaks: nothing to add")
        if not exact:
            snapped = snap_to_words(text, start, end)
            if snapped != (start, end):
                click.echo(f"snapped {start}-{end} {text[start:end]!r} to whole words: "
                           f"{snapped[0]}-{snapped[1]} (--exact keeps the range as given)")
                start, end = snapped
    command = _push(obj.store, adj.TakeSpan(doc_id, start, end, label, obj.curator))
    click.echo(f"gold: {label} “{command.span.text}” ({command.span.id})")


@gold.command("reject")
@click.argument("span_ids", nargs=-1, required=True)
@click.pass_obj
def gold_reject(obj, span_ids):
    """Reject reviewers' spans (by span id): not gold, and out of the gold layer if they were in it.

    \b
    Example:
        annotator gold reject 0b7e0c1c-5f5e-4a36-9d7b-1f0c8e2d4a11
    """
    from ..curation import adjudication as adj

    for span_id in span_ids:
        try:
            candidate = adj.candidate_of(obj.store, span_id)
        except AnnotatorError as exc:
            _fail(exc)
        _push(obj.store, adj.RejectCandidate(candidate, obj.curator))
        click.echo(f"rejected: {candidate.label} “{candidate.text}”")


@gold.command("edit")
@click.argument("gold_id")
@click.option("--start", type=int, help="New start (code points).")
@click.option("--end", type=int, help="New end (code points, exclusive).")
@click.option("--label", help="New label.")
@click.pass_obj
def gold_edit(obj, gold_id, start, end, label):
    """Change a gold span's range or label.

    \b
    Example:
        annotator gold edit 5d1c... --label FIGURE
    """
    from ..curation import adjudication as adj
    from ..store import gold as gold_store

    try:
        command = _push(obj.store, adj.EditGold(gold_store.get(obj.store, gold_id), obj.curator,
                                                start=start, end=end, label=label))
    except AnnotatorError as exc:
        _fail(exc)
    g = command.after
    click.echo(f"gold: {g.label} “{g.text}” {g.start}-{g.end}")


@gold.command("remove")
@click.argument("gold_ids", nargs=-1, required=True)
@click.pass_obj
def gold_remove(obj, gold_ids):
    """Take gold spans out of the gold layer (by gold id).

    \b
    Example:
        annotator gold remove 5d1c...
    """
    from ..curation import adjudication as adj
    from ..store import gold as gold_store

    for gold_id in gold_ids:
        try:
            span = gold_store.get(obj.store, gold_id)
        except AnnotatorError as exc:
            _fail(exc)
        _push(obj.store, adj.RemoveGold(span))
        click.echo(f"removed: {span.label} “{span.text}”")
