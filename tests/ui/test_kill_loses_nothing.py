"""Killing the window's process right after an action loses nothing the window showed: there is no Save."""
import signal
import subprocess
import sys
import textwrap

from annotator.store import Store
from tests.conftest import DOCUMENTS, ROOT

SCRIPT = textwrap.dedent(
    """
    import os, signal, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtTest import QTest
    from annotator.store import Store
    from annotator.ui.app import application
    from annotator.ui.main_window import MainWindow

    app = application()
    window = MainWindow(Store(sys.argv[1]), "alice", QSettings(sys.argv[2], QSettings.IniFormat))
    window.show()
    window.activateWindow()
    QTest.qWaitForWindowActive(window)
    view = window.view
    at = view.text.index("Ministry of Foreign Affairs")
    view.select_offsets(at, at + len("Ministry of Foreign Affairs"))
    view.setFocus()
    QTest.keyClick(view, Qt.Key_1)
    shown = window.span_model.rowCount()
    QTest.keyClick(view, Qt.Key_Return, Qt.ControlModifier)
    print(shown, window.progress_label.text(), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
    """
)


def test_sigkill_after_tagging_and_marking_done(tmp_path):
    db = tmp_path / "k.db"
    store = Store(db)
    from annotator.transfer import import_paths

    import_paths(store, [DOCUMENTS], annotator="alice")
    store.close()
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(db), str(tmp_path / "s.ini")], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert proc.stdout.startswith("1 ") and "Done 1 of 5" in proc.stdout  # what the window showed
    after = Store(db)
    spans = [s for d in after.document_ids() for s in after.spans(d)]
    assert [(s.text, s.label, s.annotator) for s in spans] == [("Ministry of Foreign Affairs", "ORGANISATION", "alice")]
    assert after.progress("alice") == (1, 5)
