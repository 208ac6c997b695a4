"""Render the review window offscreen with suggestions in the second bundled article (the first one tagged and
marked done, so the corpus and the patterns both suggest): the suggestions list beside the span table, the
second suggestion current (Tab), to a PNG; and, with a second path, the suggestion settings dialog.

    QT_QPA_PLATFORM=offscreen python scripts/screenshot_suggestions.py docs/suggestions.png \
        docs/suggestion-settings.png
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

from PySide6.QtCore import QSettings, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from annotator.formats import plaintext  # noqa: E402
from annotator.store import Store  # noqa: E402
from annotator.store.bulk import import_records  # noqa: E402
from annotator.ui.app import application  # noqa: E402
from annotator.ui.main_window import MainWindow  # noqa: E402
from scripts.screenshot import SPANS  # noqa: E402


def main(out: str, settings_out: str | None = None) -> None:
    app = application()
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
        store.set_review(first, "alice", status="done")
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.IniFormat)
        window = MainWindow(store, "alice", settings)
        window.resize(1400, 900)
        window.show()
        second = docs[1].id
        window.open_document(second)
        end = time.monotonic() + 60
        while not (window.suggestions.doc_id == second and window.suggestions.items) and time.monotonic() < end:
            app.processEvents()
            time.sleep(0.02)
        window.view.highlighter.finish()
        QTest.keyClick(window.view, Qt.Key_Tab)
        QTest.keyClick(window.view, Qt.Key_Tab)
        for _ in range(5):
            app.processEvents()
        window.grab().save(out)
        print(f"{len(window.suggestions.items)} suggestions:",
              sorted({s.source for s in window.suggestions.items}))
        if settings_out:
            dialog = window.suggestions.settings_dialog()
            for _ in range(5):
                app.processEvents()
            dialog.grab().save(settings_out)
            dialog.close()
            print(f"wrote {settings_out}")
        window.suggestions.stop()
        window.close()
    print(f"wrote {out}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs/suggestions.png", sys.argv[2] if len(sys.argv) > 2 else None)
