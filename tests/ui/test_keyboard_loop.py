"""Issue 12, the reviewer's keyboard loop: what a reviewer did at the desk for a day, key by key."""
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QInputDialog

from annotator.store import Store
from tests.ui.test_review_desk import point_of, put_caret, selected_text, tag

IOM = "International Organization for Migration"


def spans_by_text(window):
    return {s.text: s for s in window.store.spans(window.doc_id)}


def click_span(window, qtbot, text):
    at = window.view.text.index(text)
    qtbot.mouseClick(window.view.viewport(), Qt.LeftButton, pos=point_of(window.view, at + 1))
    assert window.view.selected is not None and window.view.selected.text == text


def selected_rows(window):
    return [i.row() for i in window.span_list.selectionModel().selectedRows()]


def on_screen(widget):
    """What the window system shows of ``widget``: the window's backing store offscreen, the X server's pixels under
    X. Not ``widget.grab()``, which paints the widget afresh and so never shows a row that was not repainted."""
    window = widget.window()
    at = widget.mapTo(window, QPoint(0, 0))
    return window.screen().grabWindow(window.winId(), at.x(), at.y(), widget.width(), widget.height()).toImage()


def assert_drawn_as_now(qtbot, view):
    """The item view on the screen is what a fresh paint of it gives: no row left highlighted, none missing."""
    # Waits for the repaint the last change asked for (late on a loaded machine); stale pixels are never repainted
    # by themselves, so a row left highlighted still fails after the wait.
    def drawn_as_now():
        return on_screen(view.viewport()) == view.viewport().grab().toImage()

    qtbot.waitUntil(drawn_as_now, timeout=2000)


def assert_one_selection(window, span_text):
    """The text, the span table and the status bar agree on the one selected span (or none)."""
    view = window.view
    if span_text is None:
        assert view.selected is None
        assert selected_rows(window) == []
        assert window.selection_label.text() == ""
        return
    assert view.selected is not None and view.selected.text == span_text
    row = window.span_model.row_of(view.selected.id)
    assert selected_rows(window) == [row] and window.span_list.currentIndex().row() == row
    assert span_text[:20] in window.selection_label.text() and view.selected.label in window.selection_label.text()


@pytest.fixture
def tagged(window, qtbot):
    """The China Daily article with three spans, as in the issue: IOM's name, "17 countries and regions", US$7."""
    tag(window, qtbot, IOM, Qt.Key_1)
    tag(window, qtbot, "17 countries and regions", Qt.Key_2)
    tag(window, qtbot, "US$7 billion", Qt.Key_2)
    return window


# -- 1. the edited span stays selected ---------------------------------------------------------------------------

def test_growing_an_end_twice_grows_the_same_span(tagged, qtbot):
    click_span(tagged, qtbot, IOM)
    qtbot.keyClick(tagged.view, Qt.Key_Right, Qt.AltModifier | Qt.ShiftModifier)
    qtbot.keyClick(tagged.view, Qt.Key_Right, Qt.AltModifier | Qt.ShiftModifier)
    texts = set(spans_by_text(tagged))
    assert "17 countries and regions" in texts  # the neighbour is untouched
    assert IOM + " (IOM)," in texts
    assert_one_selection(tagged, IOM + " (IOM),")


def test_relabel_then_correct_goes_to_the_same_span(tagged, qtbot):
    click_span(tagged, qtbot, "US$7 billion")
    qtbot.keyClick(tagged.view, Qt.Key_1)
    qtbot.keyClick(tagged.view, Qt.Key_3)
    spans = spans_by_text(tagged)
    assert spans["US$7 billion"].label == "COMMITMENT"
    assert spans["17 countries and regions"].label == "FIGURE"
    assert_one_selection(tagged, "US$7 billion")


def test_a_note_then_a_label_key_go_to_the_same_span(tagged, qtbot, monkeypatch):
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("check the year", True))
    click_span(tagged, qtbot, "17 countries and regions")
    qtbot.keyClick(tagged.view, Qt.Key_N)
    qtbot.keyClick(tagged.view, Qt.Key_3)
    spans = spans_by_text(tagged)
    assert spans["17 countries and regions"].note == "check the year"
    assert spans["17 countries and regions"].label == "COMMITMENT"
    assert spans["US$7 billion"].label == "FIGURE" and spans[IOM].label == "ORGANISATION"
    assert_one_selection(tagged, "17 countries and regions")


