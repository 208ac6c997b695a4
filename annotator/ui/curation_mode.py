"""Curation mode in the window: a dock beside the text lists the reviewers' spans of the open document, a lane
per reviewer, for the curator to take into the gold layer or reject."""
from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDockWidget


class CurationMode(QObject):
    sig_select_range = Signal(int, int)
    """The curator moved to a candidate: select its range in the article."""

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
        self.window.stack.listeners.append(self.refresh)

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
        if on:
            self.panel.refresh()
            self.panel.table.setFocus()

    def refresh(self) -> None:
        if self.active:
            self.panel.refresh()
