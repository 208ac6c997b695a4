"""The keys table a reviewer opens with F1 (the README's keys table says the same)."""
from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QMessageBox, QWidget

KEYS = [
    ("Select text", "mouse drag, or Shift+arrows / Ctrl+Shift+arrows (by word)"),
    ("Tag the selection / relabel the selected span", "1, 2, 3 … (the palette shows each label's key)"),
    ("Next / previous span", "] / ["),
    ("Delete the selected span", "Delete or Backspace"),
    ("Grow / shrink the span's start by a word", "Alt+Left / Alt+Right"),
    ("Grow / shrink the span's end by a word", "Alt+Shift+Right / Alt+Shift+Left"),
    ("Note on the selected span", "N"),
    ("Clear the span selection", "Esc"),
    ("Undo / redo", "Ctrl+Z / Ctrl+Shift+Z (or Ctrl+Y)"),
    ("Retry actions the database could not save yet (busy, disk full)", "F5"),
    ("Mark done and open the next to-do document", "Ctrl+Return"),
    ("Mark skipped and open the next to-do document", "Ctrl+Shift+Return"),
    ("Mark back to to-do", "Ctrl+Backspace"),
    ("Document note", "Ctrl+Shift+N"),
    ("Next / previous document in the list", "Ctrl+PgDown / Ctrl+PgUp"),
    ("Search titles and text", "Ctrl+F"),
    ("Snap selections to whole words on/off", "Ctrl+Shift+W"),
    ("Zoom in / out / back to the usual size", "Ctrl+= / Ctrl+- / Ctrl+0"),
    ("Import / export / merge reviewers' work", "Ctrl+I / Ctrl+E / Ctrl+Shift+M"),
    ("Curation mode on/off", "Ctrl+Shift+C"),
    ("In curation mode: take into gold / with another label / the selected range", "G or Enter / 1, 2, 3 … / E"),
    ("In curation mode: take every agreed span / reject", "A / R or Delete"),
]


def keys_html() -> str:
    rows = "".join(f"<tr><td>{escape(what)}</td><td><b>{escape(keys)}</b></td></tr>" for what, keys in KEYS)
    return f"<table cellspacing=6>{rows}</table>"


def show_keys(parent: QWidget) -> None:
    QMessageBox.information(parent, "Keys", keys_html())
