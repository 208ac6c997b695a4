"""Render File > Sync… offscreen after a sync with a teammate through a shared folder, with the window's status bar
below it, for the README's "Working as a team".

    QT_QPA_PLATFORM=offscreen python scripts/screenshot_sync.py docs/sync.png
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
from PySide6.QtGui import QPainter, QPixmap  # noqa: E402

from annotator.store import Store  # noqa: E402
from annotator.sync import sync  # noqa: E402
from annotator.transfer import import_paths  # noqa: E402
from annotator.ui.app import application  # noqa: E402
from annotator.ui.main_window import MainWindow  # noqa: E402

BOBS = "IOM and the UNODC met in Vienna to share data on smuggling routes across the Mediterranean."


def main(out: str) -> None:
    app = application()
    with tempfile.TemporaryDirectory(prefix="team-") as tmp:
        tmp = Path(tmp)
        shared = tmp / "team-corpus"
        shared.mkdir()
        bob = Store(tmp / "bob.db")
        doc, _ = bob.add_document(BOBS)
        bob.add_span(doc.id, 0, 3, "ORGANISATION", "bob")
        sync(bob, str(shared), "bob")
        bob.close()
        store = Store(tmp / "alice.db")
        import_paths(store, [ROOT / "documents"], annotator="alice")
        window = MainWindow(store, "alice", QSettings(str(tmp / "settings.ini"), QSettings.IniFormat))
        window.resize(1100, 700)
        window.show()
        dialog = window.sync_dialog()
        dialog.target.setText(str(shared))
        dialog.every.setValue(15)
        dialog.start()
        while window.syncing.running():
            app.processEvents()
        app.processEvents()
        shot, bar = dialog.grab(), window.statusBar().grab()
        page = QPixmap(max(shot.width(), bar.width()), shot.height() + bar.height() + 12)
        page.fill(window.palette().window().color())
        painter = QPainter(page)
        painter.drawPixmap(0, 0, shot)
        painter.drawPixmap(0, shot.height() + 12, bar)
        painter.end()
        window.syncing.stop()
        window.indexer.stop()
        window.close()
        store.close()
    page.save(out)
    print(out)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs/sync.png")
