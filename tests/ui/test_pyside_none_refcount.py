"""PySide6 6.12.0 takes a reference from None on every call of a void Qt method, and Python aborts after some
thousands (``Fatal Python error: none_dealloc``). This guards the pin against an upgrade bringing it back."""
import sys

from PySide6.QtGui import QTextCursor, QTextDocument


def test_void_qt_calls_do_not_steal_references_to_none():
    doc = QTextDocument("x" * 100)
    cursor = QTextCursor(doc)
    before = sys.getrefcount(None)
    for i in range(100_000):
        cursor.setPosition(i % 100)
    assert sys.getrefcount(None) >= before - 100
