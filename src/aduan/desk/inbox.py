"""The inbox query: filters, keyword search and keyset pagination on (received_at, id).

Keyset (not OFFSET) pagination keeps every page as cheap as the first at a million cases: each
page is one index range scan on the `cmp_inbox*` indexes, newest first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date

from aduan.accounts.models import User
from aduan.complaints.models import Complaint
from aduan.complaints.pagination import complaints_after, cursor_decode, cursor_encode
from aduan.complaints.privacy import may_read_unredacted
from aduan.complaints.selectors import complaint_list_for_user
from aduan.complaints.workflow import OPEN_STATUSES, Status
from aduan.desk.search import complaints_matching
from aduan.offices.calendar import calendar_for_office

PAGE_SIZE = 50
DUE_SOON_WORKING_DAYS = 3
COUNTS_CACHE_SECONDS = 60


class Deadline:
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    OPEN = "open"
    CHOICES = (OVERDUE, DUE_SOON, OPEN)


@dataclass
class InboxFilters:
    status: str = ""
    channel: int | None = None
    unit: int | None = None
    service_type: int | None = None
    deadline: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    q: str = ""
    errors: list[str] = field(default_factory=list)

    @classmethod
    def from_query(cls, params: dict[str, str]) -> InboxFilters:
        """Parse the query string; unknown values are dropped (and reported), never fatal."""
        f = cls(q=(params.get("q") or "").strip()[:200])
        status = params.get("status") or ""
        if status in Status.values:
            f.status = status
        deadline = params.get("deadline") or ""
        if deadline in Deadline.CHOICES:
            f.deadline = deadline
        for name in ("channel", "unit", "service_type"):
            raw = params.get(name) or ""
            if raw.isdigit() and len(raw) <= 12:  # beyond that it overflows a database id
                setattr(f, name, int(raw))
        for name in ("start", "end"):
            raw = params.get(name) or ""
            if raw:
                try:
                    day = parse_date(raw)
                except ValueError:
                    day = None
                if day is None:
                    f.errors.append(name)
                setattr(f, name, day)
        return f

    @property
    def is_filtered(self) -> bool:
        return any([self.status, self.channel, self.unit, self.service_type, self.deadline,
                    self.start, self.end, self.q])


def _apply_filters(qs: QuerySet[Complaint], f: InboxFilters, user: User) -> QuerySet[Complaint]:
    if f.status:
        qs = qs.filter(status=f.status)
    if f.channel:
        qs = qs.filter(channel_id=f.channel)
    if f.unit:
        qs = qs.filter(unit_id=f.unit)
    if f.service_type:
        qs = qs.filter(service_type_id=f.service_type)
    if f.start:
        qs = qs.filter(received_on__gte=f.start)
    if f.end:
        qs = qs.filter(received_on__lte=f.end)
    if f.deadline:
        today = timezone.localdate()
        qs = qs.filter(status__in=OPEN_STATUSES)
        if f.deadline == Deadline.OVERDUE:
            qs = qs.filter(due_on__lt=today)
        elif f.deadline == Deadline.DUE_SOON and user.office_id:
            limit = calendar_for_office(user.office_id).add_working_days(
                today, DUE_SOON_WORKING_DAYS)
            qs = qs.filter(due_on__gte=today, due_on__lte=limit)
    if f.q:
        qs = complaints_matching(qs, f.q, by_name=may_read_unredacted(user))
    return qs


# The desk's names for the shared keyset cursor (tests and views use them).
encode_cursor = cursor_encode
decode_cursor = cursor_decode


@dataclass
class InboxPage:
    rows: list[Complaint]
    next_cursor: str
    is_first: bool


def inbox_page(user: User, f: InboxFilters, cursor: str = "") -> InboxPage:
    """One page of the cases `user` may see, newest first. One query, whatever the page."""
    qs = _apply_filters(complaint_list_for_user(user), f, user)
    after = decode_cursor(cursor)
    if after is not None:
        qs = complaints_after(qs, after)
    # The "dianonimkan" badge: one more column from the reporter, in the same query.
    qs = qs.annotate(is_anonymised=ExpressionWrapper(
        Q(reporter__anonymised_at__isnull=False), output_field=BooleanField()))
    rows = list(qs.order_by("-received_at", "-id")[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return InboxPage(rows=rows, next_cursor=encode_cursor(rows[-1]) if more else "",
                     is_first=after is None)


def status_counts(user: User) -> list[tuple[Status, int]]:
    """Cases per status the user may see. A GROUP BY over up to a million rows is the costly
    part of the inbox, so it is loaded separately (htmx) and cached for a minute per scope."""
    scope = f"unit{user.unit_id}" if not user.sees_all_units else "all"
    # The database name keeps deployments (or test runs) that share one cache apart.
    database = connection.settings_dict["NAME"]
    key = f"aduan:desk:status-counts:{database}:{user.office_id}:{scope}"
    counts = cache.get(key)
    if counts is None:
        counts = dict(complaint_list_for_user(user).order_by().values_list("status")
                      .annotate(n=Count("id")).values_list("status", "n"))
        cache.set(key, counts, COUNTS_CACHE_SECONDS)
    return [(s, counts.get(s.value, 0)) for s in Status if counts.get(s.value)]
