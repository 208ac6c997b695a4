"""Curation mode in the window: a dock beside the text lists the reviewers' spans of the open document, a lane
per reviewer, for the curator to take into the gold layer or reject."""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDockWidget
from shiboken6 import isValid


class CurationMode(QObject):
    sig_select_range = Signal(int, int)
    """The curator moved to a candidate: show its range in the article (framed; the text selection stays, so
    a corrected range selected there can be taken with E)."""
    sig_toggled = Signal(bool)
    """Curation mode came on (True) or went off: from the menu, its key or the dock's own close button."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.panel = None
        self.dock = None

    def _build(self) -> None:
        from .curation_panels import CurationPanel

        self.panel = CurationPanel(self.window)
        self.panel.sig_select_range.connect(self.sig_select_range)
        self.dock = QDockWidget("Curation", self.window, objectName="curationDock")
        self.dock.setWidget(self.panel)
        self.window.addDockWidget(Qt.BottomDockWidgetArea, self.dock)
        self._shown = False
        self.dock.visibilityChanged.connect(self._dock_shown)
        self.window.stack.listeners.append(self.refresh)
        # E in the article takes the range selected there for the candidate in hand: selecting text moves the focus
        # to the article, where the panel's own E does not reach
        take = QShortcut(QKeySequence("E"), self.window.view)
        take.setContext(Qt.WidgetShortcut)
        take.activated.connect(self._take_selection_from_article)

    @property
    def active(self) -> bool:
        return self.dock is not None and self.dock.isVisible()

    def has_focus(self) -> bool:
        """Keys go to the curation panel: a label key decides the selected candidate."""
        return self.panel is not None and self.panel.table.hasFocus()

    def toggle(self, on: bool) -> None:
        if self.dock is None:
            self._build()
        self.dock.setVisible(on)
        self._mode_is(on)
        if on:
            self.panel.refresh()
            self.panel.table.setFocus()

    def _dock_shown(self, visible: bool) -> None:
        # a window minimised hides its docks too; one being destroyed hides them after its C++ side is gone
        if isValid(self.window) and self.window.isVisible():
            self._mode_is(visible)

    def _mode_is(self, visible: bool) -> None:
        if visible == self._shown:
            return
        self._shown = visible
        if not visible:  # by the menu, its key or the dock's own close button: no candidate stays framed
            self.window.view.marked = None
            self.window.view.viewport().update()
        action = getattr(self.window, "curation_action", None)
        if action is not None and action.isChecked() != visible:  # the dock closed by its own button
            action.blockSignals(True)
            action.setChecked(visible)
            action.blockSignals(False)
        self.sig_toggled.emit(visible)

    def _take_selection_from_article(self) -> None:
        if self.active:
            self.panel.take_selection()
        else:
            self.window.statusBar().showMessage("E takes a corrected range in curation mode (Ctrl+Shift+C)", 4000)

    def refresh(self) -> None:
        if self.active:
            self.panel.refresh()
