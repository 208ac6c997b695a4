"""The report's charts, drawn by matplotlib as SVG text to put inline in the page.

Only ``matplotlib.figure.Figure`` and the SVG canvas are used: pyplot is never imported, so no GUI backend is
chosen or loaded (the window's Qt stays the only one), and the same code runs without a display. Text stays text
in the SVG (``svg.fonttype: none``: smaller, selectable, and escaped by matplotlib's XML writer), mathtext is off
(an organisation's or a figure's "$" must not start a formula), and ids are salted so two runs give the same file.
"""
from __future__ import annotations

import io
import re

from matplotlib import rc_context
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from .tables import ALL, UNDATED

RC = {"svg.fonttype": "none", "svg.hashsalt": "annotator-findings", "text.parse_math": False,
      "font.size": 9, "axes.spines.top": False, "axes.spines.right": False}
# Okabe-Ito: told apart by colour-blind readers, as the label colours are.
COLOURS = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
TOP = 6  # organisations drawn over time (beside all commitments)


def _svg(fig: Figure, title: str, prefix: str) -> str:
    """The figure as an <svg> element to put inline in a page: no XML declaration, DOCTYPE or RDF metadata (HTML
    has no place for them), and every id prefixed, since matplotlib numbers them afresh in each figure (two charts
    in one page would share "figure_1", "patch_1" ...)."""
    buffer = io.StringIO()
    FigureCanvasSVG(fig)
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Title": title})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, count=1, flags=re.S)
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', svg)
    svg = re.sub(r'(xlink:href|href)="#([^"]+)"', rf'\1="#{prefix}-\2"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", svg)
    return re.sub(r"<svg ", f'<svg role="img" aria-label="{_attr(title)}" ', svg, count=1)


def _attr(s: str) -> str:
    return s.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _short(name: str, n: int = 40) -> str:
    return name if len(name) <= n else name[:n - 1] + "…"


def over_time(rows: list[tuple[str, str, int]], by_month: bool = False) -> str | None:
    """Commitments per period, all of them and those of the TOP organisations named in most: bars side by side for
    a few periods, lines for many; None when there is nothing to draw."""
    periods = sorted({p for p, _, _ in rows if p != UNDATED})
    if not periods:
        return None
    totals: dict[str, int] = {}
    for _, org, n in rows:
        if org != ALL:
            totals[org] = totals.get(org, 0) + n
    top = [o for o, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0].casefold()))[:TOP]]
    series = {o: [0] * len(periods) for o in top}
    all_counts = [0] * len(periods)
    index = {p: i for i, p in enumerate(periods)}
    for period, org, n in rows:
        if period not in index:
            continue
        if org == ALL:
            all_counts[index[period]] = n
        elif org in series:
            series[org][index[period]] = n
    with rc_context(RC):
        fig = Figure(figsize=(8, 3.4), layout="constrained")
        ax = fig.add_subplot()
        x = list(range(len(periods)))
        if len(periods) <= 12:  # a few periods: bars side by side
            width = 0.8 / (len(top) + 1)
            ax.bar([i - 0.4 + width / 2 for i in x], all_counts, width, label="all commitments", color="#999999")
            for k, org in enumerate(top, 1):
                ax.bar([i - 0.4 + width / 2 + k * width for i in x], series[org], width, label=_short(org),
                       color=COLOURS[(k - 1) % len(COLOURS)])
        else:  # many (years of months): lines, and a label on every n-th period only
            ax.plot(x, all_counts, color="#999999", label="all commitments", linewidth=2)
            for k, org in enumerate(top):
                ax.plot(x, series[org], color=COLOURS[k % len(COLOURS)], label=_short(org), linewidth=1.2)
        step = max(1, len(periods) // 16)
        ax.set_xticks(x[::step], periods[::step], rotation=45 if len(periods) > 8 else 0)
        ax.set_ylabel("commitments")
        ax.set_title(f"Commitments per {'month' if by_month else 'year'}, and those of the organisations named in most")
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1, 1))
        return _svg(fig, "Commitments over time", "over-time")


def organisations(rows: list, n: int = 12) -> str | None:
    """The organisations in most commitments (as actor, partner, or nearby), as horizontal bars."""
    ranked = sorted(((o.as_actor, o.as_partner, o.nearby, o.name) for o in rows if o.as_actor + o.as_partner + o.nearby),
                    key=lambda t: (-(t[0] + t[1] + t[2]), t[3].casefold()))[:n]
    if not ranked:
        return None
    ranked.reverse()
    with rc_context(RC):
        fig = Figure(figsize=(8, 0.8 + 0.28 * len(ranked)), layout="constrained")
        ax = fig.add_subplot()
        names = [_short(t[3]) for t in ranked]
        y = list(range(len(ranked)))
        left = [0] * len(ranked)
        for k, (what, colour) in enumerate((("as actor", COLOURS[0]), ("as partner", COLOURS[1]),
                                            ("nearby (inferred by proximity)", "#BBBBBB"))):
            values = [t[k] for t in ranked]
            if any(values):
                ax.barh(y, values, left=left, color=colour, label=what)
                left = [a + b for a, b in zip(left, values)]
        ax.set_yticks(y, names)
        ax.set_xlabel("commitments")
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_title("Organisations in most commitments")
        ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1, 1))
        return _svg(fig, "Organisations in most commitments", "organisations")