def test_undo_and_redo_keep_the_edited_span_selected(tagged, qtbot):
    click_span(tagged, qtbot, "17 countries and regions")
    qtbot.keyClick(tagged.view, Qt.Key_Left, Qt.AltModifier)  # grow the start: "90 delegates from 17…"? a word
    grown = tagged.view.selected.text
    assert grown.endswith("17 countries and regions") and grown != "17 countries and regions"
    qtbot.keyClick(tagged.view, Qt.Key_Z, Qt.ControlModifier)
    assert_one_selection(tagged, "17 countries and regions")
    qtbot.keyClick(tagged.view, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    assert_one_selection(tagged, grown)


# -- 2. one selection, shown once ----------------------------------------------------------------------------------

def test_escape_clears_the_selection_everywhere(tagged, qtbot):
    click_span(tagged, qtbot, "17 countries and regions")
    assert_one_selection(tagged, "17 countries and regions")
    qtbot.keyClick(tagged.view, Qt.Key_Escape)
    assert_one_selection(tagged, None)
    assert_drawn_as_now(qtbot, tagged.span_list)  # no row left highlighted on the screen either


def test_click_and_brackets_leave_one_row_selected(tagged, qtbot):
    click_span(tagged, qtbot, IOM)
    qtbot.keyClick(tagged.view, Qt.Key_BracketRight)
    assert_one_selection(tagged, "17 countries and regions")
    assert_drawn_as_now(qtbot, tagged.span_list)
    click_span(tagged, qtbot, "US$7 billion")
    assert_one_selection(tagged, "US$7 billion")
    assert_drawn_as_now(qtbot, tagged.span_list)
    qtbot.keyClick(tagged.view, Qt.Key_BracketLeft)
    qtbot.keyClick(tagged.view, Qt.Key_BracketLeft)
    assert_one_selection(tagged, IOM)
    assert_drawn_as_now(qtbot, tagged.span_list)
    # a click on a row of the table selects that span in the text too
    table = tagged.span_list
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=table.visualRect(tagged.span_model.index(2, 1)).center())
    assert_one_selection(tagged, "US$7 billion")


# -- 3. words as a reviewer sees them ------------------------------------------------------------------------------

