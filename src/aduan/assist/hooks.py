"""The assist app's handler on `complaints.notify`: a new case gets its suggestions and
related-case hints computed in the background after commit; a reporter's later message answers
an automatic answer's question (assist/instant.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from aduan.complaints import notify
from aduan.complaints.models import CaseEvent, EventKind

# The new case's suggestions and hints (assist/tasks.py `assist_new_case`, core/jobs.py).
NEW_CASE_JOB = "assist.new_case"

# Officers' steps that show what they made of the suggestions (assist/feedback.py).
_DECISIONS = frozenset({EventKind.DISPOSITIONED, EventKind.REFERRED, EventKind.ANSWERED,
                        EventKind.RESPONDED, EventKind.ROUTED, EventKind.FORWARDED})
# A case entered long after it arrived (a paper backlog, an import, the demo) is history.
MAX_AGE = dt.timedelta(days=3)


def on_case_event(event: CaseEvent, **_: Any) -> None:
    if event.kind == EventKind.RECEIVED:
        if not settings.ADUAN_ASSIST_ON_NEW_CASES or event.created_at < timezone.now() - MAX_AGE:
            return
        complaint_id = event.complaint_id
        if _tasks_in_this_database():
            # One of the case's follow-ups: its task row commits with the case (as the
            # outbox's delivery task does), shared with the other follow-ups
            # (complaints/notify.py), no second write transaction after the commit (issue 17).
            notify.follow_up(event, NEW_CASE_JOB)
        else:
            transaction.on_commit(lambda: _enqueue(complaint_id))
    elif event.kind == EventKind.MESSAGE_IN:
        from aduan.assist.instant import instant_reply_received

        instant_reply_received(event)
    elif event.kind in _DECISIONS and event.actor_id is not None:
        from aduan.assist.feedback import feedback_from_event

        feedback_from_event(event)


def _tasks_in_this_database() -> bool:
    """True when the task backend stores tasks in this database (django-tasks-db)."""
    from aduan.core import jobs

    return jobs.queues_in_transaction(NEW_CASE_JOB)


def _enqueue(complaint_id: int) -> None:
    from aduan.assist.tasks import assist_new_case

    try:
        assist_new_case.enqueue(complaint_id)
    except Exception:
        import logging

        logging.getLogger(__name__).exception("assist: could not queue case %s", complaint_id)
