"""Paints a document's spans into its text, block by block, and repaints only the blocks an edit touches.

Where spans overlap or nest, the innermost span gives the background and the one around it underlines the text in
its colour, so neither hides the other; hovering lists every label under the pointer.
"""
from __future__ import annotations

import bisect
from collections import defaultdict

from PySide6.QtGui import QColor, QPalette, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from ..core.model import Span
from ..core.offsets import OffsetMap
from .colors import span_background


class SpanHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument, palette: QPalette):
        super().__init__(document)
        self.palette = palette
        self.offsets = OffsetMap("")
        self.spans: dict[str, Span] = {}
        self.by_block: dict[int, set[str]] = defaultdict(set)
        self.colors: dict[str, str] = {}
        self._formats: dict[tuple, QTextCharFormat] = {}

    # -- the model --------------------------------------------------------------------------------------------

    def reset(self, text_map: OffsetMap, spans: list[Span], colors: dict[str, str]) -> None:
        """New document or new label colours: everything is repainted once."""
        self.offsets = text_map
        self.colors = dict(colors)
        self._formats.clear()
        self.spans = {s.id: s for s in spans}
        self.by_block = defaultdict(set)
        for s in spans:
            for b in self._blocks_of(s):
                self.by_block[b].add(s.id)
        self.rehighlight()

    def set_palette(self, palette: QPalette) -> None:
        self.palette = palette
        self._formats.clear()
        self.rehighlight()

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
        block = self.document().findBlock(self.offsets.to_qt(offset)).blockNumber()
        found = [self.spans[i] for i in self.by_block.get(block, ()) if self.spans[i].start <= offset < self.spans[i].end]
        return sorted(found, key=lambda s: (s.end - s.start, s.start, s.label))

    # -- painting ---------------------------------------------------------------------------------------------

    def _blocks_of(self, span: Span) -> range:
        doc = self.document()
        first = doc.findBlock(self.offsets.to_qt(span.start)).blockNumber()
        last = doc.findBlock(self.offsets.to_qt(span.end - 1)).blockNumber()
        return range(first, last + 1)

    def _repaint(self, blocks: range) -> None:
        doc = self.document()
        for b in blocks:
            block = doc.findBlockByNumber(b)
            if block.isValid():
                self.rehighlightBlock(block)

    def _format(self, inner: str, outer: str | None) -> QTextCharFormat:
        key = (inner, outer)
        fmt = self._formats.get(key)
        if fmt is None:
            fmt = QTextCharFormat()
            fmt.setBackground(span_background(self.colors.get(inner, "#888888"), self.palette))
            if outer is not None:
                fmt.setUnderlineStyle(QTextCharFormat.SingleUnderline)
                fmt.setUnderlineColor(QColor(self.colors.get(outer, "#888888")))
                fmt.setFontUnderline(True)
            self._formats[key] = fmt
        return fmt

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt's name)
        ids = self.by_block.get(self.currentBlock().blockNumber())
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


def reading_order(spans: list[Span]) -> list[Span]:
    return sorted(spans, key=lambda s: (s.start, -s.end, s.label, s.annotator, s.id))


def index_after(spans: list[Span], offset: int) -> int:
    return bisect.bisect_right([s.start for s in spans], offset)
