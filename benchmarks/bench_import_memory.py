"""Importing the formats that come as one big file, against reading them the usual way, in the same run.

    python benchmarks/bench_import_memory.py --n 10000

N synthetic articles of about 4 KB with 10 spans each are written as one .spacy file and as one Label Studio JSON
file; then, each in a process of its own, with its time and peak memory:
  .spacy        spaCy's ``DocBin().from_bytes(...).get_docs(...)`` walking every Doc (the baseline), our
                ``iter_docs`` walking every Doc, and the whole import of the file into an empty database;
  Label Studio  ``json.load`` of the file (the baseline), our ``json_array_items`` walking every task, and the
                whole import.
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
    from benchmarks.synthetic import peak_rss_mb

    t = time.perf_counter()
    if what == "spacy-baseline":
        from spacy.tokens import DocBin
        from spacy.vocab import Vocab

        n = sum(1 for _ in DocBin().from_bytes(Path(path).read_bytes()).get_docs(Vocab()))
    elif what == "spacy-ours":
        from spacy.vocab import Vocab

        from annotator.formats.docbin_stream import iter_docs

        n = sum(1 for _ in iter_docs(path, Vocab()))
    elif what == "labelstudio-baseline":
        with open(path, encoding="utf-8") as fh:
            n = len(json.load(fh))
    elif what == "labelstudio-ours":
        from annotator.formats.common import json_array_items

        n = sum(1 for _ in json_array_items(Path(path)))
    else:
        from annotator.store import Store
        from annotator.transfer import import_paths

        import_paths(Store(db), [path], fmt=what.split("-")[0], annotator="bench")
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
    from annotator.formats import Options, canonical, docbin, labelstudio
    from benchmarks.synthetic import write_corpus

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "c.jsonl")
        write_corpus(src, a.n)
        files = {"spacy": os.path.join(tmp, "c.spacy"), "labelstudio": os.path.join(tmp, "c.json")}
        with open(files["spacy"], "wb") as fh:
            docbin.write(canonical.read(src, Options()), fh)
        with open(files["labelstudio"], "w", encoding="utf-8") as fh:
            labelstudio.write(canonical.read(src, Options()), fh)
        for fmt, path in files.items():
            size = os.path.getsize(path) / 1e6
            base = None
            for what, label in ((f"{fmt}-baseline", "spaCy DocBin.from_bytes + get_docs" if fmt == "spacy" else "json.load"),
                                (f"{fmt}-ours", "our iter_docs" if fmt == "spacy" else "our json_array_items"),
                                (f"{fmt}-import", "annotator import of the file")):
                db = os.path.join(tmp, f"{what}.db")
                done = subprocess.run([sys.executable, __file__, "--child", what, path, db], capture_output=True, text=True)
                if done.returncode:
                    raise SystemExit(done.stderr)
                r = json.loads(done.stdout.strip().splitlines()[-1])
                base = base or r
                rows.append((f"{fmt} ({size:.0f} MB)", label, r, r["peak_mb"] / base["peak_mb"]))
    print(f"{a.n:,} documents")
    print(f"{'file':<18} {'':36} {'seconds':>8} {'peak RSS':>9} {'memory x baseline':>18}")
    for file, label, r, ratio in rows:
        print(f"{file:<18} {label:36} {r['seconds']:>8.2f} {r['peak_mb']:>7.0f}MB {ratio:>18.2f}")


if __name__ == "__main__":
    main()
