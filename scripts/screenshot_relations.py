"""Render the review window offscreen with a COMMITMENT's relations shown and the attributes panel, to a PNG.

    QT_QPA_PLATFORM=offscreen python scripts/screenshot_relations.py docs/relations.png
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

COMMITMENT = ("China will strengthen cooperation with regional and international organizations to combat the "
              "trafficking and smuggling of human beings")
SPANS = [
    (COMMITMENT, "COMMITMENT"),
    ("Department of International Organizations and Conferences", "ORGANISATION"),
    ("Ministry of Foreign Affairs", "ORGANISATION"),
    ("International Organization for Migration", "ORGANISATION"),
    ("more than 90 delegates", "FIGURE"),
    ("US$7 billion", "FIGURE"),
]


def main(out: str) -> None:
    app = application()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "shot.db")
        import_records(store, (r for p in sorted((ROOT / "documents").glob("*.txt")) for r in plaintext.read(p)))
        doc = next(d for d in store.list_documents() if d.title.startswith("Joint Efforts"))
        text = store.document_text(doc.id)
        spans = {}
        for phrase, label in SPANS:
            at = text.index(phrase)
            spans[phrase] = store.add_span(doc.id, at, at + len(phrase), label, "alice")
        if not store.find_entities("IOM"):
            store.add_entity("IOM", "International Organization for Migration", aliases=("IOM",))
        head = spans[COMMITMENT]
        store.add_relation(doc.id, head.id, spans["Ministry of Foreign Affairs"].id, "ACTOR", "alice")
        store.add_relation(doc.id, head.id, spans["International Organization for Migration"].id, "PARTNER", "alice")
        store.set_attribute(head.id, "kind", "pledge")
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.IniFormat)
        window = MainWindow(store, "alice", settings)
        window.resize(1400, 900)
        window.show()
        window.open_document(doc.id)
        window.view.highlighter.finish()
        window.relations.focus_list()  # the relation selected in the list, its head selected in the article
        window.relations.list.table.setFocus()
        window.statusBar().clearMessage()  # the status bar names the selected span's relations
        for _ in range(5):
            app.processEvents()
        window.grab().save(out)
        window.close()
    print(f"wrote {out}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs/relations.png")
