"""The window's file dialogs never open the database files: the process keeps its SQLite locks.

Issue 9, section 1: Qt's file dialog sniffed `corpus.db-wal` and `corpus.db-shm` through QMimeDatabase, which
opens and closes them; closing any descriptor of a file drops all of the process's POSIX locks on it, and the
next `annotator stats` in a terminal checkpointed and deleted the WAL under the window: "database disk image is
malformed", and a SIGKILL lost spans the window had shown.
"""
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

from annotator.store import Store
from tests.conftest import DOCUMENTS, ROOT

SCRIPT = textwrap.dedent(
    """
    import os, signal, subprocess, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QSettings, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QFileDialog, QFileSystemModel, QPushButton
    from annotator.store import Store
    from annotator.ui.app import application
    from annotator.ui.main_window import MainWindow

    db = os.path.abspath(sys.argv[1])
    folder = os.path.dirname(db)
    os.chdir(folder)  # the dialogs open on the folder that holds corpus.db, corpus.db-wal, corpus.db-shm

    def locks():
        inodes = {os.stat(db + s).st_ino for s in ("", "-shm") if os.path.exists(db + s)}
        held = 0
        with open("/proc/locks") as fh:
            for line in fh:
                parts = line.split()
                if parts[4] == str(os.getpid()) and int(parts[5].split(":")[-1]) in inodes:
                    held += 1
        return held

    def tag(window, phrase, key):
        window.activateWindow()
        QTest.qWaitForWindowActive(window)
        view = window.view
        at = view.text.index(phrase)
        view.select_offsets(at, at + len(phrase))
        view.setFocus()
        QTest.keyClick(view, key)

    app = application()
    window = MainWindow(Store(db), "alice", QSettings(sys.argv[2], QSettings.IniFormat))
    window.show()
    window.activateWindow()
    QTest.qWaitForWindowActive(window)
    tag(window, "Ministry of Foreign Affairs", Qt.Key_1)
    before = locks()

    listed = []

    def close_when_listed(tries=0):
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(50, lambda: close_when_listed(tries + 1))
            return
        model = dialog.findChild(QFileSystemModel)
        if model.rowCount(model.index(folder)) == 0 and tries < 100:
            QTimer.singleShot(50, lambda: close_when_listed(tries + 1))  # the folder is not listed yet
            return
        QTest.qWait(700)  # the gatherer thread fetches icons and types of what it listed
        listed.append(dialog.windowTitle())
        dialog.reject()

    def browse(dialog, button):
        QTimer.singleShot(50, close_when_listed)
        dialog.findChild(QPushButton, button).click()

    opened = 0
    for make, buttons in ((window.import_dialog, ["addFiles", "addFolder"]),
                          (window.merge_dialog, ["addBundles"])):
        dialog = make()
        for button in buttons:
            browse(dialog, button)
            opened += 1
        dialog.close()
    export = window.export_dialog()
    for fmt in ("jsonl", "brat"):  # a file and a folder to write
        export.format.setCurrentIndex(export.format.findData(fmt))
        browse(export, "browse")
        opened += 1
    export.close()
    assert len(listed) == opened == 5, listed
    after = locks()

    cli = subprocess.run([sys.executable, "-m", "annotator", "--db", db, "stats"], capture_output=True, text=True)
    assert cli.returncode == 0, cli.stderr
    tag(window, "Liu Jieyi", Qt.Key_3)
    print(before, after, window.span_model.rowCount(), flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
    """
)


def test_file_dialogs_keep_the_locks_and_a_sigkill_loses_nothing(tmp_path):
    db = tmp_path / "corpus.db"
    store = Store(db)
    from annotator.transfer import import_paths

    import_paths(store, [DOCUMENTS], annotator="alice")
    store.close()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(db), str(tmp_path / "s.ini")], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=180)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    before, after, shown = (int(x) for x in proc.stdout.split())
    assert before >= 1 and after == before, f"the process held {before} locks before the dialogs, {after} after"
    assert shown == 2
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    after_kill = Store(db)
    spans = sorted((s.text, s.label) for d in after_kill.document_ids() for s in after_kill.spans(d))
    assert spans == [("Liu Jieyi", "COMMITMENT"), ("Ministry of Foreign Affairs", "ORGANISATION")]


def test_every_file_dialog_is_made_by_the_safe_factory():
    """A new dialog cannot bring the sniffing back: only ui/file_dialogs.py may make a QFileDialog."""
    offenders = [p.name for p in Path(ROOT, "annotator").rglob("*.py")
                 if "QFileDialog" in p.read_text(encoding="utf-8") and p.name != "file_dialogs.py"]
    assert offenders == []


def test_a_file_dialog_opens_at_a_readable_size_and_remembers_the_size_it_was_left_at(qtbot, tmp_path):
    """Issue 12, item 11: Qt's dialog opened small, its columns cut ("116...KiB")."""
    from PySide6.QtWidgets import QFileDialog, QTreeView

    from annotator.ui import file_dialogs

    (tmp_path / "a-long-article-name-about-the-bali-process-and-unodc.txt").write_text("x" * 118_000)
    dialog = file_dialogs.make_dialog(None, "Files to import", QFileDialog.ExistingFiles, directory=str(tmp_path))
    qtbot.addWidget(dialog)
    dialog.setViewMode(QFileDialog.Detail)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.width() >= 900 and dialog.height() >= 560
    tree = dialog.findChild(QTreeView, "treeView")
    qtbot.waitUntil(lambda: tree.model().rowCount(tree.rootIndex()) == 1)
    size_column = tree.header().sectionSize(1)
    size_text = tree.model().index(0, 1, tree.rootIndex()).data()
    assert tree.fontMetrics().horizontalAdvance(size_text) <= size_column  # "115 KiB" shows whole
    dialog.resize(1100, 700)
    dialog.reject()
    again = file_dialogs.make_dialog(None, "Files to import", QFileDialog.ExistingFiles, directory=str(tmp_path))
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert (again.width(), again.height()) == (1100, 700)
    again.reject()
