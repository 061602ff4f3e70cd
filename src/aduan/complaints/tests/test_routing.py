"""The central intake's routing queue and LAPOR!'s 3-working-day routing limit
(complaints/routing.py): the deadline over weekends, national holidays and the office's own
days off; the single-date split behind the counts against each case's own clock; the queue
through the access door, oldest first."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from aduan.accounts.models import Role
from aduan.complaints import services
from aduan.complaints.routing import (
    may_route,
    overdue_received_before,
    routing_clock,
    routing_counts,
    routing_deadline,
    routing_queue,
    soon_received_before,
)
from aduan.complaints.services import Checklist
from aduan.complaints.tests.factories import register_complaint
from aduan.complaints.tests.regency import central_intake, staff
from aduan.core.working_days import WorkingCalendar
from aduan.offices.calendar import calendar_for_office
from aduan.offices.models import Holiday, HolidayKind

JAKARTA = ZoneInfo("Asia/Jakarta")
D = dt.date


@pytest.fixture
def central(db):
    return central_intake()


@pytest.fixture
def central_officer(central):
    return staff(central, "petugas_pusat", Role.OFFICER)


def _received(office, day: dt.date, hour: int = 9, **kwargs):
    return register_complaint(office, received=dt.datetime.combine(
        day, dt.time(hour), tzinfo=JAKARTA), **kwargs)


def test_routing_deadline_skips_the_weekend(central):
    calendar = calendar_for_office(central.pk)
    # Friday 25 April 2025: Monday, Tuesday, Wednesday.
    assert routing_deadline(calendar, D(2025, 4, 25)) == D(2025, 4, 30)
    # Received on a Saturday: Monday is the first of the three days.
    assert routing_deadline(calendar, D(2025, 4, 26)) == D(2025, 4, 30)


def test_routing_deadline_skips_national_holidays(central):
    calendar = calendar_for_office(central.pk)
    # Tuesday 29 April 2025: Wednesday, (1 May Labour Day), Friday, (weekend), Monday.
    assert not calendar.is_working_day(D(2025, 5, 1))
    assert routing_deadline(calendar, D(2025, 4, 29)) == D(2025, 5, 5)


def test_routing_deadline_skips_the_central_offices_own_day_off(central):
    Holiday.objects.create(office=central, date=D(2025, 4, 30), name="Hari jadi kabupaten",
                           kind=HolidayKind.REGIONAL)
    calendar = calendar_for_office(central.pk)
    # Friday 25 April: Monday, Tuesday, (Wednesday off), (Thursday 1 May), Friday.
    assert routing_deadline(calendar, D(2025, 4, 25)) == D(2025, 5, 2)


def test_clock_on_time_due_soon_and_late():
    calendar = WorkingCalendar()  # weekends only
    received = D(2026, 12, 7)  # a Monday: the limit is Thursday 10 December
    fresh = routing_clock(calendar, received, received)
    assert (fresh.deadline, fresh.working_days_left, fresh.is_due_soon, fresh.is_overdue) == (
        D(2026, 12, 10), 3, False, False)
    eve = routing_clock(calendar, received, D(2026, 12, 9))
    assert (eve.working_days_left, eve.is_due_soon, eve.is_overdue) == (1, True, False)
    last_day = routing_clock(calendar, received, D(2026, 12, 10))
    assert (last_day.working_days_left, last_day.is_due_soon, last_day.is_overdue) == (
        0, True, False)
    late = routing_clock(calendar, received, D(2026, 12, 14))  # the Monday after
    assert (late.is_overdue, late.is_due_soon, late.working_days_late) == (True, False, 2)


@pytest.mark.parametrize("calendar", [
    WorkingCalendar(),
    WorkingCalendar.build({D(2025, 5, 1), D(2025, 5, 12), D(2025, 5, 13), D(2025, 5, 29),
                           D(2025, 5, 30), D(2025, 6, 6), D(2025, 6, 9)},
                          {D(2025, 5, 17)}),
])
def test_the_split_dates_agree_with_every_cases_own_clock(calendar):
    """The counts split cases at one day of receipt; for every day of a quarter and every day
    of receipt before it, that split says what the case's own clock says."""
    for offset in range(90):
        today = D(2025, 4, 1) + dt.timedelta(days=offset)
        late_before = overdue_received_before(calendar, today)
        soon_before = soon_received_before(calendar, today)
        assert late_before <= soon_before <= today
        for back in range(25):
            received = today - dt.timedelta(days=back)
            clock = routing_clock(calendar, received, today)
            assert clock.is_overdue == (received < late_before), (today, received)
            assert clock.is_due_soon == (late_before <= received < soon_before), (
                today, received)


