"""The one way pages show a date or a moment: `{{ value|when }}` (the long format, for pages)
or `{{ value|when:"short" }}` (the short one, for tables), both as `<time datetime="…">` with a
valid machine-readable value (a date, or a local time with its offset and no fractions of a
second). The formats are per language (config/formats/). A builtin: no `{% load %}` needed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import template
from django.utils import timezone
from django.utils.dates import MONTHS, MONTHS_3
from django.utils.formats import date_format, get_format
from django.utils.html import escape
from django.utils.safestring import SafeString

register = template.Library()

def machine_value(value: dt.date | dt.datetime) -> str:
    """The `datetime` attribute: `2026-12-07` or `2026-12-07T14:30:05+07:00`."""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    return value.isoformat()


# The format characters the formats of config/formats use, written directly: Django's
# date_format() parses the format string and builds a formatter on every call, which a table
# of 50 cases with two dates a row pays 100 times per page (issue 18). Same output (tested
# against date_format); a format with any other character goes through date_format().
_PARTS: dict[str, Callable[[Any], str]] = {
    "d": lambda v: f"{v.day:02d}",
    "j": lambda v: str(v.day),
    "m": lambda v: f"{v.month:02d}",
    "n": lambda v: str(v.month),
    "Y": lambda v: f"{v.year:04d}",
    "y": lambda v: f"{v.year % 100:02d}",
    "F": lambda v: str(MONTHS[v.month]),
    "M": lambda v: str(MONTHS_3[v.month]).title(),
    "b": lambda v: str(MONTHS_3[v.month]),
    "H": lambda v: f"{v.hour:02d}",
    "G": lambda v: str(v.hour),
    "i": lambda v: f"{v.minute:02d}",
    "s": lambda v: f"{v.second:02d}",
}
_TIME_PARTS = frozenset("HGis")
_compiled: dict[str, tuple[Callable[[Any], str] | str, ...] | None] = {}


def _compile(fmt: str) -> tuple[Callable[[Any], str] | str, ...] | None:
    if fmt not in _compiled:
        parts: list[Callable[[Any], str] | str] | None = []
        for char in fmt:
            if char in _PARTS:
                parts.append(_PARTS[char])  # type: ignore[union-attr]
            elif char.isalpha() or char == "\\":
                parts = None
                break
            else:
                parts.append(char)  # type: ignore[union-attr]
        _compiled[fmt] = tuple(parts) if parts is not None else None
    return _compiled[fmt]


def _format(value: dt.date | dt.datetime, name: str) -> str:
    fmt = get_format(name)
    parts = _compile(fmt)
    if parts is None or (not isinstance(value, dt.datetime)
                         and any(c in _TIME_PARTS for c in fmt)):
        return date_format(value, name)
    return "".join(part if isinstance(part, str) else part(value) for part in parts)


def human_value(value: dt.date | dt.datetime, style: str = "") -> str:
    short = style == "short"
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return _format(value, "SHORT_DATETIME_FORMAT" if short else "DATETIME_FORMAT")
    return _format(value, "SHORT_DATE_FORMAT" if short else "DATE_FORMAT")


@register.filter(is_safe=True)
def when(value: object, style: str = "") -> SafeString | str:
    """`<time datetime="2026-12-07">7 Desember 2026</time>`; "" for no value (so that
    `|default:` applies). `style`: "short" for tables; "date" for only the day of a moment."""
    if not isinstance(value, dt.date):
        return "" if value in (None, "") else str(value)
    if isinstance(value, dt.datetime):
        # To local time once (machine_value and human_value would each do it again).
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        if style == "date":
            value, style = value.date(), ""
        else:
            # The local time's offset stays: machine_value writes it.
            machine = value.replace(microsecond=0).isoformat()
            text = _format(value, "SHORT_DATETIME_FORMAT" if style == "short"
                           else "DATETIME_FORMAT")
            return SafeString(f'<time datetime="{machine}">{escape(text)}</time>')
    text = _format(value, "SHORT_DATE_FORMAT" if style == "short" else "DATE_FORMAT")
    return SafeString(f'<time datetime="{value.isoformat()}">{escape(text)}</time>')
