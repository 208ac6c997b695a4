"""The attributes of the selected span, as its label's scheme names them: an ORGANISATION's entity (completed over
the registry's names and aliases, or a new entity made from the span), a FIGURE's value, unit and approximation, a
COMMITMENT's kind. A value the tool proposed and no reviewer confirmed yet shows in italics, marked "proposed";
Enter on it (or Y in the article, or the Confirm button) confirms it. Esc goes back to the article.

The panel only shows and asks; the desk (relation_desk.py) turns what it asks into undoable commands."""
from __future__ import annotations

import math

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QCompleter, QFormLayout, QGroupBox, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QVBoxLayout, QWidget)

from ..core.model import AttributeDef, Entity, Span
from .key_catcher import KeyCatcher
from .plain import text
from .review_status import shorten

NO_CHOICE = "—"


def parse_number(typed: str) -> int | float:
    """A number as a reviewer types it: 7000000000, 7,000,000,000, 7 000 000 000, 2.4e6. ValueError otherwise."""
    cleaned = "".join(c for c in typed.strip() if c not in ",_ \u00a0\u202f")
    try:
        return int(cleaned)
    except ValueError:
        value = float(cleaned)  # ValueError names what was typed
    if not math.isfinite(value):
        raise ValueError(typed)
    return int(value) if value.is_integer() and abs(value) < 2 ** 63 else value


def show_number(value) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:,.6g}" if isinstance(value, float) else str(value)


def entity_words(entity: Entity) -> str:
    return f"{entity.name} [{entity.id}]"