def test_queue_holds_the_central_offices_received_cases_oldest_first(
        central, central_officer, office, officer, time_machine):
    time_machine.move_to(dt.datetime(2025, 5, 6, 10, tzinfo=JAKARTA))  # a Tuesday
    newest = _received(central, D(2025, 5, 5), subject="Jalan berlubang di Jalan Hangtuah")
    oldest = _received(central, D(2025, 4, 28), subject="KTP-el belum jadi")
    middle = _received(central, D(2025, 5, 2), subject="Sampah menumpuk di pasar")
    handled = _received(central, D(2025, 4, 29), subject="Ditangani sendiri")
    services.complaint_verify(complaint_id=handled.pk, actor=central_officer,
                              checklist=Checklist())
    _received(office, D(2025, 4, 25), subject="Kasus kantor lain")  # the demo office's

    queue = routing_queue(central_officer)
    assert [row.complaint.pk for row in queue.rows] == [oldest.pk, middle.pk, newest.pk]
    first = queue.rows[0].clock
    # 28 April: 29, 30 April, 2 May (1 May off): late since 5 May, two working days by now.
    assert first.deadline == D(2025, 5, 2) and first.is_overdue and first.working_days_late == 2
    assert queue.rows[1].clock.deadline == D(2025, 5, 7) and queue.rows[1].clock.is_due_soon
    assert not queue.rows[2].clock.is_due_soon and not queue.rows[2].clock.is_overdue
    counts = routing_counts(central_officer)
    assert (counts.waiting, counts.overdue, counts.due_soon) == (3, 1, 1)
    assert not queue.has_more


def test_queue_limit_says_there_is_more(central, central_officer, time_machine):
    time_machine.move_to(dt.datetime(2025, 5, 6, 10, tzinfo=JAKARTA))
    for day in (D(2025, 5, 2), D(2025, 5, 5), D(2025, 5, 6)):
        _received(central, day)
    queue = routing_queue(central_officer, limit=2)
    assert len(queue.rows) == 2 and queue.has_more and queue.counts.waiting == 3


def test_only_the_central_intakes_complaint_team_routes(central, central_officer, office,
                                                        officer, lead, head, time_machine):
    time_machine.move_to(dt.datetime(2025, 5, 6, 10, tzinfo=JAKARTA))
    _received(central, D(2025, 4, 28))
    _received(office, D(2025, 4, 28))
    central_lead = staff(central, "ketua_pusat", Role.TEAM_LEAD)
    central_head = staff(central, "kepala_pusat", Role.HEAD)
    central_admin = staff(central, "admin_pusat", Role.ADMINISTRATOR)
    assert may_route(central_officer) and may_route(central_lead)
    assert len(routing_queue(central_lead).rows) == 1
    for user in (central_head, central_admin, officer, lead, head):
        assert not may_route(user)
        assert routing_queue(user).rows == []
    # The central office's head and administrator see the counts (their dashboard), no one
    # outside it does.
    assert routing_counts(central_head).waiting == routing_counts(central_admin).waiting == 1
    for user in (officer, lead, head):
        assert routing_counts(user).waiting == 0
    # An office that stops being the central intake has no routing desk any more.
    central.is_central_intake = False
    central.save()
    assert not may_route(central_officer) and routing_queue(central_officer).rows == []
    assert routing_counts(central_head).waiting == 0
