"""Span editing from the keyboard and mouse: tag, relabel, resize by words, note, delete, and the one selected span
that the text view and the span table both show."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QInputDialog

from ..core import commands as cmd
from ..core.errors import AnnotatorError
from ..core.model import Span
from ..core.words import snap_to_words, step
from .document_view import DocumentView
from .plain import rich
from .span_pane import SpanPane


class SpanEditor(QObject):
    sig_message = Signal(str, int)
    """A short message for the status bar (a refusal, a hint), and for how many milliseconds."""
    sig_selection_changed = Signal(object)
    """The selected span changed (a Span, or None): the status bar names it."""
    sig_document_shown = Signal(str)
    """A document was (re)shown with its spans (opened, or shown again after an import, a merge, a new name)."""

    def __init__(self, store, stack: cmd.UndoStack, view: DocumentView, pane: SpanPane, parent=None):
        super().__init__(parent)
        self.store = store
        self.stack = stack
        self.view = view
        self.pane = pane
        self.doc_id: str | None = None
        self.annotator = ""
        self.snap = True
        # True when the reviewer has no spans here but others do (a curator opening the merged database): their
        # spans are shown, read-only, so the article is not blank
        self.show_others = False
        self.writes = None  # a PendingWrites, set by the window
        view.sig_span_clicked.connect(self._span_clicked)
        pane.sig_span_chosen.connect(self.select_span)

    def show_document(self, doc_id: str, text: str, spans: list[Span], colors: dict[str, str]) -> None:
        self.doc_id = doc_id
        self.view.show_document(text, spans, colors)
        self.pane.set_spans(spans, colors)
        self.sig_document_shown.emit(doc_id)
        self.sig_selection_changed.emit(None)

    def run(self, command) -> bool:
        """Push an undoable command; a refusal goes to the status bar."""
        try:
            if self.writes is not None:  # queued and retried if the database cannot take it now
                return self.writes.run(command)
            self.stack.push(command)
            return True
        except AnnotatorError as exc:
            self.sig_message.emit(str(exc), 6000)
            return False

    # -- editing ----------------------------------------------------------------------------------------------

    def apply_label(self, label: str) -> None:
        if not self.doc_id:
            return
        selection = self.view.selection_offsets()
        if selection:
            start, end = selection
            text = self.view.text
            if not text[start:end].strip():
                # a line break or spaces alone: never what a reviewer means (Shift+Right at the end of a line)
                self.sig_message.emit("The selection holds only spaces or line breaks: nothing to tag", 4000)
                return
            if self.snap:
                start, end = snap_to_words(text, start, end)
            else:
                while start < end and text[start].isspace():
                    start += 1
                while end > start and text[end - 1].isspace():
                    end -= 1
            same = next((s for s in self.pane.spans if (s.start, s.end, s.label) == (start, end, label)), None)
            if same is not None:
                self._clear_text_selection()
                self.select_span(same, scroll=False)
                self.sig_message.emit(f"Already tagged {label}: the span is selected", 4000)
                return
            command = cmd.AddSpan(self.doc_id, start, end, label, self.annotator)
            if self.run(command):
                self._clear_text_selection()
                self.select_span(command.span, scroll=False)
        elif self.view.selected is not None:
            if self._not_mine(self.view.selected):
                return
            if self.view.selected.label != label:
                self.run(cmd.relabel(self.view.selected, label))
        else:
            self.sig_message.emit("Select some text first (mouse, or Shift+arrows), then press a label's key", 4000)

    def _clear_text_selection(self) -> None:
        cursor = self.view.textCursor()
        cursor.clearSelection()
        self.view.setTextCursor(cursor)

    def _not_mine(self, span: Span) -> bool:
        """Another reviewer's span (shown read-only): say so, and leave it alone."""
        if span.annotator == self.annotator:
            return False
        self.sig_message.emit(f"{span.annotator}'s span: read-only here. Curation mode (Ctrl+Shift+C) takes it "
                              "into gold, or select its text and tag a span of your own", 6000)
        return True

    def delete_span(self) -> None:
        span = self.view.selected
        if span is None or self._not_mine(span):
            return
        row = self.pane.model.row_of(span.id)
        related = len(self.store.relations(span.doc_id, span_id=span.id))  # the store deletes them with it
        if self.run(cmd.DeleteSpan(span)):
            self.sig_message.emit(f"Deleted 1 span and its {related} relation{'' if related == 1 else 's'} (Ctrl+Z "
                                  "brings them back)" if related else "Deleted 1 span (Ctrl+Z brings it back)", 5000)
            # the next span in reading order becomes the selected one, so Delete can be pressed again
            spans = self.pane.spans
            self.select_span(spans[min(row, len(spans) - 1)] if spans else None)

    def note_span(self) -> None:
        span = self.view.selected
        if span is None:
            self.sig_message.emit("Select a span first (click it, or ] / [)", 4000)
            return
        if self._not_mine(span):
            return
        text, ok = QInputDialog.getText(self.view.window(), "Note on span", rich(f"Note on {span.label} “{span.text[:60]}”:"),
                                        text=span.note)
        if ok and text != span.note:
            self.run(cmd.note(span, text))

    def nudge(self, edge: str, direction: int) -> None:
        """Move one edge of the selected span by a word: outward grows it, inward shrinks it."""
        span = self.view.selected
        if span is None or self._not_mine(span):
            return
        start, end = step(self.view.text, span.start, span.end, edge, direction)
        if (start, end) != (span.start, span.end):
            self.run(cmd.resize(span, start, end))

    # -- the selected span ------------------------------------------------------------------------------------

    def select_span(self, span: Span | None, scroll: bool = True) -> None:
        self.view.select_span(span, scroll)
        self.pane.show_selected(span)
        self.sig_selection_changed.emit(span)

    def step_span(self, delta: int) -> None:
        spans = self.pane.spans
        if not spans:
            return
        if self.view.selected is not None:
            row = self.pane.model.row_of(self.view.selected.id) + delta
        else:
            caret = self.view.caret_offset()
            after = [i for i, s in enumerate(spans) if s.start >= caret]
            row = (after[0] if after else len(spans)) if delta > 0 else (after[0] - 1 if after else len(spans) - 1)
        self.select_span(spans[max(0, min(len(spans) - 1, row))])

    def _span_clicked(self, span_id: str) -> None:
        row = self.pane.model.row_of(span_id)
        if row >= 0:
            self.select_span(self.pane.spans[row], scroll=False)

    # -- what changed -----------------------------------------------------------------------------------------

    def span_changed(self, span: Span) -> None:
        """One span changed in the store: repaint the blocks it touches and move its row in the span table."""
        if span.deleted or (span.annotator != self.annotator and not self.show_others):
            self.pane.remove(span.id)
            self.view.highlighter.remove(span.id)
            if self.view.selected is not None and self.view.selected.id == span.id:
                self.select_span(None, scroll=False)
        else:
            self.pane.upsert(span)
            self.view.highlighter.update(span)
            if self.view.selected is not None and self.view.selected.id == span.id:
                self.select_span(span, scroll=False)
        self.view.refresh_hover()

    def recolor(self, colors: dict[str, str]) -> None:
        if self.doc_id:
            spans = self.pane.spans
            self.view.set_colors(colors, spans)
            self.pane.set_spans(spans, colors)
