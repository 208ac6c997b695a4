"""The review desk driven as a reviewer drives it: keyboard, mouse, lists, undo, statuses, restart."""
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QTableView

from annotator.store import Store


def selected_text(view):
    return view.textCursor().selectedText().replace("\u2029", "\n")


def put_caret(view, offset):
    view.select_offsets(offset, offset)


def point_of(view, offset):
    cursor = view.textCursor()
    cursor.setPosition(view.offsets.to_qt(offset))
    return view.cursorRect(cursor).center()


def test_widgets_are_findable_by_name(window):
    for name in ("documentView", "documentList", "labelPalette", "spanList", "searchBox", "statusFilter"):
        assert window.findChild(object, name) is not None, name


def test_keyboard_selection_and_hotkey_make_a_span(window, qtbot):
    view = window.view
    start = view.text.index("China will strengthen")
    put_caret(view, start)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key_Right, Qt.ControlModifier | Qt.ShiftModifier)
    assert selected_text(view).strip() == "China"
    qtbot.keyClick(view, Qt.Key_1)
    spans = window.store.spans(window.doc_id)
    assert [(s.text, s.label, s.annotator) for s in spans] == [("China", "ORGANISATION", "alice")]
    assert window.span_model.rowCount() == 1 and window.span_model.data(window.span_model.index(0, 1)) == "China"


def test_selection_snaps_to_words_unless_turned_off(window, qtbot):
    view = window.view
    start = view.text.index("strengthen cooperation")
    put_caret(view, start + 3)
    view.setFocus()
    for _ in range(10):
        qtbot.keyClick(view, Qt.Key_Right, Qt.ShiftModifier)
    qtbot.keyClick(view, Qt.Key_3)
    assert window.store.spans(window.doc_id)[0].text == "strengthen cooperation"
    qtbot.keyClick(view, Qt.Key_W, Qt.ControlModifier | Qt.ShiftModifier)  # snapping off
    put_caret(view, start + 3)
    for _ in range(4):
        qtbot.keyClick(view, Qt.Key_Right, Qt.ShiftModifier)
    qtbot.keyClick(view, Qt.Key_2)
    assert "engt" in [s.text for s in window.store.spans(window.doc_id)]


TRICKY = "Intro 😀 line one\n\n𠮟𠮟 UNODC e\u0301te\u0301 and IOM 👩\u200d👧 pledge\nUS$7 billion 中文 end\n"


@pytest.fixture
def tricky(open_window, tmp_path):
    store = Store(tmp_path / "tricky.db")
    doc = store.add_document(TRICKY)[0]
    store.close()
    w = open_window(tmp_path / "tricky.db")
    w.open_document(doc.id)
    return w


@pytest.mark.parametrize("start,keys", [(0, 40), (6, 12), (19, 9), (24, 21), (30, 25), (44, 5)])
def test_offsets_survive_emoji_cjk_ext_b_combining_marks_and_paragraphs(tricky, qtbot, start, keys):
    view = tricky.view
    qtbot.keyClick(view, Qt.Key_W, Qt.ControlModifier | Qt.ShiftModifier)  # exact selections
    put_caret(view, start)
    view.setFocus()
    for _ in range(keys):
        qtbot.keyClick(view, Qt.Key_Right, Qt.ShiftModifier)
    wanted = selected_text(view).strip()
    qtbot.keyClick(view, Qt.Key_2)
    span = tricky.store.spans(tricky.doc_id)[0]
    assert TRICKY[span.start:span.end] == span.text == wanted