class AttributePanel(QGroupBox):
    sig_set = Signal(str, object)
    """The reviewer gave an attribute a value (None: cleared); an entity comes as the text typed or chosen."""
    sig_confirm = Signal(str)
    """Confirm the proposed value of this attribute ("" : every proposed value of the span)."""
    sig_new_entity = Signal()
    """Make a new entity from the span's text and link the span to it."""
    sig_leave = Signal()
    """Esc: back to the article."""
    sig_message = Signal(str, int)

    def __init__(self, parent=None):
        super().__init__("Attributes (F2)", parent)
        self.setObjectName("attributePanel")
        self.span: Span | None = None
        self.fields: dict[str, QWidget] = {}
        self.shown: dict[str, tuple[object, bool]] = {}  # name -> (value, proposed) as shown
        self.tags: dict[str, QLabel] = {}
        self._names = QStringListModel(self)
        self._filling = False
        self.form = QFormLayout()
        self.hint = QLabel("Select a span to see its attributes.", objectName="attributeHint", wordWrap=True)
        self.confirm_button = QPushButton("Confirm proposed (Y)", objectName="confirmProposed")
        self.new_entity_button = QPushButton("New entity from this span", objectName="newEntity")
        self.confirm_button.clicked.connect(lambda: self.sig_confirm.emit(""))
        self.new_entity_button.clicked.connect(self.sig_new_entity)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_entity_button)
        buttons.addWidget(self.confirm_button)
        buttons.addStretch(1)
        column = QVBoxLayout(self)
        column.addWidget(self.hint)
        column.addLayout(self.form)
        column.addLayout(buttons)
        self.keys = KeyCatcher(lambda e: e.key() == Qt.Key_Escape, lambda e: self.sig_leave.emit(), self)
        self.keys.watch(self.confirm_button, self.new_entity_button)
        self.show_span(None, [], {})

    # -- what it shows ----------------------------------------------------------------------------------------

    def set_entities(self, entities: list[Entity]) -> None:
        """The completer's entries: every entity by its name and by each alias, with its id."""
        words = []
        for e in entities:
            words.append(entity_words(e))
            words += [f"{a} [{e.id}]" for a in e.aliases if a != e.name]
        self._names.setStringList(words)

    def show_span(self, span: Span | None, defs: list[AttributeDef], values: dict[str, tuple[object, bool]]) -> None:
        """``values``: attribute name -> (value, proposed) for those that have one (stored, or proposed by the
        tool); an entity's value is its words (name [id])."""
        rebuild = span is None or self.span is None or span.id != self.span.id or span.label != self.span.label \
            or list(self.fields) != [d.name for d in defs]
        self.span = span
        if rebuild:
            self._build(defs)
        self._filling = True
        try:
            for d in defs:
                self._fill(d, *values.get(d.name, (None, False)))
        finally:
            self._filling = False
        self.shown = {d.name: values.get(d.name, (None, False)) for d in defs}
        proposed = any(p for _, p in self.shown.values())
        self.confirm_button.setEnabled(proposed)
        self.new_entity_button.setVisible(any(d.type == "entity" for d in defs))
        if span is None:
            self.hint.setText("Select a span to see its attributes.")
        elif not defs:
            self.hint.setText(f"{text(span.label)} has no attributes in this scheme.")
        else:
            self.hint.setText(f"{text(span.label)} “{text(shorten(span.text, 50))}”")

    def _build(self, defs: list[AttributeDef]) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.fields, self.tags = {}, {}
        for d in defs:
            field = self._field(d)
            field.setObjectName(f"attribute_{d.name}")
            tag = QLabel("", objectName=f"proposed_{d.name}")
            row = QHBoxLayout()
            row.addWidget(field, 1)
            row.addWidget(tag)
            name = QLabel(d.name)
            name.setBuddy(field)
            self.form.addRow(name, row)
            for widget in (name, field, tag):
                widget.show()  # now, not when the event loop comes round: F2 may focus the field at once
            self.fields[d.name], self.tags[d.name] = field, tag
            self.keys.watch(field)

    def _field(self, d: AttributeDef) -> QWidget:
        if d.type == "bool":
            box = QCheckBox()
            box.clicked.connect(lambda on, n=d.name: self.sig_set.emit(n, bool(on)))
            return box
        if d.type == "choice":
            combo = QComboBox()
            combo.addItems([NO_CHOICE, *d.choices])
            combo.activated.connect(lambda i, n=d.name, c=combo: self._chosen(n, c, i))
            return combo
        edit = QLineEdit()
        edit.setClearButtonEnabled(True)
        if d.type == "entity":
            completer = QCompleter(self._names, edit)
            completer.setCaseSensitivity(Qt.CaseInsensitive)
            completer.setFilterMode(Qt.MatchContains)
            edit.setCompleter(completer)
            edit.setPlaceholderText("type a name or an alias…")
            # after the completer has written its entry into the field, so the field then shows the entity's name
            completer.activated.connect(lambda chosen, n=d.name: QTimer.singleShot(0, lambda: self.sig_set.emit(n, chosen)))
        edit.returnPressed.connect(lambda n=d.name, e=edit, t=d.type: self._typed(n, e, t, enter=True))
        edit.editingFinished.connect(lambda n=d.name, e=edit, t=d.type: self._typed(n, e, t, enter=False))
        return edit

    def _fill(self, d: AttributeDef, value, proposed: bool) -> None:
        field = self.fields[d.name]
        if isinstance(field, QCheckBox):
            field.setChecked(bool(value))
        elif isinstance(field, QComboBox):
            field.setCurrentIndex(max(0, field.findText(value)) if isinstance(value, str) else 0)
        else:
            field.setText("" if value is None else show_number(value) if d.type == "number" else text(value))
        font = field.font()
        font.setItalic(proposed)
        field.setFont(font)
        self.tags[d.name].setText("proposed" if proposed else "")
        field.setToolTip("Proposed from the span's text: Enter or Y confirms it" if proposed else "")

    # -- what the reviewer does -------------------------------------------------------------------------------

    def _shown_text(self, name: str, kind: str) -> str:
        value = self.shown.get(name, (None, False))[0]
        return "" if value is None else show_number(value) if kind == "number" else text(value)

    def _typed(self, name: str, edit: QLineEdit, kind: str, enter: bool) -> None:
        if self._filling or self.span is None:
            return
        typed = edit.text().strip()
        if typed == self._shown_text(name, kind):
            if enter and self.shown.get(name, (None, False))[1]:
                self.sig_confirm.emit(name)  # Enter on a proposed value, unchanged: the reviewer agrees
            return
        if not typed:
            self.sig_set.emit(name, None)
        elif kind == "number":
            try:
                self.sig_set.emit(name, parse_number(typed))
            except ValueError:
                self.sig_message.emit(f"{name}: {typed!r} is not a number (7000000000, 7,000,000,000 or 2.4e6)", 6000)
        else:
            self.sig_set.emit(name, typed)

    def _chosen(self, name: str, combo: QComboBox, index: int) -> None:
        if not self._filling:
            self.sig_set.emit(name, None if index == 0 else combo.itemText(index))

    def focus_first(self) -> bool:
        """Keyboard focus to the first field (F2); False when the span has none."""
        if not self.fields:
            return False
        field = next(iter(self.fields.values()))
        field.setFocus(Qt.ShortcutFocusReason)
        if isinstance(field, QLineEdit):
            field.selectAll()
        return True
