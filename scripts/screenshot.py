"""Render the review window offscreen on the bundled corpus, with a few realistic spans, to a PNG.

    QT_QPA_PLATFORM=offscreen python scripts/screenshot.py docs/review-desk.png [--dark]
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

from annotator.formats import plaintext  # noqa: E402
from annotator.store import Store  # noqa: E402
from annotator.store.bulk import import_records  # noqa: E402
from annotator.ui.app import application  # noqa: E402
from annotator.ui.colors import dark_palette  # noqa: E402
from annotator.ui.main_window import MainWindow  # noqa: E402

SPANS = [
    ("China", "ORGANISATION"),
    ("China will strengthen cooperation with regional and international organizations to combat the trafficking and smuggling of human beings", "COMMITMENT"),
    ("regional and international organizations", "ORGANISATION"),
    ("Ministry of Foreign Affairs", "ORGANISATION"),
    ("International Organization for Migration", "ORGANISATION"),
    ("IOM", "ORGANISATION"),
    ("more than 90 delegates", "FIGURE"),
    ("17 countries and regions", "FIGURE"),
    ("US$7 billion", "FIGURE"),
]


def main(out: str, dark: bool = False) -> None:
    app = application()
    if dark:
        app.setStyle("Fusion")
        app.setPalette(dark_palette())
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "shot.db")
        import_records(store, (r for p in sorted((ROOT / "documents").glob("*.txt")) for r in plaintext.read(p)))
        docs = store.list_documents()
        first = docs[0].id
        text = store.document_text(first)
        for phrase, label in SPANS:
            at = text.find(phrase)
            if at >= 0:
                store.add_span(first, at, at + len(phrase), label, "alice")
        store.set_review(docs[2].id, "alice", status="done")
        store.set_review(first, "alice", note="Liu Jieyi's title: check the source.")
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.IniFormat)
        window = MainWindow(store, "alice", settings)
        window.resize(1400, 900)
        window.show()
        window.open_document(first)
        end = time.monotonic() + 60  # the desk as a reviewer sees it once the suggestion worker has answered
        while not (window.suggestions.doc_id == first and window.suggestions.items) and time.monotonic() < end:
            app.processEvents()
            time.sleep(0.02)
        window.step_span(1)
        window.step_span(1)
        for _ in range(5):
            app.processEvents()
        window.grab().save(out)
        window.close()
    print(f"wrote {out}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs/review-desk.png", "--dark" in sys.argv)
