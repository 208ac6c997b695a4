"""Span colours that stay readable on light and dark palettes."""
from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

# How much of the label colour goes into a span's background; the rest is the view's base colour. Tested for
# a contrast of at least 4.5:1 (WCAG AA) with the text colour, for every default label, light and dark.
SPAN_ALPHA = 0.38
SELECTED_ALPHA = 0.75
# A span inside one of the same label is a shade apart from it: more of the label colour on a light page, less on a
# dark one (more would make it too light for the light text there)
NESTED_SAME_ALPHA = {"light": 0.6, "dark": 0.1}


def blend(color: QColor, base: QColor, alpha: float) -> QColor:
    return QColor(
        round(color.red() * alpha + base.red() * (1 - alpha)),
        round(color.green() * alpha + base.green() * (1 - alpha)),
        round(color.blue() * alpha + base.blue() * (1 - alpha)),
    )


def luminance(c: QColor) -> float:
    def channel(v: int) -> float:
        v = v / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue())


def contrast(a: QColor, b: QColor) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def is_dark(palette: QPalette) -> bool:
    return luminance(palette.color(QPalette.Base)) < 0.5


def span_background(label_color: str, palette: QPalette, alpha: float = SPAN_ALPHA) -> QColor:
    return blend(QColor(label_color), palette.color(QPalette.Base), alpha)


def nested_background(label_color: str, palette: QPalette) -> QColor:
    """The background of a span nested in a span of the same label."""
    return span_background(label_color, palette, NESTED_SAME_ALPHA["dark" if is_dark(palette) else "light"])


def readable_text(background: QColor) -> QColor:
    """Black or white, whichever reads better on the background."""
    return QColor("#000000") if contrast(background, QColor("#000000")) >= contrast(background, QColor("#ffffff")) else QColor("#ffffff")


def dark_palette() -> QPalette:
    p = QPalette()
    for role, color in [
        (QPalette.Window, "#2b2b2b"), (QPalette.WindowText, "#e8e8e8"), (QPalette.Base, "#1e1e1e"),
        (QPalette.AlternateBase, "#262626"), (QPalette.Text, "#e8e8e8"), (QPalette.Button, "#333333"),
        (QPalette.ButtonText, "#e8e8e8"), (QPalette.Highlight, "#3d6fb6"), (QPalette.HighlightedText, "#ffffff"),
        (QPalette.ToolTipBase, "#333333"), (QPalette.ToolTipText, "#e8e8e8"), (QPalette.PlaceholderText, "#9a9a9a"),
    ]:
        p.setColor(role, QColor(color))
    # setColor(role, …) sets every group, so a disabled button ("Confirm proposed (Y)" with nothing proposed) would
    # look enabled: its text is dimmed as the light palette dims it
    for role in (QPalette.WindowText, QPalette.Text, QPalette.ButtonText):
        p.setColor(QPalette.Disabled, role, QColor("#7a7a7a"))
    return p
