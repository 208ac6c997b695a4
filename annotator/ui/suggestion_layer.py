"""How suggestions look in the article: a dashed underline in the label's colour under each, and the current one
(Tab) outlined dashed in that colour. Never a filled background: a background means a span, so a reviewer never
mistakes a suggestion for something tagged (span_layer.py paints spans; document_view.py frames the selection).

Painted over the viewport after the text, for the suggestions on screen only."""
from __future__ import annotations

import bisect

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

UNDERLINE = 2  # px
OUTLINE = 2    # px


class SuggestionLayer:
    """The suggestions of the open document as the article draws them (``view.overlays`` calls it to paint)."""

    def __init__(self, view):
        self.view = view
        self.items: list = []     # Suggestion, in reading order
        self._starts: list[int] = []
        self.current = None       # the Suggestion Tab moved to, outlined
        self.colors: dict[str, str] = {}
        view.overlays.append(self.paint)

    def set(self, items: list, colors: dict[str, str]) -> None:
        self.items = list(items)
        self._starts = [s.start for s in self.items]
        self.colors = dict(colors)
        self.view.viewport().update()

    def _visible(self) -> list:
        """The suggestions that may be on screen: those starting before the last visible character and ending
        after the first (suggestions are short, so looking back a little from the first visible one suffices)."""
        if not self.items:
            return []
        view, offsets = self.view, self.view.offsets
        top = offsets.from_qt(view.cursorForPosition(QPoint(0, 0)).position())
        corner = view.viewport().rect().bottomRight()
        bottom = offsets.from_qt(view.cursorForPosition(corner).position())
        first = max(0, bisect.bisect_left(self._starts, top) - 64)
        last = bisect.bisect_right(self._starts, bottom + 1)
        return [s for s in self.items[first:last] if s.end > top]

    def paint(self, view) -> None:
        shown = self._visible()
        if not shown and self.current is None:
            return
        painter = QPainter(view.viewport())
        for s in shown:
            pen = QPen(QColor(self.colors.get(s.label, "#888888")), UNDERLINE, Qt.DashLine)
            painter.setPen(pen)
            for rect in view.line_rects(s.start, s.end):
                y = rect.bottom() - UNDERLINE
                painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
        if self.current is not None:
            s = self.current
            painter.setPen(QPen(QColor(self.colors.get(s.label, "#888888")), OUTLINE, Qt.DashLine))
            for rect in view.line_rects(s.start, s.end):
                painter.drawRect(QRectF(rect.left() - 1, rect.top() + 1, rect.width() + 2, rect.height() - 2))
        painter.end()
