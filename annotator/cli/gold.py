"""``gold``: adjudicating the reviewers' spans into the gold layer, one candidate at a time or all agreed ones."""
from __future__ import annotations

import json

import click

from ..core.errors import AnnotatorError
from . import main
from .curation import _fail, _names


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
