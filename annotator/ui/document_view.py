"""The article, as plain text, with its spans painted in; the one place Qt positions become our offsets."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, QPoint, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QPen, QTextCursor
from PySide6.QtWidgets import QPlainTextDocumentLayout, QPlainTextEdit, QTextEdit, QToolTip

from ..core.model import Span
from ..core.offsets import OffsetMap
from .colors import SELECTED_ALPHA, readable_text, span_background
from .plain import rich
from .span_layer import SpanHighlighter

DEEP_BAR = 2  # px: the bar of a span nested three deep or more, along the top of the line
DEEP_BAR_STEP = 3  # px between the bars of successive levels


class ParagraphLayout(QPlainTextDocumentLayout):
    """The plain-text layout with `room` pixels under each paragraph. QPlainTextEdit ignores block margins, so
    the room is added to each block's bounding rectangle, which painting, hit testing and cursor rectangles all
    go by; the text and its offsets are untouched."""

    def __init__(self, document):
        super().__init__(document)
        self.room = 0

    def blockBoundingRect(self, block):  # noqa: N802
        rect = super().blockBoundingRect(block)
        if self.room and block.next().isValid():
            rect.adjust(0, 0, 0, self.room)
        return rect


class DocumentView(QPlainTextEdit):
    sig_span_clicked = Signal(str)
    """The reviewer clicked inside a span (no text was dragged): the innermost span's id."""
    sig_hover = Signal(list)
    """The spans under the pointer changed: a list of Span, innermost first."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.paragraphs: ParagraphLayout | None = None
        self._single_breaks = False
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
        self.paragraphs = ParagraphLayout(self.document())
        self.document().setDocumentLayout(self.paragraphs)
        self.document().setDocumentMargin(16)
        self.text = ""
        self.offsets = OffsetMap("")
        self.highlighter = SpanHighlighter(self.document(), self.palette())
        self.selected: Span | None = None
        # a range shown framed (dashed) without touching the text selection: the curation candidate in hand, so a
        # curator can select a corrected range in the article and take it (E)
        self.marked: tuple[int, int] | None = None
        # the spans related to the selected one, framed dotted with the relation's name ("ACTOR") above each, and
        # the candidate of a relation being made, framed dashed and thick
        self.related: list[tuple[int, int, str]] = []
        self.candidate: tuple[int, int] | None = None
        self.overlays: list = []  # callables painting over the viewport after the frames (see suggestion_layer.py)
        # lines a span's hover tooltip adds under it: its relations ("ACTOR → ORGANISATION “IOM”"), from the desk
        self.hover_lines: Callable[[Span], list[str]] = lambda span: []
        self._press: QPoint | None = None
        self._hover_ids: tuple = ()
        self._hover_key: tuple = ()
        self._pointer: QPoint | None = None
        self._selection_colours()
        self.verticalScrollBar().valueChanged.connect(self.paint_visible)

    # -- content ----------------------------------------------------------------------------------------------

    def show_document(self, text: str, spans: list[Span], colors: dict[str, str]) -> None:
        self.text = text
        self.offsets = OffsetMap(text)
        self.selected = None
        self.marked = None
        self.related, self.candidate = [], None
        self.setExtraSelections([])
        self.highlighter.clear()
        # setPlainText never interprets markup: "<b>" and "&amp;" show as typed
        self._single_breaks = "\n" in text.rstrip("\n") and "\n\n" not in text
        self._paragraph_room()
        self.setPlainText(text)
        self.highlighter.reset(self.offsets, spans, colors, text)
        self.moveCursor(QTextCursor.Start)
        self.paint_visible()
        self._hover_ids = self._hover_key = ()
        self.sig_hover.emit([])

    def _paragraph_room(self) -> None:
        """Room under each paragraph when paragraphs are separated by single line breaks (the Dawn article reads
        as a wall of text otherwise). Articles with blank lines between paragraphs have their room already."""
        if self.paragraphs is not None:
            self.paragraphs.room = round(self.fontMetrics().lineSpacing() * 0.6) if self._single_breaks else 0

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
        if self.selected is not None:
            self._paint_frame(self.selected.start, self.selected.end, Qt.SolidLine)
        if self.marked is not None:
            self._paint_frame(*self.marked, Qt.DashLine)
        for start, end, caption in self.related:
            self._paint_frame(start, end, Qt.DotLine, caption)
        if self.candidate is not None:
            self._paint_frame(*self.candidate, Qt.DashLine, width=3)
        for overlay in self.overlays:  # drawn by other modules (suggestions) over the text, under nothing
            overlay(self)

    def _paint_frame(self, start: int, end: int, style, caption: str = "", width: int = 2) -> None:
        """A frame in the text colour around a range, line by line: the selected span is unmistakable on any label
        colour, and inside a span of the same label. ``caption`` is written small above the frame's first line."""
        painter = QPainter(self.viewport())
        painter.setPen(QPen(self.palette().color(QPalette.Text), width, style))
        for rect in self.line_rects(start, end):
            painter.drawRect(QRectF(rect.left(), rect.top() + 1, rect.width(), rect.height() - 2))
            if caption:
                self._paint_caption(painter, caption, rect.left(), rect.top())
                caption = ""
        painter.end()

    def line_rects(self, start: int, end: int):
        """The on-screen rectangles (viewport coordinates) a code-point range covers, one for each line it is on,
        from the first visible line to the last."""
        qa, qb = self.offsets.to_qt(start), self.offsets.to_qt(end)
        offset, height = self.contentOffset(), self.viewport().height()
        block = self.firstVisibleBlock()
        first = self.document().findBlock(qa)  # from the range's own block when it starts below the top
        if first.isValid() and first.blockNumber() > block.blockNumber():
            block = first
        while block.isValid():
            geometry = self.blockBoundingGeometry(block).translated(offset)
            if geometry.top() > height or block.position() >= qb:
                break
            layout, base = block.layout(), block.position()
            for i in range(layout.lineCount()):
                line = layout.lineAt(i)
                a = max(qa, base + line.textStart())
                b = min(qb, base + line.textStart() + line.textLength())
                if a < b:
                    left = geometry.left() + line.cursorToX(a - base)[0]
                    right = geometry.left() + line.cursorToX(b - base)[0]
                    yield QRectF(left, geometry.top() + line.y(), right - left, line.height())
            block = block.next()

    def _paint_caption(self, painter: QPainter, caption: str, left: float, top: float) -> None:
        """The relation's name on a small tag in the text colour, over the top edge of the frame."""
        font = QFont(self.font())
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.6))
        font.setBold(True)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        rect = QRectF(left, top - metrics.height() * 0.6, metrics.horizontalAdvance(caption) + 6, metrics.height())
        painter.fillRect(rect, self.palette().color(QPalette.Text))
        painter.save()
        painter.setPen(self.palette().color(QPalette.Base))
        painter.drawText(rect, Qt.AlignCenter, caption)
        painter.restore()

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

    def mark_range(self, start: int, end: int) -> None:
        """Frame ``[start, end)`` and bring it into view, leaving the text selection as it is."""
        self.marked = (start, end)
        self.scroll_to(start)
        self.viewport().update()

    def scroll_to(self, offset: int) -> None:
        """Bring a code-point offset into view, leaving the caret and the selection where they are."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.offsets.to_qt(offset))
        if not self.viewport().rect().contains(self.cursorRect(cursor)):
            block = self.document().findBlock(self.offsets.to_qt(offset))
            self.verticalScrollBar().setValue(max(0, block.firstLineNumber() - 3))

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
        if event.button() == Qt.LeftButton and self.textCursor().hasSelection():
            # Qt starts a text drag from a press inside the selection; the article is read-only, so a drag
            # always selects: the press starts a new selection where it is
            cursor = self.textCursor()
            position = self.cursorForPosition(self._press).position()
            if cursor.selectionStart() <= position <= cursor.selectionEnd():
                cursor.setPosition(position)
                self.setTextCursor(cursor)
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
        self._pointer = point
        under = self.highlighter.spans_at(self.offset_at(point)) if self.text else []
        ids = tuple(s.id for s in under)
        if ids != self._hover_ids:
            self._hover_ids = ids
            self._hover_key = tuple(under)
            self.sig_hover.emit(under)
            if under:
                tip = "\n".join("\n".join([f"{s.label} — {s.text if len(s.text) < 60 else s.text[:59] + '…'}"
                                             + (f"  ({s.note})" if s.note else "")]
                                            + [f"  {line}" for line in self.hover_lines(s)]) for s in under)
                QToolTip.showText(event.globalPosition().toPoint(), rich(tip), self.viewport())
            else:
                QToolTip.hideText()

    def leaveEvent(self, event):  # noqa: N802
        super().leaveEvent(event)
        self._pointer = None
        if self._hover_ids:
            self._hover_ids = self._hover_key = ()
            self.sig_hover.emit([])

    def refresh_hover(self) -> None:
        """The spans changed: say again what is under the pointer if that changed (a relabel, a resize)."""
        if self._pointer is None or not self.text:
            return
        under = self.highlighter.spans_at(self.offset_at(self._pointer))
        if tuple(under) != self._hover_key:
            self._hover_ids = tuple(s.id for s in under)
            self._hover_key = tuple(under)
            self.sig_hover.emit(under)

    # -- light and dark ---------------------------------------------------------------------------------------

    def changeEvent(self, event):  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._paragraph_room()
        if event.type() == QEvent.Type.PaletteChange:
            # The system switched between light and dark while the window is open: span backgrounds are the
            # label colour mixed into the page colour, so mix them again (light ones under light text are
            # unreadable: 1.4:1).
            self._selection_colours()
            self.highlighter.set_palette(self.palette())
            self.paint_visible()
            self._show_selected()

    def _selection_colours(self) -> None:
        """The text selection in the text colour with the page colour on it (reversed), not the system's blue:
        that blue is close to ORGANISATION's, and a reversed selection stands out on every label colour."""
        palette = self.palette()
        text, base = palette.color(QPalette.Text), palette.color(QPalette.Base)
        if palette.color(QPalette.Highlight) != text or palette.color(QPalette.HighlightedText) != base:
            for group in (QPalette.Active, QPalette.Inactive):
                palette.setColor(group, QPalette.Highlight, text)
                palette.setColor(group, QPalette.HighlightedText, base)
            self.setPalette(palette)

    # -- zoom -------------------------------------------------------------------------------------------------

    def zoom(self, steps: int) -> None:
        """Steps of one point, between 7 and 40; 0 goes back to the size the window starts with."""
        font = QFont(self.font())
        size = self.default_point_size if steps == 0 else font.pointSizeF() + steps
        font.setPointSizeF(min(40.0, max(7.0, size)))
        self.setFont(font)
        self._paragraph_room()
        self.viewport().update()
