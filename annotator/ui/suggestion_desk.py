"""Suggestions in the review window (issue 13): computed in the background for the open document and ahead for
the next ones (suggestion_worker.py, suggestion_ahead.py), drawn dashed in the article (suggestion_layer.py),
listed under the article (suggestion_list.py), and taken or refused from the keyboard (suggestion_keys.py):

- Tab / Shift+Tab: the next / previous suggestion (outside relation mode, where Tab moves among candidates);
- Enter accepts the current one; a label's key accepts it with that label; X rejects it; Esc leaves it;
- Ctrl+Shift+A accepts every suggestion of the document at or above the threshold the list's title shows.

Accepting pushes ``AcceptSuggestion`` on the window's undo stack (an ordinary span, recording its source);
rejecting pushes ``RejectSuggestion`` (remembered in the database for the document, range and label, so it is
never suggested again, also after reopening). The status bar names the current suggestion, its source, score and
reason as plain text; the list's title holds the count. The settings dialog (suggestion_settings.py) and the
retraining (suggestion_training.py) are reached from the Suggestions and Review menus."""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QSplitter

from ..suggest import settings
from .key_catcher import KeyCatcher
from .plain import text
from .review_status import shorten
from .suggestion_ahead import AheadCache, upcoming
from .suggestion_keys import SuggestionKeys
from .suggestion_layer import SuggestionLayer
from .suggestion_list import SuggestionList
from .suggestion_worker import SuggestionWorker

ACCEPT_ALL_KEY = "Ctrl+Shift+A"
LIST_KEY = "Ctrl+G"


def sources_of(store) -> tuple[str, ...]:
    """The switched-on sources, with the installed pipeline named in the settings if there is one."""
    chosen = settings(store)
    names = list(chosen["sources"])
    if chosen.get("spacy_pipeline"):
        names.append(f"spacy:{chosen['spacy_pipeline']}")
    return tuple(dict.fromkeys(names))


