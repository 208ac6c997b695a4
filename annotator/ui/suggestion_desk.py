"""Suggestions in the review window (issue 13): computed in the background when a document opens
(suggestion_worker.py), drawn dashed in the article (suggestion_layer.py), and taken or refused from the keyboard:

- Tab / Shift+Tab: the next / previous suggestion (outside relation mode, where Tab moves among candidates);
- Enter accepts the current one; a label's key accepts it with that label; X rejects it; Esc leaves it;
- Ctrl+Shift+A accepts every suggestion of the document at or above the threshold the status bar shows.

Accepting pushes ``AcceptSuggestion`` on the window's undo stack (an ordinary span, recording its source);
rejecting pushes ``RejectSuggestion`` (remembered in the database for the document, range and label, so it is
never suggested again, also after reopening). The status bar names the current suggestion, its source, score and
reason as plain text."""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel

from ..core.relation_commands import Together
from ..suggest import AcceptSuggestion, RejectSuggestion, settings
from .key_catcher import KeyCatcher, key_letter
from .plain import text
from .review_status import shorten
from .suggestion_layer import SuggestionLayer
from .suggestion_worker import SuggestionWorker

ACCEPT_ALL_KEY = "Ctrl+Shift+A"


def sources_of(store) -> tuple[str, ...]:
    """The switched-on sources, with the installed pipeline named in the settings if there is one."""
    chosen = settings(store)
    names = list(chosen["sources"])
    if chosen.get("spacy_pipeline"):
        names.append(f"spacy:{chosen['spacy_pipeline']}")
    return tuple(dict.fromkeys(names))


class SuggestionDesk(QObject):
    sig_shown = Signal(str)
    """A document's suggestions arrived and are drawn (its id): tests and screenshots wait for it."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.store, self.view, self.editor = window.store, window.view, window.editor
        self.linker = window.relations.linker
        self.doc_id: str | None = None
        self.items: list = []
        self.index: int | None = None
        self.threshold = float(settings(self.store)["min_score"])
        self.layer = SuggestionLayer(self.view)
        self.label = QLabel(objectName="suggestionsLabel")
        self.label.setTextFormat(Qt.PlainText)
        window.statusBar().insertWidget(2, self.label)
        path = str(self.store.path)
        self.worker = SuggestionWorker(path, sources_of(self.store), self) if path != ":memory:" else None
        if self.worker is not None:
            self.worker.sig_ready.connect(self._ready)
            self.worker.sig_failed.connect(self._failed)
        self._again = QTimer(self, singleShot=True, interval=150)  # a burst of changes asks once
        self._again.timeout.connect(self._ask)
        self.keys = KeyCatcher(self._wants, self._key, self).watch(self.view)
        self.editor.sig_document_shown.connect(self._document_shown)
        self.editor.sig_selection_changed.connect(self._span_selected)
        window.external.sig_changed.connect(self._again.start)
        self._unsubscribe = self.store.subscribe(self._on_change)
        self._build_actions()

    def _build_actions(self) -> None:
        menu = self.window.menuBar().addMenu("Su&ggestions")
        self.accept_all_action = QAction("Accept every suggestion at or above the threshold", self.window)
        self.accept_all_action.setShortcut(QKeySequence(ACCEPT_ALL_KEY))
        self.accept_all_action.triggered.connect(self.accept_all)
        self.window.addAction(self.accept_all_action)
        menu.addAction(self.accept_all_action)

    # -- the open document ------------------------------------------------------------------------------------

    def _document_shown(self, doc_id: str) -> None:
        changed = doc_id != self.doc_id
        self.doc_id = doc_id
        if changed:
            self._show([])
            self.label.setText("Suggestions: looking…" if self.worker else "")
        self._ask()

    def _ask(self) -> None:
        if self.worker is not None and self.doc_id:
            self.worker.want(self.doc_id)

    def _on_change(self, change) -> None:
        if change.kind in ("spans", "gold", "suggestions", "entities") and change.doc_id in (None, self.doc_id):
            self._again.start()

    def _ready(self, doc_id: str, found: list) -> None:
        if doc_id == self.doc_id:  # a late answer for a document left since is dropped
            self._show(found)
            self.sig_shown.emit(doc_id)

    def _failed(self, doc_id: str, message: str) -> None:
        self.label.setText("Suggestions: none (see the message)")
        self.window.statusBar().showMessage(f"Suggestions could not be computed: {message}", 10000)

    def _show(self, found: list) -> None:
        current = self.current
        self.items = list(found)
        self.index = None
        if current is not None and self.items:
            # the same suggestion stays current, or the next one after where it was
            keys = [s.key for s in self.items]
            if current.key in keys:
                self.index = keys.index(current.key)
            else:
                self.index = next((i for i, s in enumerate(self.items) if s.start >= current.start), None)
        self.layer.set(self.items, self.window.colors)
        self._say()

    @property
    def current(self):
        return self.items[self.index] if self.index is not None and self.index < len(self.items) else None

    @property
    def above_threshold(self) -> list:
        return [s for s in self.items if s.score >= self.threshold]

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
        if self.view.selected is not None:
            self.editor.select_span(None, scroll=False)  # the keys now act on the suggestion, not on a span
        self.view.scroll_to(self.current.start)
        self._say()

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
        """Gone from the list at once (the worker's next answer agrees); the next one becomes current."""
        at = self.items.index(s)
        self.items.pop(at)
        self.index = at if at < len(self.items) else None
        self.layer.set(self.items, self.window.colors)
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
            self.index = None
            self.layer.set(self.items, self.window.colors)
            self._say()
            self.window.statusBar().showMessage(
                f"Accepted {len(chosen)} suggestion{'' if len(chosen) == 1 else 's'} at or above "
                f"{self.threshold:.2f} (Ctrl+Z undoes them all)", 6000)

    # -- the status bar ---------------------------------------------------------------------------------------

    def _say(self, prefix: str = "") -> None:
        n, sure = len(self.items), len(self.above_threshold)
        self.label.setText(f"Suggestions: {n}, {sure} at ≥ {self.threshold:.2f} ({ACCEPT_ALL_KEY} accepts them)"
                           if n else "Suggestions: none")
        s = self.current
        self.layer.current = s
        self.view.viewport().update()
        if s is None:
            if prefix:
                self.window.statusBar().showMessage(prefix.rstrip(" ·"), 6000)
            return
        keys = " · ".join(f"{l.hotkey} {l.name}" for l in self.window.labels if l.hotkey and len(l.hotkey) == 1)
        self.window.statusBar().showMessage(
            f"{prefix}Suggestion {self.index + 1} of {n}: {text(s.label)} “{text(shorten(s.text, 40))}” · "
            f"source {text(s.source)} · score {s.score:.2f} · {text(s.reason)} · Enter accepts · {text(keys)} "
            "accepts with that label · X rejects · Tab / Shift+Tab next / previous · Esc leaves", 0)

    def stop(self) -> None:
        self._again.stop()
        self._unsubscribe()
        if self.worker is not None:
            self.worker.stop()
