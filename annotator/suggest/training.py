"""Training the "model" source: a spaCy pipeline from a blank English pipeline, on CPU, with nothing downloaded,
learning from the documents reviewers marked done and the gold layer: an ``ner`` for the labels whose spans never
overlap, a ``spancat`` for the others (our spans overlap and nest), with candidates fitted to the tagged spans
(pipeline.py, clauses.py).

    record = train(store, labels=("ORGANISATION", "FIGURE"), progress=print)   # in this process
    job = TrainingJob.start(db_path, labels=...)   # in a background process: job.poll() -> new messages

What it learns from: every document someone marked done, with its gold spans where it has a gold layer, else
the spans of the reviewers who marked it done (store.suggestions.reviewed_documents). One document in five (by
its id's hash, so the same ones every time) is held out, and the precision, recall and F1 per label on those
are recorded with the model, beside the previous model's, before anyone relies on it. With fewer than five
documents nothing is held out and the scores say so ("not measured").

The pipeline is saved beside the database, in ``DATABASE.models/model-TIME`` (or ``out_dir``), and recorded in
the table ``suggestion_models``.
"""
from __future__ import annotations

import hashlib
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from ..core.errors import InputError
from ..store import Store
from ..store import suggestions as queries
from ..store.suggestions import ModelRecord
from . import clauses
from .pipeline import THRESHOLD, add_components, aligned_spans, choose_components, example, predicted

HELD_OUT_EVERY = 5    # one document in five is held out for the scores


@dataclass
class Progress:
    """One line of progress: ``stage`` is "reading", "training", "scoring", "saving" or "done"."""

    stage: str
    done: int = 0
    total: int = 0
    loss: float = 0.0
    message: str = ""


@dataclass
class Scores:
    per_label: dict = field(default_factory=dict)  # {label: {"p", "r", "f", "support", "predicted"}}

    def as_dict(self) -> dict:
        return self.per_label


def held_out(doc_id: str) -> bool:
    return int(hashlib.sha256(doc_id.encode()).hexdigest()[:8], 16) % HELD_OUT_EVERY == 0


def split(documents: list) -> tuple[list, list]:
    """(training, held-out) documents; nothing held out below HELD_OUT_EVERY documents, and never all of them."""
    if len(documents) < HELD_OUT_EVERY:
        return documents, []
    train = [d for d in documents if not held_out(d[0])]
    test = [d for d in documents if held_out(d[0])]
    if not test:  # an unlucky draw: hold out the last one
        train, test = documents[:-1], documents[-1:]
    return train, test


def score(nlp, documents: list, labels: Sequence[str], threshold: float = THRESHOLD) -> dict:
    """Per label (and "ALL", the micro average) precision, recall and F1 of exact character ranges."""
    tp: dict = {lab: 0 for lab in labels}
    fp, fn = dict(tp), dict(tp)
    texts = [text for _, text, _ in documents]
    for (_, _, gold), doc in zip(documents, nlp.pipe(texts, batch_size=16)):
        found = {(s, e, lab) for s, e, lab, _ in predicted(doc, threshold)}
        expected = {g for g in gold if g[2] in tp}
        for item in found:
            if item[2] in tp:
                if item in expected:
                    tp[item[2]] += 1
                else:
                    fp[item[2]] += 1
        for item in expected - found:
            fn[item[2]] += 1
    out = {}
    for lab in [*labels, "ALL"]:
        t, p_, n_ = ((sum(tp.values()), sum(fp.values()), sum(fn.values())) if lab == "ALL"
                     else (tp[lab], fp[lab], fn[lab]))
        p = t / (t + p_) if t + p_ else 0.0
        r = t / (t + n_) if t + n_ else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        out[lab] = {"p": round(p, 3), "r": round(r, 3), "f": round(f, 3), "support": t + n_, "predicted": t + p_}
    return out


def models_folder(store: Store) -> Path:
    """Where trained pipelines go: a folder beside the database named after it (``corpus.db.models``)."""
    if store.path == ":memory:":
        raise InputError("a database in memory has nowhere beside it to keep a model: give an output folder")
    return Path(store.path + ".models")


