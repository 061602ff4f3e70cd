"""Limits in working days per office and classification, and a case's deadline state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from aduan.complaints.models import Complaint
from aduan.complaints.workflow import SETTLED_STATUSES
from aduan.core import refcache
from aduan.core.working_days import WorkingCalendar
from aduan.offices.calendar import calendar_for_office
from aduan.offices.models import DeadlinePolicy, Office

LIMIT_FIELDS = ("settle_days", "verify_days", "first_follow_up_days", "auto_close_days",
                "completion_days")


@dataclass(frozen=True)
class Limits:
    settle_days: int
    verify_days: int
    first_follow_up_days: int
    auto_close_days: int
    completion_days: int  # calendar days (UU 25/2009)


def limits_for(office: Office, classification: str) -> Limits:
    policies = refcache.memo(
        ("deadline-policies", office.pk),
        lambda: {p.classification: p for p in DeadlinePolicy.objects.filter(office=office)})
    policy = policies.get(classification)
    values = {}
    for name in LIMIT_FIELDS:
        override = getattr(policy, name, None) if policy else None
        values[name] = override if override is not None else getattr(office, name)
    return Limits(**values)


@dataclass(frozen=True)
class DeadlineState:
    due_on: date
    working_days_used: int
    working_days_left: int
    is_overdue: bool
    is_due_soon: bool


def deadline_state(complaint: Complaint, *, today: date | None = None,
                   calendar: WorkingCalendar | None = None,
                   soon_days: int | None = None) -> DeadlineState:
    """Working days used and left for a case; a settled case stops its clock at settlement."""
    calendar = calendar or calendar_for_office(complaint.office_id)
    today = today or timezone.localdate()
    end = complaint.settled_on if complaint.status in SETTLED_STATUSES and complaint.settled_on \
        else today
    used = max(calendar.working_days_between(complaint.received_on, end), 0)
    left = calendar.working_days_between(end, complaint.due_on)
    soon = soon_days if soon_days is not None else complaint.office.reminder_days
    open_case = complaint.status not in SETTLED_STATUSES
    return DeadlineState(
        due_on=complaint.due_on,
        working_days_used=used,
        working_days_left=left,
        is_overdue=end > complaint.due_on,
        is_due_soon=open_case and 0 <= left <= soon,
    )


def working_days_taken(calendar: WorkingCalendar, received_on: date, settled_on: date) -> int:
    """Working days from receipt to settlement, as the seed report counts them: a case settled
    on the day it arrived took 1 day."""
    return max(calendar.working_days_between(received_on, settled_on), 1)
