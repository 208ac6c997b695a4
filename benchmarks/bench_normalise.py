"""What proposing entity links and figure values costs an import, against the same import without them.

    python benchmarks/bench_normalise.py --n 2000

The corpus: N articles (the five bundled ones in turn, each made a new document by a first line of its own), with
an ORGANISATION or FIGURE span on every mention a reviewer tags in them (about 20 an article), written as JSONL.
  baseline: annotator import of the file into a new database (transfer.import_paths, propose=False)
  ours:     the same import with --propose (propose=True: links, values, units, ministries made)
  pass:     `annotator normalise` over the database the baseline made (every span, nothing proposed before)
  readers:  propose_figure and propose_entity alone over the span texts, per span: read first (caches emptied),
            and again (a corpus repeats its names and figures: the readers keep the last 8,192 texts)
Each phase runs once on a fresh database file; the figures are one run's.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ORGANISATIONS = ["International Organization for Migration (IOM)", "the Ministry of Foreign Affairs", "IOM",
                 "the Manila Process", "UNODC", "the Bali Process", "UN General Assembly", "UNODC's",
                 "the Federal Investigation Agency", "the European Union", "EU", "the Irish National Police",
                 "the Consular Department", "the Working Group"]
FIGURES = ["more than 90 delegates", "US$7 billion", "86 members", "41 observers", "some 2.4 million people",
           "32 billion U.S. dollars", "thousands of people", "around 470,000 dollars", "350 Pakistani nationals",
           "nearly 60 delegates", "12 months"]


def write_corpus(path: Path, n: int) -> int:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "documents").glob("*.txt"))]
    spans_total = 0
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):
            text = f"Article {i}\n" + texts[i % len(texts)]
            spans = []
            for phrases, label in ((ORGANISATIONS, "ORGANISATION"), (FIGURES, "FIGURE")):
                for phrase in phrases:
                    at = text.find(phrase)
                    while at >= 0:
                        spans.append({"start": at, "end": at + len(phrase), "label": label, "annotator": "bench"})
                        at = text.find(phrase, at + len(phrase))
            spans_total += len(spans)
            out.write(json.dumps({"text": text, "spans": spans}, ensure_ascii=False) + "\n")
    return spans_total


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="articles")
    args = parser.parse_args()
    from annotator.core.figures import propose_figure
    from annotator.core.organisations import propose_entity
    from annotator.store import Store
    from annotator.store.normalise import propose
    from annotator.transfer import import_paths

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus = tmp / "corpus.jsonl"
        spans = write_corpus(corpus, args.n)
        print(f"{args.n} articles, {spans} ORGANISATION and FIGURE spans")

        store = Store(tmp / "baseline.db")
        base, _ = timed(lambda: import_paths(store, [str(corpus)], annotator="bench", propose=False))
        passed, report = timed(lambda: propose(store))
        store.close()
        store = Store(tmp / "ours.db")
        ours, with_proposals = timed(lambda: import_paths(store, [str(corpus)], annotator="bench", propose=True))
        written = len(store.attributes())
        store.close()
        print(f"import (baseline)               {base:7.2f} s")
        print(f"import --propose (ours)         {ours:7.2f} s   {ours / base:.2f}x the baseline, "
              f"{written} values written")
        print(f"normalise over the baseline's   {passed:7.2f} s   ({report.spans} spans, {len(report.proposed)} values)")

        from annotator.core import names
        from annotator.core.ministries import Ministries

        texts = [(p, propose_figure) for p in FIGURES] + [(p, propose_entity) for p in ORGANISATIONS]
        caches = [propose_figure, names.keys_of_span, names.name_key, Ministries._read]

        def first_reading():  # each text as if never seen: the caches emptied before each round
            for _ in range(rounds):
                for cache in caches:
                    cache.cache_clear()
                for p, fn in texts:
                    fn(p)

        rounds = 500
        spent, _ = timed(first_reading)
        again, _ = timed(lambda: [fn(p) for _ in range(rounds) for p, fn in texts])
        print(f"readers alone                   {spent / (rounds * len(texts)) * 1e6:7.1f} us a span read first, "
              f"{again / (rounds * len(texts)) * 1e6:.1f} us again (propose_figure and propose_entity over "
              f"{len(texts)} real span texts)")


if __name__ == "__main__":
    main()
