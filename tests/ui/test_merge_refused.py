"""A crafted teammate's database, merged from the window: refused in one plain-text line, nothing merged."""
import sqlite3

from PySide6.QtCore import Qt

from annotator.store import Store


def test_the_window_refuses_a_crafted_database_in_one_plain_line(window, tmp_path, qtbot):
    bob = tmp_path / "bob.db"
    store = Store(bob)
    d = store.add_document("The UNODC met IOM in Bali.")[0].id
    span = store.add_span(d, 4, 9, "ORGANISATION", "bob")
    store.close()
    conn = sqlite3.connect(bob)  # what bob did with the sqlite3 shell
    conn.execute("UPDATE spans SET text = '<b>forged</b>'")
    conn.commit()
    conn.close()
    before = (window.store.document_count(), window.store.annotators())

    qtbot.keyClick(window, Qt.Key_M, Qt.ControlModifier | Qt.ShiftModifier)
    dialog = window.findChild(object, "mergeDialog")
    qtbot.addWidget(dialog)
    dialog.add_paths(str(bob))
    qtbot.mouseClick(dialog.run_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: dialog.job is None, timeout=20_000)

    shown = dialog.report.toPlainText()
    assert shown.strip() == (f"{bob}: table spans, id '{span.id}': span 4-9 says its text is '<b>forged</b>' but "
                             "the document has 'UNODC' there (nothing was merged)")
    assert (window.store.document_count(), window.store.annotators()) == before
    dialog.grab().save(str(tmp_path / "refused.png"))
