"""One case-list query for the desk inbox, the staff API, Open311 and the report exports.

Every list of cases is `case_filter(qs, CaseQuery(...))` over a queryset that already carries the
viewer's scope (`complaints.access.complaints_visible_to` for staff; the office's public cases
for Open311), so a filter or a search can never widen what a viewer may see. Keyword search is
the desk's full-text index (complaints/search.py), on SQLite and PostgreSQL alike. Pages are
keyset pages on (received_at, id), newest first (complaints/pagination.py).

Each filter is shaped for an index at a million cases (complaints/models.py, `cmp_*`):
status, unit and channel have their own (office, x, received_at, id) index; the open-work
filters (state=open, overdue, due soon) walk the partial index of open cases, which holds only
the cases still in process however many are settled.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from aduan.complaints.models import OPEN_CONDITION_SQL, Complaint
from aduan.complaints.pagination import complaints_after
from aduan.complaints.search import complaints_matching
from aduan.complaints.workflow import OPEN_STATUSES, SETTLED_STATUSES
from aduan.offices.calendar import calendar_for_office

DUE_SOON_WORKING_DAYS = 3
OPEN = sorted(str(s) for s in OPEN_STATUSES)
SETTLED = sorted(str(s) for s in SETTLED_STATUSES)


class State:
    """Where a case stands: still in process (open) or settled; ALL is both."""

    OPEN = "open"
    SETTLED = "settled"
    ALL = "all"
    CHOICES = (OPEN, SETTLED, ALL)


class Deadline:
    OVERDUE = "overdue"          # open and past its due date
    DUE_SOON = "due_soon"        # open and due within DUE_SOON_WORKING_DAYS working days
    OPEN = "open"                # open (kept for links made before `state`)
    NOT_OVERDUE = "not_overdue"  # anything but open and past its due date (API overdue=false)
    CHOICES = (OVERDUE, DUE_SOON, OPEN)


@dataclass(frozen=True)
class CaseQuery:
    """What a case list is narrowed to. Ids are the viewer's office's own (callers that
    receive codes resolve them first); `None` or "" means no filter."""

    state: str = State.ALL
    status: str = ""
    channel: int | None = None
    unit: int | None = None
    service_types: tuple[int, ...] = ()
    deadline: str = ""
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    q: str = ""
    # Reporter names are searched only for viewers who may read them (privacy.py).
    search_names: bool = True


def _open_q() -> Q:
    return Q(status__in=OPEN)


def _only_open(qs: QuerySet[Complaint]) -> QuerySet[Complaint]:
    """Open cases, written as the partial indexes' literal condition so that SQLite uses them
    (a bound parameter would not match the index's WHERE; models.py)."""
    return qs.filter(RawSQL(OPEN_CONDITION_SQL, [], output_field=BooleanField()))  # noqa: S611


def _deadline_filter(qs: QuerySet[Complaint], deadline: str,
                     office_id: int | None) -> QuerySet[Complaint]:
    """The deadline's own condition; "open" itself is applied once, by `case_filter`."""
    today = timezone.localdate()
    if deadline == Deadline.NOT_OVERDUE:
        return qs.exclude(_open_q() & Q(due_on__lt=today))
    if deadline == Deadline.OVERDUE:
        return qs.filter(due_on__lt=today)
    if deadline == Deadline.DUE_SOON:
        if office_id is None:
            return qs.none()
        limit = calendar_for_office(office_id).add_working_days(today, DUE_SOON_WORKING_DAYS)
        return qs.filter(due_on__gte=today, due_on__lte=limit)
    return qs


def _state_filter(qs: QuerySet[Complaint], f: CaseQuery) -> QuerySet[Complaint]:
    """State, status and the open-work deadlines, each condition written once.

    Written twice (open for the state, open again for "overdue"; open and a status), the
    conditions multiply in PostgreSQL's estimate: it then expects one row where there are
    thousands and joins the offices' tables by a scan per row (overdue in an office of 111,160
    cases: 46 ms, 26,463 rows removed by a join filter; bench/caselist_plans.py). A status
    implies its state: the state adds nothing to it, or contradicts it and selects nothing.
    """
    wants_open = f.state == State.OPEN or f.deadline in (Deadline.OVERDUE, Deadline.DUE_SOON,
                                                         Deadline.OPEN)
    if f.status:
        is_open = f.status in OPEN
        if (wants_open and not is_open) or (f.state == State.SETTLED and is_open):
            return qs.none()
        return qs.filter(status=f.status)
    if wants_open:
        return qs.none() if f.state == State.SETTLED else _only_open(qs)
    if f.state == State.SETTLED:
        return qs.filter(status__in=SETTLED)
    return qs


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_default_timezone())


def case_filter(qs: QuerySet[Complaint], f: CaseQuery, *,
                office_id: int | None = None) -> QuerySet[Complaint]:
    """`qs` narrowed by `f`. `office_id` picks the working calendar for "due soon"."""
    qs = _state_filter(qs, f)
    if f.channel:
        qs = qs.filter(channel_id=f.channel)
    if f.unit:
        qs = qs.filter(unit_id=f.unit)
    if f.service_types:
        qs = qs.filter(service_type_id__in=f.service_types)
    # A case's day of receipt is the local date of `received_at` in the deployment's time zone
    # (services.complaint_register, transfers.py set both together), so the days are read as
    # a range of `received_at`: the inbox index (office, -received_at, -id) then reads just the
    # period. Filtering on `received_on` made PostgreSQL walk that index back from today through
    # every newer case of the office (one week of 2025 in an office of 1.1 million cases:
    # 390,000 rows, 0.6 s; docs/benchmarks.md, "Regency: 50 offices").
    if f.received_from and f.received_from > dt.date.min:
        qs = qs.filter(received_at__gte=_local_midnight(f.received_from))
    if f.received_to and f.received_to < dt.date.max:
        qs = qs.filter(received_at__lt=_local_midnight(f.received_to + dt.timedelta(days=1)))
    if f.deadline:
        qs = _deadline_filter(qs, f.deadline, office_id)
    if f.q:
        qs = complaints_matching(qs, f.q, by_name=f.search_names)
    return qs


@dataclass
class CasePage:
    rows: list[Complaint]
    has_more: bool


def case_page(qs: QuerySet[Complaint], f: CaseQuery, *, limit: int,
              after: tuple[dt.datetime, int] | None = None,
              office_id: int | None = None) -> CasePage:
    """One keyset page of `qs` narrowed by `f`, newest first: one query, whatever the page."""
    qs = case_filter(qs, f, office_id=office_id)
    if after is not None:
        qs = complaints_after(qs, after)
    rows = list(qs.order_by("-received_at", "-id")[: limit + 1])
    return CasePage(rows=rows[:limit], has_more=len(rows) > limit)


def case_queue(qs: QuerySet[Complaint], f: CaseQuery, *, limit: int,
               office_id: int | None = None) -> CasePage:
    """The first `limit` cases of `qs` narrowed by `f`, OLDEST first: a work queue where the
    case waiting longest comes first (the central intake's routing desk). The same indexes
    as `case_page`, read the other way."""
    qs = case_filter(qs, f, office_id=office_id)
    rows = list(qs.order_by("received_at", "id")[: limit + 1])
    return CasePage(rows=rows[:limit], has_more=len(rows) > limit)
