"""The icon's PNG sizes are the SVG rendered at each size (scripts/render_icons.py), and the launcher file says
how to start the app."""
import runpy
from configparser import ConfigParser
from pathlib import Path

from PySide6.QtGui import QImage

from annotator.core.resources import ICON_SIZES, icon_name, read_bytes

ROOT = Path(__file__).resolve().parents[2]


def test_each_png_is_the_svg_at_its_size(qapp):
    render = runpy.run_path(str(ROOT / "scripts" / "render_icons.py"))["render"]
    for size in ICON_SIZES:
        png = QImage.fromData(read_bytes(icon_name(size)), "PNG")
        assert (png.width(), png.height()) == (size, size)
        fresh = render(size).convertToFormat(png.format())
        assert png == fresh, f"{icon_name(size)} is not the SVG rendered at {size} px: run scripts/render_icons.py"


def test_the_launcher_starts_the_window_with_the_icon():
    entry = ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read_string(read_bytes("annotator.desktop").decode("utf-8"))
    launcher = entry["Desktop Entry"]
    assert (launcher["Type"], launcher["Exec"], launcher["Icon"]) == ("Application", "annotator gui", "annotator")
    assert launcher["Categories"].endswith(";") and launcher["Terminal"] == "false"

