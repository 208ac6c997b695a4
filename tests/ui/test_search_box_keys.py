"""Keys typed in the search box edit the search; they never act on the open document."""
from PySide6.QtCore import Qt


def test_editing_keys_in_the_search_box_edit_the_search(window, qtbot):
    view = window.view
    at = view.text.index("China")
    view.select_offsets(at, at + 5)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key_1)
    doc = window.doc_id
    window.mark("done")
    qtbot.keyClick(window, Qt.Key_F, Qt.ControlModifier)
    qtbot.keyClicks(window.search_box, "Bali Process n[2]")
    qtbot.keyClick(window.search_box, Qt.Key_Backspace)
    assert window.search_box.text() == "Bali Process n[2"
    qtbot.keyClick(window.search_box, Qt.Key_Backspace, Qt.ControlModifier)  # delete the previous word
    assert window.search_box.text() == "Bali Process n["
    qtbot.keyClick(window.search_box, Qt.Key_Home)
    qtbot.keyClick(window.search_box, Qt.Key_Delete)
    assert window.search_box.text().startswith("ali Process")
    # the document kept its status and its span
    assert window.store.review(doc, "alice").status == "done"
    assert [s.text for s in window.store.spans(doc)] == ["China"]
