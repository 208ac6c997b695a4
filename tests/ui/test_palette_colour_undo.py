"""The palette's Colour… button recolours a label as one undoable step, like every other scheme edit: Ctrl+Z in
the article brings the old colour back, in the database, the palette and the article's highlights."""
from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QColorDialog

from tests.ui.test_review_desk import tag


def span_pixels(view, offset):
    """The commonest colour inside the first character of the span at ``offset`` (its background, not its ink)."""
    view.select_span(None)
    view.viewport().repaint()
    image = view.viewport().grab().toImage()
    cursor = view.textCursor()
    cursor.setPosition(view.offsets.to_qt(offset))
    left = view.cursorRect(cursor)
    cursor.setPosition(view.offsets.to_qt(offset + 1))
    right = view.cursorRect(cursor)
    seen = Counter(image.pixelColor(x, y).name() for x in range(left.x() + 1, right.x())
                   for y in range(left.top() + 1, left.bottom()))
    return seen.most_common(1)[0][0]


def test_palette_colour_is_one_undo_step_and_repaints_the_article(window, qtbot, monkeypatch):
    view = window.view
    at = tag(window, qtbot, "Ministry of Foreign Affairs", Qt.Key_1)
    before = window.store.label("ORGANISATION").color
    painted_before = span_pixels(view, at)

    monkeypatch.setattr(QColorDialog, "getColor", lambda *a, **k: QColor("#00ff00"))
    qtbot.mouseClick(window.palette_widget.findChild(object, "recolor_ORGANISATION"), Qt.LeftButton)
    assert window.store.label("ORGANISATION").color.lower() == "#00ff00"
    painted_green = span_pixels(view, at)
    assert painted_green != painted_before
    green = QColor(painted_green)
    assert green.green() > green.red() and green.green() > green.blue(), painted_green
    assert window.undo_action.text() == "Undo colour of ORGANISATION"

    view.setFocus()
    qtbot.keyClick(view, Qt.Key_Z, Qt.ControlModifier)
    assert window.store.label("ORGANISATION").color == before
    assert "Undid: colour of ORGANISATION" in window.statusBar().currentMessage()
    assert span_pixels(view, at) == painted_before
    # the span itself was not touched by the undo: only the colour went back
    assert [s.label for s in window.store.spans(window.doc_id)] == ["ORGANISATION"]

    qtbot.keyClick(view, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    assert window.store.label("ORGANISATION").color.lower() == "#00ff00"
    assert span_pixels(view, at) == painted_green


def test_a_cancelled_colour_dialog_changes_nothing_and_adds_no_step(window, qtbot, monkeypatch):
    tag(window, qtbot, "Ministry of Foreign Affairs", Qt.Key_1)
    before = window.store.label("ORGANISATION").color
    undo_text = window.undo_action.text()
    monkeypatch.setattr(QColorDialog, "getColor", lambda *a, **k: QColor())  # Cancel: an invalid colour
    qtbot.mouseClick(window.palette_widget.findChild(object, "recolor_ORGANISATION"), Qt.LeftButton)
    assert window.store.label("ORGANISATION").color == before
    assert window.undo_action.text() == undo_text


def test_palette_add_label_is_undoable_and_a_refusal_is_one_line(window, qtbot, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("location", True))
    qtbot.mouseClick(window.palette_widget.findChild(object, "addLabel"), Qt.LeftButton)
    assert "LOCATION" in window.palette_widget.buttons
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key_Z, Qt.ControlModifier)
    assert "LOCATION" not in window.palette_widget.buttons and window.store.label("LOCATION").retired
    assert "Undid: add label LOCATION" in window.statusBar().currentMessage()

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("figure", True))  # taken already
    qtbot.mouseClick(window.palette_widget.findChild(object, "addLabel"), Qt.LeftButton)
    message = window.statusBar().currentMessage()
    assert "FIGURE" in message and "\n" not in message and "Traceback" not in message
    assert [l.name for l in window.store.labels()].count("FIGURE") == 1
