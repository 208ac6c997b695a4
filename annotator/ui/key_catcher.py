"""Keys a widget takes for itself before the window's shortcuts see them.

The window binds Delete, Esc, `]`, Return and the label keys as shortcuts; in the relations list Delete deletes a
relation and a letter retypes it, and while a relation is being made `]` moves to the next candidate. Qt asks the
focused widget first with a ShortcutOverride event: accepting it sends the key to the widget as a key press instead.
"""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent


class KeyCatcher(QObject):
    def __init__(self, wants: Callable[[QKeyEvent], bool], handle: Callable[[QKeyEvent], None], parent=None):
        """``wants(event)``: this key is ours here; ``handle(event)``: act on it."""
        super().__init__(parent)
        self.wants = wants
        self.handle = handle

    def watch(self, *widgets) -> "KeyCatcher":
        for widget in widgets:
            widget.installEventFilter(self)
        return self

    def eventFilter(self, watched, event):  # noqa: N802
        kind = event.type()
        if kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and self.wants(event):
            if kind == QEvent.Type.ShortcutOverride:
                event.accept()
            else:
                self.handle(event)
            return True
        return super().eventFilter(watched, event)


def key_letter(event: QKeyEvent) -> str:
    """The letter or digit a key press types, lower-cased ("" for other keys or with Ctrl/Alt/Meta held)."""
    from PySide6.QtCore import Qt

    if event.modifiers() & (Qt.ControlModifier | Qt.AltModifier | Qt.MetaModifier):
        return ""
    t = event.text()
    return t.lower() if len(t) == 1 and t.isalnum() else ""
