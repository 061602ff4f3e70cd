"""Charts drawn locally with matplotlib (Agg backend): PNG for documents, SVG for pages."""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence

# Figures are built without pyplot (no global state, safe in threads and workers) and rendered
# by the Agg canvas that `Figure.savefig` attaches.
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

BAR = "#1f5f8b"
ACCENT = "#e08a1e"


def _figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), dpi=100)
    fig.patch.set_facecolor("white")
    return fig


def _render(fig: Figure, fmt: str, dpi: int) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format=fmt, dpi=dpi, bbox_inches="tight")
    return out.getvalue()


def bar_chart(labels: Sequence[str], values: Sequence[int], *, title: str = "",
              horizontal: bool = True, fmt: str = "png", dpi: int = 150,
              width: float = 7.0, wrap: int = 28, highlight_max: bool = False) -> bytes:
    """A labelled bar chart; each bar carries its value."""
    n = max(len(labels), 1)
    height = max(2.2, 0.38 * n + 1.0) if horizontal else 3.4
    fig = _figure(width, height)
    ax = fig.add_subplot()
    wrapped = ["\n".join(textwrap.wrap(str(lbl), wrap)) or "-" for lbl in labels]
    top = max(values) if values else 0
    colours = [ACCENT if highlight_max and v == top and v else BAR for v in values]
    if horizontal:
        positions = list(range(len(labels)))[::-1]
        bars = ax.barh(positions, values, color=colours)
        ax.set_yticks(positions, wrapped, fontsize=8.5)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlim(0, max(top * 1.15, 1))
    else:
        bars = ax.bar(range(len(labels)), values, color=colours)
        ax.set_xticks(range(len(labels)), wrapped, fontsize=8.5)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylim(0, max(top * 1.18, 1))
    ax.bar_label(bars, labels=[f"{v:,}".replace(",", ".") for v in values], padding=3,
                 fontsize=8.5)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if title:
        ax.set_title(title, fontsize=10.5, fontweight="bold")
    return _render(fig, fmt, dpi)


def pie_chart(labels: Sequence[str], values: Sequence[int], *, title: str = "",
              fmt: str = "png", dpi: int = 150) -> bytes:
    fig = _figure(4.6, 3.2)
    ax = fig.add_subplot()
    shown = [(lbl, v) for lbl, v in zip(labels, values, strict=True) if v]
    if shown:
        ax.pie([v for _, v in shown], labels=[lbl for lbl, _ in shown], autopct="%1.1f%%",
               startangle=90, colors=[BAR, ACCENT, "#6a9f58", "#a05195", "#888888"][:len(shown)],
               textprops={"fontsize": 8.5}, counterclock=False)
        ax.axis("equal")
    else:
        ax.text(0.5, 0.5, "-", ha="center", va="center")
        ax.axis("off")
    if title:
        ax.set_title(title, fontsize=10.5, fontweight="bold")
    return _render(fig, fmt, dpi)
