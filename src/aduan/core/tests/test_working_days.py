"""Working days across Idul Fitri 2025 and its cuti bersama, and administrator corrections."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aduan.core.working_days import WorkingCalendar
from aduan.offices import holiday_dates
from aduan.offices.calendar import (
    calendar_for_office,
    days_off,
    holiday_dates_source,
    package_days_off,
)
from aduan.offices.models import Holiday, HolidayKind


def test_package_has_idul_fitri_2025_and_cuti_bersama():
    days = package_days_off(range(2025, 2026))
    assert date(2025, 3, 31) in days  # Idul Fitri
    assert date(2025, 4, 1) in days
    for d in (date(2025, 4, 2), date(2025, 4, 3), date(2025, 4, 4), date(2025, 4, 7)):
        assert "Cuti Bersama" in days[d]


def test_the_written_table_is_the_installed_package():
    """offices/holiday_dates.py is what `manage.py holiday_dates` writes from the installed
    `holidays` (after an upgrade of the package: run it again)."""
    path = holiday_dates.__file__
    with open(path) as written:
        assert written.read() == holiday_dates_source(holiday_dates.FIRST_YEAR,
                                                      holiday_dates.LAST_YEAR), (
            "run: python manage.py holiday_dates")


def test_days_off_from_the_table_and_beyond_it():
    years = range(2024, 2027)
    assert days_off(years) == set(package_days_off(years))
    assert date(2025, 4, 2) in days_off(years) and date(2023, 4, 21) not in days_off(years)
    beyond = range(holiday_dates.LAST_YEAR, holiday_dates.LAST_YEAR + 2)  # the package's own
    assert days_off(beyond) == set(package_days_off(beyond))
    assert any(day.year == holiday_dates.LAST_YEAR + 1 for day in days_off(beyond))


@pytest.mark.django_db
def test_twenty_working_days_across_idul_fitri(office):
    cal = calendar_for_office(office.pk)
    # Received Thursday 27 March 2025. Off: 28 Mar (cuti Nyepi), 31 Mar-1 Apr (Idul Fitri),
    # 2-4 and 7 Apr (cuti bersama), 18 Apr (Good Friday), and weekends.
    received = date(2025, 3, 27)
    assert not cal.is_working_day(date(2025, 4, 3))
    assert cal.is_working_day(date(2025, 4, 8))
    # Working days after 27 Mar: 8-11 Apr (4), 14-17 (8; 18 Apr Good Friday off), 21-25 (13),
    # 28-30 Apr (16; 1 May Labour Day off), 2 May (17), 5-7 May (20).
    due = cal.add_working_days(received, 20)
    assert due == date(2025, 5, 7)
    assert cal.working_days_between(received, due) == 20
    assert cal.working_days_between(received, date(2025, 4, 7)) == 0
    assert cal.working_days_between(received, date(2025, 4, 8)) == 1


@pytest.mark.django_db
def test_administrator_corrections_change_the_calendar(office):
    before = calendar_for_office(office.pk)
    assert before.is_working_day(date(2025, 4, 8))
    Holiday.objects.create(office=office, date=date(2025, 4, 8), name="Cuti tambahan",
                           kind=HolidayKind.COLLECTIVE_LEAVE)
    Holiday.objects.create(office=office, date=date(2025, 4, 7), name="Cuti dibatalkan",
                           kind=HolidayKind.WORKING_DAY)
    after = calendar_for_office(office.pk)
    assert not after.is_working_day(date(2025, 4, 8))
    assert after.is_working_day(date(2025, 4, 7))


def test_pure_calendar_counts_match_day_by_day():
    cal = WorkingCalendar.build({date(2025, 1, 1), date(2025, 1, 29)}, {date(2025, 1, 4)})
    start = date(2024, 12, 20)
    for offset in range(0, 60):
        end = date.fromordinal(start.toordinal() + offset)
        brute = sum(
            1 for k in range(1, offset + 1)
            if cal.is_working_day(date.fromordinal(start.toordinal() + k))
        )
        assert cal.working_days_between(start, end) == brute
        assert cal.working_days_between(end, start) == -brute


_SPAN_START, _SPAN_END = date(2024, 11, 1), date(2026, 3, 31)
_OFF = [date(2024, 12, 25), date(2025, 3, 31), date(2025, 4, 1), date(2025, 4, 2),
        date(2025, 5, 1), date(2025, 8, 17), date(2025, 12, 25), date(2026, 1, 1)]
_EXTRA = [date(2025, 4, 2), date(2025, 4, 5), date(2025, 11, 15)]  # a weekday off made working,
# and two Saturdays


@settings(max_examples=300, deadline=None)
@given(start=st.dates(date(2024, 10, 1), date(2026, 5, 1)),
       end=st.dates(date(2024, 10, 1), date(2026, 5, 1)))
def test_counter_answers_what_working_days_between_answers(start, end):
    """The one-walk counter (the dashboard's median to the first follow-up) equals the
    day-by-day definition, inside its span and (by falling back) outside it."""
    cal = WorkingCalendar.build(_OFF, _EXTRA)
    between = cal.counter(_SPAN_START, _SPAN_END)
    assert between(start, end) == cal.working_days_between(start, end)
