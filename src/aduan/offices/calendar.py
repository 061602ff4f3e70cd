"""The office's working calendar: `holidays` (Indonesia, public + cuti bersama) plus corrections."""

from __future__ import annotations

from datetime import date

import holidays
from django.utils import timezone

from aduan.core import refcache
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
    """The working calendar of an office, built once per process and configuration version
    (an administrator's added or removed day is seen by the next request)."""
    return refcache.memo(("calendar", office_id), lambda: _build_calendar(office_id))


def _build_calendar(office_id: int) -> WorkingCalendar:
    years = range(FIRST_YEAR, timezone.localdate().year + LAST_YEAR_AHEAD + 1)
    days_off = set(package_days_off(years))
    extra_working: set[date] = set()
    for day, kind in Holiday.objects.filter(office_id=office_id).values_list("date", "kind"):
        if kind == HolidayKind.WORKING_DAY:
            extra_working.add(day)
            days_off.discard(day)
        else:
            days_off.add(day)
    return WorkingCalendar.build(days_off, extra_working)


def office_calendar(office: Office) -> WorkingCalendar:
    return calendar_for_office(office.pk)
