"""Switching the system between light and dark while the window is open keeps every span readable."""
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from annotator.ui.colors import contrast, dark_palette, luminance


def background_at(view, offset):
    """The background painted under the character at ``offset`` (None if nothing is painted there)."""
    q = view.offsets.to_qt(offset)
    block = view.document().findBlock(q)
    for r in block.layout().formats():
        if r.start <= q - block.position() < r.start + r.length:
            return r.format.background().color()
    return None


def test_span_backgrounds_and_palette_follow_a_switch_to_dark_and_back(window, qtbot):
    view = window.view
    at = view.text.index("Ministry of Foreign Affairs")
    view.select_offsets(at, at + len("Ministry of Foreign Affairs"))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key_1)
    inner = view.text.index("Foreign", at)
    view.select_offsets(inner, inner + len("Foreign"))
    qtbot.keyClick(view, Qt.Key_2)
    app = QApplication.instance()
    light_palette = app.palette()
    light_button = window.palette_widget.buttons["ORGANISATION"].styleSheet()
    try:
        app.setPalette(dark_palette())
        qtbot.waitUntil(lambda: window.palette_widget.buttons["ORGANISATION"].styleSheet() != light_button)
        text = view.palette().color(QPalette.Text)
        for offset in (at + 1, inner + 1):  # the outer span, and the nested one
            dark_bg = background_at(view, offset)
            assert luminance(dark_bg) < 0.2 and contrast(dark_bg, text) >= 4.5
    finally:
        app.setPalette(light_palette)
    qtbot.waitUntil(lambda: window.palette_widget.buttons["ORGANISATION"].styleSheet() == light_button)
    text = view.palette().color(QPalette.Text)
    assert contrast(background_at(view, at + 1), text) >= 4.5 and luminance(background_at(view, at + 1)) > 0.4
