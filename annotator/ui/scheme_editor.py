"""Labels > Edit scheme… (Ctrl+Shift+L): the labels and the relation types of the database, added, renamed,
recoloured, given a key, given other ends, and retired from the window.

Every change is a command of core/scheme_commands.py on the window's undo stack: it calls the Store method that
``annotator labels …`` and ``annotator relations …`` call, so a name, colour or key the command line refuses is
refused here in the same words (shown under the tables). Ctrl+Z and Ctrl+Shift+Z in the editor undo and redo, as in
the window. Retiring a label that spans use asks where they go (another label, or deleted) and, since that cannot
be undone, takes a second press of Retire. Every name is shown as plain text.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QLineEdit, QTabWidget, QVBoxLayout

from ..core.errors import AnnotatorError
from ..core.relation_commands import Together
from .plain import text
from .scheme_labels_tab import LabelsTab
from .scheme_tables import button
from .scheme_types_tab import TypesTab


class SchemeEditor(LabelsTab, TypesTab, QDialog):
    """The dialog: its two tabs (scheme_labels_tab.py, scheme_types_tab.py), the line that says what happened, and
    the undo and redo of the window's stack."""

    def __init__(self, store, stack, parent=None, *, undo=None, redo=None):
        """``stack``: the window's undo stack; ``undo``/``redo``: the window's own (status bar and all)."""
        super().__init__(parent)
        self.setObjectName("schemeEditor")
        self.setWindowTitle("Edit scheme")
        self.store, self.stack = store, stack
        self._undo, self._redo = undo or stack.undo, redo or stack.redo
        self._armed: tuple | None = None  # a retirement that cannot be undone, waiting for its second press

        self.tabs = QTabWidget(objectName="schemeTabs")
        self.tabs.addTab(self._labels_page(), "&Labels")
        self.tabs.addTab(self._types_page(), "&Relation types")
        self.message = QLabel(objectName="schemeMessage")
        self.message.setTextFormat(Qt.PlainText)
        self.message.setWordWrap(True)
        bottom = QHBoxLayout()
        bottom.addWidget(button("Undo", "schemeUndo", self.undo))
        bottom.addWidget(button("Redo", "schemeRedo", self.redo))
        bottom.addStretch(1)
        bottom.addWidget(button("Close", "schemeClose", self.close))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        layout.addLayout(bottom)
        for keys, slot in ((["Ctrl+Z"], self.undo), (["Ctrl+Shift+Z", "Ctrl+Y"], self.redo)):
            for k in keys:
                QShortcut(QKeySequence(k), self, slot)
        # a field takes Ctrl+Z for its own typing, whose history a refresh clears anyway: here the keys undo the
        # last change to the scheme, from wherever the focus is
        for field in self.findChildren(QLineEdit):
            field.installEventFilter(self)
        self._unsubscribe = store.subscribe(self._on_change)
        self.finished.connect(self._stop)  # Esc, Close and the title bar's button all end here
        self.setAttribute(Qt.WA_DeleteOnClose)
        self.refresh()
        self.resize(760, 520)

    def _on_change(self, change) -> None:
        if change.kind in ("labels", "relation_types"):
            self.refresh()

    def refresh(self) -> None:
        """The tables read again, the same rows chosen (by name) and the forms filled from them."""
        label, kind = self._chosen_label(), self._chosen_type()
        self.labels = self.store.labels()
        self.types = self.store.relation_types()
        self._fill_labels(label.name if label else None)
        self._fill_type_ends()
        self._fill_types(kind.name if kind else None)

    def say(self, words: str) -> None:
        self.message.setText(words)

    # -- doing ------------------------------------------------------------------------------------------------

    def _run(self, command, done: str) -> bool:
        try:
            self.stack.push(command)
        except AnnotatorError as exc:
            self.say(f"Refused: {exc}")
            return False
        self.refresh()
        self.say(f"{done} (Ctrl+Z undoes)")
        return True

    def _apply(self, name: str, edit, rename, select) -> None:
        """The form's changes to one label or type as one undoable step: its other fields first (under its old
        name), then its new name; ``select`` chooses its row again."""
        commands = [c for c in (edit, rename) if c is not None]
        if not commands:
            self.say(f"{text(name)}: nothing to change")
            return
        command = commands[0] if len(commands) == 1 else Together(" and ".join(c.text for c in commands), commands)
        if self._run(command, f"Changed {text(name)}: " + command.text):
            select()

    def undo(self) -> None:
        what = self.stack.undo_text
        self._undo()
        self.refresh()
        self.say(f"Undid: {what}" if what else "Nothing to undo")

    def redo(self) -> None:
        what = self.stack.redo_text
        self._redo()
        self.refresh()
        self.say(f"Redid: {what}" if what else "Nothing to redo")

    def eventFilter(self, watched, event):  # noqa: N802
        if event.type() == QEvent.Type.ShortcutOverride and (
                event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo)
                or event.keyCombination().toCombined() == QKeySequence("Ctrl+Y")[0].toCombined()):
            event.ignore()  # not the field's: the editor's shortcuts take it
            return True
        return super().eventFilter(watched, event)

    def _stop(self) -> None:
        self._unsubscribe()
        self._unsubscribe = lambda: None
