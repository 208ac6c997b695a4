"""The reviewer's hand on the suggestions (issue 13), mixed into the suggestion desk (suggestion_desk.py): which
keys it takes in the article and in the list, moving among the suggestions, and accepting or rejecting them as
undoable steps on the window's stack.

- Tab / Shift+Tab: the next / previous suggestion (outside relation mode, where Tab moves among candidates);
- Enter accepts the current one; a label's key accepts it with that label; X rejects it; Esc leaves it;
- Ctrl+Shift+A accepts every suggestion of the document at or above the threshold the list's title shows.

The desk holds the state these read and write: ``items`` (the suggestions shown, reading order), ``index`` (the
current one), ``total`` (found in all, on a huge document), and draws them again through ``layer``, ``list`` and
``_say``."""
from __future__ import annotations

from PySide6.QtCore import Qt

from ..core.relation_commands import Together
from ..suggest import AcceptSuggestion, RejectSuggestion
from .key_catcher import key_letter
from .plain import text
from .review_status import shorten


class SuggestionKeys:
    # -- keys -------------------------------------------------------------------------------------------------

    def _wants(self, event) -> bool:
        if self.linker.active or not self.items:
            return False  # relation mode has Tab; a document without suggestions leaves every key alone
        if event.modifiers() & (Qt.ControlModifier | Qt.AltModifier | Qt.MetaModifier):
            return False
        key = event.key()
        if key in (Qt.Key_Tab, Qt.Key_Backtab):
            return True
        if self.current is None or self.view.textCursor().hasSelection():
            return False  # a label key with text selected tags the selection, as always
        return key in (Qt.Key_Return, Qt.Key_Enter, Qt.Key_Escape, Qt.Key_X) or self._label_of(event) is not None

    def _label_of(self, event) -> str | None:
        letter = key_letter(event)
        return next((l.name for l in self.window.labels if letter and l.hotkey.lower() == letter), None)

    def _key(self, event) -> None:
        key = event.key()
        if key == Qt.Key_Tab:
            self.step(1)
        elif key == Qt.Key_Backtab:
            self.step(-1)
        elif key in (Qt.Key_Return, Qt.Key_Enter):
            self.accept()
        elif key == Qt.Key_X:
            self.reject()
        elif key == Qt.Key_Escape:
            self.leave()
        else:
            self.accept(self._label_of(event))

    def step(self, delta: int) -> None:
        if not self.items:
            return
        if self.index is None:
            caret = self.view.selected.start if self.view.selected is not None else self.view.caret_offset()
            if delta > 0:
                self.index = next((i for i, s in enumerate(self.items) if s.start >= caret), 0)
            else:
                self.index = next((i for i in reversed(range(len(self.items))) if self.items[i].start < caret),
                                  len(self.items) - 1)
        else:
            self.index = (self.index + delta) % len(self.items)
        self._choose(self.index)

    def _choose(self, index: int) -> None:
        self.index = index
        if self.view.selected is not None:
            self.editor.select_span(None, scroll=False)  # the keys now act on the suggestion, not on a span
        self.view.scroll_to(self.current.start)
        self._say()

    def _row_chosen(self, row: int) -> None:
        if 0 <= row < len(self.items):
            self._choose(row)

    def _list_wants(self, event) -> bool:
        """In the list: Enter, X and a label's key act on the row's suggestion."""
        if self.current is None or event.modifiers() & (Qt.ControlModifier | Qt.AltModifier | Qt.MetaModifier):
            return False
        return event.key() in (Qt.Key_Return, Qt.Key_Enter, Qt.Key_X) or self._label_of(event) is not None

    def leave(self) -> None:
        self.index = None
        self._say()
        self.window.statusBar().showMessage("Left the suggestion (Tab goes back to one)", 3000)

    def _span_selected(self, span) -> None:
        if span is not None and self.index is not None:
            self.index = None  # a span was selected (click, ] / [): keys act on it again
            self._say()

    # -- accepting and rejecting ------------------------------------------------------------------------------

    def accept(self, label: str | None = None) -> None:
        s = self.current
        if s is None:
            return
        if self.editor.run(AcceptSuggestion(s, self.window.annotator, label=label)):
            self._taken(s, f"Accepted {text(label or s.label)} “{text(shorten(s.text, 40))}” from {s.source} "
                           "(Ctrl+Z undoes)")

    def reject(self) -> None:
        s = self.current
        if s is None:
            return
        if self.editor.run(RejectSuggestion(s, self.window.annotator)):
            self._taken(s, f"Rejected {text(s.label)} “{text(shorten(s.text, 40))}”: not suggested here again "
                           "(Ctrl+Z undoes)")

    def _taken(self, s, said: str) -> None:
        """Gone from the list at once (the worker's next answer agrees); the next one (or the last left) becomes
        current, so Enter or X again takes it."""
        at = self.items.index(s)
        self.items.pop(at)
        if self.total is not None:
            self.total -= 1
        self.index = min(at, len(self.items) - 1) if self.items else None  # the next one, or the last one left
        self.layer.set(self.items, self.window.colors)
        self.list.set_items(self.items, self.window.colors, self.index)
        self._say(said + " · ")

    def accept_all(self) -> None:
        chosen = self.above_threshold
        if not chosen or not self.doc_id:
            self.window.statusBar().showMessage(f"No suggestion at or above {self.threshold:.2f} to accept", 4000)
            return
        step = Together(f"accept {len(chosen)} suggestions",
                        [AcceptSuggestion(s, self.window.annotator) for s in chosen])
        step.doc_id = self.doc_id
        if self.editor.run(step):
            keys = {s.key for s in chosen}
            self.items = [s for s in self.items if s.key not in keys]
            if self.total is not None:  # the rest of a huge document's come with its next computing
                self.total -= len(chosen)
            self.index = None
            self.layer.set(self.items, self.window.colors)
            self.list.set_items(self.items, self.window.colors, None)
            self._say()
            self.window.statusBar().showMessage(
                f"Accepted {len(chosen)} suggestion{'' if len(chosen) == 1 else 's'} at or above "
                f"{self.threshold:.2f} (Ctrl+Z undoes them all)", 6000)
