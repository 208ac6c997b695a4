"""Render Labels > Edit scheme… offscreen, on its Relation types tab with a type being added, to a PNG.

    QT_QPA_PLATFORM=offscreen python scripts/screenshot_scheme.py docs/scheme-editor.png
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSettings  # noqa: E402

from annotator.formats import plaintext  # noqa: E402
from annotator.store import Store  # noqa: E402
from annotator.store.bulk import import_records  # noqa: E402
from annotator.ui.app import application  # noqa: E402
from annotator.ui.main_window import MainWindow  # noqa: E402


def main(out: str) -> None:
    app = application()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "shot.db")
        import_records(store, (r for p in sorted((ROOT / "documents").glob("*.txt")) for r in plaintext.read(p)))
        doc = next(d for d in store.list_documents() if d.title.startswith("Joint Efforts"))
        text = store.document_text(doc.id)
        commitment = "China will strengthen cooperation with regional and international organizations"
        spans = {}
        for phrase, label in ((commitment, "COMMITMENT"), ("Ministry of Foreign Affairs", "ORGANISATION"),
                              ("US$7 billion", "FIGURE")):
            at = text.index(phrase)
            spans[phrase] = store.add_span(doc.id, at, at + len(phrase), label, "alice")
        store.add_relation(doc.id, spans[commitment].id, spans["Ministry of Foreign Affairs"].id, "ACTOR", "alice")
        store.add_relation(doc.id, spans[commitment].id, spans["US$7 billion"].id, "AMOUNT", "alice")
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.IniFormat)
        window = MainWindow(store, "alice", settings)
        window.resize(1400, 900)
        window.show()
        window.open_document(doc.id)
        window.scheme_action.trigger()
        editor = window.dialogs._scheme_editor
        editor.tabs.setCurrentIndex(1)
        editor.types_table.selectRow(0)
        editor.type_name.setText("WITH")
        editor.type_head.setCurrentIndex(editor.type_head.findData("COMMITMENT"))
        editor.type_child.setCurrentIndex(editor.type_child.findData("ORGANISATION"))
        editor.type_hotkey.setText("w")
        editor.type_guideline.setText("The organisation a commitment is made with.")
        editor.add_type()
        for _ in range(5):
            app.processEvents()
        editor.grab().save(out)
        editor.close()
        window.close()
    print(f"wrote {out}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs/scheme-editor.png")
