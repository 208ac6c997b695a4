"""Span backgrounds keep the text readable in light and dark palettes."""
import pytest
from PySide6.QtGui import QColor, QPalette

from annotator.core.labels import DEFAULT_LABELS, PALETTE
from annotator.ui.colors import contrast, dark_palette, nested_background, span_background


def light_palette():
    p = QPalette()
    p.setColor(QPalette.Base, QColor("#ffffff"))
    p.setColor(QPalette.Text, QColor("#000000"))
    return p


@pytest.mark.parametrize("palette", [light_palette(), dark_palette()], ids=["light", "dark"])
@pytest.mark.parametrize("color", PALETTE[:7])
@pytest.mark.parametrize("shade", [span_background, nested_background], ids=["span", "nested-in-same-label"])
def test_span_background_contrast(qapp, palette, color, shade):
    background = shade(color, palette)
    assert contrast(background, palette.color(QPalette.Text)) >= 4.5


def test_default_labels_are_distinct_from_each_other_on_both_palettes(qapp):
    for palette in (light_palette(), dark_palette()):
        backgrounds = [span_background(l.color, palette) for l in DEFAULT_LABELS]
        for i, a in enumerate(backgrounds):
            for b in backgrounds[i + 1:]:
                assert abs(a.hue() - b.hue()) > 30 or abs(a.lightness() - b.lightness()) > 30


@pytest.mark.parametrize("palette", [light_palette(), dark_palette()], ids=["light", "dark"])
def test_a_span_in_one_of_the_same_label_is_a_shade_apart(qapp, palette):
    for label in DEFAULT_LABELS:
        a, b = span_background(label.color, palette), nested_background(label.color, palette)
        assert abs(a.lightness() - b.lightness()) >= 15, label.name


def test_a_disabled_button_looks_disabled_on_the_dark_palette(qapp):
    """Its text is dimmed against the enabled text, as on the light palette (it was the same colour)."""
    p = dark_palette()
    for role in (QPalette.ButtonText, QPalette.WindowText, QPalette.Text):
        enabled, disabled = p.color(QPalette.Active, role), p.color(QPalette.Disabled, role)
        assert contrast(disabled, p.color(QPalette.Button)) < contrast(enabled, p.color(QPalette.Button)) / 1.5
