"""The office's working calendar: `holidays` (Indonesia, public + cuti bersama) plus corrections."""

from __future__ import annotations

from datetime import date

import holidays
from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import timezone

from aduan.core.working_days import WorkingCalendar
from aduan.offices.models import Holiday, HolidayKind, Office

FIRST_YEAR = 2015
LAST_YEAR_AHEAD = 2


def package_days_off(years: range) -> dict[date, str]:
    """National holidays and collective leave (cuti bersama) from the `holidays` package."""
    return dict(
        holidays.country_holidays("ID", years=years, categories=("public", "government"),
                                  language="id")
    )


def calendar_for_office(office_id: int) -> WorkingCalendar:
    """Build (and cache briefly) the working calendar of an office."""
    key = f"aduan:calendar:{office_id}:{_holiday_version(office_id)}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    years = range(FIRST_YEAR, timezone.localdate().year + LAST_YEAR_AHEAD + 1)
    days_off = set(package_days_off(years))
    extra_working: set[date] = set()
    for day, kind in Holiday.objects.filter(office_id=office_id).values_list("date", "kind"):
        if kind == HolidayKind.WORKING_DAY:
            extra_working.add(day)
            days_off.discard(day)
        else:
            days_off.add(day)
    calendar = WorkingCalendar.build(days_off, extra_working)
    cache.set(key, calendar, 300)
    return calendar


def _holiday_version(office_id: int) -> str:
    """Changes whenever an administrator adds, edits or removes a day (one query)."""
    state = Holiday.objects.filter(office_id=office_id).aggregate(
        count=Count("pk"), latest=Max("updated_at"))
    latest = state["latest"]
    return f"{state['count']}-{latest.timestamp() if latest else 0}"


def office_calendar(office: Office) -> WorkingCalendar:
    return calendar_for_office(office.pk)
