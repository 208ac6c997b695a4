"""Suggestions: spans a reviewer might tag, proposed by the corpus, patterns, a model trained on the reviewers'
done documents, or an installed spaCy pipeline. A suggestion is never a span until accepted: nothing exports,
merges, counts or compares suggestions (they are computed, not stored).

The API the window and the command line use::

    from annotator.suggest import Suggestion, Suggester, suggestions_for, accept, reject, unreject

    # one document (a Suggester is cached on the store per sources; ~2 ms a 4 KB article, corpus + patterns)
    found = suggestions_for(store, doc_id, sources=("corpus", "patterns", "model"), min_score=0.0)
    s = found[0]
    s.doc_id, s.start, s.end, s.label, s.text   # code-point offsets into the stored text, as spans
    s.source      # "corpus" | "patterns" | "model" | "spacy:NAME"
    s.score       # 0..1, how sure the source is
    s.reason      # "tagged ORGANISATION 12 times in 5 documents; also FIGURE 1 time"

    # a Suggester of your own (one per thread and store connection: it holds the spaCy pipelines)
    suggester = Suggester(store, ("corpus", "patterns"), min_score=0.3)
    suggester.for_document(doc_id)                  # -> list[Suggestion], reading order
    suggester.for_documents(rows)   # rows (doc_id, text, ...) -> iterator of (row, list); pipelines in batches
    suggester.close()                               # stops listening to the store's change notices

    # what a reviewer does with one
    span = accept(store, s, annotator)              # an ordinary span (undo = delete it, core.commands.DeleteSpan)
    span = accept(store, s, annotator, label="FIGURE")   # accepted with another label (a label key)
    reject(store, s, annotator)                     # never suggested again in this document, range and label
    unreject(store, s)                              # the undo of a rejection
    provenance(store, span.id)                      # -> Provenance(source, score, reason, accepted) or None
    # or as undoable commands for the window's core.commands.UndoStack:
    undo_stack.push(AcceptSuggestion(s, annotator, label=None))   # undo deletes the span, redo restores it
    undo_stack.push(RejectSuggestion(s, annotator))               # undo forgets the rejection

    # settings (stored in the database): which sources are on, the installed pipeline and its label mapping
    settings(store)  # {"sources": [...], "spacy_pipeline": "", "spacy_labels": {"ORG": "ORGANISATION", ...},
                     #  "min_score": 0.3, "shown_min_score": 0.0, "retrain_after": 20}
    set_setting(store, "sources", ["corpus", "patterns"])
    from annotator.suggest.setting_checks import check, store_all
    store_all(store, {"min_score": 0.5, "retrain_after": 10})   # checked (InputError), then stored all or none

    # the trained model (training runs in a background process; see annotator.suggest.training)
    models(store)        # every trained model, oldest first: ModelRecord(path, trained, labels, scores, ...)
    latest_model(store)  # the one the "model" source uses, or None
    from annotator.suggest.training import retraining_due
    retraining_due(store)   # (due, newly done documents since the newest model, the retrain_after setting)
    from annotator.suggest.background import TrainingJob
    job = TrainingJob.start(store.path); job.poll() -> [Progress(stage, done, total, loss, message), ..., Finished]

Sources (each can be switched off):

- ``corpus`` (suggest/corpus.py): texts reviewers tagged, found again (the consistency review's matching);
- ``patterns`` (suggest/patterns.py): FIGURE-like quantities and registry organisation names, spaCy matchers;
- ``model`` (suggest/model.py): the latest pipeline trained on done documents and gold (training.py): an ner for
  the labels that never overlap, a spancat with candidates fitted to the tagged spans for the rest (pipeline.py);
- ``spacy:NAME`` (suggest/installed.py): any installed pipeline or pipeline folder, with a label mapping.

Nothing is suggested where a span (anyone's) or a gold span already has the same range, where a span of the
same label overlaps, or where the range and label were rejected in that document.
"""
from __future__ import annotations

from ..core.model import Suggestion
from ..store.suggestions import (
    ModelRecord,
    Provenance,
    accept,
    accept_many,
    latest_model,
    models,
    provenance,
    reject,
    set_setting,
    settings,
    unreject,
)
from .commands import AcceptSuggestion, RejectSuggestion
from .engine import DEFAULT_SOURCES, SOURCES, Suggester, parse_sources, suggestions_for

__all__ = [
    "AcceptSuggestion", "DEFAULT_SOURCES", "RejectSuggestion", "ModelRecord", "Provenance", "SOURCES", "Suggester", "Suggestion", "accept", "accept_many",
    "latest_model", "models", "parse_sources", "provenance", "reject", "set_setting", "settings", "suggestions_for",
    "unreject",
]
