"""The label palette: each label's colour, hotkey and name; its guideline on hover."""
from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QToolButton, QVBoxLayout, QWidget

from ..core.model import Label
from .colors import readable_text, span_background
from .plain import mnemonic_free, rich, rich_fragment, text


class LabelPalette(QWidget):
    sig_apply = Signal(str)
    """A label was clicked: apply it to the selection or the selected span."""
    sig_add = Signal()
    """The reviewer asked for a new label."""
    sig_recolor = Signal(str)
    """The reviewer asked to recolour this label."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("labelPalette")
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(4)
        self.buttons: dict[str, QPushButton] = {}

    def changeEvent(self, event):  # noqa: N802
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and getattr(self, "_labels", None) is not None:
            # light <-> dark: the buttons' backgrounds are mixed from the page colour; rebuild them once the
            # palette has settled
            QTimer.singleShot(0, self, lambda: self.set_labels(self._labels))

    def set_labels(self, labels: list[Label]) -> None:
        self._labels = list(labels)
        while self.layout_.count():
            item = self.layout_.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.buttons.clear()
        title = QLabel("<b>Labels</b>")
        self.layout_.addWidget(title)
        for label in labels:
            row = QWidget()
            h = QHBoxLayout(row)
            h.setContentsMargins(0, 0, 0, 0)
            button = QPushButton(mnemonic_free(f"{label.hotkey}  {label.name}" if label.hotkey else label.name))
            button.setObjectName(f"label_{label.name}")
            background = span_background(label.color, self.palette())
            button.setStyleSheet(
                f"QPushButton {{ text-align: left; padding: 4px 8px; border-left: 6px solid {label.color};"
                f" background: {background.name()}; color: {readable_text(background).name()}; }}"
            )
            button.setToolTip(f"<qt><b>{rich_fragment(label.name)}</b> (key {rich_fragment(label.hotkey or 'none')})"
                             f"<p>{rich_fragment(label.guideline or 'No guideline yet.')}</p></qt>")
            button.setFocusPolicy(Qt.NoFocus)
            button.clicked.connect(lambda _=False, n=label.name: self.sig_apply.emit(n))
            recolor = QToolButton()
            recolor.setText("Colour…")
            recolor.setObjectName(f"recolor_{label.name}")
            recolor.setToolTip(rich(f"Recolour {label.name}"))
            recolor.setFocusPolicy(Qt.NoFocus)
            recolor.clicked.connect(lambda _=False, n=label.name: self.sig_recolor.emit(n))
            h.addWidget(button, 1)
            h.addWidget(recolor)
            self.layout_.addWidget(row)
            self.buttons[label.name] = button
        add = QPushButton("+ Add label…")
        add.setObjectName("addLabel")
        add.setFocusPolicy(Qt.NoFocus)
        add.clicked.connect(self.sig_add)
        self.layout_.addWidget(add)
