"""The findings of the bundled articles (tagged and linked as in tests/findings/tagging.py: issue 14's example), for the README's "Findings":
Review > Findings rendered offscreen, and the HTML report as headless chromium shows it.

    QT_QPA_PLATFORM=offscreen python scripts/screenshot_findings.py docs/findings-panel.png docs/findings-report.png
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from annotator.findings import report  # noqa: E402
from annotator.store import Store  # noqa: E402
from annotator.ui.app import application  # noqa: E402
from annotator.ui.findings_panel import FindingsDialog  # noqa: E402
from tests.findings.tagging import import_bundled, link, tag  # noqa: E402


def main(panel_png: str, report_png: str) -> None:
    app = application()
    with tempfile.TemporaryDirectory(prefix="findings-") as tmp:
        db = Path(tmp) / "migration-news.db"
        store = Store(db)
        link(store, tag(store, import_bundled(store)))
        dialog = FindingsDialog(store)
        dialog.resize(1280, 520)
        dialog.show()
        while dialog.job is not None:
            app.processEvents()
        app.processEvents()
        dialog.grab().save(panel_png)
        page = Path(tmp) / "report.html"
        report.write(store, page)
        store.close()
        browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
        if not browser:
            raise SystemExit("no chromium here: the report's screenshot was not made")
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        f"--user-data-dir={tmp}/profile", f"--screenshot={os.path.abspath(report_png)}",
                        "--window-size=1200,2000", page.as_uri()], check=True, capture_output=True, timeout=120)
    print(panel_png, report_png)


if __name__ == "__main__":
    main(*(sys.argv[1:3] if len(sys.argv) > 2 else ("docs/findings-panel.png", "docs/findings-report.png")))
