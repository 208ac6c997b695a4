"""The article, as plain text, with its spans painted in; the one place Qt positions become our offsets."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip

from ..core.model import Span
from ..core.offsets import OffsetMap
from .colors import SELECTED_ALPHA, readable_text, span_background
from .span_layer import SpanHighlighter

DEEP_BAR = 2  # px: the bar of a span nested three deep or more, along the top of the line
DEEP_BAR_STEP = 3  # px between the bars of successive levels


class DocumentView(QPlainTextEdit):
    sig_span_clicked = Signal(str)
    """The reviewer clicked inside a span (no text was dragged): the innermost span's id."""
    sig_hover = Signal(list)
    """The spans under the pointer changed: a list of Span, innermost first."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("documentView")
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
        self.setLineWrapMode(QPlainTextEdit.WidgetWidth)
        self.setMouseTracking(True)
        self.setCenterOnScroll(False)
        font = QFont(self.font())
        font.setPointSizeF(max(11.0, font.pointSizeF() * 1.15))
        self.setFont(font)
        self.default_point_size = font.pointSizeF()
        self.document().setDocumentMargin(16)
        self.text = ""
        self.offsets = OffsetMap("")
        self.highlighter = SpanHighlighter(self.document(), self.palette())
        self.selected: Span | None = None
        self._press: QPoint | None = None
        self._hover_ids: tuple = ()
        self.verticalScrollBar().valueChanged.connect(self.paint_visible)

    # -- content ----------------------------------------------------------------------------------------------

    def show_document(self, text: str, spans: list[Span], colors: dict[str, str]) -> None:
        self.text = text
        self.offsets = OffsetMap(text)
        self.selected = None
        self.setExtraSelections([])
        self.highlighter.clear()
        # setPlainText never interprets markup: "<b>" and "&amp;" show as typed
        self.setPlainText(text)
        self.highlighter.reset(self.offsets, spans, colors, text)
        self.moveCursor(QTextCursor.Start)
        self.paint_visible()

    def paint_visible(self, *_) -> None:
        """Spans on screen are painted before the rest (which follows while the window is idle)."""
        block = self.firstVisibleBlock()
        if not block.isValid():
            return
        first = block.blockNumber()
        height = self.viewport().height()
        offset = self.contentOffset()
        last = first
        while block.isValid() and self.blockBoundingGeometry(block).translated(offset).top() <= height:
            last = block.blockNumber()
            block = block.next()
        self.highlighter.paint_now(first, last)

    def paintEvent(self, event):  # noqa: N802
        super().paintEvent(event)
        if self.highlighter.deep:
            self._paint_deep_spans()

    def _paint_deep_spans(self) -> None:
        """A bar along the top of the line for each span nested beyond the two that background and underline show,
        in its label's colour, one bar per level."""
        painter = QPainter(self.viewport())
        offset, height = self.contentOffset(), self.viewport().height()
        block = self.firstVisibleBlock()
        while block.isValid():
            geometry = self.blockBoundingGeometry(block).translated(offset)
            if geometry.top() > height:
                break
            layout = block.layout()
            for start, end, label, level in self.highlighter.deep.get(block.blockNumber(), ()):
                color = QColor(self.highlighter.colors.get(label, "#888888"))
                for i in range(layout.lineCount()):
                    line = layout.lineAt(i)
                    a, b = max(start, line.textStart()), min(end, line.textStart() + line.textLength())
                    if a < b:
                        left = geometry.left() + line.cursorToX(a)[0]
                        right = geometry.left() + line.cursorToX(b)[0]
                        top = geometry.top() + line.y() + 1 + DEEP_BAR_STEP * (level - 2)
                        painter.fillRect(QRectF(left, top, right - left, DEEP_BAR), color)
            block = block.next()
        painter.end()

    def resizeEvent(self, event):  # noqa: N802
        super().resizeEvent(event)
        self.paint_visible()

    def set_colors(self, colors: dict[str, str], spans: list[Span]) -> None:
        self.highlighter.reset(self.offsets, spans, colors)
        self.paint_visible()
        self._show_selected()

    # -- our offsets <-> Qt positions: the only conversion ----------------------------------------------------

    def selection_offsets(self) -> tuple[int, int] | None:
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return self.offsets.from_qt(cursor.selectionStart()), self.offsets.from_qt(cursor.selectionEnd())

    def caret_offset(self) -> int:
        return self.offsets.from_qt(self.textCursor().position())

    def select_offsets(self, start: int, end: int) -> None:
        cursor = self.textCursor()
        cursor.setPosition(self.offsets.to_qt(start))
        cursor.setPosition(self.offsets.to_qt(end), QTextCursor.KeepAnchor)
        self.setTextCursor(cursor)

    def offset_at(self, point: QPoint) -> int:
        return self.offsets.from_qt(self.cursorForPosition(point).position())

    # -- the selected span ------------------------------------------------------------------------------------

    def select_span(self, span: Span | None, scroll: bool = True) -> None:
        self.selected = span
        if span is not None and scroll:
            cursor = self.textCursor()
            cursor.setPosition(self.offsets.to_qt(span.start))
            self.setTextCursor(cursor)
            self.ensureCursorVisible()
        self._show_selected()

    def _show_selected(self) -> None:
        span = self.selected
        if span is None:
            self.setExtraSelections([])
            return
        sel = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.offsets.to_qt(span.start))
        cursor.setPosition(self.offsets.to_qt(span.end), QTextCursor.KeepAnchor)
        sel.cursor = cursor
        color = self.highlighter.colors.get(span.label, "#888888")
        background = span_background(color, self.palette(), SELECTED_ALPHA)
        sel.format.setBackground(background)
        sel.format.setForeground(readable_text(background))
        self.setExtraSelections([sel])

    # -- mouse ------------------------------------------------------------------------------------------------

    def mousePressEvent(self, event):  # noqa: N802
        self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event):  # noqa: N802
        super().mouseReleaseEvent(event)
        pressed, self._press = self._press, None
        if pressed is None or event.button() != Qt.LeftButton or self.textCursor().hasSelection():
            return
        under = self.highlighter.spans_at(self.offset_at(event.position().toPoint()))
        if under:
            self.sig_span_clicked.emit(under[0].id)

    def mouseMoveEvent(self, event):  # noqa: N802
        super().mouseMoveEvent(event)
        point = event.position().toPoint()
        under = self.highlighter.spans_at(self.offset_at(point)) if self.text else []
        ids = tuple(s.id for s in under)
        if ids != self._hover_ids:
            self._hover_ids = ids
            self.sig_hover.emit(under)
            if under:
                tip = "\n".join(f"{s.label} — {s.text if len(s.text) < 60 else s.text[:59] + '…'}" + (f"  ({s.note})" if s.note else "") for s in under)
                QToolTip.showText(event.globalPosition().toPoint(), tip, self.viewport())
            else:
                QToolTip.hideText()

    # -- light and dark ---------------------------------------------------------------------------------------

    def changeEvent(self, event):  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            # The system switched between light and dark while the window is open: span backgrounds are the
            # label colour mixed into the page colour, so mix them again (light ones under light text are
            # unreadable: 1.4:1).
            self.highlighter.set_palette(self.palette())
            self.paint_visible()
            self._show_selected()

    # -- zoom -------------------------------------------------------------------------------------------------

    def zoom(self, steps: int) -> None:
        """Steps of one point, between 7 and 40; 0 goes back to the size the window starts with."""
        font = QFont(self.font())
        size = self.default_point_size if steps == 0 else font.pointSizeF() + steps
        font.setPointSizeF(min(40.0, max(7.0, size)))
        self.setFont(font)
