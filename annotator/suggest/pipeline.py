"""The trained model's spaCy pipeline: which labels an ``ner`` learns and which a ``spancat``, how the pipeline is
built, and what it predicts.

An ``ner`` tags each token once, so it can only learn labels whose spans never overlap; where it can, it learns
more from few examples than a spancat (it sees a name's boundaries, not only candidates to accept or reject) and
needs no suggester. So a label gets an ``ner`` when none of its spans in the training data overlaps another span
of its own label or of another ner label; the others (COMMITMENT clauses that hold ORGANISATIONs and FIGUREs,
nested organisations) get the ``spancat``. Both listen to one shared ``tok2vec``. The choice is recorded in the
saved pipeline's meta.json (``"annotator": {"ner": [...], "spancat": [...]}``) and in the model's record.
"""
from __future__ import annotations

from collections import Counter
from typing import Sequence

from . import clauses

SPANS_KEY = "sc"
THRESHOLD = 0.5
WIDTH = 64

# Smaller than spaCy's defaults (width 96, depth 4): on a shared 2-core machine the default spancat took ~0.6 s a
# document a pass; this takes a fraction of that (benchmarks/bench_suggest.py) for a small loss.
TOK2VEC = {
    "@architectures": "spacy.Tok2Vec.v2",
    "embed": {"@architectures": "spacy.MultiHashEmbed.v2", "width": WIDTH, "rows": [5000, 1000, 2500, 1000],
              "attrs": ["NORM", "PREFIX", "SUFFIX", "SHAPE"], "include_static_vectors": False},
    "encode": {"@architectures": "spacy.MaxoutWindowEncoder.v2", "width": WIDTH, "window_size": 1,
               "maxout_pieces": 3, "depth": 2},
}
LISTENER = {"@architectures": "spacy.Tok2VecListener.v1", "width": WIDTH, "upstream": "tok2vec"}
SPANCAT = {
    "@architectures": "spacy.SpanCategorizer.v1",
    "scorer": {"@layers": "spacy.LinearLogistic.v1"},
    "reducer": {"@layers": "spacy.mean_max_reducer.v1", "hidden_size": 64},
    "tok2vec": LISTENER,
}
NER = {
    "@architectures": "spacy.TransitionBasedParser.v2", "state_type": "ner", "extra_state_tokens": False,
    "hidden_width": 64, "maxout_pieces": 2, "use_upper": True, "tok2vec": LISTENER,
}


def choose_components(spans_per_doc: Sequence[Sequence]) -> tuple[list[str], list[str]]:
    """(ner labels, spancat labels) for the training data's token-aligned spans (spaCy Spans, per document).

    A label overlapping itself anywhere goes to the spancat. Of the rest, while two of them overlap, the one with
    the largest share of its spans overlapping another candidate goes (then the one with the longer spans): a
    COMMITMENT clause holding an ORGANISATION goes, the ORGANISATION, mostly outside clauses, stays."""
    total: Counter = Counter()
    tokens: Counter = Counter()
    self_overlap: set[str] = set()
    touching: list[tuple[str, set]] = []   # per span: its label and the other labels it overlaps
    for spans in spans_per_doc:
        ordered = sorted(spans, key=lambda s: (s.start, s.end))
        others = [set() for _ in ordered]
        for i, a in enumerate(ordered):
            total[a.label_] += 1
            tokens[a.label_] += len(a)
            for j in range(i + 1, len(ordered)):
                b = ordered[j]
                if b.start >= a.end:
                    break
                if a.label_ == b.label_:
                    self_overlap.add(a.label_)
                else:
                    others[i].add(b.label_)
                    others[j].add(a.label_)
        touching.extend((a.label_, o) for a, o in zip(ordered, others) if o)
    ner = set(total) - self_overlap
    while True:
        share: Counter = Counter(label for label, o in touching if label in ner and o & ner)
        if not share:
            break
        ner.discard(max(share, key=lambda lab: (share[lab] / total[lab], tokens[lab] / total[lab], lab)))
    return sorted(ner), sorted(set(total) - ner)


def aligned_spans(nlp, text: str, spans: Sequence[tuple[int, int, str]]) -> tuple:
    """The document and its spans as spaCy Spans on its tokens (a range inside a token grows to the token);
    spans longer than ``clauses.LONGEST`` tokens are left out."""
    doc = nlp.make_doc(text)
    kept = []
    for start, end, label in spans:
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is not None and len(span) <= clauses.LONGEST:
            kept.append(span)
    return doc, kept


def add_components(nlp, ner_labels: Sequence[str], spancat_labels: Sequence[str], suggester: dict) -> None:
    clauses.register()
    nlp.add_pipe("tok2vec", config={"model": TOK2VEC})
    if ner_labels:
        ner = nlp.add_pipe("ner", config={"model": NER})
        for label in ner_labels:
            ner.add_label(label)
    if spancat_labels:
        spancat = nlp.add_pipe("spancat", config={
            "spans_key": SPANS_KEY, "threshold": THRESHOLD, "model": SPANCAT,
            "suggester": {"@misc": clauses.SUGGESTER, **suggester},
        })
        for label in spancat_labels:
            spancat.add_label(label)
    nlp.meta["annotator"] = {"ner": list(ner_labels), "spancat": list(spancat_labels)}


def example(nlp, doc, spans, ner_labels: set):
    """A training Example: the ner labels as the document's entities, the others in its span group."""
    from spacy.training import Example

    reference = doc  # the spans are on it; the prediction starts from a fresh doc of the same text
    reference.spans[SPANS_KEY] = [s for s in spans if s.label_ not in ner_labels]
    if ner_labels:
        reference.set_ents([s for s in spans if s.label_ in ner_labels], default="outside")
    return Example(nlp.make_doc(doc.text), reference)


def predicted(doc, threshold: float = THRESHOLD) -> list[tuple[int, int, str, float | None]]:
    """(start, end, label, score) of what the pipeline found: the spancat's spans at or above the threshold
    (their score) and the ner's entities (no score: an ner gives none)."""
    out = [(e.start_char, e.end_char, e.label_, None) for e in doc.ents]
    group = doc.spans.get(SPANS_KEY)
    if group is not None:
        scores = group.attrs.get("scores")
        for i, s in enumerate(group):
            score = span_score(scores, i) if scores is not None else 1.0
            if score >= threshold:
                out.append((s.start_char, s.end_char, s.label_, score))
    return out


def span_score(scores, i: int) -> float:
    """The score of a span group's ``i``-th span: a number per span from a ``spancat``, an array of one from a
    ``spancat_singlelabel`` (spaCy keeps its argmax column), which ``float()`` refuses."""
    import numpy

    return float(numpy.asarray(scores[i]).reshape(-1)[0])
