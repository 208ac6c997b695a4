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
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (QColorDialog, QComboBox, QDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from ..core import scheme_commands as sc
from ..core.errors import AnnotatorError
from ..core.relation_commands import Together
from .colors import readable_text
from .plain import text

ANY = "*"
ANY_WORDS = "* (any label)"


def _table(name: str, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers), objectName=name)
    table.setHorizontalHeaderLabels(headers)
    table.setSelectionBehavior(QTableWidget.SelectRows)
    table.setSelectionMode(QTableWidget.SingleSelection)
    table.setEditTriggers(QTableWidget.NoEditTriggers)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fit(table: QTableWidget) -> None:
    """Columns as wide as their contents, but the last (a guideline) takes the rest and is cut: no sideways scroll."""
    for column in range(table.columnCount() - 1):
        table.resizeColumnToContents(column)


def _cell(value) -> QTableWidgetItem:
    item = QTableWidgetItem(text(value))  # a table item is plain text: "<b>" shows as typed; an override isolated
    return item


def _button(words: str, name: str, slot) -> QPushButton:
    button = QPushButton(words, objectName=name)
    button.setAutoDefault(False)  # Enter in a field applies that field's form, never another button
    button.clicked.connect(slot)
    return button


class SchemeEditor(QDialog):
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
        bottom.addWidget(_button("Undo", "schemeUndo", self.undo))
        bottom.addWidget(_button("Redo", "schemeRedo", self.redo))
        bottom.addStretch(1)
        bottom.addWidget(_button("Close", "schemeClose", self.close))
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

    # -- building ---------------------------------------------------------------------------------------------

    def _labels_page(self) -> QWidget:
        page = QWidget()
        self.labels_table = _table("schemeLabels", ["Key", "Name", "Colour", "Spans", "Guideline"])
        self.labels_table.itemSelectionChanged.connect(self._label_chosen)
        self.label_name = QLineEdit(objectName="labelName")
        self.label_color = QLineEdit(objectName="labelColor", placeholderText="#RRGGBB (empty: the next colour)")
        self.label_hotkey = QLineEdit(objectName="labelHotkey", placeholderText="a digit or a letter (empty: none)")
        self.label_guideline = QLineEdit(objectName="labelGuideline")
        self.label_spans_to = QComboBox(objectName="labelSpansTo")
        colour = QHBoxLayout()
        colour.addWidget(self.label_color, 1)
        colour.addWidget(_button("Choose…", "labelChooseColor", self.choose_color))
        form = QFormLayout()
        form.addRow("&Name", self.label_name)
        colour_label = QLabel("&Colour")
        colour_label.setBuddy(self.label_color)  # Alt+C goes to the field (a row of a layout gets no buddy itself)
        form.addRow(colour_label, colour)
        form.addRow("&Hotkey", self.label_hotkey)
        form.addRow("&Guideline", self.label_guideline)
        form.addRow("On retiring, its &spans go to", self.label_spans_to)
        for field in (self.label_name, self.label_color, self.label_hotkey, self.label_guideline):
            field.returnPressed.connect(self.apply_label)
        buttons = QHBoxLayout()
        buttons.addWidget(_button("&Apply", "labelApply", self.apply_label))
        buttons.addWidget(_button("Add as &new label", "labelAdd", self.add_label))
        buttons.addWidget(_button("Re&tire", "labelRetire", self.retire_label))
        buttons.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addWidget(self.labels_table, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        return page

    def _types_page(self) -> QWidget:
        page = QWidget()
        self.types_table = _table("schemeRelationTypes", ["Key", "Name", "Head", "Child", "Relations", "Guideline"])
        self.types_table.itemSelectionChanged.connect(self._type_chosen)
        self.type_name = QLineEdit(objectName="typeName")
        self.type_head = QComboBox(objectName="typeHead")
        self.type_child = QComboBox(objectName="typeChild")
        self.type_hotkey = QLineEdit(objectName="typeHotkey", placeholderText="one letter or digit (empty: none)")
        self.type_guideline = QLineEdit(objectName="typeGuideline")
        form = QFormLayout()
        form.addRow("&Name", self.type_name)
        form.addRow("&Head (from)", self.type_head)
        form.addRow("Chil&d (to)", self.type_child)
        form.addRow("&Key", self.type_hotkey)
        form.addRow("&Guideline", self.type_guideline)
        for field in (self.type_name, self.type_hotkey, self.type_guideline):
            field.returnPressed.connect(self.apply_type)
        buttons = QHBoxLayout()
        buttons.addWidget(_button("&Apply", "typeApply", self.apply_type))
        buttons.addWidget(_button("Add as &new type", "typeAdd", self.add_type))
        buttons.addWidget(_button("Re&tire", "typeRetire", self.retire_type))
        buttons.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addWidget(self.types_table, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        return page

    # -- showing ----------------------------------------------------------------------------------------------

    def _on_change(self, change) -> None:
        if change.kind in ("labels", "relation_types"):
            self.refresh()

    def refresh(self) -> None:
        """The tables read again, the same rows chosen (by name) and the forms filled from them."""
        label, kind = self._chosen_label(), self._chosen_type()
        self.labels = self.store.labels()
        self.types = self.store.relation_types()
        self._fill_labels(label.name if label else None)
        self._fill_types(kind.name if kind else None)

    def _fill_labels(self, keep: str | None) -> None:
        table = self.labels_table
        table.blockSignals(True)
        table.setRowCount(len(self.labels))
        for row, l in enumerate(self.labels):
            used, gold = self.store.label_usage_parts(l.name)
            swatch = _cell(l.color)
            swatch.setBackground(QBrush(QColor(l.color)))
            swatch.setForeground(QBrush(readable_text(QColor(l.color))))
            for column, item in enumerate((_cell(l.hotkey), _cell(l.name), swatch,
                                           _cell(f"{used}" + (f" (+{gold} gold)" if gold else "")),
                                           _cell(l.guideline))):
                table.setItem(row, column, item)
        _fit(table)
        table.blockSignals(False)
        names = [l.name for l in self.labels]
        table.selectRow(names.index(keep) if keep in names else 0)
        self._label_chosen()
        for combo in (self.type_head, self.type_child):
            chosen = combo.currentData()
            combo.clear()
            combo.addItem(ANY_WORDS, ANY)
            for l in self.labels:
                combo.addItem(text(l.name), l.name)
            combo.setCurrentIndex(max(0, combo.findData(chosen)))

    def _fill_types(self, keep: str | None) -> None:
        table = self.types_table
        table.blockSignals(True)
        table.setRowCount(len(self.types))
        for row, t in enumerate(self.types):
            for column, value in enumerate((t.hotkey, t.name, t.head_label, t.child_label,
                                            self.store.relation_usage(t.name), t.guideline)):
                table.setItem(row, column, _cell(value))
        _fit(table)
        table.blockSignals(False)
        names = [t.name for t in self.types]
        if names:
            table.selectRow(names.index(keep) if keep in names else 0)
        self._type_chosen()

    def _chosen_label(self):
        rows = self.labels_table.selectionModel().selectedRows() if hasattr(self, "labels") else []
        return self.labels[rows[0].row()] if rows and rows[0].row() < len(self.labels) else None

    def _chosen_type(self):
        rows = self.types_table.selectionModel().selectedRows() if hasattr(self, "types") else []
        return self.types[rows[0].row()] if rows and rows[0].row() < len(self.types) else None

    def _label_chosen(self) -> None:
        self._armed = None
        label = self._chosen_label()
        self.label_name.setText(label.name if label else "")
        self.label_color.setText(label.color if label else "")
        self.label_hotkey.setText(label.hotkey if label else "")
        self.label_guideline.setText(label.guideline if label else "")
        self.label_guideline.setCursorPosition(0)
        self.label_spans_to.clear()
        self.label_spans_to.addItem("(nowhere: refuse while spans use it)", None)
        for l in self.labels:
            if label is None or l.name != label.name:
                self.label_spans_to.addItem(text(l.name), ("relabel", l.name))
        self.label_spans_to.addItem("(deleted)", ("delete", None))

    def _type_chosen(self) -> None:
        t = self._chosen_type()
        self.type_name.setText(t.name if t else "")
        self.type_head.setCurrentIndex(max(0, self.type_head.findData(t.head_label if t else ANY)))
        self.type_child.setCurrentIndex(max(0, self.type_child.findData(t.child_label if t else ANY)))
        self.type_hotkey.setText(t.hotkey if t else "")
        self.type_guideline.setText(t.guideline if t else "")
        self.type_guideline.setCursorPosition(0)

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

    def _select_label(self, name: str) -> None:
        names = [l.name for l in self.labels]
        if name in names:
            self.labels_table.selectRow(names.index(name))

    def _select_type(self, name: str) -> None:
        names = [t.name for t in self.types]
        if name in names:
            self.types_table.selectRow(names.index(name))

    def apply_label(self) -> None:
        label = self._chosen_label()
        if label is None:
            return
        name = self.label_name.text().strip()
        color, hotkey = self.label_color.text().strip(), self.label_hotkey.text().strip()
        guideline = self.label_guideline.text()
        changes = {k: v for k, v, old in (("color", color, label.color), ("hotkey", hotkey, label.hotkey),
                                          ("guideline", guideline, label.guideline)) if v != old}
        if color.upper() == label.color.upper():
            changes.pop("color", None)
        self._apply(label.name, sc.EditLabel(label, **changes) if changes else None,
                    sc.RenameLabel(label.name, name) if name != label.name else None,
                    lambda: self._select_label(name))

    def add_label(self) -> None:
        name = self.label_name.text().strip()
        if not name:
            self.say("Type the new label's name first")
            return
        command = sc.AddLabel(name, color=self.label_color.text().strip() or None,
                              hotkey=self.label_hotkey.text().strip() or None, guideline=self.label_guideline.text())
        if any(l.name == name for l in self.labels):
            self.say(f"Refused: a label named {text(name)} already exists (Apply changes the chosen one)")
            return
        if self._run(command, f"Added label {text(name)}"):
            self._select_label(name)

    def choose_color(self) -> None:
        label = self._chosen_label()
        current = QColor(self.label_color.text().strip() or (label.color if label else "#888888"))
        color = QColorDialog.getColor(current, self, f"Colour of {text(label.name) if label else 'the label'}")
        if color.isValid():
            self.label_color.setText(color.name().upper())
            if label is not None:
                self.apply_label()

    def retire_label(self) -> None:
        label = self._chosen_label()
        if label is None:
            return
        used = self.store.label_usage(label.name)
        if not used:
            self._run(sc.RetireLabel(label), f"Retired label {text(label.name)}")
            return
        choice = self.label_spans_to.currentData()
        if choice is None:
            self.say(f"Refused: label {text(label.name)} is used by {used} span(s): choose where they go "
                     "(relabel them, or delete them) in the list above Retire")
            return
        how, target = choice
        armed = (label.name, how, target)
        if self._armed != armed:
            self._armed = armed
            what = f"relabelled {text(target)}" if how == "relabel" else "deleted (kept as tombstones)"
            self.say(f"{used} span(s) of {text(label.name)} will be {what}. This cannot be undone: press Retire "
                     "again to do it")
            return
        self._armed = None
        try:
            n = self.store.retire_label(label.name, relabel_to=target, delete_spans=how == "delete")
        except AnnotatorError as exc:
            self.say(f"Refused: {exc}")
            return
        self.refresh()
        self.say(f"Retired label {text(label.name)}: {n} span(s) " + (
            f"relabelled {text(target)}" if how == "relabel" else "deleted") + " (this cannot be undone)")

    def _type_fields(self) -> tuple[str, str, str, str, str]:
        return (self.type_name.text().strip(), self.type_head.currentData() or ANY,
                self.type_child.currentData() or ANY, self.type_hotkey.text().strip(), self.type_guideline.text())

    def apply_type(self) -> None:
        t = self._chosen_type()
        if t is None:
            self.say("No relation type yet: fill in the fields and press Add as new type")
            return
        name, head, child, hotkey, guideline = self._type_fields()
        changes = {k: v for k, v, old in (("head", head, t.head_label), ("child", child, t.child_label),
                                          ("hotkey", hotkey, t.hotkey), ("guideline", guideline, t.guideline))
                   if v != old}
        self._apply(t.name, sc.EditRelationType(t, **changes) if changes else None,
                    sc.RenameRelationType(t.name, name) if name != t.name else None,
                    lambda: self._select_type(name))

    def add_type(self) -> None:
        name, head, child, hotkey, guideline = self._type_fields()
        if not name:
            self.say("Type the new relation type's name first")
            return
        if any(t.name == name for t in self.types):
            self.say(f"Refused: there is already a relation type named {text(name)} (Apply changes the chosen one)")
            return
        if self._run(sc.AddRelationType(name, head, child, hotkey, guideline),
                     f"Added relation type {text(name)} ({text(head)} → {text(child)}, key {text(hotkey or 'none')})"):
            self._select_type(name)

    def retire_type(self) -> None:
        t = self._chosen_type()
        if t is not None:
            used = self.store.relation_usage(t.name)
            self._run(sc.RetireRelationType(t), f"Retired relation type {text(t.name)}: " + (
                f"its {used} relation(s) are kept" if used else "no relation used it"))

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
