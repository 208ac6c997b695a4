"""Relations in the peer formats (issue 14): writing and reading documents with relations and attribute values
against the same documents without them, in the same run, for each peer format that holds them.

    python benchmarks/bench_peer_relations.py            # 2,000 documents, 20 spans and 10 relations each
    python benchmarks/bench_peer_relations.py --n 500

Each document has 20 spans (COMMITMENT, ORGANISATION, FIGURE), 10 relations between them and 10 attribute
values. Times are the best of 5 rounds, with and without run in turns (the machine is shared); the ratio is with /
without.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from annotator.formats import Options, brat, doccano, labelstudio, spacy_jsonl  # noqa: E402
from annotator.formats.common import make_record  # noqa: E402
from annotator.formats.links import Links  # noqa: E402

SENTENCE = "China will strengthen cooperation with IOM and UNODC and pledged US$7 billion to 90 delegates. "
PARTS = [("China will strengthen cooperation", "COMMITMENT"), ("IOM", "ORGANISATION"), ("UNODC", "ORGANISATION"),
         ("US$7 billion", "FIGURE")]


def records(n: int, linked: bool):
    out = []
    for d in range(n):
        text = f"Report {d}. " + SENTENCE * 5
        spans, at = [], 0
        for _ in range(5):
            at = text.index("China", at)
            for phrase, label in PARTS:
                i = text.index(phrase, at)
                spans.append((i, i + len(phrase), label, None, "alice", ""))
            at += 1
        rec = make_record(text, spans)
        if linked:
            links = Links(rec)
            for k in range(0, 20, 4):
                c, o1, o2, f = rec.spans[k:k + 4]
                links.relation(c, o1, "ACTOR", "b")
                links.relation(c, f, "AMOUNT", "b")
                links.attribute(f, "value", 7_000_000_000, "b")
                links.attribute(o1, "entity", "IOM", "b")
        out.append(rec)
    return out


def jobs(module, recs, folder: Path):
    """The write and the read of ``recs`` in ``module``'s format, as two callables."""
    target = folder / ("out" if getattr(module, "WRITES_FOLDER", False) else "out" + module.SUFFIXES[0])

    def write():
        if getattr(module, "WRITES_FOLDER", False):
            module.write(recs, target, Options())
        else:
            with open(target, "w", encoding="utf-8") as out:
                module.write(recs, out, Options())

    def read():
        paths = sorted(target.glob("*.txt")) if target.is_dir() else [target]
        n = sum(1 for p in paths for _ in module.read(p, Options()))
        assert n == len(recs), n

    return write, read


def interleaved(fns: list, rounds: int) -> list[float]:
    """The best time of each callable, run in turns (the machine is shared: turns spread its load over all)."""
    best = [float("inf")] * len(fns)
    for _ in range(rounds):
        for k, fn in enumerate(fns):
            start = time.perf_counter()
            fn()
            best[k] = min(best[k], time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    plain, linked = records(args.n, False), records(args.n, True)
    print(f"{args.n} documents, 20 spans each; with: 10 relations and 10 attribute values each")
    print(f"{'format':<12} {'write without':>14} {'with':>8} {'ratio':>6}   {'read without':>13} {'with':>8} {'ratio':>6}")
    for module in (brat, doccano, labelstudio, spacy_jsonl):
        with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
            write0, read0 = jobs(module, plain, Path(a))
            write1, read1 = jobs(module, linked, Path(b))
            w0, w1 = interleaved([write0, write1], args.rounds)
            r0, r1 = interleaved([read0, read1], args.rounds)
        print(f"{module.NAME:<12} {w0:>13.3f}s {w1:>7.3f}s {w1 / w0:>5.2f}x   {r0:>12.3f}s {r1:>7.3f}s {r1 / r0:>5.2f}x")


if __name__ == "__main__":
    main()
