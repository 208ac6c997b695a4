"""``train`` and ``suggest``: the model trained on the reviewers' work, and suggestions over the corpus (written
out, or accepted as spans of a named reviewer). ``export --suggestions`` lives with export (cli/documents.py)
and calls ``write_suggestions`` here."""
from __future__ import annotations

import os
import sys
from pathlib import Path
import tempfile
from collections import Counter

import click

from ..core.errors import AnnotatorError
from ..core.model import REVIEW_STATUSES
from . import main
from .documents import default_annotator


def _sources(store, given: str | None):
    from ..suggest import parse_sources, settings

    try:
        return parse_sources(given if given else settings(store)["sources"])
    except AnnotatorError as exc:
        raise click.ClickException(str(exc)) from None


def _suggester(store, sources, min_score):
    from ..suggest import Suggester, latest_model

    latest = latest_model(store) if "model" in sources else None
    if "model" in sources and latest is None:
        click.echo("note: no model trained yet ('annotator train' makes one); suggesting without it", err=True)
    elif latest is not None and not Path(latest.path).is_dir():
        click.echo(f"note: the model's folder {latest.path} is gone ('annotator train' makes a new one); "
                   "suggesting without it", err=True)
    try:
        return Suggester(store, sources, min_score=min_score)
    except AnnotatorError as exc:
        raise click.ClickException(str(exc)) from None


class _Ticker:
    """Progress over documents: a bar on a terminal, a line every 1,000 documents otherwise."""

    def __init__(self, total: int, label: str):
        self.total, self.n = total, 0
        self.bar = click.progressbar(length=total, label=label, file=sys.stderr) if sys.stderr.isatty() else None
        self.label = label

    def step(self) -> None:
        self.n += 1
        if self.bar is not None:
            self.bar.update(1)
        elif self.n % 1000 == 0:
            click.echo(f"{self.label}: {self.n} of {self.total} documents", err=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.render_finish()


@main.command("train")
@click.option("--label", "labels", multiple=True, help="Learn only this label; repeatable [default: every label used].")
@click.option("--out", "out_dir", type=click.Path(file_okay=False),
              help="Folder for the pipeline [default: DATABASE.models/model-TIME, beside the database].")
@click.option("--iterations", type=click.IntRange(0, 1000), default=0, show_default=True,
              help="Passes over the documents; 0 picks from the corpus size.")
@click.pass_obj
def train(obj, labels, out_dir, iterations):
    """Train the suggestion model on the documents marked done (and the gold layer).

    A spaCy pipeline from a blank English pipeline, on CPU, nothing downloaded: an ner for the labels whose spans
    never overlap, a spancat for the others (long spans such as COMMITMENT clauses included). One reviewed
    document in five is held out: its precision, recall and F1 per label are printed, beside the previous
    model's, with the component that learnt each label, and recorded in the database with the model.

    \b
    Example:
        annotator --db corpus.db train
        annotator --db corpus.db train --label ORGANISATION --label FIGURE
    """
    from ..suggest import models
    from ..suggest.training import format_scores
    from ..suggest.training import train as run

    store = obj.store
    before = models(store)

    def progress(p):
        if p.stage == "training":
            click.echo(f"{p.message} (loss {p.loss:.1f})", err=True)
        elif p.message:
            click.echo(p.message, err=True)

    try:
        record = run(store, labels=labels, out_dir=out_dir, iterations=iterations, progress=progress)
    except AnnotatorError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"model {record.id}: {', '.join(record.labels)}; trained on {record.train_documents} document(s) "
               f"({record.train_spans} spans) in {record.seconds:.0f} s; saved in {record.path}")
    for line in format_scores(record, before[-1] if before else None):
        click.echo(line)


@main.command("suggest")
@click.option("--source", "source", default=None,
              help="Comma-separated sources: corpus, patterns, model, spacy:NAME (an installed pipeline or a folder) "
                   "[default: the settings', corpus,patterns,model].")
@click.option("--status", type=click.Choice(REVIEW_STATUSES),
              help="Only documents with this status (for --annotator; without it, todo = nobody marked it done).")
