"""Import and export of a large corpus as canonical JSONL, against raw sqlite3 doing the same work.

    python benchmarks/bench_corpus.py --n 100000

Each phase runs in a fresh child process, so its peak resident memory is its own.
Baselines, measured in the same run:
  import: read the same JSONL, json.loads each line, executemany the same rows into the same tables (raw sqlite3)
  export: a plain select-and-json.dumps loop writing the same lines (raw sqlite3)
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


def peak_mb() -> float:
    """This process's own peak resident memory. (ru_maxrss would include the parent's: Linux carries it over
    fork and exec.)"""
    from benchmarks.synthetic import peak_rss_mb

    return peak_rss_mb()


def phase_import_ours(jsonl: str, db: str) -> None:
    from annotator.formats import Options, canonical
    from annotator.store import Store
    from annotator.store.bulk import import_records

    store = Store(db)
    t = time.perf_counter()
    report = import_records(store, canonical.read(jsonl, Options(annotator="bench")))
    elapsed = time.perf_counter() - t
    assert report.documents_added and not report.skipped
    print(json.dumps({"seconds": elapsed, "peak_mb": peak_mb(), "spans": report.spans_added}))


def phase_import_baseline(jsonl: str, db: str) -> None:
    import sqlite3

    from annotator.store import Store

    Store(db).close()  # the same schema, made empty
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    t = time.perf_counter()
    docs, spans = [], []
    stamp = "2026-01-01T00:00:00+00:00"

    def flush():
        conn.executemany("INSERT INTO documents VALUES (?,?,?,?,?,?,?)", docs)
        conn.executemany('INSERT INTO spans VALUES (?,?,?,?,?,?,?,?,?,?,?)', spans)
        docs.clear()
        spans.clear()

    with conn:
        with open(jsonl, encoding="utf-8") as fh:
            for line in fh:
                r = json.loads(line)
                m = r["meta"]
                docs.append((r["id"], m["title"], r["text"], m["source"], m["sha256"], "{}", stamp))
                for s in r["spans"]:
                    spans.append((s["id"], r["id"], s["start"], s["end"], s["label"], s["text"], s["annotator"],
                                  s["note"], s["created"], s["updated"], None))
                if len(docs) >= 2000:
                    flush()
        flush()
    print(json.dumps({"seconds": time.perf_counter() - t, "peak_mb": peak_mb()}))


def phase_export_ours(db: str, out: str) -> None:
    from annotator.formats import canonical
    from annotator.store import Store
    from annotator.store.bulk import export_records

    store = Store(db)
    t = time.perf_counter()
    with open(out, "w", encoding="utf-8", newline="\n") as fh:
        canonical.write(export_records(store), fh)
    print(json.dumps({"seconds": time.perf_counter() - t, "peak_mb": peak_mb()}))


def phase_export_baseline(db: str, out: str) -> None:
    import sqlite3

    conn = sqlite3.connect(db)
    t = time.perf_counter()
    spans = conn.execute('SELECT doc_id, id, start, "end", label, text, annotator, note, created, updated '
                         'FROM spans WHERE deleted IS NULL ORDER BY doc_id, start, "end" DESC, label, annotator, id')
    pending = next(spans, None)
    with open(out, "w", encoding="utf-8", newline="\n") as fh:
        for doc_id, text, title, source, digest, meta in conn.execute(
                "SELECT id, text, title, source, sha256, meta FROM documents ORDER BY id"):
            mine = []
            while pending is not None and pending[0] == doc_id:
                mine.append({"id": pending[1], "start": pending[2], "end": pending[3], "label": pending[4],
                             "text": pending[5], "annotator": pending[6], "note": pending[7],
                             "created": pending[8], "updated": pending[9]})
                pending = next(spans, None)
            meta = json.loads(meta)
            meta.update(title=title, source=source, sha256=digest)
            fh.write(json.dumps({"id": doc_id, "text": text, "meta": dict(sorted(meta.items())), "spans": mine,
                                 "reviews": []}, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(json.dumps({"seconds": time.perf_counter() - t, "peak_mb": peak_mb()}))


def child(name: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--phase", name, *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--phase")
    parser.add_argument("args", nargs="*")
    a = parser.parse_args()
    if a.phase:
        globals()[f"phase_{a.phase}"](*a.args)
        return
    from benchmarks.synthetic import write_corpus

    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "corpus.jsonl")
        write_corpus(src, a.n)
        size = os.path.getsize(src) / 1e6
        ours_db, base_db = os.path.join(tmp, "ours.db"), os.path.join(tmp, "base.db")
        imp = child("import_ours", src, ours_db)
        imp_b = child("import_baseline", src, base_db)
        exp = child("export_ours", ours_db, os.path.join(tmp, "ours.jsonl"))
        exp_b = child("export_baseline", ours_db, os.path.join(tmp, "base.jsonl"))
        same = Path(tmp, "ours.jsonl").read_bytes() == Path(tmp, "base.jsonl").read_bytes()
        print(f"corpus: {a.n:,} documents, {imp['spans']:,} spans, {size:,.0f} MB of canonical JSONL")
        print(f"{'phase':<8} {'annotator':>11} {'raw sqlite3':>12} {'ratio':>6} {'peak RSS':>9}")
        for name, ours, base in (("import", imp, imp_b), ("export", exp, exp_b)):
            print(f"{name:<8} {ours['seconds']:>10.2f}s {base['seconds']:>11.2f}s {ours['seconds'] / base['seconds']:>6.2f}"
                  f" {ours['peak_mb']:>7.0f}MB")
        print(f"our export byte-identical to the baseline's lines: {same}")


if __name__ == "__main__":
    main()
