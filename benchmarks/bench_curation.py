"""Team curation at scale: agreement of two reviewers, and merging a reviewer's bundle into a database.

    python benchmarks/bench_curation.py --n 100000

Two reviewers, alice and bob, annotate the same N articles of about 4 KB with 10 spans each (1,000,000 spans
each at N = 100,000) and mark them all done; bob agrees with alice on most spans (the same span, a longer end, another
label, or one of his own). Measured in this run:

  agreement  ``agreement.compute`` for alice and bob over the N documents (target: 60 s at N = 100,000)
  import     baseline: the canonical import of bob's bundle into an empty database
  merge      ``merge_paths`` of bob's bundle into a database holding alice's work (N documents, 10 N spans)
             (target: at most 3 times the import)
  re-merge   the same bundle again: every span is already there (idempotence costs this much)

Each phase runs in a fresh child process (so one phase's memory and caches do not help the next) and prints its
own figures; the bundles and alice's database are made first and not timed.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LABELS = ["ORGANISATION", "FIGURE", "COMMITMENT"]
STAMP_A = "2026-01-01T00:00:00.000000+00:00"
STAMP_B = "2026-01-02T00:00:00.000000+00:00"


def make_bundles(n: int, alice_path: str, bob_path: str, seed: int = 7) -> None:
    from annotator.core.text import document_id, sha256
    from benchmarks.synthetic import WORDS

    rng = random.Random(seed)
    with open(alice_path, "w", encoding="utf-8") as fa, open(bob_path, "w", encoding="utf-8") as fb:
        for i in range(n):
            text = f"Article {i}: " + " ".join(rng.choices(WORDS, k=620))
            # spans on word boundaries, as a reviewer makes them
            starts = [0] + [k + 1 for k, c in enumerate(text) if c == " "]
            doc_id = document_id(text)
            meta = {"sha256": sha256(text), "source": None, "title": f"Article {i}:"}
            a_spans, b_spans = [], []
            for k in range(10):
                w = rng.randrange(2, len(starts) - 6)
                start, end = starts[w], starts[w + rng.randint(1, 3)] - 1
                label = LABELS[k % 3]
                a_spans.append(_span(rng, start, end, label, text, "alice", STAMP_A))
                roll = rng.random()
                if roll < 0.7:
                    pass
                elif roll < 0.8:
                    end = starts[w + 4] - 1
                elif roll < 0.9:
                    label = LABELS[(k + 1) % 3]
                else:
                    w = rng.randrange(2, len(starts) - 6)
                    start, end = starts[w], starts[w + 1] - 1
                b_spans.append(_span(rng, start, end, label, text, "bob", STAMP_B))
            for out, spans, who, stamp in ((fa, a_spans, "alice", STAMP_A), (fb, b_spans, "bob", STAMP_B)):
                spans.sort(key=lambda s: (s["start"], -s["end"], s["label"], s["annotator"], s["id"]))
                rec = {"id": doc_id, "text": text, "meta": meta, "spans": spans,
                       "reviews": [{"annotator": who, "status": "done", "note": "", "updated": stamp}]}
                out.write(json.dumps(rec, ensure_ascii=False, separators=(",", ":")) + "\n")


def _span(rng, start, end, label, text, who, stamp) -> dict:
    return {"id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "start": start, "end": end, "label": label,
            "text": text[start:end], "annotator": who, "note": "", "created": stamp, "updated": stamp}


# -- phases (each in its own process) ---------------------------------------------------------------------------

def phase_setup(alice: str, bob: str, db_alice: str, db_both: str) -> None:
    from annotator.formats import Options, canonical
    from annotator.store import Store
    from annotator.store.bulk import import_records

    t = time.perf_counter()
    store = Store(db_alice)
    import_records(store, canonical.read(alice, Options(annotator="bench")))
    store.close()
    shutil.copy(db_alice, db_both)
    store = Store(db_both)
    import_records(store, canonical.read(bob, Options(annotator="bench")))
    store.close()
    print(json.dumps({"seconds": time.perf_counter() - t}))


def phase_agreement(db: str) -> None:
    from annotator.curation import agreement
    from annotator.store import Store

    store = Store(db)
    t = time.perf_counter()
    report = agreement.compute(store, ["alice", "bob"])
    elapsed = time.perf_counter() - t
    pair = report.pairs[0]
    print(json.dumps({
        "seconds": elapsed, "documents": report.documents, "tokens": report.tokens,
        "spans": [pair.exact[agreement.ALL].a, pair.exact[agreement.ALL].b],
        "f1_exact": pair.exact[agreement.ALL].f1, "f1_overlap": pair.overlap[agreement.ALL].f1,
        "kappa": pair.kappa[agreement.ALL], "alpha": report.alpha[agreement.ALL],
    }))


def phase_import(bundle: str, db: str) -> None:
    from annotator.formats import Options, canonical
    from annotator.store import Store
    from annotator.store.bulk import import_records

    store = Store(db)
    t = time.perf_counter()
    report = import_records(store, canonical.read(bundle, Options(annotator="bench")))
    elapsed = time.perf_counter() - t
    print(json.dumps({"seconds": elapsed, "spans": report.spans_added}))


def phase_merge(bundle: str, db: str) -> None:
    from annotator.curation.merge import merge_paths
    from annotator.store import Store

    store = Store(db)
    t = time.perf_counter()
    report = merge_paths(store, [bundle])
    elapsed = time.perf_counter() - t
    print(json.dumps({"seconds": elapsed, "spans_added": report.spans_added, "spans_ignored": report.spans_ignored,
                      "documents_present": report.documents_present}))


def child(*args) -> dict:
    out = subprocess.run([sys.executable, __file__, "--phase", *args], capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000, help="documents (10 spans each per reviewer)")
    parser.add_argument("--keep", help="a folder to keep the bundles and databases in")
    parser.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        name, *rest = args.phase
        globals()[f"phase_{name}"](*rest)
        return

    work = Path(args.keep or tempfile.mkdtemp(prefix="bench_curation_"))
    work.mkdir(parents=True, exist_ok=True)
    alice, bob = str(work / "alice.jsonl"), str(work / "bob.jsonl")
    db_alice, db_both = str(work / "alice.db"), str(work / "both.db")
    try:
        t = time.perf_counter()
        make_bundles(args.n, alice, bob)
        print(f"bundles: {args.n} documents, {10 * args.n} spans each, "
              f"{os.path.getsize(bob) / 1e6:.0f} MB each ({time.perf_counter() - t:.1f} s to write)")
        setup = child("setup", alice, bob, db_alice, db_both)
        print(f"setup (not timed below): alice's database and one with both reviewers in {setup['seconds']:.1f} s")

        ag = child("agreement", db_both)
        print(f"agreement  {ag['seconds']:7.2f} s  ({ag['documents']} documents, {ag['tokens']} tokens, spans "
              f"{ag['spans'][0]} + {ag['spans'][1]}; exact F1 {ag['f1_exact']:.3f}, overlap F1 {ag['f1_overlap']:.3f}, "
              f"kappa {ag['kappa']:.3f}, alpha {ag['alpha']:.3f})   target: 60 s at N = 100,000")

        empty = str(work / "import.db")
        imp = child("import", bob, empty)
        print(f"import     {imp['seconds']:7.2f} s  (bob's bundle into an empty database: {imp['spans']} spans)")
        target = str(work / "merge.db")
        shutil.copy(db_alice, target)
        mer = child("merge", bob, target)
        print(f"merge      {mer['seconds']:7.2f} s  (bob's bundle into alice's database: {mer['spans_added']} spans "
              f"added, {mer['documents_present']} documents matched)   ratio {mer['seconds'] / imp['seconds']:.2f} x "
              f"the import (target: <= 3 x)")
        again = child("merge", bob, target)
        print(f"re-merge   {again['seconds']:7.2f} s  (the same bundle again: {again['spans_ignored']} spans ignored)   "
              f"ratio {again['seconds'] / imp['seconds']:.2f} x the import")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
