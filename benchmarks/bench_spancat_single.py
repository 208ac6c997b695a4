"""Which component should learn which label: the model as it is (pipeline.choose_components: an ``ner`` for the
labels whose spans never overlap their own, a multi-label ``spancat`` for the rest) against spaCy's
``spancat_singlelabel`` (spaCy >= 3.7: one label or none per candidate, softmax with a negative class), measured
on the same data in the same run.

    python benchmarks/bench_spancat_single.py              # every set, every variant (half an hour)
    python benchmarks/bench_spancat_single.py --only wikigold

Variants (``training.train`` as it is, with the choice of components replaced):

  present      choose_components' choice (ner where a label never overlaps its own spans, spancat the rest)
  spancat      a multi-label spancat for every label (what the model was before the ner)
  single       a spancat_singlelabel for every label (fits: no span has the same range as another of another label)
  ner+single   choose_components' ner labels in the ner, the rest in a spancat_singlelabel instead of the spancat

Sets:

  wikigold     WikiGold's first 20 articles (benchmarks/data, CC-BY 3.0), 81 groups of 4 sentences, the same 80/20
               split as ``bench_suggest.py --only quality`` (train on 64, score the "model" source on 17); no label
               overlaps there
  bundled      our own corpus's shape: the five bundled articles with a reviewer's ORGANISATION and FIGURE spans
               (benchmarks/data/bundled_reviewer.jsonl) and a COMMITMENT clause each holding some of them
               (tests/findings/tagging.py); leave one article out, five times, the five test articles' scores pooled
  synthetic    the same shape in quantity: bench_suggest.py's synthetic 4 KB articles with COMMITMENT clauses holding
               an ORGANISATION and a FIGURE, 40 reviewed, 10 scored (a small vocabulary: easy to learn)

Scores are exact character ranges of the "model" source's suggestions, as the README's quality table.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_suggest import DATA, evaluate, read_conll, reviewed_and_held  # noqa: E402

VARIANTS = ("present", "spancat", "single", "ner+single")


def use_variant(variant: str) -> None:
    """Replace training's choice of components (and, for the single-label variants, the spancat's factory)."""
    from annotator.suggest import clauses, pipeline, training

    choose = pipeline.choose_components
    if variant == "spancat":
        training.choose_components = lambda per_doc: ([], sorted({s.label_ for spans in per_doc for s in spans}))
    elif variant == "single":
        training.choose_components = lambda per_doc: ([], sorted({s.label_ for spans in per_doc for s in spans}))
    if variant in ("single", "ner+single"):
        def add_components(nlp, ner_labels, spancat_labels, suggester):
            clauses.register()
            nlp.add_pipe("tok2vec", config={"model": pipeline.TOK2VEC})
            if ner_labels:
                ner = nlp.add_pipe("ner", config={"model": pipeline.NER})
                for label in ner_labels:
                    ner.add_label(label)
            if spancat_labels:
                model = {**pipeline.SPANCAT, "scorer": {"@layers": "Softmax.v2"}}
                spancat = nlp.add_pipe("spancat_singlelabel", name="spancat", config={
                    "spans_key": pipeline.SPANS_KEY, "model": model, "allow_overlap": True,
                    "suggester": {"@misc": clauses.SUGGESTER, **suggester}})
                for label in spancat_labels:
                    spancat.add_label(label)
            nlp.meta["annotator"] = {"ner": list(ner_labels), "spancat_singlelabel": list(spancat_labels)}
        training.add_components = add_components
    assert choose is pipeline.choose_components


def train_and_score(store, gold: dict, labels: list[str]) -> tuple[dict, dict]:
    """Train on the documents marked done (all of them: the test documents are not done), score the model
    source on ``gold``'s documents; (found per document, components)."""
    from annotator.suggest import Suggester, latest_model, training

    training.HELD_OUT_EVERY = 10 ** 9  # every done document trains; the test documents are scored below
    training.train(store)
    suggester = Suggester(store, ("model",))
    found = {doc_id: {(s.start, s.end, s.label) for s in suggester.for_document(doc_id) if s.label in labels}
             for doc_id in gold}
    record = latest_model(store)
    return found, {k: v for k, v in record.info.items() if k in ("ner", "spancat")}