def drag(view, qtbot, a, b):
    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.LeftButton, pos=point_of(view, a))
    qtbot.mouseMove(viewport, point_of(view, (a + b) // 2))
    qtbot.mouseMove(viewport, point_of(view, b))
    qtbot.mouseRelease(viewport, Qt.LeftButton, pos=point_of(view, b))


def open_titled(window, word):
    for row in range(window.doc_model.rowCount()):
        if word in window.doc_model.data(window.doc_model.index(row, 0)):
            window.open_document(window.doc_model.data(window.doc_model.index(row, 0), Qt.UserRole))
            return
    raise AssertionError(word)


def test_a_drag_ending_inside_a_hyphenated_name_takes_the_whole_name(window, qtbot):
    open_titled(window, "UN officials")
    view = window.view
    a = view.text.index("Nassir Abdulaziz Al-Nasser")
    drag(view, qtbot, a + 1, a + len("Nassir Abdulaziz Al-Na"))
    qtbot.keyClick(view, Qt.Key_1)
    assert [s.text for s in window.store.spans(window.doc_id)] == ["Nassir Abdulaziz Al-Nasser"]


def test_word_steps_keep_hyphenated_names_and_brackets_whole(window, qtbot):
    open_titled(window, "UN officials")
    view = window.view
    tag(window, qtbot, "Ban", Qt.Key_1)
    qtbot.keyClick(view, Qt.Key_Right, Qt.AltModifier | Qt.ShiftModifier)
    assert view.selected.text == "Ban Ki-moon"
    qtbot.keyClick(view, Qt.Key_Left, Qt.AltModifier | Qt.ShiftModifier)
    assert view.selected.text == "Ban"
    # "(Xinhua)" is one step, growing the start over the bracket too
    at = tag(window, qtbot, "--", Qt.Key_3)
    assert view.text[at - len("(Xinhua) "):at] == "(Xinhua) "
    qtbot.keyClick(view, Qt.Key_Left, Qt.AltModifier)
    assert view.selected.text == "(Xinhua) --"
    qtbot.keyClick(view, Qt.Key_Right, Qt.AltModifier)
    assert view.selected.text == "--"


# -- 4. spans a reviewer never means ------------------------------------------------------------------------------

def test_a_line_break_alone_is_not_a_span(window, qtbot):
    view = window.view
    end_of_line = view.text.index("\n")
    put_caret(view, end_of_line)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key_Right, Qt.ShiftModifier)
    assert selected_text(view) == "\n"
    qtbot.keyClick(view, Qt.Key_1)
    assert window.store.spans(window.doc_id) == []
    assert "only" in window.statusBar().currentMessage() and "space" in window.statusBar().currentMessage()


def test_the_same_label_on_the_same_range_selects_the_existing_span(window, qtbot):
    tag(window, qtbot, "Liu Jieyi", Qt.Key_1)
    first = window.view.selected
    qtbot.keyClick(window.view, Qt.Key_Escape)
    tag(window, qtbot, "Liu Jieyi", Qt.Key_1)
    assert [s.id for s in window.store.spans(window.doc_id)] == [first.id]
    assert window.view.selected.id == first.id
    assert "already" in window.statusBar().currentMessage().lower()


# -- 5. a drag inside the selection selects ------------------------------------------------------------------------

def test_a_drag_that_starts_inside_the_selection_selects_again(window, qtbot):
    view = window.view
    a = view.text.index("worth US$7 billion")
    drag(view, qtbot, a, a + len("worth US"))
    assert selected_text(view) == "worth US"
    b = view.text.index("billion", a)
    drag(view, qtbot, a + len("worth U"), b + len("billion"))
    qtbot.keyClick(view, Qt.Key_2)
    assert [s.text for s in window.store.spans(window.doc_id)] == ["US$7 billion"]


# -- 6. nothing stale ----------------------------------------------------------------------------------------------

def test_the_span_count_belongs_to_the_open_document(window, qtbot):
    assert window.span_pane.title.text().endswith("(0)")
    tag(window, qtbot, "Liu Jieyi", Qt.Key_1)
    assert window.span_pane.title.text().endswith("(1)")
    qtbot.keyClick(window.view, Qt.Key_PageDown, Qt.ControlModifier)
    assert window.span_model.rowCount() == 0 and window.span_pane.title.text().endswith("(0)")


def test_after_ctrl_pgup_only_the_open_documents_row_is_highlighted_on_screen(window, qtbot):
    """Mark done twice (Ctrl+Return opens the next to-do), then Ctrl+PgUp: the row left behind kept its Status and
    Spans cells highlighted on the screen, beside the new row's title (seen under Xvfb; the list had not been told
    of a selection made with its signals blocked). Each cell on the screen must be what a fresh paint gives."""
    listing, model = window.document_pane.list, window.document_pane.model
    for key, modifier in [(Qt.Key_Return, Qt.ControlModifier)] * 2 + [(Qt.Key_PageUp, Qt.ControlModifier)]:
        qtbot.keyClick(window.view, key, modifier)
        qtbot.wait(50)  # the repaint the key asked for
    assert model.row_of(window.doc_id) == 1
    shown, fresh = on_screen(listing.viewport()), listing.viewport().grab().toImage()

    def colours(image):  # each cell's background, a pixel in its top right corner, clear of its text
        return [[image.pixelColor(min(r.right() - 2, image.width() - 1), r.top() + 3).name()
                 for r in (listing.visualRect(model.index(row, col)) for col in range(3))]
                for row in range(model.rowCount())]

    highlight = colours(fresh)[1][0]
    assert [[c == highlight for c in row] for row in colours(fresh)] == [[row == 1] * 3 for row in range(5)]
    assert colours(shown) == colours(fresh)
    assert_drawn_as_now(qtbot, listing)


def test_the_hover_text_follows_the_span_and_the_document(window, qtbot):
    view = window.view
    at = tag(window, qtbot, "Liu Jieyi", Qt.Key_2)
    qtbot.mouseMove(view.viewport(), point_of(view, at + 2))
    qtbot.waitUntil(lambda: "FIGURE: Liu Jieyi" in window.hover_label.text())
    qtbot.keyClick(view, Qt.Key_1)  # relabelled under the pointer
    assert "ORGANISATION: Liu Jieyi" in window.hover_label.text() and "FIGURE" not in window.hover_label.text()
    qtbot.keyClick(view, Qt.Key_PageDown, Qt.ControlModifier)
    assert window.hover_label.text() == ""


def test_the_hover_text_is_cut_between_words(window, qtbot):
    view = window.view
    sentence = "Greater efforts will also be made to stem illegal migration"
    at = tag(window, qtbot, sentence, Qt.Key_3)
    qtbot.mouseMove(view.viewport(), point_of(view, at + 2))
    qtbot.waitUntil(lambda: "COMMITMENT" in window.hover_label.text())
    shown = window.hover_label.text().split(": ", 1)[1]
    assert shown.endswith("…")
    assert sentence.startswith(shown[:-1].rstrip()) and sentence[len(shown[:-1].rstrip())] == " "


def test_export_dialog_forgets_where_to_write_once_a_path_is_chosen(window, qtbot, tmp_path, monkeypatch):
    from annotator.ui import file_dialogs

    dialog = window.export_dialog()
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.run_button, Qt.LeftButton)
    assert "Say where to write" in dialog.report.toPlainText()
    monkeypatch.setattr(file_dialogs, "save_file", lambda *a, **k: str(tmp_path / "out.jsonl"))
    qtbot.mouseClick(dialog.findChild(object, "browse"), Qt.LeftButton)
    assert dialog.output.text().endswith("out.jsonl")
    assert "Say where to write" not in dialog.report.toPlainText()


