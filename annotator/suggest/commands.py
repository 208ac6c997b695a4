"""Accepting and rejecting as undoable commands, for the window's UndoStack (core/commands.py protocol)."""
from __future__ import annotations

from ..core.model import Span, Suggestion
from ..store import suggestions as memory


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class AcceptSuggestion:
    """Accept: an ordinary span of ``annotator`` (with ``label`` if a label key chose another). Undo deletes the
    span (a tombstone, as any deletion); redo brings the same span back."""

    def __init__(self, suggestion: Suggestion, annotator: str, label: str | None = None):
        self.suggestion, self.annotator, self.label = suggestion, annotator, label
        self.span: Span | None = None
        self.text = f"accept {label or suggestion.label} “{_short(suggestion.text)}”"

    def do(self, store) -> None:
        if self.span is None:
            self.span = memory.accept(store, self.suggestion, self.annotator, self.label)
        else:
            self.span = store.restore_span(self.span.id)

    def undo(self, store) -> None:
        store.delete_span(self.span.id)


class RejectSuggestion:
    """Reject: remembered for the document, range and label; undo forgets the rejection."""

    def __init__(self, suggestion: Suggestion, annotator: str):
        self.suggestion, self.annotator = suggestion, annotator
        self.text = f"reject {suggestion.label} “{_short(suggestion.text)}”"

    def do(self, store) -> None:
        memory.reject(store, self.suggestion, self.annotator)

    def undo(self, store) -> None:
        memory.unreject(store, self.suggestion)
