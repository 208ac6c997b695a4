"""File > Sync… in the window (issue 17): a shared folder chosen, a git remote typed, remembered per database; the
sync runs off the GUI thread with its own connection; the last sync's time and result stay in the status bar; a
sync every N minutes; a failure is one line of plain text."""
from __future__ import annotations

import subprocess

from PySide6.QtCore import Qt

from annotator.store import Store
from annotator.sync import sync
from annotator.ui.sync_panel import SyncDialog

BOBS = "Bob's article: <b>IOM</b> & the UNODC met in Vienna 😀 to share data on smuggling routes."


def bob_has_synced(tmp_path, target: str, name: str = "bob") -> str:
    bob = Store(tmp_path / "bob.db")
    doc, _ = bob.add_document(BOBS)
    bob.add_span(doc.id, BOBS.index("IOM"), BOBS.index("IOM") + 3, "ORGANISATION", name)
    assert not sync(bob, target, name, db_path=tmp_path / "bob.db").refused
    bob.close()
    return doc.id


def open_sync(qtbot, window):
    window.activateWindow()  # as a reviewer's click on it does, once a dialog has closed
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key_S, Qt.ControlModifier | Qt.ShiftModifier)
    [dialog] = [d for d in window.findChildren(SyncDialog) if d.isVisible()]
    return dialog


def run(qtbot, window, dialog, by_key: bool = False):
    if by_key:
        qtbot.keyClick(dialog.target, Qt.Key_Return)
    else:
        qtbot.mouseClick(dialog.run_button, Qt.LeftButton)
    assert window.syncing.running() or dialog.run_button.isEnabled()
    qtbot.waitUntil(lambda: not window.syncing.running(), timeout=30_000)
    qtbot.waitUntil(lambda: dialog.run_button.isEnabled(), timeout=5_000)
    return dialog.report.toPlainText()


def status(window) -> str:
    return window.findChild(object, "syncStatus").text()


def test_sync_with_a_shared_folder_from_the_file_menu(qtbot, window, tmp_path, settings):
    shared = tmp_path / "shared"
    shared.mkdir()
    bobs = bob_has_synced(tmp_path, str(shared), "<b>bob</b>")  # a name that is markup, shown as it is
    before = window.store.document_count()

    dialog = open_sync(qtbot, window)
    qtbot.keyClicks(dialog.target, str(shared))
    report = run(qtbot, window, dialog)
    assert "from texts/: 1 document(s) added" in report and "from %3Cb%3Ebob%3C%2Fb%3E.jsonl: 1 span(s)" in report
    assert f"wrote {shared / 'reviewers' / 'alice.jsonl'}" in report
    assert window.store.document_count() == before + 1  # the window's own connection sees what came in
    assert window.store.spans(bobs)[0].annotator == "<b>bob</b>"
    qtbot.waitUntil(lambda: window.doc_model.rowCount() == before + 1, timeout=5_000)
    assert status(window).startswith("Synced ") and "1 new document(s), work of <b>bob</b> came in" in status(window)
    assert window.findChild(object, "syncStatus").textFormat() == Qt.PlainText
    assert "your work went out" in status(window)
    assert len(list((shared / "texts").rglob("*.txt"))) == before + 1  # alice's corpus went out too

    report = run(qtbot, window, dialog)  # again: nothing new, and it says so
    assert report.endswith("nothing new: your database and the shared place were already in step")
    assert status(window).endswith(": nothing new")
    dialog.grab().save(str(tmp_path / "sync-dialog.png"))
    qtbot.keyClick(dialog, Qt.Key_Escape)
    assert not dialog.isVisible()

    # the place is remembered for this database, and so is the last result, in a window opened later
    again = open_sync(qtbot, window)
    assert again.target.text() == str(shared)
    assert window.syncing.target == str(shared)


def test_a_git_remote_typed_a_timed_sync_and_a_failure_in_one_line(qtbot, window, tmp_path):
    remote = tmp_path / "team.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
    bob_has_synced(tmp_path, str(remote))
    dialog = open_sync(qtbot, window)
    qtbot.keyClicks(dialog.target, f"file://{remote}")
    report = run(qtbot, window, dialog, by_key=True)  # Enter syncs
    assert f"pushed to file://{remote} (main)" in report and "from bob.jsonl: 1 span(s) added" in report
    files = subprocess.run(["git", "-C", str(remote), "ls-tree", "-r", "--name-only", "main"],
                           capture_output=True, text=True, check=True).stdout.split()
    assert "reviewers/alice.jsonl" in files

    # every N minutes: the setting starts a timer that syncs with the remembered place
    qtbot.keyClick(dialog, Qt.Key_Tab)  # from the place to "Choose folder…" and on to the minutes
    qtbot.keyClick(dialog, Qt.Key_Tab)
    qtbot.keyClick(dialog.every, Qt.Key_A, Qt.ControlModifier)
    qtbot.keyClicks(dialog.every, "5")
    assert window.syncing.every == 5 and window.syncing.timer.isActive()
    assert window.syncing.timer.interval() == 5 * 60_000
    window.syncing.timer.timeout.emit()  # five minutes later
    assert window.syncing.running()
    qtbot.waitUntil(lambda: not window.syncing.running(), timeout=30_000)
    assert status(window).endswith(": nothing new")

    # a remote that cannot be reached: one line, plain, in the dialog and the status bar; nothing changed
    before = window.store.document_count()
    dialog.target.clear()
    gone = f"file://{tmp_path}/nowhere.git"
    qtbot.keyClicks(dialog.target, gone)
    report = run(qtbot, window, dialog)
    assert len(report.splitlines()) == 1 and report.startswith(f"cannot reach {gone}")
    assert "nothing was changed" in report and "Traceback" not in report
    assert status(window).startswith("Sync failed ") and f"cannot reach {gone}" in status(window)
    assert window.store.document_count() == before
    qtbot.keyClick(dialog.every, Qt.Key_PageDown)  # ten minutes down: back to never
    assert window.syncing.every == 0 and not window.syncing.timer.isActive()


def test_the_window_answers_while_a_sync_is_at_work(qtbot, window, tmp_path, monkeypatch):
    remote = tmp_path / "team.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
    bob_has_synced(tmp_path, str(remote))
    # a slow remote: every git ref update of the window's sync takes 0.3 s
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "reference-transaction").write_text('#!/bin/sh\n[ "$1" = prepared ] && sleep 0.3\nexit 0\n')
    (hooks / "reference-transaction").chmod(0o755)
    for k, v in {"GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "core.hooksPath", "GIT_CONFIG_VALUE_0": str(hooks)}.items():
        monkeypatch.setenv(k, v)
    dialog = open_sync(qtbot, window)
    qtbot.keyClicks(dialog.target, str(remote))
    qtbot.mouseClick(dialog.run_button, Qt.LeftButton)
    assert window.syncing.running()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    first = window.doc_id
    qtbot.keyClick(window, Qt.Key_PageDown, Qt.ControlModifier)  # the next document opens at once
    assert window.doc_id != first and window.syncing.running()
    qtbot.waitUntil(lambda: not window.syncing.running(), timeout=60_000)
    assert "from bob.jsonl: 1 span(s) added" in dialog.report.toPlainText()
