"""The review window's Undo and Redo: the window's undo stack (core.commands), the menu entries that name the next
step, and the article brought to what was undone or redone."""
from __future__ import annotations

from ..core.errors import AnnotatorError
from ..core.model import Span


class WindowUndo:
    """Part of MainWindow (its stack, status bar, open document and span list)."""

    def undo(self) -> None:
        try:
            command = self.stack.undo()
        except AnnotatorError as exc:
            self.statusBar().showMessage(f"Cannot undo: {exc}", 6000)
            return
        if command is not None:
            self._after_undo_redo(command, "Undid")

    def redo(self) -> None:
        try:
            command = self.stack.redo()
        except AnnotatorError as exc:
            self.statusBar().showMessage(f"Cannot redo: {exc}", 6000)
            return
        if command is not None:
            self._after_undo_redo(command, "Redid")

    def _after_undo_redo(self, command, verb: str) -> None:
        doc_id = getattr(command, "doc_id", None) or (command.args[0] if hasattr(command, "args") else None)
        span = getattr(command, "span", None) or getattr(command, "before", None)
        if isinstance(span, Span):
            doc_id = span.doc_id
        if doc_id and doc_id != self.doc_id:
            self.open_document(doc_id)
        if isinstance(span, Span) and span.doc_id == self.doc_id:
            # the span undone or redone is the selected one, if it is still there, so the next key edits it
            row = self.span_model.row_of(span.id)
            if row >= 0:
                self.select_span(self.span_model.spans[row], scroll=False)
        self.statusBar().showMessage(f"{verb}: {command.text}", 3000)

    def _update_undo_actions(self) -> None:
        self.undo_action.setEnabled(self.stack.can_undo)
        self.redo_action.setEnabled(self.stack.can_redo)
        self.undo_action.setText(f"Undo {self.stack.undo_text}" if self.stack.can_undo else "Undo")
        self.redo_action.setText(f"Redo {self.stack.redo_text}" if self.stack.can_redo else "Redo")
