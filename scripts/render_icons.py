"""Render resources/icons/annotator.svg to the PNG sizes a launcher wants (resources/icons/annotator-N.png).

Run after changing the SVG: QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/render_icons.py
tests/test_resources.py checks each PNG is the SVG at its size.
"""
from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from annotator.core.resources import ICON_SIZES  # noqa: E402

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"


def render(size: int) -> QImage:
    image = QImage(size, size, QImage.Format_ARGB32)
    image.fill(Qt.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.Antialiasing)
    QSvgRenderer(str(ICONS / "annotator.svg")).render(painter)
    painter.end()
    return image


if __name__ == "__main__":
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    for size in ICON_SIZES:
        render(size).save(str(ICONS / f"annotator-{size}.png"))
        print(ICONS / f"annotator-{size}.png")