def train(
    store: Store,
    *,
    labels: Sequence[str] = (),
    out_dir: str | Path | None = None,
    iterations: int = 0,
    progress: Callable[[Progress], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    seed: int = 0,
) -> ModelRecord:
    """Train, score on the held-out documents, save, record; returns the record. ``iterations`` 0 picks a number
    from the corpus size (more passes over a small corpus). Raises InputError when there is nothing to learn."""
    import spacy
    from spacy.util import minibatch

    from ..formats import Cancelled

    tell = progress or (lambda p: None)
    began = time.perf_counter()
    known = [label.name for label in store.labels() if not label.retired]
    for label in labels:
        if label not in known:
            raise InputError(f"unknown label {label!r}; known labels: {', '.join(known)}")
    tell(Progress("reading", message="reading the documents marked done"))
    documents = list(queries.reviewed_documents(store, labels))
    if not documents:
        raise InputError("no document is marked done yet: a model learns from reviewed documents (mark some done)")
    used = sorted({lab for _, _, spans in documents for _, _, lab in spans})
    if not used:
        raise InputError(f"the {len(documents)} document(s) marked done have no spans"
                         + (f" with the label(s) {', '.join(labels)}" if labels else "") + ": nothing to learn")
    train_docs, test_docs = split(documents)
    random.seed(seed)
    spacy.util.fix_random_seed(seed)
    nlp = spacy.blank("en")
    aligned = [aligned_spans(nlp, text, spans) for _, text, spans in train_docs]
    # ner where a label never overlaps, spancat for the rest; the spancat's candidates fitted to its spans
    ner_labels, spancat_labels = choose_components([spans for _, spans in aligned])
    fitted = clauses.fit(s for _, spans in aligned for s in spans if s.label_ in spancat_labels)
    add_components(nlp, ner_labels, spancat_labels, fitted)
    examples = [example(nlp, doc, spans, set(ner_labels)) for doc, spans in aligned]
    n_spans = sum(len(spans) for _, spans in aligned)
    tell(Progress("reading", message=f"{len(examples)} document(s), {n_spans} spans: ner for "
                  f"{', '.join(ner_labels) or 'no label'}, spancat for {', '.join(spancat_labels) or 'no label'}"))
    optimizer = nlp.initialize(lambda: examples)
    # about 1,500 document-passes: many over a few documents, three over 500 (the benchmark's five-minute target)
    passes = iterations or max(3, min(30, 1500 // max(1, len(examples))))
    # batches of 8, smaller over a few documents: an ner needs many updates to learn anything
    size = max(1, min(8, len(examples) // 4))
    for i in range(passes):
        random.shuffle(examples)
        losses: dict = {}
        for batch in minibatch(examples, size=size):
            nlp.update(batch, sgd=optimizer, drop=0.2, losses=losses)
            if cancelled and cancelled():
                raise Cancelled("training cancelled: no model was saved")
        loss = float(losses.get("spancat", 0.0) + losses.get("ner", 0.0))
        tell(Progress("training", i + 1, passes, loss, f"pass {i + 1} of {passes} over {len(examples)} documents"))
    tell(Progress("scoring", message=f"scoring on {len(test_docs)} held-out document(s)"))
    scores = score(nlp, test_docs, used) if test_docs else {}
    before = previous_scores(store, test_docs, used, tell)
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    folder = Path(out_dir) if out_dir else models_folder(store) / f"model-{stamp}"
    tell(Progress("saving", message=f"saving to {folder}"))
    folder.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(folder)
    digest = hashlib.sha256("\n".join(d[0] for d in train_docs).encode()).hexdigest()[:16]
    record = queries.record_model(
        store, path=str(folder.resolve()), labels=used, train_documents=len(train_docs),
        heldout_documents=len(test_docs), train_spans=n_spans, scores=scores,
        seconds=round(time.perf_counter() - began, 1),
        info={"iterations": passes, "documents_digest": digest, "spacy": spacy.__version__,
              "ner": ner_labels, "spancat": spancat_labels, "suggester": fitted, "threshold": THRESHOLD,
              **({"previous": before} if before else {})},
    )
    tell(Progress("done", message=f"model {record.id} saved to {folder}"))
    return record


def previous_scores(store: Store, test_docs: list, labels: Sequence[str], tell=lambda p: None) -> dict | None:
    """The newest model before this one scored on the same held-out documents as the new one
    (``{"id", "scores"}``), so that the two are compared on the same documents; None where that would not be
    fair or cannot be done: no model before, nothing held out now, a model that held nothing out (it trained on
    every document done then, so perhaps on today's held-out ones), a held-out document chosen by the fallback
    rather than by its id's hash, a folder that no longer loads.

    A document held out by its id's hash is held out every time, so a model that held out by the same rule never
    trained on it: its recorded scores were on the documents done then, these are on today's."""
    import spacy

    old = queries.latest_model(store)
    if (old is None or not test_docs or not old.heldout_documents
            or not all(held_out(doc_id) for doc_id, _, _ in test_docs) or not Path(old.path).is_dir()):
        return None
    tell(Progress("scoring", message=f"scoring model {old.id} on the same {len(test_docs)} held-out document(s)"))
    clauses.register()
    try:
        nlp = spacy.load(old.path)
    except Exception:  # a folder someone emptied or edited: the window shows its scores as recorded
        return None
    nlp.max_length = 10 ** 7
    threshold = old.info.get("threshold", THRESHOLD)
    return {"id": old.id, "scores": score(nlp, test_docs, labels, threshold)}


def retraining_due(store: Store) -> tuple[bool, int, int]:
    """(due, newly done documents, the threshold): whether enough documents were marked done since the newest
    model (or at all, before the first) for the ``retrain_after`` setting; the window retrains when it is due."""
    threshold = int(queries.settings(store)["retrain_after"])
    latest = queries.latest_model(store)
    newly = queries.done_since(store, latest.trained if latest else "")
    return newly >= threshold > 0, newly, threshold


def scores_before(record: ModelRecord, previous: ModelRecord | None) -> tuple[dict, bool]:
    """(the previous model's scores per label to show beside ``record``'s, whether they are on the same held-out
    documents): scored again on the new model's held-out documents where training could (``previous_scores``),
    else as recorded when it was trained (on the documents held out then). A label the previous model was not
    trained for has no score."""
    if previous is None:
        return {}, False
    again = record.info.get("previous") or {}
    if again.get("id") == previous.id:
        known = set(previous.labels) | {"ALL"}
        return {label: s for label, s in again["scores"].items() if label in known}, True
    return previous.scores, False


def format_scores(record: ModelRecord, previous: ModelRecord | None = None) -> list[str]:
    """Lines of a table: per label P, R, F1 and how many held-out spans, beside the previous model's F1 (on the
    same held-out documents where it could be scored again on them)."""
    if not record.scores:
        return [f"scores not measured: {record.train_documents} document(s) marked done, fewer than "
                f"{HELD_OUT_EVERY} (one in {HELD_OUT_EVERY} is held out to score the model)"]
    before, same = scores_before(record, previous)
    head = f"{'label':<14} {'P':>6} {'R':>6} {'F1':>6} {'spans':>6}"
    if previous:
        head += f"  {f'model {previous.id} F1':>13}"
    component = {label: kind for kind in ("ner", "spancat") for label in record.info.get(kind, ())}
    if component:
        head += "  learnt by"
    lines = [f"held-out scores on {record.heldout_documents} reviewed document(s) not trained on:", head]
    for label in sorted(record.scores, key=lambda k: (k == "ALL", k)):  # the labels, then ALL (micro average)
        s = record.scores[label]
        line = f"{label:<14} {s['p']:>6.3f} {s['r']:>6.3f} {s['f']:>6.3f} {s['support']:>6}"
        if previous:
            old = before.get(label)
            line += f"  {old['f']:>13.3f}" if old else f"  {'-':>13}"
        if component:
            line += f"  {component.get(label, ''):>10}"
        lines.append(line)
    if previous:
        lines.append(f"model {previous.id} (the previous one) scored on the same held-out documents" if same else
                     f"model {previous.id}'s F1 as recorded when it was trained, on the documents held out then "
                     f"({previous.heldout_documents}): it could not be scored again on these")
    return lines