def test_mouse_drag_then_palette_click(window, qtbot):
    view = window.view
    a = view.text.index("International Organization for Migration")
    b = a + len("International Organization for Migration")
    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.LeftButton, pos=point_of(view, a))
    qtbot.mouseMove(viewport, point_of(view, (a + b) // 2))
    qtbot.mouseMove(viewport, point_of(view, b))
    qtbot.mouseRelease(viewport, Qt.LeftButton, pos=point_of(view, b))
    assert "International Organization for Migration" in selected_text(view)
    qtbot.mouseClick(window.palette_widget.buttons["ORGANISATION"], Qt.LeftButton)
    assert [s.text for s in window.store.spans(window.doc_id)] == ["International Organization for Migration"]


def tag(window, qtbot, phrase, key=Qt.Key_1, occurrence=0):
    view = window.view
    at = -1
    for _ in range(occurrence + 1):
        at = view.text.index(phrase, at + 1)
    view.select_offsets(at, at + len(phrase))
    view.setFocus()
    qtbot.keyClick(view, key)
    return at


def test_click_span_relabel_delete_and_keyboard_span_navigation(window, qtbot):
    view = window.view
    tag(window, qtbot, "Liu Jieyi", Qt.Key_3)
    at = tag(window, qtbot, "Ministry of Foreign Affairs", Qt.Key_1)
    qtbot.keyClick(view, Qt.Key_Escape)
    assert view.selected is None
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=point_of(view, at + 3))
    assert view.selected.text == "Ministry of Foreign Affairs"
    qtbot.keyClick(view, Qt.Key_2)  # relabel the selected span
    assert {s.text: s.label for s in window.store.spans(window.doc_id)}["Ministry of Foreign Affairs"] == "FIGURE"
    qtbot.keyClick(view, Qt.Key_BracketLeft)
    assert view.selected.text == "Liu Jieyi"
    qtbot.keyClick(view, Qt.Key_Delete)
    assert [s.text for s in window.store.spans(window.doc_id)] == ["Ministry of Foreign Affairs"]
    assert window.span_model.rowCount() == 1


def test_grow_and_shrink_by_a_word(window, qtbot):
    view = window.view
    tag(window, qtbot, "Foreign Affairs", Qt.Key_1)
    qtbot.keyClick(view, Qt.Key_Left, Qt.AltModifier)
    assert window.store.spans(window.doc_id)[0].text == "of Foreign Affairs"
    qtbot.keyClick(view, Qt.Key_Left, Qt.AltModifier)
    assert window.store.spans(window.doc_id)[0].text == "Ministry of Foreign Affairs"
    qtbot.keyClick(view, Qt.Key_Right, Qt.AltModifier)
    qtbot.keyClick(view, Qt.Key_Right, Qt.AltModifier)
    qtbot.keyClick(view, Qt.Key_Right, Qt.AltModifier | Qt.ShiftModifier)
    assert window.store.spans(window.doc_id)[0].text == "Foreign Affairs,"
    qtbot.keyClick(view, Qt.Key_Left, Qt.AltModifier | Qt.ShiftModifier)
    assert window.store.spans(window.doc_id)[0].text == "Foreign Affairs"


def test_undo_redo_from_the_keyboard(window, qtbot):
    view = window.view
    tag(window, qtbot, "Liu Jieyi", Qt.Key_3)
    qtbot.keyClick(view, Qt.Key_2)
    qtbot.keyClick(view, Qt.Key_Z, Qt.ControlModifier)
    assert window.store.spans(window.doc_id)[0].label == "COMMITMENT"
    qtbot.keyClick(view, Qt.Key_Z, Qt.ControlModifier)
    assert window.store.spans(window.doc_id) == [] and window.span_model.rowCount() == 0
    qtbot.keyClick(view, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    qtbot.keyClick(view, Qt.Key_Y, Qt.ControlModifier)
    assert [(s.text, s.label) for s in window.store.spans(window.doc_id)] == [("Liu Jieyi", "FIGURE")]
    assert window.undo_action.text() == "Undo relabel COMMITMENT as FIGURE"


def test_note_on_span_and_document(window, qtbot, monkeypatch):
    tag(window, qtbot, "Liu Jieyi", Qt.Key_1)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("a person, not an organisation", True))
    qtbot.keyClick(window.view, Qt.Key_N)
    assert window.store.spans(window.doc_id)[0].note == "a person, not an organisation"
    assert window.span_model.data(window.span_model.index(0, 2)) == "a person, not an organisation"
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("headline is page furniture", True))
    qtbot.keyClick(window.view, Qt.Key_N, Qt.ControlModifier | Qt.ShiftModifier)
    assert window.store.review(window.doc_id, "alice").note == "headline is page furniture"
    assert window.doc_note.text() == "headline is page furniture"


