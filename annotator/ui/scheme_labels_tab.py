"""The Labels tab of the scheme editor: the labels with their keys, colours, use and guidelines, and the form that
adds, changes (name, colour, key, guideline together, as one undoable step) and retires them."""
from __future__ import annotations

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QColorDialog, QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QWidget

from ..core import scheme_commands as sc
from ..core.errors import AnnotatorError
from .colors import readable_text
from .plain import text
from .scheme_tables import button, cell, fit, new_table, page


class LabelsTab:
    """Part of SchemeEditor (which gives ``store``, ``labels``, ``say``, ``refresh``, ``_run`` and ``_apply``)."""

    def _labels_page(self) -> QWidget:
        self.labels_table = new_table("schemeLabels", ["Key", "Name", "Colour", "Spans", "Guideline"])
        self.labels_table.itemSelectionChanged.connect(self._label_chosen)
        self.label_name = QLineEdit(objectName="labelName")
        self.label_color = QLineEdit(objectName="labelColor", placeholderText="#RRGGBB (empty: the next colour)")
        self.label_hotkey = QLineEdit(objectName="labelHotkey", placeholderText="a digit or a letter (empty: none)")
        self.label_guideline = QLineEdit(objectName="labelGuideline")
        self.label_spans_to = QComboBox(objectName="labelSpansTo")
        colour = QHBoxLayout()
        colour.addWidget(self.label_color, 1)
        colour.addWidget(button("Choose…", "labelChooseColor", self.choose_color))
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
        return page(self.labels_table, form, [button("&Apply", "labelApply", self.apply_label),
                    button("Add as &new label", "labelAdd", self.add_label),
                    button("Re&tire", "labelRetire", self.retire_label)])

    def _fill_labels(self, keep: str | None) -> None:
        table = self.labels_table
        table.blockSignals(True)
        table.setRowCount(len(self.labels))
        for row, l in enumerate(self.labels):
            used, gold = self.store.label_usage_parts(l.name)
            swatch = cell(l.color)
            swatch.setBackground(QBrush(QColor(l.color)))
            swatch.setForeground(QBrush(readable_text(QColor(l.color))))
            for column, item in enumerate((cell(l.hotkey), cell(l.name), swatch,
                                           cell(f"{used}" + (f" (+{gold} gold)" if gold else "")),
                                           cell(l.guideline))):
                table.setItem(row, column, item)
        fit(table)
        table.blockSignals(False)
        names = [l.name for l in self.labels]
        table.selectRow(names.index(keep) if keep in names else 0)
        self._label_chosen()

    def _chosen_label(self):
        rows = self.labels_table.selectionModel().selectedRows() if hasattr(self, "labels") else []
        return self.labels[rows[0].row()] if rows and rows[0].row() < len(self.labels) else None

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

    def _select_label(self, name: str) -> None:
        names = [l.name for l in self.labels]
        if name in names:
            self.labels_table.selectRow(names.index(name))

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
