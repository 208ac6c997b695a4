"""Issue 9, section 4: the window never freezes on another writer's lock, never loses an action without saying so,
and a reviewer keeps tagging while the window's own import runs."""
import json
import sqlite3
import time

from PySide6.QtCore import Qt

from annotator.store import Store


def select(window, phrase):
    view = window.view
    at = view.text.index(phrase)
    view.select_offsets(at, at + len(phrase))
    view.setFocus()
    return at


def spans_in_db(db, doc_id):
    s = Store(db)
    try:
        return [(x.text, x.label) for x in s.spans(doc_id)]
    finally:
        s.close()


def test_a_key_pressed_while_another_program_writes(window, corpus_db, qtbot):
    shown = window.span_model.rowCount()
    holder = sqlite3.connect(corpus_db, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")  # a command-line import, say, copying its rows in
    select(window, "Ministry of Foreign Affairs")
    began = time.perf_counter()
    qtbot.keyClick(window.view, Qt.Key_1)
    assert time.perf_counter() - began < 0.5  # the window did not wait for the lock (it used to freeze 5 s)
    assert window.span_model.rowCount() == shown  # not shown as done
    bar = window.pending_bar
    qtbot.waitUntil(bar.isVisible, timeout=3000)  # a lock that lasts gets a word
    message = bar.message.text()
    assert "1 action not saved yet" in message and "busy" in message and "another program" in message
    holder.rollback()
    holder.close()
    qtbot.waitUntil(lambda: window.span_model.rowCount() == shown + 1, timeout=3000)  # retried by itself
    assert not bar.isVisible()
    assert ("Ministry of Foreign Affairs", "ORGANISATION") in spans_in_db(corpus_db, window.doc_id)


def test_actions_wait_in_order_behind_a_busy_one(window, corpus_db, qtbot):
    holder = sqlite3.connect(corpus_db, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    select(window, "Ministry of Foreign Affairs")
    qtbot.keyClick(window.view, Qt.Key_1)
    select(window, "Liu Jieyi")
    qtbot.keyClick(window.view, Qt.Key_3)
    assert len(window.pending.queue) == 2
    holder.rollback()
    holder.close()
    qtbot.waitUntil(lambda: not window.pending.queue, timeout=3000)
    spans = spans_in_db(corpus_db, window.doc_id)
    assert ("Ministry of Foreign Affairs", "ORGANISATION") in spans and ("Liu Jieyi", "COMMITMENT") in spans


def test_a_full_disk_is_said_and_the_action_can_be_retried(window, corpus_db, qtbot):
    conn = window.store.conn
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")  # the file cannot grow: SQLite says the disk is full
    shown = window.span_model.rowCount()
    for i, phrase in enumerate(["Ministry of Foreign Affairs", "Liu Jieyi"] * 40):  # until a page would be needed
        select(window, phrase)
        qtbot.keyClick(window.view, Qt.Key_1 if i % 2 == 0 else Qt.Key_3)
        if window.pending.queue:
            break
        qtbot.keyClick(window.view, Qt.Key_Delete)
    bar = window.pending_bar
    assert window.pending.queue and bar.isVisible()
    assert "the disk is full" in bar.message.text()
    before = window.span_model.rowCount()
    conn.execute("PRAGMA max_page_count = 1073741823")
    qtbot.keyClick(window.view, Qt.Key_F5)
    assert not window.pending.queue and not bar.isVisible()
    assert window.span_model.rowCount() == before + 1 >= shown + 1


def test_a_read_only_database_says_so_and_shows_nothing_as_done(open_window, corpus_db, qtbot, settings):
    from annotator.ui.main_window import MainWindow

    window = MainWindow(Store(corpus_db, readonly=True), "alice", settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert "(read-only)" in window.windowTitle()
    shown = window.span_model.rowCount()
    select(window, "Liu Jieyi")
    qtbot.keyClick(window.view, Qt.Key_3)
    assert window.span_model.rowCount() == shown
    assert window.pending_bar.isVisible() and "read-only" in window.pending_bar.message.text()
    qtbot.mouseClick(window.pending_bar.discard_button, Qt.LeftButton)
    assert not window.pending_bar.isVisible() and not window.pending.queue
    window.indexer.stop()


def test_tagging_goes_on_while_the_windows_own_import_runs(window, tmp_path, qtbot):
    big = tmp_path / "many.jsonl"
    big.write_text("".join(json.dumps({"text": f"Article {i} about UNODC " * 20}) + "\n" for i in range(20_000)))
    dialog = window.import_dialog()
    qtbot.addWidget(dialog)
    dialog.add_paths(str(big))
    qtbot.mouseClick(dialog.run_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.job is not None and dialog.job.isRunning(), timeout=5000)
    shown = window.span_model.rowCount()
    window.activateWindow()
    select(window, "Ministry of Foreign Affairs")
    qtbot.keyClick(window.view, Qt.Key_1)
    assert dialog.job is not None and dialog.job.isRunning()  # the import is still reading its file...
    assert window.span_model.rowCount() == shown + 1  # ...and the span is there already
    qtbot.waitUntil(lambda: dialog.job is None, timeout=120_000)
    assert "20000 document(s) imported" in dialog.report.toPlainText()
    assert window.store.document_count() == 20_005


def test_closing_the_window_with_actions_not_saved_asks_first(window, corpus_db, qtbot):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    holder = sqlite3.connect(corpus_db, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    select(window, "Liu Jieyi")
    qtbot.keyClick(window.view, Qt.Key_3)
    asked = []

    def answer(button):
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(50, lambda: answer(button))
            return
        asked.append(box.text())
        box.button(button).click()

    QTimer.singleShot(50, lambda: answer(QMessageBox.Cancel))
    window.close()
    assert window.isVisible() and window.pending.queue  # kept: nothing dropped unsaid
    assert "1 action not saved yet" in asked[0] and "busy" in asked[0]
    holder.rollback()
    holder.close()
    window.close()  # the lock is gone: the last try saves it, nothing to ask
    assert not window.isVisible() and len(asked) == 1
    assert ("Liu Jieyi", "COMMITMENT") in spans_in_db(corpus_db, window.doc_id)
