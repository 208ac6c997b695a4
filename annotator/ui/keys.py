"""The keys table a reviewer opens with F1, read from resources/keys.json (the README's keys table says the same)."""
from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QMessageBox, QWidget

from ..core.resources import keys_table

KEYS = keys_table()  # resources/keys.json, which the README's keys table follows


def keys_html() -> str:
    rows = "".join(f"<tr><td>{escape(what)}</td><td><b>{escape(keys)}</b></td></tr>" for what, keys in KEYS)
    return f"<table cellspacing=6>{rows}</table>"


def show_keys(parent: QWidget) -> None:
    QMessageBox.information(parent, "Keys", keys_html())
