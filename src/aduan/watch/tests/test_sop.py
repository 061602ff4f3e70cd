"""SOP arithmetic on working days with the office calendar (weekends, holidays, cuti
bersama, an administrator's corrections) and the national default SOPs."""

from __future__ import annotations

import datetime as dt

import pytest

from aduan.core.working_days import WorkingCalendar
from aduan.offices.calendar import calendar_for_office
from aduan.offices.models import Holiday, HolidayKind
from aduan.watch.models import AppStatus, PermitType, WatchState
from aduan.watch.services import compute_state, default_sop, permit_type_get_or_create

# Idul Fitri 2025: 31 March and 1 April are national holidays, 2-4 and 7 April cuti bersama.
CALENDAR = WorkingCalendar.build({dt.date(2025, 3, 31), dt.date(2025, 4, 1),
                                  dt.date(2025, 4, 2), dt.date(2025, 4, 3),
                                  dt.date(2025, 4, 4), dt.date(2025, 4, 7)})


def state(today, *, sop=14, complete=dt.date(2025, 3, 24), status=AppStatus.IN_PROCESS,
          finished=None, percent=80, calendar=CALENDAR):
    return compute_state(sop_days=sop, complete_on=complete, status=status,
                         finished_on=finished, today=today, calendar=calendar,
                         at_risk_percent=percent)


def test_days_are_counted_from_the_day_after_the_file_was_complete_skipping_holidays():
    # Complete Monday 24 March: 25-28 March are 4 working days; the Lebaran week counts none.
    assert state(dt.date(2025, 4, 7)).used_days == 4
    # 8-11 April add 4 more.
    assert state(dt.date(2025, 4, 11)).used_days == 8
    # The 14th working day is Monday 21 April (8-11, 14-18 and 21 April after the first 4).
    assert state(dt.date(2025, 4, 11)).due_on == dt.date(2025, 4, 21)


def test_at_risk_from_eighty_percent_and_late_after_the_sop():
    # 11 of 14 used (78%): on track; 12 of 14 (86%): at risk.
    assert state(dt.date(2025, 4, 14)).state == WatchState.ON_TRACK  # 9 days
    assert state(dt.date(2025, 4, 15)).used_days == 10
    assert state(dt.date(2025, 4, 16)).state == WatchState.ON_TRACK  # 11/14 = 78%
    assert state(dt.date(2025, 4, 16)).used_days == 11
    assert state(dt.date(2025, 4, 17)).state == WatchState.AT_RISK  # 12/14
    assert state(dt.date(2025, 4, 17)).used_days == 12
    assert state(dt.date(2025, 4, 21)).state == WatchState.AT_RISK  # 14/14: due today
    assert state(dt.date(2025, 4, 22)).state == WatchState.LATE  # 15 > 14
    # A weekend does not make it later.
    assert state(dt.date(2025, 4, 19)).used_days == state(dt.date(2025, 4, 18)).used_days


def test_the_threshold_is_the_offices():
    assert state(dt.date(2025, 4, 15), percent=50).state == WatchState.AT_RISK
    assert state(dt.date(2025, 4, 15), percent=100).state == WatchState.ON_TRACK


def test_finished_applications_keep_the_days_they_took():
    on_time = state(dt.date(2025, 6, 1), status=AppStatus.ISSUED, finished=dt.date(2025, 4, 9))
    assert (on_time.state, on_time.used_days) == (WatchState.DONE, 6)
    late = state(dt.date(2025, 6, 1), status=AppStatus.ISSUED, finished=dt.date(2025, 5, 2))
    assert late.state == WatchState.DONE_LATE and late.used_days > 14


def test_an_application_whose_file_is_not_complete_is_not_counted():
    waiting = state(dt.date(2025, 6, 1), complete=None)
    assert (waiting.state, waiting.due_on, waiting.used_days) == (WatchState.WAITING, None, None)


@pytest.mark.django_db
def test_the_office_calendar_has_the_package_holidays_and_the_administrators_corrections(
        office):
    calendar = calendar_for_office(office.pk)
    # Idul Fitri 1446 H (31 March 2025) is in the `holidays` package.
    assert not calendar.is_working_day(dt.date(2025, 3, 31))
    Holiday.objects.create(office=office, date=dt.date(2025, 5, 19), name="Hari jadi",
                           kind=HolidayKind.REGIONAL)
    from aduan.core import refcache

    refcache.clear()
    calendar = calendar_for_office(office.pk)
    with_regional = compute_state(sop_days=5, complete_on=dt.date(2025, 5, 16),
                                  status=AppStatus.IN_PROCESS, finished_on=None,
                                  today=dt.date(2025, 5, 23), calendar=calendar,
                                  at_risk_percent=80)
    assert with_regional.used_days == 4  # 19 May is off
    assert with_regional.due_on == dt.date(2025, 5, 26)


def test_national_defaults_match_the_permit_names():
    assert default_sop("Izin Apotek", fallback=9)[0] == 14
    assert default_sop("Persetujuan Bangunan Gedung (PBG)", fallback=9)[0] == 28
    assert default_sop("SIP Bidan", fallback=9)[0] == 5
    assert default_sop("Izin Sesuatu Yang Lain", fallback=9) == (9, "default")
    # "sip" inside a word is not "SIP".
    assert default_sop("Izin Gossip", fallback=9)[0] == 9


@pytest.mark.django_db
def test_a_new_permit_type_is_mapped_to_the_service_type_and_keeps_the_offices_edit(office):
    row = permit_type_get_or_create(office.pk, "Izin  Apotek ")
    assert row.service_type.code == "apotek"
    assert row.sop_days == 14
    PermitType.objects.filter(pk=row.pk).update(sop_days=10)
    again = permit_type_get_or_create(office.pk, "izin apotek")
    assert (again.pk, again.sop_days) == (row.pk, 10)
