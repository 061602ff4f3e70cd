"""Indonesian number formats for the dashboard: percentages and working days."""

from django import template

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
