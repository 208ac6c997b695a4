"""The scheme editor's tables and buttons, shared by its two tabs (labels, relation types)."""
from __future__ import annotations

from PySide6.QtWidgets import (QFormLayout, QHBoxLayout, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from .plain import text

ANY = "*"
ANY_WORDS = "* (any label)"


def new_table(name: str, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers), objectName=name)
    table.setHorizontalHeaderLabels(headers)
    table.setSelectionBehavior(QTableWidget.SelectRows)
    table.setSelectionMode(QTableWidget.SingleSelection)
    table.setEditTriggers(QTableWidget.NoEditTriggers)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    return table


def fit(table: QTableWidget) -> None:
    """Columns as wide as their contents, but the last (a guideline) takes the rest and is cut: no sideways scroll."""
    for column in range(table.columnCount() - 1):
        table.resizeColumnToContents(column)


def cell(value) -> QTableWidgetItem:
    item = QTableWidgetItem(text(value))  # a table item is plain text: "<b>" shows as typed; an override isolated
    return item


def button(words: str, name: str, slot) -> QPushButton:
    button = QPushButton(words, objectName=name)
    button.setAutoDefault(False)  # Enter in a field applies that field's form, never another button
    button.clicked.connect(slot)
    return button


def page(table: QTableWidget, form: QFormLayout, actions: list[QPushButton]) -> QWidget:
    """A tab: its table, the form of the chosen row under it, and the form's buttons (Apply, Add, Retire)."""
    tab = QWidget()
    buttons = QHBoxLayout()
    for action in actions:
        buttons.addWidget(action)
    buttons.addStretch(1)
    layout = QVBoxLayout(tab)
    layout.addWidget(table, 1)
    layout.addLayout(form)
    layout.addLayout(buttons)
    return tab
