"""Suggestions: speed, memory and quality.

    python benchmarks/bench_suggest.py                 # everything below (about 10 minutes on a shared 2-core box)
    python benchmarks/bench_suggest.py --only quality  # the quality figures only (a minute)

Speed, each phase in a fresh child process (its own peak memory), with its baseline measured in the same run:

  article   one 4 KB article (a bundled one, cut at 4,096 characters), corpus + patterns, warm: median of 50
            calls of ``suggestions_for`` (target 20 ms) beside spaCy's blank English tokenizer on the same text;
            then the model source (target 50 ms) beside the trained pipeline's own ``nlp(text)``.
  suggest   ``Suggester.for_documents`` (corpus + patterns) streaming over N = 10,000 synthetic 4 KB articles
            from the database, with the peak memory and the memory after 1,000 and after N documents (flat
            memory: the two are close), beside spaCy's own ``nlp.pipe`` of the same texts with the same blank
            English pipeline (what the patterns source tokenizes with), in its own process.
  train     ``training.train`` on 500 reviewed synthetic articles with organisations, figures and about six
            COMMITMENT clauses each (10 to 20 tokens, holding an organisation and a figure): an ner for
            ORGANISATION and FIGURE, a spancat with the clause suggester for COMMITMENT (target: under 5 minutes).
  refresh   a span added in the 10,000-article corpus: CPU time until the next suggestions of an article, the
            span added by this connection and by another, beside the same call with nothing changed and beside
            reading every tagged text again (what each change cost before the corpus source was incremental).

Quality:

  public    a public NER set not ours (wikigold, the first 20 articles of ``wikigold.conll.txt``, CoNLL shaped, in
            benchmarks/data/ with its source): 80 % of its groups of 4 sentences reviewed (done), suggestions
            from each source (corpus, patterns, model) on the other 20 %, per-label precision, recall and F1
            (exact ranges).
  bundled   the bundled articles with a reviewer's spans (benchmarks/data/bundled_reviewer.jsonl): a reviewer
            going through them in order; for each article, how many of the spans they made could have been
            accepted from suggestions (corpus from the earlier articles, patterns), exact range and label.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT / "benchmarks" / "data"

ORGS = ["UNODC", "IOM", "the Bali Process", "ASEAN", "Interpol", "UNHCR", "the Ministry of Foreign Affairs"]
FIGS = ["350 Pakistani nationals", "2.4 million people", "US$7 billion", "more than 90 delegates", "12 per cent"]
FILLER = ("the ministers agreed to strengthen cooperation against migrant smuggling and human trafficking across "
          "the region while officials reported new cases said the deputy director general of the department on "
          "Monday in a statement after the meeting with partners").split()


PROMISES = [("will provide", "to the victims of trafficking next year"), ("pledged to train", "on border controls"),
            ("agreed to resettle", "before the end of the year with help from its partners"),
            ("will fund shelters for", "in the region over the next three years")]


def _commitment(rng: random.Random, at: int) -> tuple[str, list[tuple[int, int, str]]]:
    """'. The minister said ORG will provide FIGURE to ... .': a COMMITMENT clause of 10 to 20 tokens holding an
    ORGANISATION and a FIGURE, tagged as the guideline asks (from the actor to the end of what is promised)."""
    org, fig, (verb, rest) = rng.choice(ORGS), rng.choice(FIGS), rng.choice(PROMISES)
    head = ". The minister said "
    clause = f"{org} {verb} {fig} {rest}"
    start = at + len(head)
    spans = [(start, start + len(clause), "COMMITMENT"), (start, start + len(org), "ORGANISATION")]
    f = start + len(org) + 1 + len(verb) + 1
    spans.append((f, f + len(fig), "FIGURE"))
    return head + clause + " .", spans


def synthetic_article(rng: random.Random, i: int, size: int = 4000, commitments: bool = False
                      ) -> tuple[str, list[tuple[int, int, str]]]:
    """A 4 KB article of filler words with organisations and figures in it, and where they are; with
    ``commitments``, also about six COMMITMENT clauses holding some of them."""
    parts, spans, n = [f"Article {i}:"], [], len(f"Article {i}:")
    while n < size:
        roll = rng.random()
        if commitments and roll < 0.01:
            clause, inside = _commitment(rng, n + 1)
            parts.append(clause)
            spans.extend(inside)
            n += 1 + len(clause)
            continue
        if roll < 0.04:
            word, label = rng.choice(ORGS), "ORGANISATION"
        elif roll < 0.06:
            word, label = rng.choice(FIGS), "FIGURE"
        else:
            word, label = rng.choice(FILLER), None
        start = n + 1
        parts.append(word)
        n = start + len(word)
        if label:
            spans.append((start, n, label))
    return " ".join(parts), spans


def peak_rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def make_db(path: str, n: int, reviewed: int, seed: int = 3, commitments: bool = False) -> None:
    """N synthetic articles; the first ``reviewed`` with their spans and marked done by alice."""
    from annotator.store import Store

    rng = random.Random(seed)
    store = Store(path)
    with store.transaction():
        for i in range(n):
            text, spans = synthetic_article(rng, i, commitments=commitments)
            doc = store.add_document(text)[0]
            if i < reviewed:
                for s, e, label in spans:
                    store.add_span(doc.id, s, e, label, "alice")
                store.set_review(doc.id, "alice", status="done")
    store.close()


def four_kb_article() -> str:
    texts = sorted((p.read_text() for p in (ROOT / "documents").glob("*.txt")), key=lambda t: abs(len(t) - 4096))
    text = texts[0] if len(texts[0]) <= 4096 else texts[0][:4096].rsplit(" ", 1)[0]
    return text


# -- phases -----------------------------------------------------------------------------------------------------

def phase_article(db: str, model_db: str) -> None:
    from spacy.lang.en import English

    from annotator.store import Store
    from annotator.suggest import Suggester

    text = four_kb_article()
    store = Store(db)
    doc = store.add_document(text)[0]
    suggester = Suggester(store, ("corpus", "patterns"))
    suggester.for_document(doc.id)  # warm: pipelines loaded, texts read

    def median_ms(fn, n=50):
        # CPU time of this process: on a shared machine the wall clock mostly measures the neighbours
        times = []
        for _ in range(n):
            t = time.process_time()
            fn()
            times.append(time.process_time() - t)
        return statistics.median(times) * 1000

    ours = median_ms(lambda: suggester.for_document(doc.id))
    nlp = English()
    base = median_ms(lambda: nlp.make_doc(text))
    found = len(suggester.for_document(doc.id))
    out = {"chars": len(text), "corpus_patterns_ms": ours, "tokenizer_ms": base, "suggestions": found}
    store.close()
    mstore = Store(model_db)
    mdoc = mstore.add_document(text)[0]
    model = Suggester(mstore, ("model",))
    if model.sources:
        model.for_document(mdoc.id)
        out["model_ms"] = median_ms(lambda: model.for_document(mdoc.id), n=20)
        pipeline = model.sources[0].nlp
        out["model_nlp_ms"] = median_ms(lambda: pipeline(text), n=20)
    mstore.close()
    print(json.dumps(out))


def phase_suggest(db: str) -> None:
    from annotator.store import Store
    from annotator.store import suggestions as queries
    from annotator.suggest import Suggester

    store = Store(db)
    suggester = Suggester(store, ("corpus", "patterns"))
    t, cpu = time.perf_counter(), time.process_time()
    n = found = 0
    rss_1000 = 0.0
    for _, got in suggester.for_documents(queries.documents_to_suggest(store)):
        n += 1
        found += len(got)
        if n == 1000:
            rss_1000 = rss_mb()
    elapsed = time.perf_counter() - t
    print(json.dumps({"documents": n, "suggestions": found, "seconds": elapsed, "cpu": time.process_time() - cpu,
                      "rss_after_1000_mb": rss_1000,
                      "rss_after_all_mb": rss_mb(), "peak_mb": peak_rss_mb()}))


def phase_refresh(db: str) -> None:
    """A span added in the 10,000-article corpus: CPU time until the next suggestions of a document, by this
    connection (the command line's path: the store's change notice names the document), by another that says
    which document it changed (the window's: its suggestion process has its own connection and is told by the
    window, ``Suggester.told``) and by another that says nothing (a terminal's command: the document is found by
    the span tables' fingerprints), beside the same call with nothing changed and beside reading every tagged text again
    (``rebuild``, what every change cost before the corpus source became incremental)."""
    from annotator.store import Store
    from annotator.store import suggestions as queries
    from annotator.suggest import Suggester

    store, other = Store(db), Store(db)
    suggester = Suggester(store, ("corpus",))
    corpus = suggester.sources[0]
    reviewed = [d for d, _, _ in queries.documents_to_suggest(store, status="done")][:48]
    target = next(d for d, _, _ in queries.documents_to_suggest(store, status="todo"))
    suggester.for_document(target)

    def cpu_ms(fn) -> float:
        t = time.process_time()
        fn()
        return (time.process_time() - t) * 1000

    def tag_new_word(connection, doc_id: str, k: int) -> None:
        # a text tagged nowhere yet (the article's own heading, "Article 17"): new to the finder
        text = connection.document_text(doc_id)
        connection.add_span(doc_id, 0, text.index(":"), "FIGURE" if k % 2 else "ORGANISATION", "bob")

    out: dict = {"spans": store.conn.execute("SELECT count(*) FROM spans").fetchone()[0],
                 "texts": len(corpus.verdicts)}
    runs = {"nothing_changed": [], "rebuild": [], "this_connection": [], "other_connection": [], "told": []}
    scan = queries.tagged_fingerprints
    for k in range(12):
        runs["nothing_changed"].append(cpu_ms(lambda: suggester.for_document(target)))
        queries.tagged_fingerprints = lambda store: {}  # the old full read had no fingerprints to take
        runs["rebuild"].append(cpu_ms(lambda: (corpus.rebuild(), suggester.for_document(target))))
        queries.tagged_fingerprints = scan
        corpus.rebuild()
        tag_new_word(store, reviewed[2 * k], k)
        runs["this_connection"].append(cpu_ms(lambda: suggester.for_document(target)))
        tag_new_word(other, reviewed[2 * k + 1], k + 1)
        runs["other_connection"].append(cpu_ms(lambda: suggester.for_document(target)))
        told = reviewed[24 + 2 * k]
        tag_new_word(other, told, k)
        runs["told"].append(cpu_ms(lambda: (suggester.told([told]), suggester.for_document(target))))
    out.update({name: statistics.median(times) for name, times in runs.items()})
    store.close()
    other.close()
    print(json.dumps(out))


def phase_pipe(db: str) -> None:
    from spacy.lang.en import English

    from annotator.store import Store
    from annotator.store import suggestions as queries

    store = Store(db)
    nlp = English()
    t, cpu = time.perf_counter(), time.process_time()
    n = tokens = 0
    for doc in nlp.pipe(text for _, text, _ in queries.documents_to_suggest(store)):
        n += 1
        tokens += len(doc)
    print(json.dumps({"documents": n, "tokens": tokens, "seconds": time.perf_counter() - t,
                      "cpu": time.process_time() - cpu, "peak_mb": peak_rss_mb()}))


def phase_train(db: str, iterations: int) -> None:
    from annotator.store import Store
    from annotator.suggest.training import train

    store = Store(db)
    t, cpu = time.perf_counter(), time.process_time()
    record = train(store, iterations=iterations,
                   progress=lambda p: print(f"  {p.stage} {p.message}", file=sys.stderr, flush=True))
    print(json.dumps({"seconds": time.perf_counter() - t, "cpu": time.process_time() - cpu,
                      "train_documents": record.train_documents,
                      "heldout_documents": record.heldout_documents, "iterations": record.info["iterations"],
                      "scores": record.scores, "peak_mb": peak_rss_mb()}))


# -- quality ----------------------------------------------------------------------------------------------------

def read_conll(path: Path, group: int = 4) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """CoNLL ``TOKEN TAG`` lines (IOB1 or IOB2) as texts of ``group`` sentences each, tokens joined by spaces."""
    sentences, tokens = [], []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip() or line.startswith("-DOCSTART-"):
            if tokens:
                sentences.append(tokens)
                tokens = []
            continue
        word, tag = line.rsplit(" ", 1)
        tokens.append((word, tag))
    docs = []
    for i in range(0, len(sentences), group):
        text, spans, open_span = "", [], None
        for sentence in sentences[i:i + group]:
            prev_label = None
            for word, tag in sentence:
                start = len(text) + (1 if text else 0)
                text = (text + " " if text else "") + word
                label = tag[2:] if tag[:2] in ("I-", "B-") else None  # WikiGold has one "0" for "O"
                begins = tag.startswith("B-") or (label is not None and label != prev_label)
                if open_span and (label is None or begins):
                    spans.append(tuple(open_span))
                    open_span = None
                if label is not None:
                    if open_span is None:
                        open_span = [start, len(text), label]
                    else:
                        open_span[1] = len(text)
                prev_label = label
            if open_span:
                spans.append(tuple(open_span))
                open_span = None
        docs.append((text, spans))
    return docs


def evaluate(found: dict, gold: dict, labels) -> dict:
    out = {}
    for label in [*labels, "ALL"]:
        tp = fp = fn = 0
        for doc_id, expected in gold.items():
            exp = {g for g in expected if label == "ALL" or g[2] == label}
            got = {g for g in found.get(doc_id, set()) if label == "ALL" or g[2] == label}
            tp += len(exp & got)
            fp += len(got - exp)
            fn += len(exp - got)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        out[label] = {"p": p, "r": r, "f": 2 * p * r / (p + r) if p + r else 0.0, "support": tp + fn}
    return out


def reviewed_and_held(docs: list, reviewed: int, store) -> dict:
    """Add ``docs`` ((text, spans)) to ``store`` in order: the first ``reviewed`` with their spans, marked done by
    "reviewer"; the others without, their spans returned as the gold to score suggestions on ({doc id: spans})."""
    gold = {}
    for rank, (text, spans) in enumerate(docs):
        doc = store.add_document(text)[0]
        if rank < reviewed:
            for s, e, label in spans:
                store.add_span(doc.id, s, e, label, "reviewer")
            store.set_review(doc.id, "reviewer", status="done")
        else:
            gold[doc.id] = set(spans)
    return gold


def phase_public(path: str, iterations: int) -> None:
    """80/20 on a CoNLL set: the train part reviewed in a database, each source scored on the test part."""
    from annotator.store import Store
    from annotator.suggest import Suggester, latest_model
    from annotator.suggest.training import train

    docs = read_conll(Path(path))
    labels = sorted({s[2] for _, spans in docs for s in spans})
    rng = random.Random(0)
    order = list(range(len(docs)))
    rng.shuffle(order)
    cut = int(len(docs) * 0.8)
    folder = tempfile.mkdtemp()
    store = Store(os.path.join(folder, "public.db"))
    for label in labels:
        store.add_label(label)
    gold = reviewed_and_held([docs[k] for k in order], cut, store)
    t = time.perf_counter()
    # every reviewed document trains the model here (the test documents are the held-out ones)
    from annotator.suggest import training
    training.HELD_OUT_EVERY = 10 ** 9
    train(store, iterations=iterations)
    seconds = time.perf_counter() - t
    results = {"documents": len(docs), "train": cut, "test": len(docs) - cut, "labels": labels,
               "train_seconds": seconds, "sources": {}}
    # the patterns suggest our labels: their ORGANISATION (the registry's names) is scored as the set's ORG, their
    # FIGURE (a label the set does not have) is left out
    ours = {"ORGANISATION": "ORG"}
    for source in ("corpus", "patterns", "model"):
        suggester = Suggester(store, (source,))
        found = {doc_id: {(s.start, s.end, ours.get(s.label, s.label)) for s in suggester.for_document(doc_id)
                          if s.label in labels or s.label in ours} for doc_id in gold}
        results["sources"][source] = evaluate(found, gold, labels)
    record = latest_model(store)
    results["components"] = {"ner": record.info.get("ner", []), "spancat": record.info.get("spancat", [])}
    store.close()
    print(json.dumps(results))


def phase_bundled(path: str) -> None:
    """A reviewer going through the bundled articles in order, tagging each article's spans in reading order: a
    span could have been accepted if, when the reviewer reached it, it was suggested with its range and label by
    the corpus (their earlier articles and the spans already made in this one) or by the patterns."""
    from annotator.store import Store
    from annotator.suggest import Suggester

    records = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    store = Store(":memory:")
    docs = [(store.add_document(r["text"])[0].id, r) for r in records]
    corpus, patterns = Suggester(store, ("corpus",)), Suggester(store, ("patterns",))
    rows, total, hit = [], 0, {"corpus": 0, "patterns": 0, "either": 0}
    for doc_id, record in docs:
        spans = sorted((s["start"], s["end"], s["label"]) for s in record["spans"])
        from_patterns = {(s.start, s.end, s.label) for s in patterns.for_document(doc_id)}
        row = {"title": record["meta"]["file"][:60], "spans": len(spans), "corpus": 0, "patterns": 0, "either": 0,
               "patterns_not_taken": len(from_patterns - set(spans))}
        for span in spans:
            from_corpus = {(s.start, s.end, s.label) for s in corpus.for_document(doc_id)}
            row["corpus"] += span in from_corpus
            row["patterns"] += span in from_patterns
            row["either"] += span in from_corpus or span in from_patterns
            store.add_span(doc_id, span[0], span[1], span[2], "reviewer")  # the corpus learns it at once
        rows.append(row)
        total += len(spans)
        for k in hit:
            hit[k] += row[k]
    print(json.dumps({"rows": rows, "spans": total, **hit}))


# -- driver -----------------------------------------------------------------------------------------------------

def child(*args) -> dict:
    out = subprocess.run([sys.executable, __file__, "--phase", *map(str, args)], capture_output=True, text=True)
    if out.returncode:
        sys.stderr.write(out.stderr)
        raise SystemExit(f"phase {args[0]} failed")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--phase", nargs="+")
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--train-docs", type=int, default=500)
    parser.add_argument("--only", choices=["speed", "quality"])
    args = parser.parse_args()
    if args.phase:
        name, *rest = args.phase
        {"article": phase_article, "suggest": phase_suggest, "pipe": phase_pipe, "refresh": phase_refresh,
         "train": lambda db, it: phase_train(db, int(it)), "public": lambda p, it: phase_public(p, int(it)),
         "bundled": phase_bundled}[name](*rest)
        return
    folder = tempfile.mkdtemp(prefix="bench-suggest-")
    if args.only != "quality":
        corpus_db = os.path.join(folder, "corpus.db")
        t = time.perf_counter()
        make_db(corpus_db, args.n, reviewed=200)
        print(f"setup: {args.n} articles, 200 reviewed, in {time.perf_counter() - t:.0f} s (not timed below)")
        train_db = os.path.join(folder, "train.db")
        make_db(train_db, args.train_docs, reviewed=args.train_docs, commitments=True)
        tr = child("train", train_db, 0)
        print(f"train: {tr['train_documents']} reviewed articles (+{tr['heldout_documents']} held out), "
              f"{tr['iterations']} passes: {tr['seconds']:.0f} s wall, {tr['cpu']:.0f} s CPU (target 300 s), "
              f"peak {tr['peak_mb']:.0f} MB; "
              f"held-out F1 {tr['scores'].get('ALL', {}).get('f', 0):.3f}")
        art = child("article", corpus_db, train_db)
        print(f"article ({art['chars']} chars, {art['suggestions']} suggestions; CPU ms, median): corpus+patterns "
              f"{art['corpus_patterns_ms']:.1f} ms (target 20) vs spaCy tokenizer alone {art['tokenizer_ms']:.1f} ms "
              f"({art['corpus_patterns_ms'] / art['tokenizer_ms']:.1f}x)")
        if "model_ms" in art:
            print(f"article, model: {art['model_ms']:.1f} ms (target 50) vs the pipeline's own nlp(text) "
                  f"{art['model_nlp_ms']:.1f} ms ({art['model_ms'] / art['model_nlp_ms']:.2f}x)")
        sg = child("suggest", corpus_db)
        pp = child("pipe", corpus_db)
        print(f"suggest over {sg['documents']} articles (corpus+patterns): {sg['seconds']:.1f} s wall, "
              f"{sg['cpu']:.1f} s CPU, {sg['suggestions']} suggestions, RSS after 1,000 {sg['rss_after_1000_mb']:.0f} MB, "
              f"after all {sg['rss_after_all_mb']:.0f} MB, peak {sg['peak_mb']:.0f} MB; spaCy nlp.pipe (blank "
              f"English) {pp['seconds']:.1f} s wall, {pp['cpu']:.1f} s CPU, peak {pp['peak_mb']:.0f} MB; ratio "
              f"{sg['cpu'] / pp['cpu']:.2f}x (CPU)")
        rf = child("refresh", corpus_db)
        print(f"a span added among {rf['spans']} spans ({rf['texts']} tagged texts) of the {args.n} articles, CPU ms "
              f"until the next suggestions of a 4 KB article (median of 12): by this connection "
              f"{rf['this_connection']:.1f} ms, by another that says which document (the window's) {rf['told']:.1f} "
              f"ms, by another that says nothing {rf['other_connection']:.1f} ms; reading every tagged "
              f"text again (before) {rf['rebuild']:.1f} ms; nothing changed {rf['nothing_changed']:.1f} ms "
              f"(ratios to nothing changed: {rf['this_connection'] / rf['nothing_changed']:.1f}x, "
              f"{rf['other_connection'] / rf['nothing_changed']:.1f}x, before {rf['rebuild'] / rf['nothing_changed']:.1f}x)")
    if args.only != "speed":
        public = child("public", DATA / "wikigold.conll", 0)
        print(f"public set wikigold (first 20 articles; {public['documents']} groups of 4 sentences; train "
              f"{public['train']}, test {public['test']}; model trained in {public['train_seconds']:.0f} s, ner for "
              f"{', '.join(public['components']['ner']) or 'no label'}, spancat for "
              f"{', '.join(public['components']['spancat']) or 'no label'}):")
        print(f"  {'source':<9} {'label':<6} {'P':>6} {'R':>6} {'F1':>6} {'spans':>6}")
        for source, scores in public["sources"].items():
            for label, s in scores.items():
                print(f"  {source:<9} {label:<6} {s['p']:>6.3f} {s['r']:>6.3f} {s['f']:>6.3f} {s['support']:>6}")
        bundled = DATA / "bundled_reviewer.jsonl"
        if bundled.exists():
            b = child("bundled", bundled)
            print(f"bundled articles, in order: of the {b['spans']} ORGANISATION/FIGURE spans a reviewer made, "
                  f"{b['either']} ({100 * b['either'] / max(1, b['spans']):.0f} %) could have been accepted from "
                  f"suggestions (corpus {b['corpus']}, patterns {b['patterns']})")
            for r in b["rows"]:
                print(f"  {r['title']:<60} {r['either']:>3} of {r['spans']:>3} (corpus {r['corpus']}, patterns "
                      f"{r['patterns']}; {r['patterns_not_taken']} pattern suggestions not taken)")


if __name__ == "__main__":
    main()
