"""The Relation types tab of the scheme editor: each type with its key, its ends (head and child labels), use and
guideline, and the form that adds, changes and retires them."""
from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QWidget

from ..core import scheme_commands as sc
from .plain import text
from .scheme_tables import ANY, ANY_WORDS, button, cell, fit, new_table, page


class TypesTab:
    """Part of SchemeEditor (which gives ``store``, ``labels``, ``types``, ``say``, ``_run`` and ``_apply``)."""

    def _types_page(self) -> QWidget:
        self.types_table = new_table("schemeRelationTypes", ["Key", "Name", "Head", "Child", "Relations", "Guideline"])
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
        return page(self.types_table, form, [button("&Apply", "typeApply", self.apply_type),
                    button("Add as &new type", "typeAdd", self.add_type),
                    button("Re&tire", "typeRetire", self.retire_type)])

    def _fill_type_ends(self) -> None:
        """The Head and Child lists: any label, or one of the labels (kept as chosen when they are read again)."""
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
                table.setItem(row, column, cell(value))
        fit(table)
        table.blockSignals(False)
        names = [t.name for t in self.types]
        if names:
            table.selectRow(names.index(keep) if keep in names else 0)
        self._type_chosen()

    def _chosen_type(self):
        rows = self.types_table.selectionModel().selectedRows() if hasattr(self, "types") else []
        return self.types[rows[0].row()] if rows and rows[0].row() < len(self.types) else None

    def _type_chosen(self) -> None:
        t = self._chosen_type()
        self.type_name.setText(t.name if t else "")
        self.type_head.setCurrentIndex(max(0, self.type_head.findData(t.head_label if t else ANY)))
        self.type_child.setCurrentIndex(max(0, self.type_child.findData(t.child_label if t else ANY)))
        self.type_hotkey.setText(t.hotkey if t else "")
        self.type_guideline.setText(t.guideline if t else "")
        self.type_guideline.setCursorPosition(0)

    def _select_type(self, name: str) -> None:
        names = [t.name for t in self.types]
        if name in names:
            self.types_table.selectRow(names.index(name))

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
