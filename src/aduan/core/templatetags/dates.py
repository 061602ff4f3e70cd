"""The one way pages show a date or a moment: `{{ value|when }}` (the long format, for pages)
or `{{ value|when:"short" }}` (the short one, for tables), both as `<time datetime="…">` with a
valid machine-readable value (a date, or a local time with its offset and no fractions of a
second). The formats are per language (config/formats/). A builtin: no `{% load %}` needed."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.utils import timezone
from django.utils.dates import MONTHS, MONTHS_3
from django.utils.formats import FORMAT_SETTINGS, date_format, get_format
from django.utils.safestring import SafeString
from django.utils.translation import get_language

register = template.Library()
# What django.utils.html.escape calls, without its lazy-text wrapper (a fifth of `when`).
_escape = html.escape

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
# Month names are looked up when a format is planned for a language, not on every date: a
# name is lazy text (a gettext call per use), a fifth of a public lookup's two moments
# (issue 17).
_NUMBERS: dict[str, Callable[[Any], str]] = {
    "d": lambda v: f"{v.day:02d}",
    "j": lambda v: str(v.day),
    "m": lambda v: f"{v.month:02d}",
    "n": lambda v: str(v.month),
    "Y": lambda v: f"{v.year:04d}",
    "y": lambda v: f"{v.year % 100:02d}",
    "H": lambda v: f"{v.hour:02d}",
    "G": lambda v: str(v.hour),
    "i": lambda v: f"{v.minute:02d}",
    "s": lambda v: f"{v.second:02d}",
}
_NAMES = {"F": lambda m: str(MONTHS[m]), "M": lambda m: str(MONTHS_3[m]).title(),
          "b": lambda m: str(MONTHS_3[m])}
_TIME_PARTS = frozenset("HGis")
_Plan = tuple[Callable[[Any], str] | str, ...]
# (format name, language) -> the format's parts, None when date_format() must write it, and
# whether it has a time part. At most a few dozen entries: the format names times the
# languages. Forgotten when a setting they come from changes (tests).
_plans: dict[tuple[str, str | None], tuple[_Plan | None, bool]] = {}


def _month_names(char: str) -> Callable[[Any], str]:
    names = ("", *(_NAMES[char](month) for month in range(1, 13)))
    return lambda v: names[v.month]


def _plan(name: str) -> tuple[_Plan | None, bool]:
    key = (name, get_language())
    plan = _plans.get(key)
    if plan is None:
        fmt = get_format(name)
        parts: list[Callable[[Any], str] | str] | None = []
        for char in fmt:
            if char in _NUMBERS:
                parts.append(_NUMBERS[char])  # type: ignore[union-attr]
            elif char in _NAMES:
                parts.append(_month_names(char))  # type: ignore[union-attr]
            elif char.isalpha() or char == "\\":
                parts = None
                break
            else:
                parts.append(char)  # type: ignore[union-attr]
        plan = _plans[key] = (tuple(parts) if parts is not None else None,
                              any(c in _TIME_PARTS for c in fmt))
    return plan


def _forget_plans(*, setting: str, **kwargs: Any) -> None:
    if setting in FORMAT_SETTINGS or setting in {
            "FORMAT_MODULE_PATH", "LANGUAGE_CODE", "LANGUAGES", "LOCALE_PATHS", "USE_I18N"}:
        _plans.clear()


setting_changed.connect(_forget_plans)


def _format(value: dt.date | dt.datetime, name: str) -> str:
    parts, has_time = _plan(name)
    if parts is None or (has_time and not isinstance(value, dt.datetime)):
        return date_format(value, name)
    return "".join([part if isinstance(part, str) else part(value) for part in parts])


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
            return SafeString(f'<time datetime="{machine}">{_escape(text)}</time>')
    text = _format(value, "SHORT_DATE_FORMAT" if style == "short" else "DATE_FORMAT")
    return SafeString(f'<time datetime="{value.isoformat()}">{_escape(text)}</time>')


def moment_writer() -> Callable[[object], str]:
    """`when` (the long format) for the moments of one page: the current time zone and the
    format's plan looked up once, not per moment (a public lookup's timeline: each `when` of a
    moment asked the thread-local time zone and language again, half of its cost; issue 17).
    Anything but an aware moment, or a format `_format` leaves to date_format(), goes through
    `when` itself."""
    tz = timezone.get_current_timezone()
    parts, _ = _plan("DATETIME_FORMAT")
    if parts is None:
        return when

    def write(value: object) -> str:
        if not isinstance(value, dt.datetime) or value.utcoffset() is None:
            return when(value)
        local = value.astimezone(tz)
        text = "".join([part if isinstance(part, str) else part(local) for part in parts])
        return (f'<time datetime="{local.replace(microsecond=0).isoformat()}">'
                f"{_escape(text)}</time>")

    return write