def test_document_list_navigation_and_status(window, qtbot):
    docs = window.doc_list
    assert isinstance(docs, QTableView) and window.doc_model.rowCount() == 5
    first = window.doc_id
    rect = docs.visualRect(window.doc_model.index(2, 0))
    qtbot.mouseClick(docs.viewport(), Qt.LeftButton, pos=rect.center())
    third = window.doc_id
    shown = window.view.document().toRawText().replace("\u2029", "\n")  # toPlainText() turns NBSP into spaces
    assert third != first and shown == window.store.document_text(third)
    qtbot.keyClick(window.view, Qt.Key_Return, Qt.ControlModifier)
    assert window.store.review(third, "alice").status == "done"
    assert window.doc_id != third  # moved on to the next to-do document
    assert "Done 1 of 5" in window.progress_label.text()
    qtbot.keyClick(window.view, Qt.Key_Return, Qt.ControlModifier | Qt.ShiftModifier)
    assert window.store.progress("alice") == (1, 5)
    qtbot.keyClick(window.view, Qt.Key_Z, Qt.ControlModifier)
    qtbot.keyClick(window.view, Qt.Key_Z, Qt.ControlModifier)
    assert window.store.review(third, "alice").status == "todo"
    qtbot.waitUntil(lambda: "Done 0 of 5" in window.progress_label.text())


def test_status_filter_and_search(window, qtbot):
    qtbot.keyClick(window.view, Qt.Key_Return, Qt.ControlModifier)
    window.status_filter.setCurrentIndex(window.status_filter.findData("done"))
    assert window.doc_model.rowCount() == 1
    window.status_filter.setCurrentIndex(window.status_filter.findData("todo"))
    assert window.doc_model.rowCount() == 4
    window.status_filter.setCurrentIndex(0)
    qtbot.keyClick(window, Qt.Key_F, Qt.ControlModifier)
    assert window.search_box.hasFocus()
    qtbot.keyClicks(window.search_box, "Bali Process")
    # a search typed while the index is still being brought up to date applies when it is ready
    qtbot.waitUntil(lambda: window.doc_model.rowCount() == 2)
    titles = [window.doc_model.data(window.doc_model.index(r, 0)) for r in range(window.doc_model.rowCount())]
    assert sorted(titles) == [
        "Ministers welcome UNODC assistance in establishing a reporting system on migrant smuggling",
        "Vietnam reaffirms commitment and determination in combating human trafficking",
    ]
    # typing digits in the search box types them, it does not tag
    qtbot.keyClicks(window.search_box, " 2011")
    assert window.search_box.text() == "Bali Process 2011" and window.store.stats()["spans"] == 0
    qtbot.waitUntil(lambda: window.doc_model.rowCount() == 1)


def test_restart_keeps_everything(open_window, corpus_db, qtbot):
    w = open_window(corpus_db)
    rect = w.doc_list.visualRect(w.doc_model.index(3, 0))
    qtbot.mouseClick(w.doc_list.viewport(), Qt.LeftButton, pos=rect.center())
    doc = w.doc_id
    tag(w, qtbot, "the", Qt.Key_1)
    w.resize(720, 560)  # the offscreen screen is 800x800: restoreGeometry keeps windows on it
    w.splitter.setSizes([150, 400, 170])
    sizes = w.splitter.sizes()
    w.close()
    again = open_window(corpus_db)
    assert again.doc_id == doc
    assert [s.text for s in again.store.spans(doc)] == ["the"] and again.span_model.rowCount() == 1
    assert again.size().width() == 720 and again.splitter.sizes() == sizes


def test_zoom_by_keyboard_is_kept_across_restarts(open_window, corpus_db, qtbot):
    w = open_window(corpus_db)
    usual = w.view.font().pointSizeF()
    line = w.view.fontMetrics().height()
    for _ in range(3):
        qtbot.keyClick(w.view, Qt.Key_Equal, Qt.ControlModifier)
    assert w.view.font().pointSizeF() == usual + 3 and w.view.fontMetrics().height() > line  # the text got bigger
    qtbot.keyClick(w.view, Qt.Key_Minus, Qt.ControlModifier)
    assert w.view.font().pointSizeF() == usual + 2
    w.close()
    again = open_window(corpus_db)
    assert again.view.font().pointSizeF() == usual + 2
    qtbot.keyClick(again.view, Qt.Key_0, Qt.ControlModifier)
    assert again.view.font().pointSizeF() == usual
    for _ in range(60):  # not beyond what stays readable
        qtbot.keyClick(again.view, Qt.Key_Minus, Qt.ControlModifier)
    assert again.view.font().pointSizeF() == 7.0


