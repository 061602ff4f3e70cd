"""The one way pages show a date or a moment: `{{ value|when }}` (the long format, for pages)
or `{{ value|when:"short" }}` (the short one, for tables), both as `<time datetime="…">` with a
valid machine-readable value (a date, or a local time with its offset and no fractions of a
second). The formats are per language (config/formats/). A builtin: no `{% load %}` needed."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

def machine_value(value: dt.date | dt.datetime) -> str:
    """The `datetime` attribute: `2026-12-07` or `2026-12-07T14:30:05+07:00`."""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    return value.isoformat()


def human_value(value: dt.date | dt.datetime, style: str = "") -> str:
    short = style == "short"
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return date_format(value, "SHORT_DATETIME_FORMAT" if short else "DATETIME_FORMAT")
    return date_format(value, "SHORT_DATE_FORMAT" if short else "DATE_FORMAT")


@register.filter(is_safe=True)
def when(value: object, style: str = "") -> SafeString | str:
    """`<time datetime="2026-12-07">7 Desember 2026</time>`; "" for no value (so that
    `|default:` applies). `style`: "short" for tables; "date" for only the day of a moment."""
    if not isinstance(value, dt.date):
        return "" if value in (None, "") else str(value)
    if style == "date" and isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
        style = ""
    return format_html('<time datetime="{}">{}</time>', machine_value(value),
                       human_value(value, style))
