"""Making a relation from the keyboard: with a span selected, R starts; `]`/`[` (or Tab/Shift+Tab) move among the
spans it may be joined to, nearest first, the candidate framed in the article; a relation type's key (a, p, m in
the default scheme) or Enter (the first type that fits the pair) makes it; Esc cancels. A click on a candidate
span picks it. The status bar says the mode and its keys the whole time."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal

from ..core import relation_candidates as rc
from ..core.relation_commands import AddRelation
from .key_catcher import KeyCatcher, key_letter
from .plain import text
from .review_status import shorten

NEXT_KEYS = (Qt.Key_BracketRight, Qt.Key_Tab)
PREVIOUS_KEYS = (Qt.Key_BracketLeft, Qt.Key_Backtab)


def span_words(span, width: int = 40) -> str:
    """A span as the status bar names it (plain text, isolated: texts and labels come from corpora and reviewers)."""
    return f"{text(span.label)} “{text(shorten(span.text, width))}”"


class RelationLinker(QObject):
    sig_message = Signal(str, int)
    """A message for the status bar, for so many milliseconds (0: until the next one)."""
    sig_candidate = Signal(object)
    """The framed candidate changed (a Span, or None when the mode ends)."""

    def __init__(self, store, view, pane, run, parent=None):
        """``run(command)`` pushes an undoable command and says whether it was done."""
        super().__init__(parent)
        self.store, self.view, self.pane, self.run = store, view, pane, run
        self.annotator = ""
        self.source = None
        self.candidates: list = []
        self.index = 0
        self.keys = KeyCatcher(self._wants, self._key, self).watch(view)
        self._viewport = view.viewport()
        self._viewport.installEventFilter(self)

    @property
    def active(self) -> bool:
        return self.source is not None

    @property
    def candidate(self):
        return self.candidates[self.index] if self.active and self.candidates else None

    # -- starting and ending ----------------------------------------------------------------------------------

    def start(self) -> None:
        source = self.view.selected
        if source is None:
            self.sig_message.emit("Select a span first (] / [ or a click), then press R to relate it", 5000)
            return
        if source.annotator != self.annotator:
            self.sig_message.emit(f"{text(source.annotator)}'s span: read-only here, so it cannot be related", 5000)
            return
        types = self.store.relation_types()
        found = rc.candidates(source, self.pane.spans, types)
        if not found:
            kinds = "; ".join(f"{text(t.name)}: {text(t.head_label)} → {text(t.child_label)}" for t in types) or "none"
            self.sig_message.emit(f"No span in this article can be related to {span_words(source)} "
                                  f"(relation types: {kinds})", 8000)
            return
        self.source, self.candidates, self.index, self.types = source, found, 0, types
        self.view.setFocus()
        self._show()

    def cancel(self, said: str = "Relation cancelled") -> None:
        if not self.active:
            return
        self.source, self.candidates = None, []
        self.view.candidate = None
        self.view.viewport().update()
        self.sig_candidate.emit(None)
        self.sig_message.emit(said, 3000)

    # -- keys and clicks --------------------------------------------------------------------------------------

    def _wants(self, event) -> bool:
        # every key while the mode is on: a label key must not relabel the span being related
        return self.active and event.key() not in (Qt.Key_Shift, Qt.Key_Control, Qt.Key_Alt, Qt.Key_Meta)

    def _key(self, event) -> None:
        key = event.key()
        if key in NEXT_KEYS:
            self.step(1)
        elif key in PREVIOUS_KEYS:
            self.step(-1)
        elif key == Qt.Key_Escape:
            self.cancel()
        elif key in (Qt.Key_Return, Qt.Key_Enter):
            self.make(None)
        elif key_letter(event):
            self.make(key_letter(event))
        else:
            self._show("That key does nothing while relating: ")

    def eventFilter(self, watched, event):  # noqa: N802
        # a click on a candidate span picks it; clicks elsewhere are taken too, so the span being related stays
        # selected (Esc leaves the mode)
        if self.active and watched is self._viewport and event.type() in (
                QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick):
            if event.type() == QEvent.Type.MouseButtonRelease and event.button() == Qt.LeftButton:
                under = self.view.highlighter.spans_at(self.view.offset_at(event.position().toPoint()))
                ids = [c.id for c in self.candidates]
                hit = next((s for s in under if s.id in ids), None)
                if hit is not None:
                    self.index = ids.index(hit.id)
                    self._show()
                else:
                    self._show("Not a span this one can be related to: ")
            return True
        return super().eventFilter(watched, event)

    def step(self, delta: int) -> None:
        if self.active:
            self.index = (self.index + delta) % len(self.candidates)
            self._show()

    def make(self, letter: str | None) -> None:
        candidate = self.candidate
        fitting = rc.fits(self.types, self.source, candidate)
        fit = fitting[0] if letter is None else rc.fit_for_key(fitting, letter)
        if fit is None:
            other = next((t for t in self.types if t.hotkey and t.hotkey.lower() == letter), None)
            why = (f"{text(other.name)} joins {text(other.head_label)} → {text(other.child_label)}, not these two: "
                   if other
                   else f"No relation type has the key {letter!r}: ")
            self._show(why)
            return
        source = self.source
        if self.run(AddRelation(fit.head, fit.child, fit.type.name, span=source)):
            self.cancel(f"Related: {span_words(fit.head, 30)} —{text(fit.type.name)}→ {span_words(fit.child, 30)} "
                        "(R relates it again, Ctrl+Z undoes)")
        else:
            self._show("")

    # -- showing ----------------------------------------------------------------------------------------------

    def _show(self, prefix: str = "") -> None:
        candidate = self.candidate
        self.view.candidate = (candidate.start, candidate.end)
        self.view.scroll_to(candidate.start)
        self.view.viewport().update()
        self.sig_candidate.emit(candidate)
        fitting = rc.fits(self.types, self.source, candidate)
        # type names are the reviewers' (the scheme editor, a peer's file): shown as text, isolated
        keys = " · ".join(f"{f.type.hotkey} {text(f.type.name)}" if f.type.hotkey else text(f.type.name)
                          for f in fitting)
        self.sig_message.emit(
            f"{prefix}Relating {span_words(self.source, 30)} to {span_words(candidate, 30)} "
            f"({self.index + 1} of {len(self.candidates)}): ] / [ or Tab next / previous · {keys} · "
            f"Enter {text(fitting[0].type.name)} · Esc cancels", 0)
