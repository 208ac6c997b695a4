"""Render the window a training ends with (the new model's held-out scores beside the previous model's), from a
realistic case: WikiGold's first 20 articles (benchmarks/data/wikigold.conll, CC-BY 3.0, see SOURCES.md) as 81
documents of 4 sentences with their PER, LOC, ORG and MISC spans. Reviewers have marked 40 of them done; the
model is trained from the window (Suggestions > Train model now); then the other 41 are marked done and it is
trained again: the second training's window, beside the first model, is saved as a PNG.

    QT_QPA_PLATFORM=offscreen python scripts/screenshot_model_scores.py docs/model-scores.png

Two trainings on CPU in a background process each: about a minute on a quiet 2-core machine.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSettings  # noqa: E402

from annotator.store import Store  # noqa: E402
from annotator.suggest import set_setting  # noqa: E402
from annotator.ui.app import application  # noqa: E402
from annotator.ui.main_window import MainWindow  # noqa: E402
from benchmarks.bench_suggest import read_conll  # noqa: E402

FIRST_ROUND = 40   # documents marked done before the first training; all 81 before the second


def wikigold_db(path: Path) -> tuple[Store, list[str]]:
    docs = read_conll(ROOT / "benchmarks" / "data" / "wikigold.conll")
    store = Store(path)
    for label in ("PER", "LOC", "ORG", "MISC"):
        store.add_label(label)
    ids = []
    for i, (text, spans) in enumerate(docs):
        doc = store.add_document(text, title=f"WikiGold {i + 1}: {text[:40]}")[0]
        for start, end, label in spans:
            store.add_span(doc.id, start, end, label, "alice")
        ids.append(doc.id)
    set_setting(store, "retrain_after", 0)  # trained when asked, as the screenshot's two rounds want
    return store, ids


def train_now(app, window, timeout: float = 900):
    training = window.suggestions.training
    training.train_action.trigger()
    end = time.monotonic() + timeout
    while (training.running or training.last_result is None) and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.05)
    if training.running or isinstance(training.last_result, str) or training.last_result is None:
        raise SystemExit(f"training did not end well: {training.last_result!r}")
    return training.last_result


def main(out: str) -> None:
    app = application()
    with tempfile.TemporaryDirectory() as tmp:
        store, ids = wikigold_db(Path(tmp) / "wikigold.db")
        for doc_id in ids[:FIRST_ROUND]:
            store.set_review(doc_id, "alice", status="done")
        window = MainWindow(store, "alice", QSettings(str(Path(tmp) / "s.ini"), QSettings.IniFormat))
        window.resize(1400, 900)
        window.show()
        first = train_now(app, window)
        print(f"first model {first.record.id}: {first.record.train_documents} trained on, "
              f"{first.record.heldout_documents} held out, {first.record.seconds:.0f} s")
        first.close()
        window.suggestions.training.last_result = None
        for doc_id in ids[FIRST_ROUND:]:
            store.set_review(doc_id, "alice", status="done")
        second = train_now(app, window)
        print(f"second model {second.record.id}: {second.record.train_documents} trained on, "
              f"{second.record.heldout_documents} held out, {second.record.seconds:.0f} s")
        for row in second.rows():
            print("  ", *row)
        for _ in range(5):
            app.processEvents()
        second.grab().save(out)
        second.close()
        window.close()
    print(f"wrote {out}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs/model-scores.png")