class SuggestionDesk(SuggestionKeys, QObject):
    sig_shown = Signal(str)
    """A document's suggestions arrived and are drawn (its id): tests and screenshots wait for it."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.store, self.view, self.editor = window.store, window.view, window.editor
        self.linker = window.relations.linker
        self.doc_id: str | None = None
        self.items: list = []
        self.total: int | None = None  # suggestions found in the open document when more than were sent
        self.index: int | None = None
        self.cache = AheadCache()
        self._read_settings()
        self.layer = SuggestionLayer(self.view)
        self.list = SuggestionList(self._list_wants)
        self._place_list()
        self.label = self.list.title  # the count: "Suggestions: 7 · 5 at ≥ 0.30"
        path = str(self.store.path)
        self.worker = SuggestionWorker(path, self.sources, self) if path != ":memory:" else None
        if self.worker is not None:
            self.worker.sig_ready.connect(self._ready)
            self.worker.sig_failed.connect(self._failed)
        self._again = QTimer(self, singleShot=True, interval=150)  # a burst of changes asks once
        self._again.timeout.connect(self._ask)
        self._plan = QTimer(self, singleShot=True, interval=100)   # statuses change in bursts too
        self._plan.timeout.connect(self._plan_ahead)
        self.keys = KeyCatcher(self._wants, self._key, self).watch(self.view)
        self.list.sig_chosen.connect(self._row_chosen)
        self.list.sig_key.connect(self._key)
        self.list.sig_leave.connect(self.view.setFocus)
        self.editor.sig_document_shown.connect(self._document_shown)
        self.editor.sig_selection_changed.connect(self._span_selected)
        window.external.sig_changed.connect(self._changed_elsewhere)
        self._unsubscribe = self.store.subscribe(self._on_change)
        self._build_actions()
        from .suggestion_training import Retraining

        self.training = Retraining(window, self)

    def _place_list(self) -> None:
        """Under the article, in a splitter with it: the list's five columns need the article's width (the span
        pane beside it has a third of it), and the reviewer drags the split to see more rows or more text."""
        column = self.view.parentWidget().layout()
        at = column.indexOf(self.view)
        self.splitter = QSplitter(Qt.Vertical, objectName="articleSplitter")
        self.splitter.setChildrenCollapsible(False)
        column.insertWidget(at, self.splitter, 1)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(self.list)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setSizes([700, 170])

    def _read_settings(self) -> None:
        chosen = settings(self.store)
        self.threshold = float(chosen["min_score"])
        self.shown_from = float(chosen.get("shown_min_score", 0.0))
        self.sources = sources_of(self.store)

    def _build_actions(self) -> None:
        w = self.window
        menu = w.menuBar().addMenu("Su&ggestions")
        self.menu = menu
        self.accept_all_action = QAction("Accept every suggestion at or above the threshold", w)
        self.accept_all_action.setShortcut(QKeySequence(ACCEPT_ALL_KEY))
        self.accept_all_action.triggered.connect(self.accept_all)
        w.addAction(self.accept_all_action)
        menu.addAction(self.accept_all_action)
        self.list_action = QAction("Go to the suggestions list", w)
        self.list_action.setShortcut(QKeySequence(LIST_KEY))
        self.list_action.triggered.connect(self.focus_list)
        w.addAction(self.list_action)
        menu.addAction(self.list_action)
        menu.addSeparator()
        self.settings_action = QAction("Suggestion settings…", w)
        self.settings_action.triggered.connect(self.settings_dialog)
        menu.addAction(self.settings_action)
        review = getattr(w, "review_menu", None)
        if review is not None:  # where a reviewer looks for the review's settings too
            review.addSeparator()
            review.addAction(self.settings_action)

    def settings_dialog(self):
        from .suggestion_settings import SuggestionSettings

        dialog = SuggestionSettings(self.store, self.window)
        dialog.sig_message.connect(self.window.statusBar().showMessage)
        dialog.show()
        self.settings_window = dialog
        return dialog

    def focus_list(self) -> None:
        self.list.table.setFocus()
        if self.items and self.index is None:
            self._choose(0)

    # -- the open document and the ones ahead ------------------------------------------------------------------

    def _document_shown(self, doc_id: str) -> None:
        changed = doc_id != self.doc_id
        self.doc_id = doc_id
        known = self.cache.get(doc_id)
        if changed or known is not None:
            self.index = None
            self._show(known[0] if known is not None else [], looking=known is None,
                       total=self.cache.total(doc_id))
            if known is not None:
                self.sig_shown.emit(doc_id)  # computed ahead: drawn in this same turn
        if known is None or not known[1]:
            self._ask()
        else:
            self._plan_ahead()

    def _ask(self) -> None:
        if self.worker is not None and self.doc_id and self.sources:
            if not self.cache.fresh(self.doc_id):
                self.worker.want(self.doc_id, self.cache.generation)
            self._plan_ahead()

    def _plan_ahead(self) -> None:
        """The next documents the reviewer may open, computed while the worker has nothing else to do."""
        if self.worker is None or not self.doc_id or not self.sources:
            return
        nxt = upcoming(self.store, self.window.document_pane, self.doc_id, self.window.annotator)
        self.worker.ahead([d for d in nxt if not self.cache.fresh(d)], self.cache.generation)

    def _on_change(self, change) -> None:
        kind = change.kind
        if self.worker is not None and kind in ("spans", "gold", "entities", "documents"):
            # what the suggestion process must read again: that document's spans, or everything
            self.worker.changed(change.doc_id if kind in ("spans", "gold") else None)
        if kind in ("spans", "gold", "entities"):
            # the corpus and the patterns read every document's spans and the registry: all are stale
            self.cache.changed(change.doc_id)
            self._again.start()
        elif kind == "suggestions":
            if change.doc_id is None:  # the settings or a new model
                self._settings_changed()
            else:  # a rejection: that document's suggestions only
                self.cache.changed(change.doc_id)
                self._again.start()
        elif kind in ("review", "documents"):
            self._plan.start()  # the next to-do documents are others now

    def _changed_elsewhere(self) -> None:
        """Another process committed (a terminal, a training job, a teammate's window): anything may differ."""
        self._settings_changed()

    def _settings_changed(self) -> None:
        before = self.sources
        self._read_settings()
        if self.worker is not None:
            self.worker.changed(None)
            if self.sources != before:
                self.worker.configure(self.sources)
            if not self.sources:
                self.worker.forget()  # nothing is to be computed: not the documents asked for before either
        self.cache.changed(drop_all=True)
        self._show(self.items if self.sources else [])  # the thresholds may be others
        self._again.start()

    def model_changed(self) -> None:
        """A model was trained: what the model suggests is computed again, for the open document first."""
        self._settings_changed()

    def _ready(self, doc_id: str, found: list, total: int, generation: int) -> None:
        if not self.cache.put(doc_id, generation, found, total):
            return  # computed before a change seen since: the worker is asked again
        if doc_id == self.doc_id:  # a late answer for a document left since is only kept
            self._show(found, total=total)
            self.sig_shown.emit(doc_id)

    def _failed(self, doc_id: str, message: str) -> None:
        if not self.sources:
            return  # a request made before every source was switched off
        if doc_id == self.doc_id or not doc_id:
            self.label.setText("Suggestions: none (see the message)")
            self.window.statusBar().showMessage(f"Suggestions could not be computed: {message}", 10000)

    def _show(self, found: list, looking: bool = False, total: int | None = None) -> None:
        current = self.current
        # found in all, when more than were sent (the surest service.SHOWN); None: all of them are here
        self.total = total if total is not None and total > len(found) else None
        self.items = [s for s in found if s.score >= self.shown_from]
        self.index = None
        if current is not None and self.items:
            # the same suggestion stays current, or the next one after where it was
            keys = [s.key for s in self.items]
            if current.key in keys:
                self.index = keys.index(current.key)
            else:
                self.index = next((i for i, s in enumerate(self.items) if s.start >= current.start), None)
        self.layer.set(self.items, self.window.colors)
        self.list.set_items(self.items, self.window.colors, self.index)
        self._say(looking=looking)

    @property
    def current(self):
        return self.items[self.index] if self.index is not None and self.index < len(self.items) else None

    @property
    def above_threshold(self) -> list:
        return [s for s in self.items if s.score >= self.threshold]

    # -- the list's title and the status bar -------------------------------------------------------------------

    def _say(self, prefix: str = "", looking: bool = False) -> None:
        n, sure = len(self.items), len(self.above_threshold)
        if not self.sources:  # every source switched off in the settings: nothing is computed
            self.label.setText("Suggestions: off (Suggestions > Suggestion settings…)")
        elif looking and self.worker is not None:
            self.label.setText("Suggestions: looking…")
        elif self.total is not None:
            self.label.setText(f"Suggestions: the {n:,} surest of {self.total:,} · {sure:,} at ≥ {self.threshold:.2f}")
        else:
            self.label.setText(f"Suggestions: {n} · {sure} at ≥ {self.threshold:.2f}" if n else "Suggestions: none")
        s = self.current
        self.layer.current = s
        self.list.show_row(self.index)
        self.view.viewport().update()
        if s is None:
            if prefix:
                self.window.statusBar().showMessage(prefix.rstrip(" ·"), 6000)
            return
        self.window.statusBar().showMessage(
            f"{prefix}Suggestion {self.index + 1} of {n}: {text(s.label)} “{text(shorten(s.text, 40))}” · "
            f"source {text(s.source)} · score {s.score:.2f} · {text(shorten(s.reason, 50))} · Enter accepts · "
            "X rejects · Esc leaves", 0)

    def stop(self) -> None:
        self._again.stop()
        self._plan.stop()
        self.training.stop()
        self._unsubscribe()
        if self.worker is not None:
            self.worker.stop()
