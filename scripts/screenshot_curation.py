"""Render curation mode offscreen: two reviewers' work on the bundled corpus, merged, agreed spans taken into gold.

    QT_QPA_PLATFORM=offscreen python scripts/screenshot_curation.py docs/curation-mode.png
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

from annotator.curation.merge import merge_paths  # noqa: E402
from annotator.store import Store  # noqa: E402
from annotator.transfer import import_paths  # noqa: E402
from annotator.ui.app import application  # noqa: E402
from annotator.ui.main_window import MainWindow  # noqa: E402

WORK = {
    "bob": [("IOM", "ORGANISATION"), ("Liu Jieyi", "FIGURE"), ("more than 90 delegates", "FIGURE"), ("China", "ORGANISATION")],
    "carol": [("IOM", "ORGANISATION"), ("Liu Jieyi", "ORGANISATION"), ("90 delegates", "FIGURE"), ("China", "ORGANISATION")],
}


def reviewer(path: Path, who: str) -> Path:
    store = Store(path)
    import_paths(store, [ROOT / "documents"], annotator=who)
    for doc_id in store.document_ids():
        text = store.document_text(doc_id)
        for phrase, label in WORK[who]:
            at = text.find(phrase)
            if at >= 0:
                store.add_span(doc_id, at, at + len(phrase), label, who)
        store.set_review(doc_id, who, status="done")
    store.close()
    return path


def main(out: str) -> None:
    app = application()
    with tempfile.TemporaryDirectory() as tmp:
        bob, carol = reviewer(Path(tmp) / "bob.db", "bob"), reviewer(Path(tmp) / "carol.db", "carol")
        store = Store(carol)
        merge_paths(store, [bob])
        window = MainWindow(store, "carol", QSettings(str(Path(tmp) / "s.ini"), QSettings.IniFormat))
        window.resize(1400, 900)
        window.show()
        window.open_document(next(d for d in store.document_ids() if "Liu Jieyi" in store.document_text(d)))
        window.toggle_curation(True)
        window.curation_panel.take_agreed()
        end = time.monotonic() + 60  # the suggestions list's title (folded in curation mode) with its count
        while "looking" in window.suggestions.label.text() and time.monotonic() < end:
            app.processEvents()
            time.sleep(0.02)
        for _ in range(5):
            app.processEvents()
        window.grab().save(out)
        window.close()
    print(f"wrote {out}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs/curation-mode.png")
