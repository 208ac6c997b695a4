"""Every user action as a command object with ``do`` and ``undo`` (design.md, the glue lesson).

Commands work on any object with the Store's methods, so undo works from tests and scripts without Qt; the
window only enables its Undo/Redo actions and shows ``UndoStack.undo_text``.
"""
from __future__ import annotations

from typing import Callable, Protocol

from .model import Review, Span


class Command(Protocol):
    text: str

    def do(self, store) -> None: ...

    def undo(self, store) -> None: ...


class AddSpan:
    def __init__(self, doc_id: str, start: int, end: int, label: str, annotator: str, note: str = ""):
        self.args = (doc_id, start, end, label, annotator, note)
        self.span: Span | None = None
        self.text = f"add {label}"

    def do(self, store) -> None:
        if self.span is None:
            self.span = store.add_span(*self.args)
        else:  # redo brings back the same span, same id
            self.span = store.restore_span(self.span.id)

    def undo(self, store) -> None:
        store.delete_span(self.span.id)


class DeleteSpan:
    def __init__(self, span: Span):
        self.span = span
        self.text = f"delete {span.label} “{_short(span.text)}”"

    def do(self, store) -> None:
        store.delete_span(self.span.id)

    def undo(self, store) -> None:
        store.restore_span(self.span.id)


class EditSpan:
    """Relabel, resize or note a span: ``changes`` holds the new label, start/end, or note."""

    def __init__(self, span: Span, text: str, **changes):
        self.before = span
        self.changes = changes
        self.text = text
        self.after: Span | None = None

    def do(self, store) -> None:
        c = self.changes
        span = self.before
        if "label" in c:
            span = store.relabel_span(span.id, c["label"])
        if "start" in c or "end" in c:
            span = store.resize_span(span.id, c.get("start", span.start), c.get("end", span.end))
        if "note" in c:
            span = store.note_span(span.id, c["note"])
        self.after = span

    def undo(self, store) -> None:
        store.set_span(self.before)


def relabel(span: Span, label: str) -> EditSpan:
    return EditSpan(span, f"relabel {span.label} as {label}", label=label)


def resize(span: Span, start: int, end: int) -> EditSpan:
    return EditSpan(span, f"resize {span.label}", start=start, end=end)


def note(span: Span, text: str) -> EditSpan:
    return EditSpan(span, f"note on {span.label}", note=text)


class SetReview:
    def __init__(self, doc_id: str, annotator: str, status: str | None = None, note: str | None = None):
        self.doc_id, self.annotator, self.status, self.note = doc_id, annotator, status, note
        self.before: Review | None = None
        self.text = f"mark {status}" if status else "document note"

    def do(self, store) -> None:
        self.before = store.review(self.doc_id, self.annotator)
        store.set_review(self.doc_id, self.annotator, status=self.status, note=self.note)

    def undo(self, store) -> None:
        store.set_review(self.doc_id, self.annotator, status=self.before.status, note=self.before.note)


class UndoStack:
    """Done commands and undone ones. A command's ``do`` commits before ``push`` returns."""

    def __init__(self, store, limit: int = 1000):
        self.store = store
        self.done: list[Command] = []
        self.undone: list[Command] = []
        self.limit = limit
        self.listeners: list[Callable[[], None]] = []

    def push(self, command: Command) -> Command:
        command.do(self.store)  # raises before anything is recorded if the store refuses
        self.done.append(command)
        del self.done[: -self.limit]
        self.undone.clear()
        self._changed()
        return command

    def undo(self) -> Command | None:
        if not self.done:
            return None
        command = self.done[-1]
        command.undo(self.store)  # a refused undo (a busy database) leaves the command where it was
        self.done.pop()
        self.undone.append(command)
        self._changed()
        return command

    def redo(self) -> Command | None:
        if not self.undone:
            return None
        command = self.undone[-1]
        command.do(self.store)
        self.undone.pop()
        self.done.append(command)
        self._changed()
        return command

    def clear(self) -> None:
        self.done.clear()
        self.undone.clear()
        self._changed()

    @property
    def can_undo(self) -> bool:
        return bool(self.done)

    @property
    def can_redo(self) -> bool:
        return bool(self.undone)

    @property
    def undo_text(self) -> str:
        return self.done[-1].text if self.done else ""

    @property
    def redo_text(self) -> str:
        return self.undone[-1].text if self.undone else ""

    def _changed(self) -> None:
        for listener in list(self.listeners):
            listener()


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
