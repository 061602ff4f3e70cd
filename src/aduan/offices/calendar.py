"""The office's working calendar: `holidays` (Indonesia, public + cuti bersama) plus corrections.

The package's days are read from a table written from it (offices/holiday_dates.py, `manage.py
holiday_dates`): importing `holidays` and computing fifteen years of Indonesian holidays holds
about 17 MB (43 MB at its peak) in the process that does it, every web worker taking a
submission (issue 17, docs/benchmarks.md). Years outside the table, or another version of the
package than the table was written from, are computed by the package itself.
"""

from __future__ import annotations

from datetime import date
from importlib.metadata import version

from django.utils import timezone

from aduan.core import refcache
from aduan.core.working_days import WorkingCalendar
from aduan.offices.models import Holiday, HolidayKind, Office

FIRST_YEAR = 2015
LAST_YEAR_AHEAD = 2


def package_days_off(years: range) -> dict[date, str]:
    """National holidays and collective leave (cuti bersama) from the `holidays` package."""
    import holidays

    return dict(
        holidays.country_holidays("ID", years=years, categories=("public", "government"),
                                  language="id")
    )


def days_off(years: range) -> set[date]:
    """The package's days off in `years`: from the table when it covers them and was written
    from the installed version of the package."""
    from aduan.offices import holiday_dates

    if (years.start >= holiday_dates.FIRST_YEAR and years.stop - 1 <= holiday_dates.LAST_YEAR
            and version("holidays") == holiday_dates.PACKAGE_VERSION):
        return {date.fromisoformat(day) for day in holiday_dates.DAYS_OFF
                if years.start <= int(day[:4]) < years.stop}
    return set(package_days_off(years))


def holiday_dates_source(first: int, last: int) -> str:
    """The text of offices/holiday_dates.py for the years first..last, from the package."""
    days = sorted(package_days_off(range(first, last + 1)))
    lines = "".join(f'    "{day.isoformat()}",\n' for day in days)
    return (f'''"""Days off from the `holidays` package (Indonesia, public holidays and cuti bersama),
{first} to {last}, written by `manage.py holiday_dates` from holidays {version("holidays")}; do not edit
(offices/calendar.py; a test checks it against the installed package)."""

PACKAGE_VERSION = "{version("holidays")}"
FIRST_YEAR = {first}
LAST_YEAR = {last}
DAYS_OFF = (
{lines})
''')


def calendar_for_office(office_id: int) -> WorkingCalendar:
    """The working calendar of an office, built once per process and configuration version
    (an administrator's added or removed day is seen by the next request)."""
    return refcache.memo(("calendar", office_id), lambda: _build_calendar(office_id))


def _build_calendar(office_id: int) -> WorkingCalendar:
    years = range(FIRST_YEAR, timezone.localdate().year + LAST_YEAR_AHEAD + 1)
    off = days_off(years)
    extra_working: set[date] = set()
    for day, kind in Holiday.objects.filter(office_id=office_id).values_list("date", "kind"):
        if kind == HolidayKind.WORKING_DAY:
            extra_working.add(day)
            off.discard(day)
        else:
            off.add(day)
    return WorkingCalendar.build(off, extra_working)


def office_calendar(office: Office) -> WorkingCalendar:
    return calendar_for_office(office.pk)