@click.option("--min-score", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Leave out suggestions scoring less.")
@click.option("--accept", is_flag=True, help="Turn the suggestions into spans of --annotator instead of writing them.")
@click.option("--annotator", default=None,
              help="With --accept, whose spans they become [default: your user name]; with --status, whose status.")
@click.option("-o", "--output", default="-", show_default=True, help="JSONL file to write; - for standard output.")
@click.pass_obj
def suggest(obj, source, status, min_score, accept, annotator, output):
    """Compute suggestions over the corpus, streaming (memory stays flat), with progress.

    Writes one JSON line per document, {"id", "suggestions": [{"start", "end", "label", "text", "source",
    "score", "reason"}]}. With --accept, makes them spans of --annotator instead (where two suggestions of one
    label overlap, the surer one) and reports how many per source and label. Nothing is suggested where a span
    already is or where a reviewer rejected it.

    \b
    Example:
        annotator suggest --source corpus,patterns --status todo -o suggestions.jsonl
        annotator suggest --accept --min-score 0.8 --annotator alice
    """
    import json

    from ..store import suggestions as queries

    store = obj.store
    sources = _sources(store, source)
    who = annotator or (default_annotator() if accept else None)
    suggester = _suggester(store, sources, min_score)
    status_of = annotator if (annotator and status) else None
    total = queries.count_documents_to_suggest(store, annotator=status_of, status=status)
    rows = queries.documents_to_suggest(store, annotator=status_of, status=status)
    ticker = _Ticker(total, "Accepting" if accept else "Suggesting")
    counts: Counter = Counter()
    documents = 0
    out = None
    try:
        if not accept:
            out = click.open_file(output, "w", encoding="utf-8", atomic=output != "-")
        batch: list = []
        for (doc_id, _, _), found in suggester.for_documents(rows):
            ticker.step()
            if accept:
                chosen = _non_overlapping(found)
                if chosen:
                    batch.extend(chosen)
                    documents += 1
                    counts.update((s.source, s.label) for s in chosen)
                if len(batch) >= 500:
                    queries.accept_many(store, batch, who)
                    batch = []
            else:
                out.write(json.dumps({"id": doc_id, "suggestions": [
                    {"start": s.start, "end": s.end, "label": s.label, "text": s.text, "source": s.source,
                     "score": s.score, "reason": s.reason} for s in found]}, ensure_ascii=False) + "\n")
                documents += 1
                counts.update((s.source, s.label) for s in found)
        if batch:
            queries.accept_many(store, batch, who)
    finally:
        ticker.close()
        suggester.close()
        if out is not None:
            out.close()
    n = sum(counts.values())
    if accept:
        click.echo(f"accepted {n} suggestion(s) as spans of {who} in {documents} document(s)"
                   + (f" (of {total} looked at)" if total != documents else ""))
    else:
        target = "standard output" if output == "-" else output
        click.echo(f"{n} suggestion(s) for {documents} document(s) written to {target}", err=True)
    for (src, label), k in sorted(counts.items()):
        click.echo(f"  {src:<12} {label:<14} {k}", err=not accept)


@main.command("suggest-settings")
@click.argument("name", required=False)
@click.argument("value", required=False)
@click.pass_obj
def suggest_settings(obj, name, value):
    """Show the suggestion settings, or set one (VALUE is JSON; a plain word is taken as a string).

    sources (the default of --source), spacy_pipeline (the installed pipeline the window uses), spacy_labels
    (spaCy's labels mapped to ours), min_score (the window's accept-all threshold), shown_min_score (the
    lowest score the window shows), retrain_after (newly done documents before the model is
    retrained).

    \b
    Example:
        annotator suggest-settings
        annotator suggest-settings sources '["corpus", "patterns"]'
        annotator suggest-settings spacy_labels '{"ORG": "ORGANISATION", "MONEY": "FIGURE"}'
    """
    import json

    from ..suggest import set_setting, settings
    from ..suggest.setting_checks import check

    store = obj.store
    if name is None:
        click.echo(json.dumps(settings(store), indent=1, ensure_ascii=False, sort_keys=True))
        return
    if value is None:
        raise click.ClickException(f"give a value for {name} (JSON), or no name to see the settings")
    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = value
    try:
        set_setting(store, name, check(store, name, parsed))
    except AnnotatorError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{name} = {json.dumps(settings(store)[name], ensure_ascii=False)}")


def _non_overlapping(found):
    """The suggestions to accept at once: per label, the surest of any that overlap (a reviewer would not keep
    both "UN" and "the UN" as two spans)."""
    kept, taken = [], {}
    for s in sorted(found, key=lambda s: (-s.score, s.start, -(s.end - s.start))):
        if any(a < s.end and s.start < b for a, b in taken.get(s.label, ())):
            continue
        taken.setdefault(s.label, []).append((s.start, s.end))
        kept.append(s)
    return sorted(kept, key=lambda s: (s.start, -s.end, s.label))


def write_suggestions(store, output, fmt, source, status, annotator, min_score) -> None:
    """``export --suggestions``: suggestions as pre-annotations (Label Studio predictions, Prodigy-style JSONL),
    written to a temporary file and moved into place, so a failure leaves no half file."""
    from ..store import suggestions as queries
    from ..suggest.export import FORMATS, write

    if fmt not in FORMATS:
        raise click.ClickException(f"--suggestions writes {' or '.join(FORMATS)} (Prodigy-style JSONL or Label Studio "
                                   f"predictions), not {fmt}")
    sources = _sources(store, source)
    suggester = _suggester(store, sources, min_score)
    rows = queries.documents_to_suggest(store, annotator=annotator, status=status)
    items = ((doc_id, title, text, found) for (doc_id, text, title), found in suggester.for_documents(rows))
    try:
        if output == "-":
            docs, n = write(items, sys.stdout, fmt)
        else:
            folder = os.path.dirname(os.path.abspath(output))
            fd, tmp = tempfile.mkstemp(prefix=".suggestions-", dir=folder)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    docs, n = write(items, f, fmt)
                os.replace(tmp, output)
            except BaseException:
                os.unlink(tmp)
                raise
    finally:
        suggester.close()
    target = "standard output" if output == "-" else output
    click.echo(f"{n} suggestion(s) for {docs} document(s) written to {target} as {fmt} pre-annotations", err=True)
