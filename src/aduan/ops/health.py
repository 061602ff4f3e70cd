"""Readiness checks for load balancers and monitoring, each cheap and each failing on its own.

`critical` checks decide the HTTP status of /readyz: without the database or with a full media
disk a node cannot take a complaint, so the load balancer should stop sending it traffic.
The others (cache, task queue lag, unprocessed inbound messages, failed notifications) are
reported with `warn` but keep the node in rotation: every node shares them, so taking nodes out
would only turn a delay into an outage. Monitoring alerts on them through /metrics.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

logger = logging.getLogger(__name__)

OK, WARN, FAIL = "ok", "warn", "fail"


@dataclass
class Check:
    name: str
    status: str
    critical: bool
    detail: dict[str, Any] = field(default_factory=dict)


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        try:
            connection.close()  # the next request opens a fresh connection
        except Exception:
            logger.debug("closing the broken database connection failed", exc_info=True)
        return Check("database", FAIL, True, {"error": type(exc).__name__})
    return Check("database", OK, True, {"vendor": connection.vendor})


def check_cache() -> Check:
    """A round trip through the shared cache (Redis in production). The site degrades without
    it (core/cache.py), so a failure warns."""
    key = f"aduan:readyz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "1", 10)
        found = cache.get(key) == "1"
        cache.delete(key)
    except Exception as exc:
        return Check("cache", WARN, False, {"error": type(exc).__name__})
    return Check("cache", OK if found else WARN, False,
                 {} if found else {"error": "value not read back"})


def task_queue_lag() -> tuple[int, float]:
    """(waiting tasks, seconds the oldest runnable one has waited) for the configured backend."""
    backend = settings.TASKS["default"]["BACKEND"]
    now = timezone.now()
    if "django_tasks_rq" in backend:
        import django_rq

        queue = django_rq.get_queue("default")
        depth = queue.count
        lag = 0.0
        if depth:
            ids = queue.get_job_ids(0, 1)
            job = queue.fetch_job(ids[0]) if ids else None
            if job is not None and job.enqueued_at is not None:
                enqueued = job.enqueued_at
                if timezone.is_naive(enqueued):
                    enqueued = enqueued.replace(tzinfo=dt.UTC)
                lag = max(0.0, (now - enqueued).total_seconds())
        return depth, lag
    if "django_tasks_db" in backend or backend.endswith("taskbackend.DatabaseBackend"):
        from django.db.models import Min, Q
        from django_tasks.base import TaskResultStatus
        from django_tasks_db.models import DBTaskResult, get_date_max

        ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY).filter(
            Q(run_after__lte=now) | Q(run_after=get_date_max()))
        figures = ready.aggregate(oldest=Min("enqueued_at"))
        oldest = figures["oldest"]
        depth = ready.count() if oldest is not None else 0
        return depth, (now - oldest).total_seconds() if oldest is not None else 0.0
    return 0, 0.0  # the immediate backend runs tasks in the request


def check_task_queue() -> Check:
    limit = settings.ADUAN_READY_QUEUE_LAG_SECONDS
    try:
        depth, lag = task_queue_lag()
    except Exception as exc:
        return Check("task_queue", WARN, False, {"error": type(exc).__name__})
    return Check("task_queue", WARN if lag > limit else OK, False,
                 {"depth": depth, "lag_seconds": round(lag, 1), "limit_seconds": limit})


def check_inbound() -> Check:
    """Inbound messages stored but not processed after ADUAN_INBOUND_STUCK_SECONDS (the
    intake sweeper retries them), and items waiting for an officer."""
    from aduan.intake.selectors import inbound_backlog

    try:
        backlog = inbound_backlog()
    except Exception as exc:
        return Check("inbound", WARN, False, {"error": type(exc).__name__})
    return Check("inbound", WARN if backlog.stuck else OK, False, {
        "stuck": backlog.stuck,
        "unprocessed": backlog.unprocessed,
        "for_review": backlog.for_review,
        "oldest_unprocessed_seconds": round(backlog.oldest_unprocessed_seconds or 0),
        "stuck_after_seconds": settings.ADUAN_INBOUND_STUCK_SECONDS,
    })


def check_submissions() -> Check:
    """Web submissions accepted and not registered yet (decision 0015): warns when the oldest
    waits longer than ADUAN_SUBMISSION_STUCK_SECONDS (the worker is down or failing) or a row
    is past its last attempt (it needs a person: its error is on the row)."""
    from aduan.complaints.submissions import submission_backlog

    limit = settings.ADUAN_SUBMISSION_STUCK_SECONDS
    try:
        backlog = submission_backlog()
    except Exception as exc:
        return Check("submissions", WARN, False, {"error": type(exc).__name__})
    age = backlog.oldest_pending_seconds or 0
    return Check("submissions", WARN if age > limit or backlog.failed else OK, False, {
        "pending": backlog.pending, "failed": backlog.failed,
        "oldest_pending_seconds": round(age), "limit_seconds": limit})


def check_notifications() -> Check:
    from aduan.notifications.models import OutboxMessage, OutboxStatus

    since = timezone.now() - dt.timedelta(hours=24)
    try:
        failed = OutboxMessage.objects.filter(status=OutboxStatus.FAILED,
                                              failed_at__gte=since).count()
    except Exception as exc:
        return Check("notifications", WARN, False, {"error": type(exc).__name__})
    return Check("notifications", WARN if failed else OK, False, {"failed_last_24h": failed})


def media_free_bytes() -> int:
    root = Path(settings.MEDIA_ROOT)
    probe = root if root.exists() else root.parent
    return shutil.disk_usage(probe).free


def check_disk() -> Check:
    if not _media_on_local_disk():
        return Check("media_disk", OK, True, {"storage": "remote"})
    minimum = settings.ADUAN_READY_MIN_FREE_BYTES
    try:
        free = media_free_bytes()
    except OSError as exc:
        return Check("media_disk", FAIL, True, {"error": type(exc).__name__})
    return Check("media_disk", FAIL if free < minimum else OK, True,
                 {"free_bytes": free, "minimum_bytes": minimum})


def _media_on_local_disk() -> bool:
    return "FileSystemStorage" in settings.STORAGES["default"]["BACKEND"]


def readiness() -> tuple[bool, list[Check]]:
    """All checks, and whether the node should take traffic (no critical check failed)."""
    checks = [check_database(), check_cache(), check_disk()]
    if checks[0].status == OK:
        checks += [check_task_queue(), check_inbound(), check_submissions(),
                   check_notifications()]
    ready = not any(c.critical and c.status == FAIL for c in checks)
    return ready, checks
