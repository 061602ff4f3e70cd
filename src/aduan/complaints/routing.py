"""The central intake's routing queue and LAPOR!'s limit: routed within 3 working days.

An office with `Office.is_central_intake` receives the regency's shared channels; its complaint
team routes each case to the office responsible (`case_forward(..., kind="route")`). A case
*awaits routing* while it is at the central intake and still `received`: verifying it is the
central office's decision to handle it itself (the normal procedure), and referring it outside
settles it. A routed case belongs to the receiving office from then on, so it leaves the queue
by itself; a refused forward brings it back. The limit is counted on the central office's
working calendar from the day of receipt (the day itself not counted, as every limit here).

The queue is the one case-list query (caselist.py) over what the access door lets the user
see (access.py); nothing here filters cases on its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from aduan.accounts.models import User
from aduan.complaints.access import ALL_UNITS, complaints_visible_to, visible_scope
from aduan.complaints.caselist import CaseQuery, State, case_filter, case_queue
from aduan.complaints.models import Complaint
from aduan.complaints.workflow import Status
from aduan.core import refcache
from aduan.core.working_days import WorkingCalendar
from aduan.offices.calendar import calendar_for_office
from aduan.offices.models import Office

# SP4N-LAPOR!: the administrator of a channel routes a report to the institution responsible
# within 3 working days of receipt.
ROUTING_DAYS = 3
# "Due soon": the limit is today or the next working day.
ROUTING_SOON_DAYS = 1
# The routing desk lists the oldest 50 waiting cases (the rest appear as these are routed):
# each card carries a choice of every office on the instance, so at 100 cards a 50-office
# regency's page was 540 kB and 44-49 ms at 5M (issue 18, session 8); 50 oldest are more than
# a clerk routes before reloading, with the 3-working-day limit shown on each.
QUEUE_LIMIT = 50
AWAITING_ROUTING = CaseQuery(state=State.OPEN, status=Status.RECEIVED)


def office_is_central_intake(office_id: int | None) -> bool:
    """Whether the office is the regency's central intake (memoised per process)."""
    if office_id is None:
        return False
    return refcache.memo(
        ("office-central", office_id),
        lambda: Office.objects.filter(pk=office_id, is_central_intake=True,
                                      is_active=True).exists())


def may_route(user: User) -> bool:
    """The central intake's complaint team (officers and the team lead) routes its cases."""
    return (user.is_active and office_is_central_intake(user.office_id)
            and user.is_complaint_team)


def routing_deadline(calendar: WorkingCalendar, received_on: dt.date) -> dt.date:
    """The last day on which a case received on `received_on` is routed in time."""
    return calendar.add_working_days(received_on, ROUTING_DAYS)


@dataclass(frozen=True)
class RoutingClock:
    deadline: dt.date
    working_days_left: int  # negative: working days late
    is_overdue: bool
    is_due_soon: bool

    @property
    def working_days_late(self) -> int:
        return max(-self.working_days_left, 0)


def routing_clock(calendar: WorkingCalendar, received_on: dt.date, today: dt.date
                  ) -> RoutingClock:
    deadline = routing_deadline(calendar, received_on)
    left = calendar.working_days_between(today, deadline)
    overdue = today > deadline
    return RoutingClock(deadline=deadline, working_days_left=left, is_overdue=overdue,
                        is_due_soon=not overdue and left <= ROUTING_SOON_DAYS)


def overdue_received_before(calendar: WorkingCalendar, today: dt.date) -> dt.date:
    """The earliest day of receipt whose limit has not passed by `today`: every case received
    before it is late. The limit grows with the day of receipt, so one date splits the two
    (a count is then one index range, not a calendar sum per row)."""
    day = today
    while routing_deadline(calendar, day - timedelta(days=1)) >= today:
        day -= timedelta(days=1)
    return day


def soon_received_before(calendar: WorkingCalendar, today: dt.date) -> dt.date:
    """The earliest day of receipt not yet due soon: cases received before it (and not late)
    reach their limit today or on the next working day."""
    day = today
    while True:
        clock = routing_clock(calendar, day - timedelta(days=1), today)
        if clock.is_due_soon or clock.is_overdue:
            return day
        day -= timedelta(days=1)


def awaiting_routing(user: User) -> QuerySet[Complaint]:
    """The cases the user may see that await routing; none unless `may_route(user)`."""
    if not may_route(user):
        return Complaint.objects.none()
    return case_filter(complaints_visible_to(user), AWAITING_ROUTING, office_id=user.office_id)


@dataclass(frozen=True)
class RoutingCounts:
    waiting: int
    overdue: int
    due_soon: int


@dataclass
class RoutingRow:
    complaint: Complaint
    clock: RoutingClock


@dataclass
class RoutingQueue:
    rows: list[RoutingRow]
    has_more: bool
    counts: RoutingCounts


def routing_queue(user: User, *, today: dt.date | None = None,
                  limit: int = QUEUE_LIMIT) -> RoutingQueue:
    """The cases awaiting routing at the user's central intake, oldest first, each with its
    routing clock; empty for anyone who may not route."""
    today = today or timezone.localdate()
    if not may_route(user):
        return RoutingQueue(rows=[], has_more=False, counts=RoutingCounts(0, 0, 0))
    qs = complaints_visible_to(user).select_related("channel")
    page = case_queue(qs, AWAITING_ROUTING, limit=limit, office_id=user.office_id)
    calendar = calendar_for_office(user.office_id)  # type: ignore[arg-type]
    rows = [RoutingRow(c, routing_clock(calendar, c.received_on, today)) for c in page.rows]
    return RoutingQueue(rows=rows, has_more=page.has_more,
                        counts=routing_counts(user, today=today))


def routing_counts(user: User, *, today: dt.date | None = None) -> RoutingCounts:
    """Cases awaiting routing, how many are late and how many reach their limit today or on
    the next working day (three counts on the (office, status, received) index range). For
    whoever sees the whole central office (its complaint team, head and administrator: the
    inbox and the dashboard); zeros for anyone else."""
    scope = visible_scope(user)
    if scope is None or scope[1] != ALL_UNITS or not office_is_central_intake(scope[0]):
        return RoutingCounts(0, 0, 0)
    today = today or timezone.localdate()
    calendar = calendar_for_office(scope[0])
    qs = case_filter(complaints_visible_to(user), AWAITING_ROUTING, office_id=scope[0])
    late_before = overdue_received_before(calendar, today)
    soon_before = soon_received_before(calendar, today)
    return RoutingCounts(
        waiting=qs.count(),
        overdue=qs.filter(received_on__lt=late_before).count(),
        due_soon=qs.filter(received_on__gte=late_before, received_on__lt=soon_before).count())
