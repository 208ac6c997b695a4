"""Every dialog the window opens from its menus: import, export, merge, sync, agreement, consistency, findings,
labels, reviewer.
Each entry opens its dialog and passes on what came of it as a signal; the window decides what to refresh."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QColorDialog, QInputDialog, QLabel, QWidget

from ..core import scheme_commands as sc
from .plain import text


class WindowDialogs(QObject):
    sig_changed_database = Signal()
    """Another connection (an import, a merge) changed the database: whatever shows it must read it again."""
    sig_open_document = Signal(str)
    """A dialog asked to open this document (a row of the agreement table)."""
    sig_open_range = Signal(str, int, int)
    """A dialog asked to show this range of a document, selected (an occurrence in the consistency table)."""
    sig_rename_reviewer = Signal(str)
    """The reviewer gave a new name (already trimmed, different from the current one)."""
    sig_scheme_command = Signal(object)
    """A change to the labels asked for here (a core.scheme_commands command): the window puts it on its undo
    stack, as the scheme editor does, so Ctrl+Z takes it back."""

    def __init__(self, store, window: QWidget):
        super().__init__(window)
        self.store = store
        self.window = window

    # -- transfer ---------------------------------------------------------------------------------------------

    def import_dialog(self, annotator: str):
        from .transfer_dialogs import ImportDialog

        dialog = ImportDialog(self.store.path, annotator, self.window)
        dialog.sig_changed_database.connect(self.sig_changed_database)
        dialog.show()
        return dialog

    def export_dialog(self):
        from .transfer_dialogs import ExportDialog

        dialog = ExportDialog(self.store.path, self.store, self.window)
        dialog.show()
        return dialog

    # -- team work --------------------------------------------------------------------------------------------

    def merge_dialog(self):
        from .curation_panels import MergeDialog

        dialog = MergeDialog(self.store.path, self.window)
        dialog.sig_changed_database.connect(self.sig_changed_database)
        dialog.show()
        return dialog

    def sync_controller(self, settings, annotator):
        """The window's syncs (File > Sync…, and every N minutes) and their line in the status bar."""
        from .sync_panel import SyncController

        label = QLabel(objectName="syncStatus")
        label.setContentsMargins(12, 0, 0, 0)
        self.window.statusBar().addPermanentWidget(label)
        controller = SyncController(self.store.path, annotator, settings, label, self)
        controller.sig_changed_database.connect(self.sig_changed_database)
        return controller

    def sync_dialog(self, controller):
        from .sync_panel import SyncDialog

        dialog = SyncDialog(controller, self.window)
        dialog.show()
        return dialog

    def agreement_dialog(self):
        from .curation_panels import AgreementDialog

        dialog = AgreementDialog(self.store, self.window)
        dialog.sig_open_document.connect(self.sig_open_document)
        dialog.show()
        return dialog

    def consistency_dialog(self):
        from .consistency_panel import ConsistencyDialog

        dialog = ConsistencyDialog(self.store, self.window)
        dialog.sig_open_range.connect(self.sig_open_range)
        dialog.show()
        return dialog

    def findings_dialog(self):
        from .findings_panel import FindingsDialog

        dialog = FindingsDialog(self.store, self.window)
        dialog.sig_open_range.connect(self.sig_open_range)
        dialog.show()
        return dialog

    # -- labels and the reviewer ------------------------------------------------------------------------------

    def add_label(self) -> None:
        name, ok = QInputDialog.getText(self.window, "Add label", "Name of the new label:")
        if ok and name.strip():
            self.sig_scheme_command.emit(sc.AddLabel(name.strip().upper()))

    def scheme_editor(self, stack, undo, redo):
        """Labels > Edit scheme…: one editor at a time, raised if it is open already."""
        from .scheme_editor import SchemeEditor

        editor = getattr(self, "_scheme_editor", None)
        if editor is None:
            editor = self._scheme_editor = SchemeEditor(self.store, stack, self.window, undo=undo, redo=redo)
            editor.finished.connect(lambda: setattr(self, "_scheme_editor", None))  # deleted on close
        editor.show()
        editor.raise_()
        editor.activateWindow()
        return editor

    def recolor_label(self, name: str) -> None:
        """The palette's Colour… button: one undoable step, as a recolouring in the scheme editor is."""
        label = self.store.label(name)
        color = QColorDialog.getColor(QColor(label.color), self.window, f"Colour of {text(name)}")
        if color.isValid() and color.name().upper() != label.color.upper():
            self.sig_scheme_command.emit(sc.EditLabel(label, color=color.name().upper()))

    def change_name(self, annotator: str) -> None:
        name, ok = QInputDialog.getText(self.window, "Reviewer", "Your name (recorded on every span and status):",
                                        text=annotator)
        if ok and name.strip() and name.strip() != annotator:
            self.sig_rename_reviewer.emit(name.strip())
