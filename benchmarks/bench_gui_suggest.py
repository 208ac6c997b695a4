"""Suggestions in the review window: the time from opening a document to its suggestions drawn, beside the bare
open (the document shown and painted, no suggestion yet) measured in the same opens.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_gui_suggest.py

A database with the five bundled articles, four of them tagged as a reviewer did (benchmarks/data/
bundled_reviewer.jsonl) and marked done, and a 1 MB article (bench_gui's generator, full of organisation names
and figures); suggestions from the corpus and the patterns (the settings' sources; no model is trained). The
window opens the fifth bundled article and the 1 MB one in turn; for each open:

  open         ``open_document`` and a paint of the view: what a reviewer waits for today without suggestions
  suggestions  from the same start until the suggestion desk says the document's suggestions are drawn
               (``sig_shown``: computed in the worker thread, received, laid over the text) and painted

The first open includes loading spaCy's pipelines in the worker thread (once per window); the others are the
median of 8 opens of each article. Wall-clock times (a worker thread is involved), so on a shared machine they
carry the neighbours' load.
"""
from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def make_store(path: Path):
    from bench_gui import article

    from annotator.store import Store

    store = Store(path)
    records = [json.loads(line) for line in (ROOT / "benchmarks/data/bundled_reviewer.jsonl").read_text(
        encoding="utf-8").splitlines() if line.strip()]
    ids = []
    for record in records:
        doc = store.add_document(record["text"], title=record["meta"]["file"])[0]
        ids.append(doc.id)
    for doc_id, record in zip(ids[:-1], records[:-1]):
        for s in record["spans"]:
            store.add_span(doc_id, s["start"], s["end"], s["label"], "reviewer")
        store.set_review(doc_id, "reviewer", status="done")
    big = store.add_document(article(1_000_000, random.Random(1)), title="a 1 MB article")[0]
    return store, {"bundled": ids[-1], "1 MB": big.id}


def main() -> None:
    from PySide6.QtCore import QEventLoop, QSettings, QTimer

    from annotator.suggest import set_setting
    from annotator.ui.app import application
    from annotator.ui.main_window import MainWindow

    app = application()
    tmp = tempfile.mkdtemp(prefix="bench-gui-suggest-")
    store, docs = make_store(Path(tmp) / "suggest.db")
    set_setting(store, "sources", ["corpus", "patterns"])
    window = MainWindow(store, "bench", QSettings(os.path.join(tmp, "s.ini"), QSettings.IniFormat))
    window.resize(1400, 900)
    window.show()
    app.processEvents()
    desk = window.suggestions
    shown: list[str] = []
    desk.sig_shown.connect(shown.append)

    def paint() -> None:
        window.view.viewport().repaint()
        app.processEvents()

    def open_once(doc_id: str) -> tuple[float, float, int]:
        shown.clear()
        t = time.perf_counter()
        window.open_document(doc_id)
        paint()
        opened = time.perf_counter() - t
        loop = QEventLoop()
        desk.sig_shown.connect(loop.quit)
        QTimer.singleShot(120_000, loop.quit)
        if doc_id not in shown:
            loop.exec()
        desk.sig_shown.disconnect(loop.quit)
        if doc_id not in shown:
            raise SystemExit(f"no suggestions drawn for {doc_id} within 120 s")
        paint()
        return opened, time.perf_counter() - t, len(desk.items)

    first = open_once(docs["bundled"])
    runs: dict = {name: [] for name in docs}
    for _ in range(8):
        for name, doc_id in docs.items():
            runs[name].append(open_once(doc_id))
    window.close()
    store.close()

    size = {name: len(store_text) for name, store_text in ((n, _text(tmp, d)) for n, d in docs.items())}
    print(f"first open (the worker loads spaCy's pipelines): bundled article {first[0] * 1000:.0f} ms open, "
          f"{first[1] * 1000:.0f} ms until its {first[2]} suggestions are drawn")
    print(f"{'document':<10} {'characters':>10} {'suggestions':>11} {'open':>8} {'open to suggestions drawn':>26} "
          f"{'ratio':>6}")
    for name, got in runs.items():
        opened = statistics.median(r[0] for r in got)
        drawn = statistics.median(r[1] for r in got)
        print(f"{name:<10} {size[name]:>10,} {got[-1][2]:>11,} {opened * 1000:>6.0f}ms {drawn * 1000:>24.0f}ms "
              f"{drawn / opened:>6.2f}")


def _text(tmp: str, doc_id: str) -> str:
    from annotator.store import Store

    store = Store(Path(tmp) / "suggest.db")
    try:
        return store.document_text(doc_id)
    finally:
        store.close()


if __name__ == "__main__":
    main()
