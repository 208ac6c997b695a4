"""Reading a .spacy file: our document-at-a-time reader against spaCy's own DocBin reading, in the same run.

    python benchmarks/bench_docbin_read.py --n 5000

N synthetic articles of about 4 KB with 10 spans each are written as one .spacy file; then, each in a process of its
own: spaCy's ``DocBin().from_bytes(...).get_docs(...)`` walking every Doc (the baseline), our ``iter_docs`` walking
every Doc, and the whole import of the file into an empty database. Each prints its time and its peak memory.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def child(what: str, path: str, db: str) -> None:
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    from annotator.formats.docbin_stream import iter_docs
    from benchmarks.synthetic import peak_rss_mb

    t = time.perf_counter()
    if what == "spacy":
        n = sum(1 for _ in DocBin().from_bytes(Path(path).read_bytes()).get_docs(Vocab()))
    elif what == "ours":
        n = sum(1 for _ in iter_docs(path, Vocab()))
    else:
        from annotator.store import Store
        from annotator.transfer import import_paths

        import_paths(Store(db), [path], fmt="spacy", annotator="bench")
        n = Store(db).document_count()
    print(json.dumps({"seconds": time.perf_counter() - t, "peak_mb": peak_rss_mb(), "documents": n}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--child", nargs=3)
    a = parser.parse_args()
    if a.child:
        child(*a.child)
        return
    from annotator.formats import Options, canonical, docbin
    from benchmarks.synthetic import write_corpus

    with tempfile.TemporaryDirectory() as tmp:
        src, path, db = os.path.join(tmp, "c.jsonl"), os.path.join(tmp, "c.spacy"), os.path.join(tmp, "c.db")
        write_corpus(src, a.n)
        with open(path, "wb") as fh:
            docbin.write((r for r in canonical.read(src, Options()) if not isinstance(r, Exception)), fh)
        size = os.path.getsize(path) / 1e6
        rows = {}
        for what in ("spacy", "ours", "import"):
            done = subprocess.run([sys.executable, __file__, "--child", what, path, db], capture_output=True, text=True)
            if done.returncode:
                raise SystemExit(done.stderr)
            rows[what] = json.loads(done.stdout.strip().splitlines()[-1])
    base = rows["spacy"]
    print(f"{a.n:,} documents in one .spacy file of {size:.1f} MB")
    print(f"{'':32} {'seconds':>8} {'peak RSS':>9} {'memory x spaCy':>15}")
    for what, label in (("spacy", "spaCy DocBin.from_bytes + get_docs"), ("ours", "our iter_docs"),
                        ("import", "annotator import of the file")):
        r = rows[what]
        print(f"{label:32} {r['seconds']:>8.2f} {r['peak_mb']:>7.0f}MB {r['peak_mb'] / base['peak_mb']:>15.2f}")


if __name__ == "__main__":
    main()
