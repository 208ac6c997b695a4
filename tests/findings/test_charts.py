"""The report's charts: names from the corpus are text in the SVG, never markup or a formula."""
import html5lib

from annotator.findings import charts
from annotator.findings.model import Organisation
from annotator.findings.tables import ALL

HOSTILE = '<b>Agency</b> & "$x^2$" Fund'


def svg_text(svg: str) -> str:
    tree = html5lib.parse(f"<!DOCTYPE html><html><body>{svg}</body></html>", namespaceHTMLElements=False)
    return " ".join("".join(t.itertext()) for t in tree.iter("{http://www.w3.org/2000/svg}text"))


def test_organisation_names_are_drawn_as_the_text_they_are():
    svg = charts.organisations([Organisation(HOSTILE, as_actor=2), Organisation("IOM", as_partner=1)])
    assert "<b>" not in svg and "&lt;b&gt;Agency&lt;/b&gt; &amp;" in svg
    assert HOSTILE in svg_text(svg) and "IOM" in svg_text(svg)  # "$x^2$" kept as typed: no mathtext


def test_many_periods_become_lines_and_every_year_is_on_the_axis_or_between_labels():
    rows = [(str(y), ALL, y - 1990) for y in range(1991, 2025)] + [(str(y), "IOM", 1) for y in range(1991, 2025)]
    svg = charts.over_time(rows)
    shown = svg_text(svg)
    assert "1991" in shown and "all commitments" in shown and "IOM" in shown
    assert svg.count('id="over-time-patch_') < 20  # drawn as lines, not 68 bars (each bar is a patch)
    few = charts.over_time(rows[:5] + rows[34:39])
    assert few.count('id="over-time-patch_') >= 10  # five years: bars
    assert charts.over_time([("undated", ALL, 3)]) is None
