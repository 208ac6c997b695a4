"""The application's icon, from the installed resources (the SVG and the PNG sizes rendered from it)."""
from __future__ import annotations

from PySide6.QtGui import QIcon, QPixmap

from ..core.resources import ICON_SIZES, icon_name, read_bytes


def app_icon() -> QIcon:
    # from bytes, not paths: the resources may sit in a zip or a bundle where no file path exists
    icon = QIcon()
    for size in ICON_SIZES:
        pixmap = QPixmap()
        if pixmap.loadFromData(read_bytes(icon_name(size)), "PNG"):
            icon.addPixmap(pixmap)
    return icon