def phase_wikigold(variant: str) -> dict:
    from annotator.store import Store

    use_variant(variant)
    docs = read_conll(DATA / "wikigold.conll")
    labels = sorted({s[2] for _, spans in docs for s in spans})
    order = list(range(len(docs)))
    random.Random(0).shuffle(order)  # the split of bench_suggest.py's phase_public
    cut = int(len(docs) * 0.8)
    store = Store(os.path.join(tempfile.mkdtemp(), "w.db"))
    for label in labels:
        store.add_label(label)
    gold = reviewed_and_held([docs[k] for k in order], cut, store)
    found, components = train_and_score(store, gold, labels)
    return {"scores": evaluate(found, gold, labels), "components": components}


def bundled_articles() -> list[tuple[str, list[tuple[int, int, str]]]]:
    """The five bundled articles: the reviewer's ORGANISATION and FIGURE spans and tagging.py's COMMITMENTs."""
    from tests.findings.tagging import TAGS

    out = []
    for line in (DATA / "bundled_reviewer.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        text = record["text"]
        spans = {(s["start"], s["end"], s["label"]) for s in record["spans"]}
        for prefix, label, phrase, occurrence in TAGS:
            if label == "COMMITMENT" and record["meta"]["file"].startswith(prefix):
                at = -1
                for _ in range(occurrence + 1):
                    at = text.index(phrase, at + 1)
                spans.add((at, at + len(phrase), label))
        out.append((text, sorted(spans)))
    return out


def phase_bundled(variant: str) -> dict:
    from annotator.store import Store

    use_variant(variant)
    articles = bundled_articles()
    labels = ["COMMITMENT", "FIGURE", "ORGANISATION"]
    found_all, gold_all, components = {}, {}, {}
    for held in range(len(articles)):
        store = Store(os.path.join(tempfile.mkdtemp(), "b.db"))
        others = [a for k, a in enumerate(articles) if k != held]
        gold = reviewed_and_held([*others, articles[held]], len(others), store)
        found, components = train_and_score(store, gold, labels)
        found_all.update(found)
        gold_all.update(gold)
        store.close()
    return {"scores": evaluate(found_all, gold_all, labels), "components": components}


def phase_synthetic(variant: str, n: int = 50, done: int = 40) -> dict:
    """bench_suggest.py's synthetic 4 KB articles with COMMITMENT clauses holding an ORGANISATION and a FIGURE
    (the shape our spans have, in quantity): ``done`` of ``n`` reviewed, the others scored."""
    from annotator.store import Store
    from benchmarks.bench_suggest import synthetic_article

    use_variant(variant)
    rng = random.Random(5)
    labels = ["COMMITMENT", "FIGURE", "ORGANISATION"]
    store = Store(os.path.join(tempfile.mkdtemp(), "s.db"))
    gold = reviewed_and_held([synthetic_article(rng, i, commitments=True) for i in range(n)], done, store)
    found, components = train_and_score(store, gold, labels)
    return {"scores": evaluate(found, gold, labels), "components": components}


def child(*args) -> dict:
    t, out = time.perf_counter(), subprocess.run([sys.executable, __file__, "--phase", *args],
                                                 capture_output=True, text=True)
    if out.returncode:
        sys.stderr.write(out.stderr)
        raise SystemExit(f"phase {args} failed")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["seconds"] = time.perf_counter() - t
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--phase", nargs=2)
    parser.add_argument("--only", choices=["wikigold", "bundled", "synthetic"])
    parser.add_argument("--variants", default=",".join(VARIANTS))
    args = parser.parse_args()
    if args.phase:
        name, variant = args.phase
        print(json.dumps({"wikigold": phase_wikigold, "bundled": phase_bundled, "synthetic": phase_synthetic}[name](variant)))
        return
    for name in ("wikigold", "bundled", "synthetic"):
        if args.only and args.only != name:
            continue
        print(f"{name}:")
        print(f"  {'variant':<11} {'label':<13} {'P':>6} {'R':>6} {'F1':>6} {'spans':>6}")
        for variant in args.variants.split(","):
            result = child(name, variant)
            for label, s in result["scores"].items():
                print(f"  {variant:<11} {label:<13} {s['p']:>6.3f} {s['r']:>6.3f} {s['f']:>6.3f} {s['support']:>6}")
            print(f"  {variant:<11} ({result['seconds']:.0f} s wall; {json.dumps(result['components'])})", flush=True)


if __name__ == "__main__":
    main()
