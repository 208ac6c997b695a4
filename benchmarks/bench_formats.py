"""Every exporter against the canonical JSONL export of the same database, measured in the same run.

    python benchmarks/bench_formats.py --n 100000

A synthetic corpus (N articles of about 4 KB, 10 spans each) is imported once; then each format is exported to a
file in a process of its own, reporting its time, the ratio to the canonical export and its peak memory.
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

FORMATS = [("jsonl", ".jsonl"), ("doccano", ".jsonl"), ("labelstudio", ".json"), ("brat", ""),
           ("spacy-jsonl", ".jsonl"), ("conll", ".conll"), ("spacy", ".spacy"), ("spacy-shards", "")]


def child(db: str, fmt: str, out: str) -> None:
    from annotator.store import Store
    from annotator.transfer import export_to
    from benchmarks.synthetic import peak_rss_mb

    store = Store(db)
    t = time.perf_counter()
    result = export_to(store, out, fmt=fmt)
    print(json.dumps({"seconds": time.perf_counter() - t, "peak_mb": peak_rss_mb(), "documents": result.documents}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--only", help="comma-separated formats")
    parser.add_argument("--child", nargs=3)
    a = parser.parse_args()
    if a.child:
        child(*a.child)
        return
    from annotator.formats import Options, canonical
    from annotator.store import Store
    from annotator.store.bulk import import_records
    from benchmarks.synthetic import write_corpus

    chosen = [f for f in FORMATS if not a.only or f[0] in a.only.split(",") or f[0] == "jsonl"]
    with tempfile.TemporaryDirectory() as tmp:
        src, db = os.path.join(tmp, "c.jsonl"), os.path.join(tmp, "c.db")
        write_corpus(src, a.n)
        import_records(Store(db), canonical.read(src, Options()))
        rows = []
        for fmt, suffix in chosen:
            out = os.path.join(tmp, f"out-{fmt}{suffix}")
            done = subprocess.run([sys.executable, __file__, "--child", db, fmt, out], capture_output=True, text=True)
            if done.returncode:
                rows.append((fmt, None, done.stderr.strip().splitlines()[-1]))
                continue
            rows.append((fmt, json.loads(done.stdout.strip().splitlines()[-1]), ""))
    base = rows[0][1]["seconds"]
    print(f"{a.n:,} documents, {a.n * 10:,} spans; canonical JSONL export {base:.2f} s")
    print(f"{'format':<12} {'seconds':>8} {'x canonical':>12} {'peak RSS':>9}")
    for fmt, r, err in rows:
        if r is None:
            print(f"{fmt:<12} failed: {err}")
        else:
            print(f"{fmt:<12} {r['seconds']:>8.2f} {r['seconds'] / base:>12.2f} {r['peak_mb']:>7.0f}MB")


if __name__ == "__main__":
    main()
