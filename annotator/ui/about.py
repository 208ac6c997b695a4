"""Help > About: the version, the database in use and its schema, and the Qt and Python the window runs on.

What a bug report needs, selectable and copyable in one go.
"""
from __future__ import annotations

import platform

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from .. import __version__
from .app_icon import app_icon


def about_rows(store) -> list[tuple[str, str]]:
    """(what, value) rows the About dialog shows, and copies."""
    count, last = store.schema_version()
    readonly = " (read-only)" if getattr(store, "readonly", False) else ""
    return [
        ("Version", __version__),
        ("Database", f"{store.path}{readonly}"),
        ("Schema", f"version {count} ({last})" if last else "none (an empty database)"),
        ("Qt", qVersion()),
        ("PySide6", PySide6.__version__),
        ("Python", f"{platform.python_version()} ({platform.system()} {platform.machine()})"),
    ]


class AboutDialog(QDialog):
    def __init__(self, store, parent: QWidget | None = None):
        super().__init__(parent, objectName="aboutDialog")
        self.setWindowTitle("About annotator")
        self.rows = about_rows(store)

        icon = QLabel(objectName="aboutIcon")
        icon.setPixmap(app_icon().pixmap(96, 96))
        title = QLabel("annotator", objectName="aboutTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        blurb = QLabel("Highlight and tag spans in news articles, and curate a labelled corpus as a team.")
        blurb.setWordWrap(True)

        form = QFormLayout()
        for what, value in self.rows:
            # a path or name is shown as plain text, selectable for a bug report
            label = QLabel(value, objectName=f"about{what}")
            label.setTextFormat(Qt.PlainText)
            label.setTextInteractionFlags(Qt.TextSelectableByMouse | Qt.TextSelectableByKeyboard)
            form.addRow(f"{what}:", label)

        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        copy = buttons.addButton("&Copy details", QDialogButtonBox.ActionRole)
        copy.setObjectName("aboutCopy")
        copy.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)

        head = QVBoxLayout()
        head.addWidget(title)
        head.addWidget(blurb)
        head.addSpacing(6)
        head.addLayout(form)
        top = QHBoxLayout()
        top.addWidget(icon, 0, Qt.AlignTop)
        top.addLayout(head, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def details(self) -> str:
        return "\n".join(f"{what}: {value}" for what, value in self.rows)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details())


def show_about(store, parent: QWidget | None = None) -> AboutDialog:
    dialog = AboutDialog(store, parent)
    dialog.setAttribute(Qt.WA_DeleteOnClose)  # each Help > About makes a fresh one: closed ones do not pile up
    dialog.open()  # window-modal, not exec(): the window's event loop (and its tests) keep running
    return dialog
