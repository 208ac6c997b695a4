"""Import, export and merge of a corpus with relations, against the same corpus without them, in the same run.

    python benchmarks/bench_relations.py --n 100000

N synthetic articles of about 4 KB with 10 spans each (benchmarks/synthetic.py) as canonical JSONL; the second
corpus has the same texts and spans with 10 relations each (COMMITMENT -> ORGANISATION or FIGURE: 1,000,000 for
100,000 articles) and a unit on each FIGURE span. Each step runs in a process of its own, with its wall time, its
CPU time (the machine may be shared: CPU time is what the step itself costs) and its peak memory:
  import  the file into an empty database (``transfer.import_paths``: reading, checking, staging, copying);
  export  the database to canonical JSONL (``transfer.export_to``);
  merge   the database into an empty one (``store.merge.merge_database``: a teammate's .db);
  rawexport  the floor for export: raw sqlite3 and ``json.dumps`` writing the same lines (no checks, no filters).
The issue's target: within 1.5x of the same without relations, memory flat.

``--data DIR`` keeps the corpora and the imported databases in DIR and reuses them: at 100,000 articles making
them takes longer than the steps measured, so a second run can measure only ``--steps merge`` (or export).
``--repeat N`` runs each step N times, the two corpora in turns, and keeps each side's run of least CPU time (on a
shared machine the others' work only ever adds to a run's CPU time: cache misses, migrations between cores); the
peak memory shown is the largest of the N runs.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def child(step: str, src: str, db: str, out: str) -> None:
    from annotator.store import Store
    from benchmarks.synthetic import peak_rss_mb

    t = time.perf_counter()
    if step == "import":
        from annotator.transfer import import_paths

        import_paths(Store(db), [src], fmt="jsonl")
    elif step == "export":
        from annotator.transfer import export_to

        export_to(Store(db), out, fmt="jsonl")
    elif step == "rawexport":
        raw_export(db, out)
    else:
        from annotator.curation.merge import merge_paths

        merge_paths(Store(out), [db])
    wall = time.perf_counter() - t
    use = resource.getrusage(resource.RUSAGE_SELF)
    relations = Store(out if step == "merge" else db).conn.execute("SELECT count(*) FROM relations").fetchone()[0]
    print(json.dumps({"seconds": wall, "cpu": use.ru_utime + use.ru_stime, "peak_mb": peak_rss_mb(),
                      "relations": relations}))


def raw_export(db: str, out: str) -> None:
    """The floor for ``export``: raw sqlite3 cursors walked side by side and ``json.dumps`` of each line, the same
    lines as the canonical export of these corpora (no filters, no tombstones, no gold, no checks)."""
    import sqlite3

    conn = sqlite3.connect(db)

    def follow(sql):
        rows = conn.execute(sql)
        row = next(rows, None)

        def take(doc_id):
            nonlocal row
            mine = []
            while row is not None and row[0] == doc_id:
                mine.append(row)
                row = next(rows, None)
            return mine
        return take

    spans = follow('SELECT doc_id, id, start, "end", label, text, annotator, note, created, updated FROM spans '
                   'WHERE deleted IS NULL ORDER BY doc_id, start, "end" DESC, label, annotator, id')
    relations = follow("SELECT doc_id, id, head, child, type, annotator, created, updated FROM relations "
                       "WHERE deleted IS NULL ORDER BY doc_id, created, id")
    attributes = follow("SELECT doc_id, span_id, name, value, proposed, updated FROM span_attributes "
                        "WHERE deleted IS NULL ORDER BY doc_id, span_id, name")
    with open(out, "w", encoding="utf-8", newline="\n") as fh:
        for doc_id, text, title, source, digest, meta in conn.execute(
                "SELECT id, text, title, source, sha256, meta FROM documents ORDER BY id"):
            values: dict = {}
            for _, span_id, name, value, proposed, updated in attributes(doc_id):
                values.setdefault(span_id, {})[name] = {"value": json.loads(value), "proposed": bool(proposed),
                                                        "updated": updated}
            mine = []
            for _, span_id, start, end, label, span_text, who, note, created, updated in spans(doc_id):
                d = {"id": span_id, "start": start, "end": end, "label": label, "text": span_text,
                     "annotator": who, "note": note, "created": created, "updated": updated}
                if span_id in values:
                    d["attributes"] = values[span_id]
                mine.append(d)
            meta = json.loads(meta)
            meta.update(title=title, source=source, sha256=digest)
            line = {"id": doc_id, "text": text, "meta": dict(sorted(meta.items())), "spans": mine, "reviews": []}
            links = [{"id": r[1], "head": r[2], "child": r[3], "type": r[4], "annotator": r[5], "created": r[6],
                      "updated": r[7]} for r in relations(doc_id)]
            if links:
                line["relations"] = links
            fh.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")


def run(step: str, src: str, db: str, out: str) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", step, src, db, out], capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{step} failed: {done.stderr.strip().splitlines()[-1]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--steps", default="import,export,merge")
    parser.add_argument("--child", nargs=4)
    parser.add_argument("--data", help="a folder to keep the corpora and databases in, and reuse them from")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each step; the least CPU time is kept")
    a = parser.parse_args()
    if a.child:
        child(*a.child)
        return
    from annotator.store import Store
    from benchmarks.synthetic import write_corpus

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        keep = a.data or tmp
        os.makedirs(keep, exist_ok=True)
        paths = {}
        for related in (False, True):
            name = "related" if related else "bare"
            src = os.path.join(keep, f"{name}-{a.n}.jsonl")
            if not os.path.exists(src):
                write_corpus(src + ".part", a.n, relations=related)
                os.replace(src + ".part", src)
            paths[related] = (src, os.path.join(keep, f"{name}-{a.n}.db"))
        steps = [s for s in a.steps.split(",") if s]  # none: only make the data
        if "import" not in steps:  # the steps measured read the databases: import them once, unmeasured
            for src, db in paths.values():
                if not os.path.exists(db):
                    run("import", src, db, os.path.join(tmp, "unused"))
        for step in steps:
            runs: dict[bool, list[dict]] = {False: [], True: []}
            for _ in range(a.repeat):
                for related, (src, db) in paths.items():
                    if step == "import":
                        for name in (db, db + "-wal", db + "-shm"):
                            if os.path.exists(name):
                                os.remove(name)
                    out = os.path.join(tmp, f"{step}-{int(related)}" + (".db" if step == "merge" else ".jsonl"))
                    for name in (out, out + "-wal", out + "-shm"):
                        if os.path.exists(name):
                            os.remove(name)
                    runs[related].append(run(step, src, db, out))
            got = {related: dict(min(r, key=lambda x: x["cpu"]), peak_mb=max(x["peak_mb"] for x in r),
                                 cpus=[x["cpu"] for x in r]) for related, r in runs.items()}
            rows.append((step, got[False], got[True]))
        relations = Store(paths[True][1]).conn.execute("SELECT count(*) FROM relations").fetchone()[0]
    print(f"{a.n:,} documents, {a.n * 10:,} spans; with relations: {relations:,} relations and "
          f"{a.n * 3:,} attribute values")
    print(f"{'step':<7} {'bare s':>7} {'rel. s':>7} {'ratio':>6} {'bare cpu':>9} {'rel. cpu':>9} {'ratio':>6} "
          f"{'bare RSS':>9} {'rel. RSS':>9}")
    for step, bare, rel in rows:
        print(f"{step:<7} {bare['seconds']:>7.2f} {rel['seconds']:>7.2f} {rel['seconds'] / bare['seconds']:>6.2f} "
              f"{bare['cpu']:>9.2f} {rel['cpu']:>9.2f} {rel['cpu'] / bare['cpu']:>6.2f} "
              f"{bare['peak_mb']:>7.0f}MB {rel['peak_mb']:>7.0f}MB")
        if a.repeat > 1:
            print(f"        CPU of each run: without {', '.join(f'{c:.1f}' for c in bare['cpus'])}; "
                  f"with {', '.join(f'{c:.1f}' for c in rel['cpus'])}")


if __name__ == "__main__":
    main()
