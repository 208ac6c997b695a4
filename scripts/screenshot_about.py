"""Render Help > About offscreen over the bundled corpus, for the README's Install section.

    QT_QPA_PLATFORM=offscreen python scripts/screenshot_about.py docs/about.png
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from annotator.store import Store  # noqa: E402
from annotator.transfer import import_paths  # noqa: E402
from annotator.ui.about import AboutDialog  # noqa: E402
from annotator.ui.app import application  # noqa: E402


def main(out: str) -> None:
    app = application()
    with tempfile.TemporaryDirectory(prefix="alice-") as tmp:
        store = Store(Path(tmp) / "migration-news.db")
        import_paths(store, [ROOT / "documents"], annotator="alice")
        dialog = AboutDialog(store)
        dialog.show()
        app.processEvents()
        shown = dialog.grab()
        store.close()
    shown.save(out)
    print(out)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs/about.png")