# -- 7. colours ----------------------------------------------------------------------------------------------------

def colour_distance(a: QColor, b: QColor) -> float:
    return ((a.red() - b.red()) ** 2 + (a.green() - b.green()) ** 2 + (a.blue() - b.blue()) ** 2) ** 0.5


@pytest.mark.parametrize("dark", [False, True])
def test_the_text_selection_is_unmistakable_on_every_label_colour(window, qtbot, dark):
    from annotator.ui.colors import dark_palette, span_background

    if dark:
        window.view.setPalette(dark_palette())
    selection = window.view.palette().color(QPalette.Highlight)
    for label in window.store.labels():
        for alpha in (0.38, 0.75, 1.0):
            assert colour_distance(selection, span_background(label.color, window.view.palette(), alpha)) > 120, label.name
        assert colour_distance(selection, QColor(label.color)) > 120, label.name


def test_a_span_nested_in_one_of_the_same_label_can_be_told_apart(window, qtbot):
    view = window.view
    outer_text = "Department of International Organizations and Conferences of the Ministry of Foreign Affairs"
    outer = tag(window, qtbot, outer_text, Qt.Key_1)
    inner = view.text.index("Ministry of Foreign Affairs", outer)
    view.select_offsets(inner, inner + len("Ministry of Foreign Affairs"))
    qtbot.keyClick(view, Qt.Key_1)
    view.select_span(None)
    put_caret(view, 0)
    view.highlighter.finish()
    qtbot.wait(20)
    image = view.viewport().grab().toImage()

    def middle_of(offset):
        cursor = view.textCursor()
        cursor.setPosition(view.offsets.to_qt(offset))
        return view.cursorRect(cursor)

    def background(offset):
        rect = middle_of(offset)
        return image.pixelColor(rect.x() + 2, rect.top() + 2)

    only_outer = background(outer + 2)
    inside_both = background(inner + 2)
    assert colour_distance(only_outer, inside_both) > 30


# -- 8. paragraphs -------------------------------------------------------------------------------------------------

def test_paragraphs_have_room_between_them_and_the_text_is_unchanged(window, qtbot):
    open_titled(window, "World cooperation")
    view = window.view
    assert view.document().toRawText().replace("\u2029", "\n") == window.store.document_text(window.doc_id)
    first, second = view.document().firstBlock(), view.document().firstBlock().next()
    line = view.fontMetrics().lineSpacing()
    top_first = view.blockBoundingGeometry(first).top()
    top_second = view.blockBoundingGeometry(second).top()
    lines_in_first = first.layout().lineCount()
    assert top_second - top_first >= lines_in_first * line + line * 0.4
    # offsets still map: a span tagged in the second paragraph is its text
    tag(window, qtbot, "ISLAMABAD", Qt.Key_1)
    assert [s.text for s in window.store.spans(window.doc_id)] == ["ISLAMABAD"]
