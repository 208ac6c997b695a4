"""``annotator sync`` through a folder: a team of 10 reviewers on 10,000 articles (issue 17, "Measured").

Prints the size of the shared place against 10 full bundles (the baseline: each reviewer exporting a bundle of
the corpus, as teams did before sync) and one bundle, and the time of a sync with nothing new and with one
teammate's day of work (300 spans) new, against the time of one bundle export of the same database, measured in
the same run. Run: ``.venv/bin/python benchmarks/bench_sync.py`` (about three minutes on a loaded machine).
"""
from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from annotator.core.model import Document, DocumentRecord
from annotator.curation.bundle import export_bundle
from annotator.formats.common import text_digest
from annotator.store import Store
from annotator.store.bulk import import_records
from annotator.sync import sync

N, R, SPANS = 10_000, 10, 300


def size(paths) -> int:
    return sum(p.stat().st_size for p in paths if p.is_file())


def main() -> None:
    random.seed(1)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        shared = tmp / "shared"
        shared.mkdir()
        texts = [f"Article {i}: the UNODC and IOM met in Bali; {random.randint(0, 10**9)} people. " * 20
                 for i in range(N)]
        stores = [Store(str(tmp / f"r{r}.db")) for r in range(R)]
        records = []
        for t in texts:
            d = text_digest(t)
            records.append(DocumentRecord(Document(d[:16], t, t[:20], None, d, {})))
        import_records(stores[0], records)
        ids = stores[0].document_ids()
        for r in range(R):
            sync(stores[r], str(shared), f"r{r}")
        for r in range(R):
            for _ in range(SPANS):
                stores[r].add_span(ids[random.randrange(N)], 14, 19, "ORGANISATION", f"r{r}")
        for _ in range(2):
            for r in range(R):
                sync(stores[r], str(shared), f"r{r}")
        t0 = time.perf_counter()
        report = sync(stores[0], str(shared), "r0")
        idle = time.perf_counter() - t0
        assert not report.changed
        for _ in range(SPANS):
            stores[1].add_span(ids[random.randrange(N)], 23, 26, "ORGANISATION", "r1")
        sync(stores[1], str(shared), "r1")
        t0 = time.perf_counter()
        sync(stores[0], str(shared), "r0")
        day = time.perf_counter() - t0
        t0 = time.perf_counter()
        export_bundle(stores[0], tmp / "bundle.jsonl")
        export = time.perf_counter() - t0
        bundle = (tmp / "bundle.jsonl").stat().st_size
        place_texts = size((shared / "texts").rglob("*"))  # the texts and their metadata files
        place_reviewers = size((shared / "reviewers").iterdir())
        place = place_texts + place_reviewers
        print(f"team of {R} on {N:,} articles, {R * SPANS:,} + {SPANS} spans")
        print(f"shared place: {place / 1e6:.1f} MB (texts and metadata {place_texts / 1e6:.1f} MB, reviewer files "
              f"{place_reviewers / 1e6:.2f} MB); one bundle {bundle / 1e6:.1f} MB ({place / bundle:.2f}x); "
              f"{R} bundles {R * bundle / 1e6:.1f} MB ({place / (R * bundle):.2f}x)")
        print(f"sync with nothing new: {idle:.2f} s; with {SPANS} new spans of a teammate: {day:.2f} s; "
              f"one bundle export of the same database: {export:.2f} s ({idle / export:.1f}x, {day / export:.1f}x)")
        for s in stores:
            s.close()


if __name__ == "__main__":
    main()
