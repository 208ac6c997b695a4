"""Whether the suggestions list under the article is folded to its title row (its count stays in view): the
reviewer's choice, remembered in the window's settings for the review and for curation mode apart. Curation mode
folds it unless the reviewer unfolded it there: its dock takes a third of the window's height, and the list's
170 pixels would leave the article a third of its column. Suggestions are still drawn in the article, and Tab,
Enter and X work on them as before; Ctrl+G (Go to the suggestions list) unfolds the list and goes to it."""
from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

SETTING = {False: "suggestions/list_folded", True: "suggestions/list_folded_in_curation"}
DEFAULT = {False: False, True: True}


class SuggestionFold(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.settings = window.settings
        self.list = window.suggestions.list
        self.curating = window.curation.active
        self.action = QAction("Show the suggestions list", window, checkable=True)
        self.action.triggered.connect(lambda shown: self._choose(not shown))
        menu = window.suggestions.menu
        go_to = window.suggestions.list_action
        after = menu.actions()[menu.actions().index(go_to) + 1] if go_to in menu.actions() else None
        menu.insertAction(after, self.action)
        self.list.sig_folded.connect(self._remember)
        go_to.triggered.connect(self._go_to_list)  # after the desk's own handler, which finds the list folded
        window.curation.sig_toggled.connect(self._mode)
        self._apply()

    def _apply(self) -> None:
        folded = self.settings.value(SETTING[self.curating], DEFAULT[self.curating], type=bool)
        self.list.set_folded(folded)
        self.action.setChecked(not folded)

    def _choose(self, folded: bool) -> None:
        self.list.set_folded(folded)
        self._remember(folded)

    def _remember(self, folded: bool) -> None:
        self.settings.setValue(SETTING[self.curating], folded)
        self.action.setChecked(not folded)

    def _mode(self, curating: bool) -> None:
        self.curating = curating
        self._apply()

    def _go_to_list(self) -> None:
        if self.list.folded:
            self._choose(False)
            self.list.table.setFocus()
