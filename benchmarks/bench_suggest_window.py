"""Suggestions in the review window (issue 13): how long after a document starts opening its suggestions are
drawn, when they were computed ahead (the worker had the next documents in hand) against when they are computed
on opening, beside the opening itself (text, spans, lists: until ``open_document`` returns), in the same run.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_suggest_window.py [--rounds 10]

The five bundled articles, the first tagged by a reviewer (benchmarks/data/bundled_reviewer.jsonl) and marked
done, sources corpus and patterns. Each round opens the second article from the first: "ahead" waits until the
worker has computed the documents ahead, "on opening" drops what was computed (as a change would) first.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10)
    rounds = parser.parse_args().rounds

    from PySide6.QtCore import QSettings

    from annotator.formats import plaintext
    from annotator.store import Store
    from annotator.store.bulk import import_records
    from annotator.suggest import set_setting
    from annotator.ui.app import application
    from annotator.ui.main_window import MainWindow

    app = application()
    tmp = tempfile.mkdtemp()
    store = Store(Path(tmp) / "bench.db")
    import_records(store, (r for p in sorted((ROOT / "documents").glob("*.txt")) for r in plaintext.read(p)))
    docs = store.list_documents()
    first, second = docs[0].id, docs[1].id
    reviewer = {json.loads(line)["text"]: json.loads(line)["spans"]
                for line in (ROOT / "benchmarks" / "data" / "bundled_reviewer.jsonl").open(encoding="utf-8")}
    text = store.document_text(first)
    for span in next((spans for t, spans in reviewer.items() if t == text), []):
        store.add_span(first, span["start"], span["end"], span["label"], "alice")
    store.set_review(first, "alice", status="done")
    set_setting(store, "sources", ["corpus", "patterns"])
    window = MainWindow(store, "alice", QSettings(str(Path(tmp) / "s.ini"), QSettings.IniFormat))
    window.resize(1400, 900)
    window.show()
    desk = window.suggestions

    def settle(until, limit=60.0):
        end = time.monotonic() + limit
        while not until():
            if time.monotonic() > end:
                raise TimeoutError("the suggestions did not arrive")
            app.processEvents()
            time.sleep(0.002)

    shown_at: list[float] = []
    desk.sig_shown.connect(lambda doc_id: shown_at.append(time.perf_counter()) if doc_id == second else None)
    results: dict[str, tuple[list[float], list[float]]] = {"ahead": ([], []), "on opening": ([], [])}
    for _ in range(rounds):
        for mode, (opening, drawn) in results.items():
            window.open_document(first)
            settle(lambda: desk.cache.fresh(first) and desk.cache.fresh(second) and not desk.worker.busy)
            if mode == "on opening":
                desk.cache.changed(drop_all=True)
            shown_at.clear()
            began = time.perf_counter()
            window.open_document(second)
            opening.append(time.perf_counter() - began)
            settle(lambda: bool(shown_at))
            drawn.append(shown_at[0] - began)
    print(f"{len(desk.items)} suggestions in the second article; {rounds} rounds, median (max), from the start of "
          "the opening:")
    for mode, (opening, drawn) in results.items():
        print(f"  {mode:<11} suggestions drawn at {statistics.median(drawn) * 1000:6.1f} ms ({max(drawn) * 1000:.1f});"
              f" the opening took {statistics.median(opening) * 1000:6.1f} ms ({max(opening) * 1000:.1f})")
    desk.stop()
    window.close()


if __name__ == "__main__":
    main()