def test_articles_show_as_plain_text(open_window, tmp_path):
    text = "Markup <b>stays</b> &amp; <img src=x.png> <script>alert(1)</script>\nline two"
    store = Store(tmp_path / "m.db")
    doc = store.add_document(text)[0]
    store.close()
    w = open_window(tmp_path / "m.db")
    w.open_document(doc.id)
    assert w.view.document().toRawText().replace("\u2029", "\n") == text
    assert w.view.document().blockCount() == 2


def test_add_and_recolour_label_from_the_window(window, qtbot, monkeypatch):
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QColorDialog

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("location", True))
    qtbot.mouseClick(window.palette_widget.findChild(object, "addLabel"), Qt.LeftButton)
    assert "LOCATION" in window.palette_widget.buttons
    assert window.palette_widget.buttons["LOCATION"].text().startswith("4")
    tag(window, qtbot, "Asia", Qt.Key_4)
    assert window.store.spans(window.doc_id)[0].label == "LOCATION"
    monkeypatch.setattr(QColorDialog, "getColor", lambda *a, **k: QColor("#123456"))
    qtbot.mouseClick(window.palette_widget.findChild(object, "recolor_LOCATION"), Qt.LeftButton)
    assert window.store.label("LOCATION").color == "#123456"
    assert window.view.highlighter.colors["LOCATION"] == "#123456"


def test_hover_names_the_labels_under_the_pointer(window, qtbot):
    view = window.view
    at = tag(window, qtbot, "Ministry of Foreign Affairs", Qt.Key_1)
    inner = view.text.index("Foreign", at)
    view.select_offsets(inner, inner + len("Foreign"))
    qtbot.keyClick(view, Qt.Key_2)
    qtbot.mouseMove(view.viewport(), point_of(view, inner + 2))
    qtbot.waitUntil(lambda: "FIGURE" in window.hover_label.text() and "ORGANISATION" in window.hover_label.text())


def test_a_third_nested_span_shows_as_a_bar_in_its_colour(window, qtbot):
    """Background and underline show two spans; the third, around both, gets a bar along the top of its line."""
    from PySide6.QtGui import QColor

    view = window.view
    outer = tag(window, qtbot, "Ministry of Foreign Affairs", Qt.Key_3)  # COMMITMENT, though odd, around both
    middle = view.text.index("Foreign Affairs", outer)
    view.select_offsets(middle, middle + len("Foreign Affairs"))
    qtbot.keyClick(view, Qt.Key_1)
    inner = view.text.index("Foreign", outer)
    view.select_offsets(inner, inner + len("Foreign"))
    qtbot.keyClick(view, Qt.Key_2)
    view.select_span(None)
    put_caret(view, 0)
    qtbot.wait(50)
    colors = {l.name: QColor(l.color) for l in window.store.labels()}

    def bar_pixels(offset):
        """The colours along the top of the line at this offset, where the bar goes."""
        image = view.viewport().grab().toImage()
        cursor = view.textCursor()
        cursor.setPosition(view.offsets.to_qt(offset))
        rect = view.cursorRect(cursor)
        return {image.pixelColor(rect.x() + 4, rect.top() + dy).name() for dy in (1, 2)}

    assert bar_pixels(inner) == {colors["COMMITMENT"].name()}  # three deep: the outer span's bar
    assert colors["COMMITMENT"].name() not in bar_pixels(outer)  # "Ministry": one span, no bar
    # undoing the inner span takes the bar away with it
    qtbot.keyClick(view, Qt.Key_Z, Qt.ControlModifier)
    qtbot.wait(50)
    assert colors["COMMITMENT"].name() not in bar_pixels(inner)
