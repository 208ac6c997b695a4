"""Paints a document's spans into its text, block by block, and repaints only the blocks an edit touches.

Opening a document paints the blocks on screen at once and the others in small chunks while the window is idle,
so a 1 MB article with 10,000 spans opens as fast as a short one. Where spans overlap or nest, the innermost span
gives the background and the one around it underlines the text in its colour, so neither hides the other; a third
span and beyond each get a bar in their colour along the top of the line (``deep``, drawn by the document view,
since a character format holds one underline); hovering lists every label under the pointer.
"""
from __future__ import annotations

import bisect
import re
from collections import defaultdict

from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QPalette, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from ..core.model import Span
from ..core.offsets import OffsetMap
from .colors import nested_background, span_background


class SpanHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument, palette: QPalette):
        super().__init__(document)
        self.palette = palette
        self.offsets = OffsetMap("")
        self.block_starts = [0]
        self.spans: dict[str, Span] = {}
        self.by_block: dict[int, set[str]] = defaultdict(set)
        self.colors: dict[str, str] = {}
        # block number -> (start, end, label, level) in the block's Qt positions, for spans nested 3 deep and more
        self.deep: dict[int, list[tuple[int, int, str, int]]] = {}
        self._formats: dict[tuple, QTextCharFormat] = {}
        self._todo: set[int] = set()      # blocks with spans not painted yet
        self._queue: list[int] = []        # the same, in the order the idle painter takes them
        self._idle = QTimer(self, interval=0)
        self._idle.timeout.connect(self._paint_some)

    # -- the model --------------------------------------------------------------------------------------------

    def clear(self) -> None:
        """Forget the spans, so that replacing the document's text does not paint them on the way."""
        self.spans = {}
        self.by_block = defaultdict(set)
        self.deep = {}
        self._queue, self._todo = [], set()
        self._idle.stop()

    def reset(self, text_map: OffsetMap, spans: list[Span], colors: dict[str, str], text: str | None = None) -> None:
        """New document or new label colours: everything is repainted once."""
        if text is not None:
            # QPlainTextEdit starts a block after each \n and U+2029; looking blocks up here is much cheaper
            # than asking the document for each of 10,000 spans
            self.block_starts = [0] + [m.end() for m in re.finditer("[\n\u2029]", text)]
        self.offsets = text_map
        self.colors = dict(colors)
        self._formats.clear()
        self.spans = {s.id: s for s in spans}
        self.by_block = defaultdict(set)
        self.deep = {}
        for s in spans:
            for b in self._blocks_of(s):
                self.by_block[b].add(s.id)
        # The text was just set with no spans known, so only blocks holding spans need painting.
        self._queue = sorted(self.by_block, reverse=True)
        self._todo = set(self._queue)
        self._idle.start()

    def paint_now(self, first: int, last: int) -> None:
        """Paint the pending blocks between these numbers (the ones on screen) before anything else."""
        for b in range(first, last + 1):
            if b in self._todo:
                self._todo.discard(b)
                self._repaint(range(b, b + 1))

    def _paint_some(self, budget: int = 40) -> None:
        while self._queue and budget:
            b = self._queue.pop()
            if b in self._todo:
                self._todo.discard(b)
                self._repaint(range(b, b + 1))
                budget -= 1
        if not self._queue:
            self._idle.stop()

    def finish(self) -> None:
        """Paint everything still pending (tests and screenshots want the whole document)."""
        while self._queue:
            self._paint_some(10_000)

    def set_palette(self, palette: QPalette) -> None:
        self.palette = palette
        self._formats.clear()
        self.rehighlight()
        self._queue, self._todo = [], set()

    def add(self, span: Span) -> None:
        self.spans[span.id] = span
        blocks = self._blocks_of(span)
        for b in blocks:
            self.by_block[b].add(span.id)
        self._repaint(blocks)

    def remove(self, span_id: str) -> None:
        span = self.spans.pop(span_id, None)
        if span is None:
            return
        blocks = self._blocks_of(span)
        for b in blocks:
            self.by_block[b].discard(span_id)
        self._repaint(blocks)

    def update(self, span: Span) -> None:
        old = self.spans.get(span.id)
        if old is not None:
            self.remove(span.id)
        self.add(span)

    def spans_at(self, offset: int) -> list[Span]:
        """Spans covering a code-point offset, innermost first."""
        block = bisect.bisect_right(self.block_starts, offset) - 1
        found = [self.spans[i] for i in self.by_block.get(block, ()) if self.spans[i].start <= offset < self.spans[i].end]
        return sorted(found, key=lambda s: (s.end - s.start, s.start, s.label))

    # -- painting ---------------------------------------------------------------------------------------------

    def _blocks_of(self, span: Span) -> range:
        starts = self.block_starts
        return range(bisect.bisect_right(starts, span.start) - 1, bisect.bisect_right(starts, span.end - 1))

    def _repaint(self, blocks: range) -> None:
        doc = self.document()
        self._todo.difference_update(blocks)
        for b in blocks:
            block = doc.findBlockByNumber(b)
            if block.isValid():
                self.rehighlightBlock(block)

    def _format(self, inner: str, outer: str | None) -> QTextCharFormat:
        key = (inner, outer)
        fmt = self._formats.get(key)
        if fmt is None:
            fmt = QTextCharFormat()
            # inside a span of the same label (a Ministry inside a Department) the inner one is a deeper shade,
            # or the two would read as one
            color = self.colors.get(inner, "#888888")
            fmt.setBackground((nested_background if outer == inner else span_background)(color, self.palette))
            if outer is not None:
                fmt.setUnderlineStyle(QTextCharFormat.SingleUnderline)
                fmt.setUnderlineColor(QColor(self.colors.get(outer, "#888888")))
                fmt.setFontUnderline(True)
            self._formats[key] = fmt
        return fmt

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt's name)
        number = self.currentBlock().blockNumber()
        self.deep.pop(number, None)
        ids = self.by_block.get(number)
        if not ids:
            return
        block_start_q = self.currentBlock().position()
        block_start = self.offsets.from_qt(block_start_q)
        block_end = self.offsets.from_qt(block_start_q + len(text))
        spans = [self.spans[i] for i in ids]
        cuts = sorted({block_start, block_end} | {max(block_start, min(block_end, p)) for s in spans for p in (s.start, s.end)})
        for a, b in zip(cuts, cuts[1:]):
            covering = [s for s in spans if s.start <= a and b <= s.end]
            if not covering:
                continue
            covering.sort(key=lambda s: (s.end - s.start, s.label))
            inner = covering[0].label
            outer = covering[1].label if len(covering) > 1 else None
            qa, qb = self.offsets.to_qt(a) - block_start_q, self.offsets.to_qt(b) - block_start_q
            self.setFormat(qa, qb - qa, self._format(inner, outer))
            for level, span in enumerate(covering[2:], 2):
                self.deep.setdefault(number, []).append((qa, qb, span.label, level))
