"""The dashboard's charts as SVG, each drawn once per content and then read from the cache.

matplotlib takes 60-90 ms of CPU to draw one bar chart (measured at 5M cases, issue 18,
session 8), more than a whole desk page may take, and the dashboard asks for five of them on
every visit. A chart is a pure function of its labels, its values and its shape, so the key is a
digest of exactly those: a new or changed case changes a count and so the key, and nothing needs
invalidating. The bound is the cache's own (Redis: the entry's lifetime; the file cache: its
culling), and the same figures of two offices share one entry (neither learns anything from it).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

from django.core.cache import cache

# Raise when charts.bar_chart draws differently, so that no old drawing is served.
DRAWING_VERSION = 1
CACHE_SECONDS = 24 * 60 * 60


def dashboard_chart_svg(labels: Sequence[str], values: Sequence[int], *,
                        horizontal: bool) -> bytes:
    """The SVG of one dashboard bar chart (reports/builders/charts.bar_chart), from the cache
    when the same figures were drawn before; matplotlib is imported only to draw."""
    width = 6.5 if horizontal else 8
    shape = [DRAWING_VERSION, [str(label) for label in labels], list(values), horizontal, width]
    key = "dashboard-chart:" + hashlib.sha256(
        json.dumps(shape, ensure_ascii=False).encode()).hexdigest()
    svg: bytes | None = cache.get(key)
    if svg is None:
        from aduan.reports.builders import charts  # matplotlib: only when a chart is drawn

        svg = charts.bar_chart(labels, values, horizontal=horizontal, fmt="svg", width=width)
        cache.set(key, svg, CACHE_SECONDS)
    return svg
