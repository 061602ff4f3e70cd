"""Reading the audit trail, scoped to the reader's office."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from aduan.accounts.models import User
from aduan.audit.models import AuditRecord


@dataclass(frozen=True)
class AuditFilter:
    username: str = ""
    surface: str = ""
    action: str = ""
    object_id: str = ""
    status_code: int | None = None
    start: dt.date | None = None
    end: dt.date | None = None


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_records_for(user: User, f: AuditFilter) -> QuerySet[AuditRecord]:
    """The records of the user's office (denials of users without an office included for the
    administrator), newest first, narrowed by `f`."""
    scope = Q(office_id=user.office_id)
    if user.is_superuser:
        scope |= Q(office__isnull=True)
    qs = AuditRecord.objects.filter(scope)
    if f.username:
        qs = qs.filter(username__icontains=f.username)
    if f.surface:
        qs = qs.filter(surface=f.surface)
    if f.action:
        qs = qs.filter(action__icontains=f.action)
    if f.object_id:
        qs = qs.filter(object_id=f.object_id)
    if f.status_code:
        qs = qs.filter(status_code=f.status_code)
    if f.start:
        qs = qs.filter(created_at__gte=_day_start(f.start))
    if f.end:
        qs = qs.filter(created_at__lt=_day_start(f.end + dt.timedelta(days=1)))
    return qs.order_by("-created_at", "-id")
