"""Indonesian number formats for the dashboard: percentages and working days; the bodies
of its two long tables."""

from collections.abc import Callable, Iterable
from typing import Any

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.urls import reverse
from django.utils.formats import get_format
from django.utils.html import conditional_escape, format_html_join
from django.utils.safestring import SafeString

from aduan.core.templatetags.dates import when

register = template.Library()


@register.filter
def pct(share: float | None) -> str:
    """0.969 -> "96,9%"; no data -> "-"."""
    if share is None:
        return "-"
    return f"{100 * share:.1f}".rstrip("0").rstrip(".").replace(".", ",") + "%"


@register.filter
def days(value: float | None) -> str:
    """1.25 -> "1,3 hari"; no data -> "-"."""
    if value is None:
        return "-"
    text = f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")
    return f"{text} hari"


# The dashboard's two long tables (issue 18): one tag per table body instead of a
# `{% for %}` of variable nodes, filters and one `{% url %}` per row. The HTML is the
# same as the loops it replaces (reports/tests/test_dashboard_rows.py
# compares them).
_ROW = "<tr><td>{}</td><td>{}</td><td>{}</td></tr>"
_OVERDUE_ROW = ('<tr>\n      <td><a href="{}">{}</a></td>\n      <td>{}</td><td>{}</td>\n'
                "      <td>{}</td><td><bdi>{}</bdi></td></tr>")
_PK = 987654321  # a placeholder id: the case page's URL reversed once per table


def intcomma_for_ints(fallback: Callable[[Any], str] = intcomma, *,
                      html: bool = False) -> Callable[[Any], str]:
    """`intcomma` for this table's language, the separator looked up once per table
    (`intcomma` looks it and the grouping up again for every number): an int grouped by threes
    (the grouping of Indonesian and English) is Python's own grouping with the language's
    separator (escaped when `html`); anything else goes through `fallback`."""
    if get_format("NUMBER_GROUPING") != 3:
        return fallback
    separator = get_format("THOUSAND_SEPARATOR")
    if html:
        separator = str(conditional_escape(separator))

    def grouped(value: Any) -> str:
        if type(value) is int:
            return f"{value:,}".replace(",", separator)
        return fallback(value)

    return grouped


@register.simple_tag
def count_rows(rows: Iterable[Any]) -> SafeString:
    """A chart's data table body: label, count and settled, the counts with `intcomma`."""
    grouped = intcomma_for_ints()
    return format_html_join("", _ROW, ((r.label, grouped(r.count), grouped(r.settled))
                                       for r in rows))


@register.simple_tag
def overdue_rows(cases: Iterable[Any]) -> SafeString:
    """The overdue cases' table body: register number linked to the case page, received,
    due (`when` "short"), unit ("-" without one) and subject."""
    prefix, _, suffix = reverse("desk:complaint-detail", args=[_PK]).partition(str(_PK))
    return format_html_join("", _OVERDUE_ROW, (
        (f"{prefix}{c.pk}{suffix}", c.register_number, when(c.received_on, "short"),
         when(c.due_on, "short"), (c.unit.name if c.unit else "") or "-", c.subject)
        for c in cases))
