"""Review status: marking a document done, skipped or to do, its note, and the status bar that shows who reviews,
how far they are, and what is under the pointer."""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QInputDialog, QLabel, QStatusBar

from ..core import commands as cmd
from .models import STATUS_TEXT
from .plain import text
from .span_pane import SpanPane


class ReviewStatus(QObject):
    sig_open_document = Signal(str)
    """A mark that advances found the next to-do document: open it."""
    sig_message = Signal(str, int)
    """A short message for the status bar, and for how many milliseconds."""

    def __init__(self, store, run, status_bar: QStatusBar, pane: SpanPane, parent=None):
        """`run` pushes an undoable command and says whether it was done (refusals are shown by it)."""
        super().__init__(parent)
        self.store = store
        self.run = run
        self.pane = pane
        self.doc_id: str | None = None
        self.annotator = ""
        self.others: list[str] = []  # reviewers whose spans are shown read-only (the reviewer has none here)
        self.reviewer_label = QLabel(objectName="reviewerLabel")
        self.progress_label = QLabel(objectName="progressLabel")
        self.hover_label = QLabel(objectName="hoverLabel")
        self.selection_label = QLabel(objectName="selectionLabel")
        for widget in (self.reviewer_label, self.progress_label, self.hover_label, self.selection_label):
            widget.setTextFormat(Qt.PlainText)  # names, span texts and labels come from reviewers and corpora
        status_bar.addWidget(self.selection_label)
        status_bar.addWidget(self.hover_label, 1)
        status_bar.addPermanentWidget(self.reviewer_label)
        status_bar.addPermanentWidget(self.progress_label)

    def mark(self, status: str, advance: bool = False) -> None:
        if not self.doc_id:
            return
        if not self.run(cmd.SetReview(self.doc_id, self.annotator, status=status)):
            return
        if advance:
            nxt = self.store.next_document(self.doc_id, annotator=self.annotator, status="todo")
            if nxt:
                self.sig_open_document.emit(nxt)
            else:
                self.sig_message.emit("Every document is reviewed: nothing left to do", 6000)

    def document_note(self) -> None:
        if not self.doc_id:
            return
        old = self.store.review(self.doc_id, self.annotator).note
        text, ok = QInputDialog.getMultiLineText(self.pane.window(), "Document note", "Note on this document:", old)
        if ok and text != old:
            self.run(cmd.SetReview(self.doc_id, self.annotator, note=text))

    def update(self) -> None:
        done, total = self.store.progress(self.annotator)
        shown = f" — showing {', '.join(text(o) for o in self.others)}'s spans, read-only" if self.others else ""
        self.reviewer_label.setText(f"Reviewer: {text(self.annotator)}{shown}")
        status = ""
        if self.doc_id:
            review = self.store.review(self.doc_id, self.annotator)
            status = f"This document: {STATUS_TEXT[review.status]}  ·  "
            self.pane.set_note(review.note)
        self.progress_label.setText(f"{status}Done {done} of {total}")

    def show_hover(self, spans: list) -> None:
        self.hover_label.setText("  ·  ".join(self._whose(s) + f"{text(s.label)}: {text(shorten(s.text, 40))}" for s in spans))

    def _whose(self, span) -> str:
        """Another reviewer's span (shown read-only when the reviewer has none here) is named with its reviewer."""
        return "" if span.annotator == self.annotator else f"{text(span.annotator)} · "

    def show_selection(self, span) -> None:
        """The one selected span, named as the text and the span table show it (nothing when none is)."""
        self.selection_label.setText(f"Selected: {self._whose(span)}{text(span.label)} “{text(shorten(span.text, 40))}”"
                                     if span is not None else "")


def shorten(text: str, width: int) -> str:
    """At most about `width` characters, cut between words with an ellipsis (never mid-word), on one line."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text[:width]
    if " " in cut and not text[width].isspace():
        cut = cut[:cut.rfind(" ")]
    return cut.rstrip() + "…"
